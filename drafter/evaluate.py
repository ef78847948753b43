"""``drafter eval``: regression evals on sample drafts, scored without an LLM.

A case is a folder under ``evals/cases/`` with ``case.yaml`` (report type, topic, facts file,
expectations) and sample drafts in ``drafts/*.md``. Every draft gets the same deterministic
metrics (see ``METRICS``); the checker's labelled set (``evals/checker_eval.py``) is scored as
one more suite. A run is written as JSON under ``evals/results/``; a baseline is a run plus
per-metric tolerances, and a metric that got worse by more than its tolerance is a regression.

Pure parts (the metric functions) take text and records; I/O is at the edges (``load_cases``,
``run_eval``, ``write_results``, ``load_baseline``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.util
import json
import math
import re
import subprocess
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from drafter.errors import DrafterError, InputFileError

if TYPE_CHECKING:
    import numpy as np

    from drafter.config import Settings
    from drafter.embed import Embedder
    from drafter.records import CheckReport, Document, Facts, Mention

RESULTS_VERSION = 1
STORED = "stored drafts"


class CaseError(InputFileError):
    meaning = "an eval case is missing a file or has a malformed expectation"


class BaselineError(InputFileError):
    meaning = "the eval baseline file is missing or malformed"




# --- metrics: what is measured, which way is better, how much slack by default ----------------


@dataclass(frozen=True)
class MetricSpec:
    name: str
    label: str  # short column header
    higher_is_better: bool
    tolerance: float  # default slack before a worse value counts as a regression
    is_count: bool = False


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("grounding", "ground", True, 0.0),
    MetricSpec("ungrounded", "ungr", False, 0, is_count=True),
    MetricSpec("placeholders", "plchld", False, 0, is_count=True),
    MetricSpec("stale", "stale", False, 0, is_count=True),
    MetricSpec("forbidden_numbers", "badnum", False, 0, is_count=True),
    MetricSpec("fact_coverage", "facts", True, 0.0),
    MetricSpec("sections", "sects", True, 0.0),
    MetricSpec("structure", "outln", True, 0.0),
    MetricSpec("length_fit", "length", True, 0.02),
    MetricSpec("repetition", "repeat", False, 0.01),
    MetricSpec("style", "style", True, 0.02),
    MetricSpec("forbidden", "phrase", False, 0, is_count=True),
)
CHECKER_METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("precision", "precision", True, 0.0),
    MetricSpec("recall", "recall", True, 0.0),
    MetricSpec("real_precision", "real text precision", True, 0.0),
    MetricSpec("false_explanation_rate", "false explanations", False, 0.0),
)
STYLE_METRIC = "style"  # depends on the embedder: compared only when the baseline used the same one


@dataclass(frozen=True)
class DraftMetrics:
    """One draft's scores (rates in [0, 1], None when not applicable; counts as ints). The
    aggregate of a run has the same shape: rates averaged, counts summed."""

    grounding: float | None  # share of data numbers grounded or derived
    ungrounded: int  # data numbers the facts do not support
    placeholders: int  # XX / 【待补】 / ** left in the text
    stale: int  # numbers that are only last period's value, stated without a comparison
    forbidden_numbers: int  # mentions of the case's numbers that must not appear
    fact_coverage: float | None  # share of required facts whose value appears grounded
    sections: float | None  # share of required section patterns found among the headings
    structure: float | None  # share of the type skeleton's level-1 sections matched
    length_fit: float | None  # 1 in range, else chars/min (short) or max/chars (long)
    repetition: float  # share of characters repeating an earlier sentence or another section's 8+-char phrase
    style: float | None  # mean over sections of the best cosine to same-type corpus passages
    forbidden: int  # forbidden phrases and English sentences

    def value(self, name: str) -> float | None:
        return getattr(self, name)


@dataclass(frozen=True)
class DraftDetails:
    """What lies behind the scores, for the JSON and for a reader chasing a regression."""

    numbers: int
    chars: int
    length_range: tuple[int, int] | None
    length_in_range: bool | None
    repeated_sentences: int
    ungrounded_numbers: tuple[str, ...] = ()
    stale_numbers: tuple[str, ...] = ()
    forbidden_number_hits: tuple[str, ...] = ()
    missing_facts: tuple[str, ...] = ()
    missing_sections: tuple[str, ...] = ()
    unmatched_outline: tuple[str, ...] = ()
    forbidden_hits: tuple[str, ...] = ()


# --- pure metric functions --------------------------------------------------------------------

_SENTENCE_SPLIT = re.compile(r"(?<=[。！？；!?;])|\n")
_WS = re.compile(r"\s+")
# A number from last period is fine in a comparison (从12.4%提升到62.55%), not as this period's result.
_COMPARISON = re.compile(r"从|由|较|比|同比|环比|上年|去年|上期|上一年|提升到|提高到|增长到|增至|降至|下降到")
# Four or more Latin words in a row: an English sentence in a Chinese report.
ENGLISH_SENTENCE = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ \t]+[A-Za-z][A-Za-z'’\-]*[,.;:!?]?){3,}")
# Wording a report should not carry: verdicts it cannot prove, and chat-model artefacts.
DEFAULT_FORBIDDEN_PHRASES: tuple[str, ...] = (
    "圆满完成", "完美收官", "作为AI", "作为一个AI", "作为人工智能", "人工智能助手", "语言模型",
    "以下是根据", "希望对您有帮助", "希望以上内容", "请根据实际情况", "根据您提供的", "```",
)
PHRASE_CHARS = 8  # a repeated phrase is 8 or more characters
MIN_SENTENCE_CHARS = 8  # shorter "sentences" (一是、谢谢) repeat harmlessly


def _content(text: str) -> str:
    return _WS.sub("", text)


def sentences_of(text: str) -> list[str]:
    """Sentences without whitespace, at Chinese sentence ends and line breaks."""
    return [s for s in (_content(p) for p in _SENTENCE_SPLIT.split(text)) if s]


@dataclass(frozen=True)
class Repetition:
    share: float  # repeated characters / all characters
    repeated_sentences: int  # sentences that repeat an earlier one


def repetition(sections: Sequence[str]) -> Repetition:
    """Characters that repeat earlier material: a whole sentence seen before (anywhere), or an
    8+-character phrase that stands in an earlier section. The first occurrence is never counted,
    so a sentence of n characters said twice adds n, not 2n."""
    texts = [_content(s) for s in sections]
    total = sum(len(t) for t in texts)
    if total == 0:
        return Repetition(0.0, 0)
    seen_sentences: set[str] = set()
    seen_grams: set[str] = set()
    repeated = 0
    covered_total = 0
    for raw, text in zip(sections, texts):
        covered = [False] * len(text)
        pos = 0
        for sentence in sentences_of(raw):
            start = text.find(sentence, pos)
            if start < 0:
                continue
            pos = start + len(sentence)
            key = sentence.rstrip("。！？；!?;，,")
            if len(key) >= MIN_SENTENCE_CHARS:
                if key in seen_sentences:
                    repeated += 1
                    covered[start:start + len(sentence)] = [True] * len(sentence)
                seen_sentences.add(key)
        grams = {text[i:i + PHRASE_CHARS] for i in range(len(text) - PHRASE_CHARS + 1)}
        for i in range(len(text) - PHRASE_CHARS + 1):
            if text[i:i + PHRASE_CHARS] in seen_grams:
                covered[i:i + PHRASE_CHARS] = [True] * PHRASE_CHARS
        seen_grams |= grams  # only earlier sections count: repeats inside one section are sentences' job
        covered_total += sum(covered)
    return Repetition(covered_total / total, repeated)


def forbidden_hits(text: str, phrases: Sequence[str]) -> tuple[str, ...]:
    """Each occurrence of a forbidden phrase, and each English sentence, in text order."""
    hits: list[tuple[int, str]] = []
    for phrase in dict.fromkeys(p for p in phrases if p):
        hits.extend((m.start(), phrase) for m in re.finditer(re.escape(phrase), text))
    hits.extend((m.start(), m.group(0)) for m in ENGLISH_SENTENCE.finditer(text))
    return tuple(h for _, h in sorted(hits))


def length_fit(chars: int, target: tuple[int, int] | None) -> tuple[bool | None, float | None]:
    """(in range, fit): fit is 1 in range, chars/min when short, max/chars when long."""
    if target is None:
        return None, None
    low, high = target
    if chars < low:
        return False, chars / low if low else 0.0
    if chars > high:
        return False, high / chars
    return True, 1.0


def structure_match(draft_headings: Sequence[str], skeleton_headings: Sequence[str]) -> tuple[float | None, tuple[str, ...]]:
    """(share of skeleton level-1 sections that some draft top-level heading resembles, unmatched)."""
    from drafter.outline import SIMILAR, similarity

    if not skeleton_headings:
        return None, ()
    unmatched = tuple(s for s in skeleton_headings if not any(similarity(s, d) >= SIMILAR for d in draft_headings))
    return 1 - len(unmatched) / len(skeleton_headings), unmatched


def required_sections(headings: Sequence[str], patterns: Sequence[str]) -> tuple[float | None, tuple[str, ...]]:
    """(share of patterns that match some heading, the patterns that match none)."""
    if not patterns:
        return None, ()
    missing = tuple(p for p in patterns if not any(re.search(p, h) for h in headings))
    return 1 - len(missing) / len(patterns), missing


@dataclass(frozen=True)
class NumberScore:
    numbers: int
    grounding: float | None
    ungrounded: tuple[str, ...]
    placeholders: int
    stale: tuple[str, ...]


def number_score(report: CheckReport, facts: Facts) -> NumberScore:
    """Grounding of the data numbers, placeholders, and last period's figures passed off as this one's."""
    from drafter.check import quantity_matches

    data = [f for f in report.findings if f.mention.kind == "data" and f.status in ("grounded", "derived", "ungrounded")]
    ok = sum(f.status in ("grounded", "derived") for f in data)
    stale = []
    for f in data:
        if f.status == "derived":
            continue
        # Whether the checker grounds such a number or flags it, it is counted here either way.
        current = any(q is not None and quantity_matches(f.mention, q)
                      for fact in facts.facts for q in (fact.quantity, *fact.extra))
        previous = any(fact.previous_quantity is not None and quantity_matches(f.mention, fact.previous_quantity)
                       for fact in facts.facts)
        if previous and not current and not _COMPARISON.search(f.sentence):
            stale.append(f.mention.text)
    return NumberScore(
        numbers=len(data),
        grounding=ok / len(data) if data else None,
        ungrounded=tuple(f.mention.text for f in data if f.status == "ungrounded"),
        placeholders=sum(f.status == "placeholder" for f in report.findings),
        stale=tuple(stale),
    )


def fact_coverage(report: CheckReport, facts: Facts, required: Sequence[str] | None) -> tuple[float | None, tuple[str, ...]]:
    """(share of required facts — all facts with a number when None — whose value a grounded
    number of the draft states, the names of those it does not)."""
    from drafter.check import quantity_matches

    wanted = [f for f in facts.facts if f.quantity is not None and (required is None or f.name in required)]
    if not wanted:
        return None, ()
    grounded = [f.mention for f in report.findings if f.status == "grounded" and f.mention.kind == "data"]
    missing = tuple(f.name for f in wanted if not any(quantity_matches(m, f.quantity) for m in grounded))
    return 1 - len(missing) / len(wanted), missing


def forbidden_number_hits(mentions: Sequence[Mention], forbidden: Sequence[str]) -> tuple[str, ...]:
    """Mentions that state one of the numbers that must not appear (rounded forms included)."""
    from drafter.check import quantity_matches
    from drafter.numbers import parse_quantity

    quantities = [q for q in (parse_quantity(n) for n in forbidden) if q is not None]
    return tuple(m.text for m in mentions if m.kind == "data" and any(quantity_matches(m, q) for q in quantities))


def style_closeness(section_vectors: np.ndarray, corpus_vectors: np.ndarray) -> float | None:
    """Mean over sections of the best cosine to a corpus passage (vectors are L2-normalised)."""
    if len(section_vectors) == 0 or len(corpus_vectors) == 0:
        return None
    best = (section_vectors @ corpus_vectors.T).max(axis=1)
    return float(best.mean())


# --- a draft's shape ---------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*", re.M)


@dataclass(frozen=True)
class Section:
    heading: str  # "" for what stands before the first heading
    body: str


@dataclass(frozen=True)
class DraftShape:
    text: str  # Markdown heading marks removed: what the checker and the counts see
    headings: tuple[str, ...]  # every heading as written, marker included
    top_headings: tuple[str, ...]  # the draft's level-1 sections (its shallowest heading level)
    sections: tuple[Section, ...]


def draft_shape(text: str) -> DraftShape:
    """Headings and top-level sections of a draft, parsed as a corpus document is."""
    from drafter.corpus import parse_document
    from drafter.outline import document_tree
    from drafter.sources import Unreadable

    plain = _MD_HEADING.sub("", text)
    try:
        doc = parse_document("draft.md", plain)
    except Unreadable:
        return DraftShape(plain, (), (), ())
    headings = tuple(h.marker + h.text for h in doc.headings)
    top = tuple(h for h, _ in document_tree(doc) if not h.startswith("〔"))
    return DraftShape(plain, headings, top, _sections(doc))


def _sections(doc: Document) -> tuple[Section, ...]:
    order: list[str] = []
    bodies: dict[str, list[str]] = {}
    for block in doc.blocks:
        key = block.heading_path[0] if block.heading_path else ""
        if key not in bodies:
            order.append(key)
            bodies[key] = []
        bodies[key].append(block.text)
    return tuple(Section(k, "\n".join(bodies[k])) for k in order)


# --- cases -------------------------------------------------------------------------------------

_CASE_KEYS = {"type": str, "topic": str, "facts": str, "expect": dict}
_EXPECT_KEYS = {"sections": list, "facts": (list, str), "forbidden_numbers": list, "length": list,
                "forbidden_phrases": list}


@dataclass(frozen=True)
class Expectations:
    sections: tuple[str, ...] = ()  # regular expressions, matched against the draft's headings
    facts: tuple[str, ...] | None = None  # names of facts that must appear; None: every fact with a number
    forbidden_numbers: tuple[str, ...] = ()  # as written: 12.4%, 18项
    length: tuple[int, int] | None = None  # characters, whitespace not counted
    forbidden_phrases: tuple[str, ...] = ()  # on top of DEFAULT_FORBIDDEN_PHRASES


@dataclass(frozen=True)
class Case:
    case_id: str
    folder: Path
    doc_type: str
    topic: str
    facts_path: Path
    facts: Facts
    expect: Expectations
    drafts: tuple[Path, ...]


def _fail(where: Path, key: str, problem: str) -> CaseError:
    return CaseError(f"{where}: '{key}' {problem}")


def load_case(folder: Path) -> Case:
    """One case folder. Raises CaseError naming the file and the key at fault."""
    import yaml

    from drafter.errors import FactsError
    from drafter.facts import load_facts
    from drafter.numbers import parse_quantity

    path = folder / "case.yaml"
    if not path.is_file():
        raise CaseError(f"{folder}: no case.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise CaseError(f"{path}: not valid YAML ({str(e).splitlines()[0]})") from e
    if not isinstance(data, dict):
        raise CaseError(f"{path}: expected a mapping with {', '.join(_CASE_KEYS)}")
    for key, value in data.items():
        if key not in _CASE_KEYS:
            raise _fail(path, key, f"is not a known key (known: {', '.join(_CASE_KEYS)})")
        if not isinstance(value, _CASE_KEYS[key]):
            raise _fail(path, key, f"must be a {_CASE_KEYS[key].__name__}, got {type(value).__name__}")
    for key in ("type", "facts"):
        if not data.get(key):
            raise _fail(path, key, "is required")
    facts_path = (folder / data["facts"]).resolve()
    if not facts_path.is_file():
        raise _fail(path, "facts", f"names {data['facts']}, which does not exist ({facts_path})")
    try:
        facts = load_facts(facts_path)
    except FactsError as e:
        raise CaseError(f"{path}: 'facts': {e}") from e

    raw = data.get("expect") or {}
    for key, value in raw.items():
        where = f"expect.{key}"
        if key not in _EXPECT_KEYS:
            raise _fail(path, where, f"is not a known expectation (known: {', '.join(_EXPECT_KEYS)})")
        allowed = _EXPECT_KEYS[key]
        if not isinstance(value, allowed):
            names = " or ".join(t.__name__ for t in (allowed if isinstance(allowed, tuple) else (allowed,)))
            raise _fail(path, where, f"must be a {names}, got {type(value).__name__}")
    sections = tuple(str(p) for p in raw.get("sections", []))
    for p in sections:
        try:
            re.compile(p)
        except re.error as e:
            raise _fail(path, "expect.sections", f"holds an invalid pattern {p!r} ({e})") from e
    required: tuple[str, ...] | None = None
    if isinstance(raw.get("facts"), str):
        if raw["facts"] != "all":
            raise _fail(path, "expect.facts", f"must be a list of fact names or 'all', got {raw['facts']!r}")
    elif "facts" in raw:
        required = tuple(str(n) for n in raw["facts"])
        known = {f.name: f for f in facts.facts}
        for name in required:
            if name not in known:
                raise _fail(path, "expect.facts", f"names {name!r}, which is not in {data['facts']}")
            if known[name].quantity is None:
                raise _fail(path, "expect.facts", f"names {name!r}, which has no number to look for")
    numbers = tuple(str(n) for n in raw.get("forbidden_numbers", []))
    for n in numbers:
        if parse_quantity(n) is None:
            raise _fail(path, "expect.forbidden_numbers", f"holds {n!r}, which is not a number")
    length = None
    if "length" in raw:
        lr = raw["length"]
        if len(lr) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) for x in lr) or not 0 <= lr[0] <= lr[1]:
            raise _fail(path, "expect.length", f"must be [min, max] characters with 0 <= min <= max, got {lr!r}")
        length = (lr[0], lr[1])
    expect = Expectations(sections, required, numbers, length, tuple(str(p) for p in raw.get("forbidden_phrases", [])))
    drafts = tuple(sorted((folder / "drafts").glob("*.md")))
    if not drafts:
        raise CaseError(f"{folder}: no drafts/*.md to score")
    return Case(folder.name, folder, data["type"], str(data.get("topic", "")), facts_path, facts, expect, drafts)


@dataclass(frozen=True)
class BrokenCase:
    case_id: str
    error: str


def load_cases(cases_dir: Path) -> tuple[list[Case], list[BrokenCase]]:
    """Every case folder (sorted); a broken one is reported, the others still load."""
    if not cases_dir.is_dir():
        raise CaseError(f"{cases_dir}: no such cases folder")
    cases, broken = [], []
    for folder in sorted(p for p in cases_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        try:
            cases.append(load_case(folder))
        except DrafterError as e:
            broken.append(BrokenCase(folder.name, str(e)))
    return cases, broken


# --- scoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StyleReference:
    """What drafts are scored against: each type's skeleton headings and corpus passage vectors."""

    embedder: Embedder
    documents: tuple[Document, ...]
    vectors_by_type: dict[str, np.ndarray]
    vector_lookup: Callable[[Sequence[str]], np.ndarray]  # texts → vectors, cached

    def skeleton(self, doc_type: str) -> tuple[str, ...]:
        from drafter.outline import learn_skeleton

        skeleton = learn_skeleton(doc_type, self.documents)
        return tuple(s.heading for s in skeleton.sections if s.level == 1)


