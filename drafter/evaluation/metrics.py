"""Eval metrics: what is measured on a draft, which way is better, and how much slack a baseline allows.

Pure functions of text and records (no I/O): repetition, forbidden phrases and English, length,
structure against the type skeleton, required sections, number grounding, fact coverage,
forbidden numbers, style closeness; ``draft_shape`` reads a draft as the corpus reader does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from drafter.corpus.document import parse_document
from drafter.fileio import Unreadable
from drafter.numbers.extract import parse_quantity
from drafter.numbers.match import quantity_matches
from drafter.numbers.spans import sentences
from drafter.outline.skeleton import SIMILAR, document_tree, similarity
from drafter.records import CheckReport, Document, Facts, Mention

if TYPE_CHECKING:
    import numpy as np


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
    # What the output and copy guards see (metrics a baseline written before them lacks: not compared).
    MetricSpec("guard_removed", "guard", False, 0, is_count=True),
    MetricSpec("loops", "loops", False, 0, is_count=True),
    MetricSpec("copy_ratio", "copied", False, 0.02),
    MetricSpec("facts_used", "used", True, 0.0),
    MetricSpec("number_errors", "errors", False, 0, is_count=True),
)
GUARD_METRICS = ("guard_removed", "loops", "copy_ratio", "facts_used", "number_errors")
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
    guard_removed: int | None = None  # what the output guard removed (generated: over the run's calls; stored: would remove)
    loops: int | None = None  # sentences said again within a section (same skeleton, a word changed)
    copy_ratio: float | None = None  # share of characters in runs of 15+ copied verbatim from the corpus (numbers masked)
    facts_used: float | None = None  # share of the facts assigned to sections that their section used (generated drafts)
    number_errors: int | None = None  # findings of severity error, whatever their status (ungrounded, misattributed …)

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
    removed: str = ""  # the guard's removals by kind: 提示词回显 2 处、标题 1 行
    copied_from: tuple[str, ...] = ()  # 与《…》雷同 38%
    unused_facts: tuple[str, ...] = ()
    statuses: dict[str, int] = field(default_factory=dict)  # findings by status


# --- pure metric functions --------------------------------------------------------------------

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


def visible_chars(text: str) -> str:
    return _WS.sub("", text)


def sentences_of(text: str) -> list[str]:
    """Sentences without whitespace, at Chinese sentence ends and line breaks."""
    return [s for s in (visible_chars(p) for p in sentences(text)) if s]


@dataclass(frozen=True)
class Repetition:
    share: float  # repeated characters / all characters
    repeated_sentences: int  # sentences that repeat an earlier one


def repetition(sections: Sequence[str]) -> Repetition:
    """Characters that repeat earlier material: a whole sentence seen before (anywhere), or an
    8+-character phrase that stands in an earlier section. The first occurrence is never counted,
    so a sentence of n characters said twice adds n, not 2n."""
    texts = [visible_chars(s) for s in sections]
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
    data = [f for f in report.findings if f.mention.kind == "data"
            and f.status in ("grounded", "derived", "ungrounded", "misattributed")]
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
        ungrounded=tuple(f.mention.text for f in data if f.status in ("ungrounded", "misattributed")),
        placeholders=sum(f.status == "placeholder" for f in report.findings),
        stale=tuple(stale),
    )


def fact_coverage(report: CheckReport, facts: Facts, required: Sequence[str] | None) -> tuple[float | None, tuple[str, ...]]:
    """(share of required facts — all facts with a number when None — whose value a grounded
    number of the draft states, the names of those it does not)."""
    wanted = [f for f in facts.facts if f.quantity is not None and (required is None or f.name in required)]
    if not wanted:
        return None, ()
    grounded = [f.mention for f in report.findings if f.status == "grounded" and f.mention.kind == "data"]
    missing = tuple(f.name for f in wanted if not any(quantity_matches(m, f.quantity) for m in grounded))
    return 1 - len(missing) / len(wanted), missing


def forbidden_number_hits(mentions: Sequence[Mention], forbidden: Sequence[str]) -> tuple[str, ...]:
    """Mentions that state one of the numbers that must not appear (rounded forms included)."""
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



def aggregate(drafts: Sequence[DraftMetrics]) -> DraftMetrics | None:
    """Rates averaged over the drafts that have them; counts summed."""
    if not drafts:
        return None
    values: dict[str, Any] = {}
    for spec in METRICS:
        got = [d.value(spec.name) for d in drafts if d.value(spec.name) is not None]
        if spec.is_count and spec.name in GUARD_METRICS and not got:
            values[spec.name] = None
        elif spec.is_count:
            values[spec.name] = int(sum(got))
        else:
            values[spec.name] = sum(got) / len(got) if got else None
    return DraftMetrics(**values)



def guard_residue(sections: Sequence[Section]) -> tuple[int, int, str]:
    """(removals, loop sentences, summary) the output guard makes on a draft's section bodies, each
    judged against its own heading: Markdown, preambles, labels, headings of its own, loops."""
    from drafter.drafting.guard import GuardContext, guard_answer, summary

    removals = []
    for section in sections:
        if visible_chars(section.body):
            removals += guard_answer(section.body, GuardContext(own_path=(section.heading,) if section.heading else ())).removals
    return len(removals), sum(r.kind == "loop" for r in removals), summary(removals)