@dataclass(frozen=True)
class DraftResult:
    case_id: str
    draft: str  # file name under drafts/
    metrics: DraftMetrics
    details: DraftDetails

    @property
    def key(self) -> str:
        return f"{self.case_id}/{self.draft}"


def score_draft(text: str, case: Case, ref: StyleReference, draft_name: str = "") -> DraftResult:
    from drafter.check import check_text

    shape = draft_shape(text)
    report = check_text(shape.text, case.facts)
    numbers = number_score(report, case.facts)
    coverage, missing_facts = fact_coverage(report, case.facts, case.expect.facts)
    bad_numbers = forbidden_number_hits([f.mention for f in report.findings], case.expect.forbidden_numbers)
    sections, missing_sections = required_sections(shape.headings, case.expect.sections)
    structure, unmatched = structure_match(shape.top_headings, ref.skeleton(case.doc_type))
    chars = len(_content(shape.text))
    in_range, fit = length_fit(chars, case.expect.length)
    bodies = [s.body for s in shape.sections]
    rep = repetition(bodies)
    phrases = forbidden_hits(shape.text, DEFAULT_FORBIDDEN_PHRASES + case.expect.forbidden_phrases)
    style = None
    corpus = ref.vectors_by_type.get(case.doc_type)
    if corpus is not None and shape.sections:
        texts = [(s.heading + "\n" + s.body).strip() for s in shape.sections if _content(s.body)]
        if texts:
            style = style_closeness(ref.vector_lookup(texts), corpus)
    metrics = DraftMetrics(
        grounding=numbers.grounding, ungrounded=len(numbers.ungrounded), placeholders=numbers.placeholders,
        stale=len(numbers.stale), forbidden_numbers=len(bad_numbers), fact_coverage=coverage,
        sections=sections, structure=structure, length_fit=fit, repetition=rep.share, style=style,
        forbidden=len(phrases),
    )
    details = DraftDetails(
        numbers=numbers.numbers, chars=chars, length_range=case.expect.length, length_in_range=in_range,
        repeated_sentences=rep.repeated_sentences, ungrounded_numbers=numbers.ungrounded,
        stale_numbers=numbers.stale, forbidden_number_hits=bad_numbers, missing_facts=missing_facts,
        missing_sections=missing_sections, unmatched_outline=unmatched, forbidden_hits=phrases,
    )
    return DraftResult(case.case_id, draft_name, metrics, details)


@dataclass(frozen=True)
class CaseResult:
    case_id: str
    doc_type: str
    topic: str
    drafts: tuple[DraftResult, ...] = ()
    error: str | None = None  # a broken case: why; its drafts were not scored


@dataclass(frozen=True)
class CheckerResult:
    metrics: dict[str, float]  # CHECKER_METRICS names → value
    planted: int = 0
    sentences_passed: float | None = None
    error: str | None = None


def aggregate(drafts: Sequence[DraftMetrics]) -> DraftMetrics | None:
    """Rates averaged over the drafts that have them; counts summed."""
    if not drafts:
        return None
    values: dict[str, Any] = {}
    for spec in METRICS:
        got = [d.value(spec.name) for d in drafts if d.value(spec.name) is not None]
        if spec.is_count:
            values[spec.name] = int(sum(got))
        else:
            values[spec.name] = sum(got) / len(got) if got else None
    return DraftMetrics(**values)


# --- the run -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunMeta:
    created: str  # ISO 8601, UTC
    model: str  # "stored drafts" or the model that generated them
    embedder: str
    prompts: dict[str, str]  # prompts/NAME.md → sha256
    corpus_sha256: str
    code_version: str
    git_commit: str | None
    cases_dir: str


@dataclass(frozen=True)
class EvalRun:
    meta: RunMeta
    cases: tuple[CaseResult, ...]
    aggregate: DraftMetrics | None
    checker: CheckerResult

    @property
    def drafts(self) -> tuple[DraftResult, ...]:
        return tuple(d for c in self.cases for d in c.drafts)

    @property
    def broken(self) -> tuple[CaseResult, ...]:
        return tuple(c for c in self.cases if c.error is not None)


class _GenerateNotes:
    """A quiet drafting reporter for --generate: one note per finished section."""

    def __init__(self, note: Callable[[str], None], case_id: str) -> None:
        self._note, self._case = note, case_id

    def note(self, message: str) -> None:
        self._note(f"{self._case}: {message}")

    def section_started(self, plan, total: int, model: str) -> None:
        pass

    def delta(self, plan, text: str) -> None:
        pass

    def section_finished(self, draft, total: int) -> None:
        self._note(f"{self._case}: 第 {draft.index}/{total} 节 {draft.status} ({draft.seconds:.0f} s)")


def generate_drafts(settings: Settings, cases: Sequence[Case], out_dir: Path,
                    note: Callable[[str], None]) -> tuple[list[Case], list[BrokenCase]]:
    """Draft every case with the configured model, as `drafter draft --yes` would, into
    ``out_dir/<case>/draft.md``; the cases come back with that draft as the one to score. A case
    whose drafting fails (a dead endpoint, a bad facts file) is broken; the others still run."""
    from drafter.drafting import DraftRequest, run_sections, start_run

    drafted, broken = [], []
    for case in cases:
        output = out_dir / case.case_id / "draft.md"
        output.parent.mkdir(parents=True, exist_ok=True)
        reporter = _GenerateNotes(note, case.case_id)
        note(f"drafting {case.case_id} ({case.doc_type}) with the configured model")
        try:
            request = DraftRequest(doc_type=case.doc_type, facts_path=case.facts_path, output=output,
                                   topic=case.topic, force=True)
            outcome = run_sections(settings, start_run(settings, request, reporter), reporter)
        except DrafterError as e:
            broken.append(BrokenCase(case.case_id, f"--generate: {e}"))
            continue
        if outcome.failure or outcome.unfinished:
            broken.append(BrokenCase(case.case_id, f"--generate: {outcome.failure or 'sections not finished'} "
                                                   f"(run {outcome.run.folder})"))
            continue
        drafted.append(replace(case, drafts=(output,)))
    return drafted, broken


def run_eval(settings: Settings, cases_dir: Path, embedder: Embedder | None = None,
             generate: bool = False, note: Callable[[str], None] | None = None) -> EvalRun:
    """Score every case's drafts and the checker's labelled set. Brings the index in line with
    the corpus first (incremental: unchanged files cost nothing), so skeletons and style
    passages are those of the corpus whose hash the run records."""
    from drafter.embed import make_embedder
    from drafter.ingest import ingest_corpus
    from drafter.retrieve import indexed_documents

    note = note or (lambda _msg: None)
    cases, broken = load_cases(cases_dir)
    model = STORED
    if generate:
        from drafter.llm import model_for

        cases, failed = generate_drafts(settings, cases, settings.project_dir / "evals" / "results" / "generated", note)
        broken += failed
        model = model_for(settings.llm, "draft") or "bundled local model"
    embedder = embedder or make_embedder(settings.embed)
    note(f"indexing {settings.corpus_path} (only new or changed files are embedded)")
    ingest_corpus(settings, embedder=embedder)
    ref = _style_reference(settings, embedder, tuple(indexed_documents(settings)))

    results = [CaseResult(b.case_id, "", "", error=b.error) for b in broken]
    for case in cases:
        note(f"scoring {case.case_id} ({len(case.drafts)} draft{'s' if len(case.drafts) != 1 else ''})")
        try:
            scored = tuple(score_draft(_read_draft(p), case, ref, p.name) for p in case.drafts)
        except DrafterError as e:
            results.append(CaseResult(case.case_id, case.doc_type, case.topic, error=str(e)))
            continue
        results.append(CaseResult(case.case_id, case.doc_type, case.topic, scored))
    results.sort(key=lambda c: c.case_id)
    note("scoring the checker's labelled set")
    checker = run_checker_suite(cases_dir.parent)
    meta = RunMeta(
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        model=model, embedder=embedder.model_id,
        prompts=prompt_hashes(settings.project_dir / "prompts"),
        corpus_sha256=corpus_hash(settings.corpus_path), code_version=_version(),
        git_commit=git_commit(settings.project_dir), cases_dir=_shown(cases_dir, settings.project_dir),
    )
    drafts = [d.metrics for c in results for d in c.drafts]
    return EvalRun(meta, tuple(results), aggregate(drafts), checker)


def _shown(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read_draft(path: Path) -> str:
    from drafter.sources import read_user_text

    return read_user_text(path, CaseError)


def _style_reference(settings: Settings, embedder: Embedder, documents: tuple[Document, ...]) -> StyleReference:
    import numpy as np

    from drafter.catalogue import Catalogue
    from drafter.chunking import embedding_text
    from drafter.embed import VectorCache

    cache_path = settings.data_dir / "vectors.sqlite"

    def lookup(texts: Sequence[str]) -> np.ndarray:
        # Section vectors are cached like corpus ones: a re-run of unchanged drafts embeds nothing.
        cache = VectorCache(cache_path)
        try:
            return cache.embed(embedder, texts)[0]
        finally:
            cache.close()

    catalogue = Catalogue(settings.data_dir / "catalogue.sqlite")
    try:
        chunks = catalogue.chunks()
    finally:
        catalogue.close()
    by_type: dict[str, list[str]] = {}
    for c in chunks:
        by_type.setdefault(c.doc_type, []).append(embedding_text(c))
    vectors = {t: lookup(texts) for t, texts in by_type.items()}
    return StyleReference(embedder, documents, vectors, lookup)


def run_checker_suite(evals_dir: Path) -> CheckerResult:
    """The checker's labelled set as a suite: ``evaluate_checker`` of evals/checker_eval.py."""
    script = evals_dir / "checker_eval.py"
    empty = {s.name: math.nan for s in CHECKER_METRICS}
    if not script.is_file():
        return CheckerResult(empty, error=f"{script}: not found")
    try:
        spec = importlib.util.spec_from_file_location("drafter_checker_eval", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        raw = module.evaluate_checker(evals_dir / "checker")
        metrics = {s.name: float(raw[s.name]) for s in CHECKER_METRICS}
    except DrafterError as e:
        return CheckerResult(empty, error=str(e))
    except Exception as e:  # noqa: BLE001 - another worker's script: report it as an error row, keep going
        return CheckerResult(empty, error=f"{script}: {type(e).__name__}: {e}")
    return CheckerResult(metrics, int(raw.get("planted", 0)), raw.get("sentences_passed"))


# --- provenance ---------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def prompt_hashes(prompts_dir: Path) -> dict[str, str]:
    if not prompts_dir.is_dir():
        return {}
    return {f"prompts/{p.name}": _sha256(p) for p in sorted(prompts_dir.glob("*.md"))}


def corpus_hash(corpus_dir: Path) -> str:
    """sha256 over the sorted sha256s of the corpus files (names do not matter, contents do)."""
    from drafter.sources import find_sources

    hashes = sorted(_sha256(s.path) for s in find_sources(corpus_dir))
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def git_commit(folder: Path) -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None


def _version() -> str:
    from drafter import __version__

    return __version__


# --- JSON in and out ------------------------------------------------------------------------------


def run_json(run: EvalRun) -> dict[str, Any]:
    return {
        "version": RESULTS_VERSION,
        **asdict(run.meta),
        "aggregate": asdict(run.aggregate) if run.aggregate else None,
        "checker": _clean_nan(asdict(run.checker)),
        "cases": [
            {"case": c.case_id, "type": c.doc_type, "topic": c.topic, "error": c.error,
             "drafts": [{"draft": d.draft, "metrics": asdict(d.metrics), "details": asdict(d.details)} for d in c.drafts]}
            for c in run.cases
        ],
    }


def _clean_nan(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean_nan(v) for k, v in value.items()}
    return value


def write_results(run: EvalRun, results_dir: Path) -> Path:
    """evals/results/<timestamp>.json; never overwrites an earlier run."""
    from drafter.atomic import write_text_atomic

    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.fromisoformat(run.meta.created).strftime("%Y%m%dT%H%M%SZ")
    path = results_dir / f"{stamp}.json"
    n = 1
    while path.exists():
        n += 1
        path = results_dir / f"{stamp}-{n}.json"
    write_text_atomic(path, json.dumps(run_json(run), ensure_ascii=False, indent=2) + "\n")
    return path


# --- baseline -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    path: Path
    embedder: str
    tolerances: dict[str, float]  # metric name (checker ones prefixed "checker.") → slack
    drafts: dict[str, DraftMetrics]  # "case/draft" → metrics
    checker: dict[str, float]


def default_tolerances() -> dict[str, float]:
    return {**{s.name: s.tolerance for s in METRICS}, **{f"checker.{s.name}": s.tolerance for s in CHECKER_METRICS}}


def load_baseline(path: Path) -> Baseline:
    if not path.is_file():
        raise BaselineError(f"{path}: no such baseline file (write one with --update-baseline)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise BaselineError(f"{path}: not valid JSON ({e})") from e
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise BaselineError(f"{path}: expected a results file with 'cases' (written by --update-baseline)")
    tolerances = default_tolerances()
    known = set(tolerances)
    for key, value in (data.get("tolerances") or {}).items():
        if key not in known:
            raise BaselineError(f"{path}: 'tolerances.{key}' is not a metric (known: {', '.join(sorted(known))})")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise BaselineError(f"{path}: 'tolerances.{key}' must be a number >= 0, got {value!r}")
        tolerances[key] = float(value)
    names = {f.name for f in fields(DraftMetrics)}
    drafts: dict[str, DraftMetrics] = {}
    for case in data["cases"]:
        for d in case.get("drafts") or []:
            metrics = d.get("metrics") or {}
            missing = names - set(metrics)
            if missing:
                raise BaselineError(f"{path}: {case.get('case')}/{d.get('draft')} lacks {', '.join(sorted(missing))}")
            drafts[f"{case['case']}/{d['draft']}"] = DraftMetrics(**{n: metrics[n] for n in names})
    checker = {k: v for k, v in ((data.get("checker") or {}).get("metrics") or {}).items() if v is not None}
    return Baseline(path, str(data.get("embedder", "")), tolerances, drafts, checker)


def write_baseline(run: EvalRun, path: Path, tolerances: dict[str, float] | None = None) -> None:
    """The run as the new baseline, keeping the tolerances the old one had."""
    from drafter.atomic import write_text_atomic

    payload = {"tolerances": tolerances or default_tolerances(), **run_json(run)}
    write_text_atomic(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n", force=True)


@dataclass(frozen=True)
class Delta:
    scope: str  # "case/draft", "aggregate" or "checker"
    metric: str
    baseline: float | None
    current: float | None
    tolerance: float
    higher_is_better: bool

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline

    @property
    def worse_by(self) -> float:
        """How much worse than the baseline (0 when equal or better, or not comparable)."""
        change = self.change
        if change is None:
            return 0.0
        return max(0.0, -change if self.higher_is_better else change)

    @property
    def better(self) -> bool:
        change = self.change
        return change is not None and (change > 1e-9 if self.higher_is_better else change < -1e-9)

    @property
    def regression(self) -> bool:
        return self.worse_by > self.tolerance + 1e-9


@dataclass(frozen=True)
class Comparison:
    baseline: Path
    deltas: tuple[Delta, ...]
    notes: tuple[str, ...] = ()

    @property
    def regressions(self) -> tuple[Delta, ...]:
        return tuple(d for d in self.deltas if d.regression)

    def delta(self, scope: str, metric: str) -> Delta | None:
        return next((d for d in self.deltas if d.scope == scope and d.metric == metric), None)


def compare(run: EvalRun, baseline: Baseline) -> Comparison:
    """Per draft, the aggregate over the drafts both have, and the checker suite."""
    notes: list[str] = []
    specs = list(METRICS)
    if baseline.embedder and baseline.embedder != run.meta.embedder:
        specs = [s for s in specs if s.name != STYLE_METRIC]
        notes.append(f"style not compared: the baseline used the embedder {baseline.embedder}, this run {run.meta.embedder}")
    current = {d.key: d.metrics for d in run.drafts}
    common = sorted(set(current) & set(baseline.drafts))
    for key in sorted(set(baseline.drafts) - set(current)):
        notes.append(f"{key}: in the baseline, not scored now")
    for key in sorted(set(current) - set(baseline.drafts)):
        notes.append(f"{key}: new, not in the baseline")
    deltas: list[Delta] = []
    for key in common:
        for s in specs:
            deltas.append(Delta(key, s.name, baseline.drafts[key].value(s.name), current[key].value(s.name),
                                baseline.tolerances[s.name], s.higher_is_better))
    base_agg, cur_agg = aggregate([baseline.drafts[k] for k in common]), aggregate([current[k] for k in common])
    if base_agg and cur_agg:
        for s in specs:
            deltas.append(Delta("aggregate", s.name, base_agg.value(s.name), cur_agg.value(s.name),
                                baseline.tolerances[s.name], s.higher_is_better))
    if run.checker.error is None:
        for s in CHECKER_METRICS:
            if s.name in baseline.checker:
                deltas.append(Delta("checker", s.name, baseline.checker[s.name], run.checker.metrics[s.name],
                                    baseline.tolerances[f"checker.{s.name}"], s.higher_is_better))
    return Comparison(baseline.path, tuple(deltas), tuple(notes))


def with_tolerances(baseline_path: Path) -> dict[str, float]:
    """The tolerances of an existing baseline (to keep them on --update-baseline), else defaults."""
    try:
        return load_baseline(baseline_path).tolerances
    except BaselineError:
        return default_tolerances()


__all__ = [
    "METRICS", "CHECKER_METRICS", "DEFAULT_FORBIDDEN_PHRASES", "Case", "CaseError", "BaselineError",
    "DraftMetrics", "DraftResult", "EvalRun", "Comparison", "Delta", "load_cases",
    "load_case", "run_eval", "score_draft", "write_results", "load_baseline", "write_baseline", "compare",
    "repetition", "forbidden_hits", "length_fit", "structure_match", "required_sections", "number_score",
    "fact_coverage", "style_closeness", "draft_shape",
]
