"""``drafter eval``: regression evals on sample drafts, scored without an LLM.

Every draft of every case (``cases.py``) gets the same deterministic metrics (``metrics.py``);
the checker's labelled set is scored as one more suite (``checker_suite.py``). A run is written as
JSON under ``evals/results/``; ``baseline.py`` compares it with a baseline. With ``generate``, each
case is first drafted by the configured model, as ``drafter draft --yes`` would.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import subprocess
from collections import Counter
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from drafter import __version__
from drafter.config import Settings
from drafter.corpus.chunking import embedding_text
from drafter.corpus.sources import find_sources
from drafter.drafting.copying import copied_runs, report_label
from drafter.drafting.run import DraftRequest, run_sections, start_run
from drafter.errors import DrafterError
from drafter.evaluation.cases import BrokenCase, Case, CaseError, load_cases
from drafter.evaluation.checker_suite import evaluate_checker
from drafter.evaluation.metrics import (
    CHECKER_METRICS,
    DEFAULT_FORBIDDEN_PHRASES,
    DraftDetails,
    DraftMetrics,
    aggregate,
    draft_shape,
    fact_coverage,
    forbidden_hits,
    forbidden_number_hits,
    guard_residue,
    length_fit,
    number_score,
    repetition,
    required_sections,
    structure_match,
    style_closeness,
    visible_chars,
)
from drafter.fileio import dumps, read_user_text, write_text_atomic
from drafter.index.catalogue import Catalogue
from drafter.index.embed import Embedder, VectorCache, make_embedder
from drafter.index.ingest import ingest_corpus
from drafter.index.retrieve import indexed_documents
from drafter.llm.client import model_for
from drafter.numbers.check import check_text
from drafter.outline.skeleton import learn_skeleton
from drafter.progress import NullReporter, Reporter
from drafter.records import Document

if TYPE_CHECKING:
    import numpy as np

RESULTS_VERSION = 1
STORED = "stored drafts"


# --- scoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StyleReference:
    """What drafts are scored against: each type's skeleton headings and corpus passage vectors."""

    embedder: Embedder
    documents: tuple[Document, ...]
    vectors_by_type: dict[str, np.ndarray]
    vector_lookup: Callable[[Sequence[str]], np.ndarray]  # texts → vectors, cached

    def skeleton(self, doc_type: str) -> tuple[str, ...]:
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


def score_draft(text: str, case: Case, ref: StyleReference, draft_name: str = "",
                guard_record: dict | None = None) -> DraftResult:
    """``guard_record``: what the guards did while the draft was generated (``GENERATED_GUARD``
    beside it); a stored draft is scored by what the guard would still remove from it."""
    shape = draft_shape(text)
    report = check_text(shape.text, case.facts)
    removed, loops, removed_summary = guard_residue(shape.sections)
    if guard_record is not None:
        removed, loops = guard_record["removed"], guard_record["loops"]
        removed_summary = guard_record["summary"]
    copy = copied_runs(shape.text, [(report_label(d.title, d.year), d.text) for d in ref.documents])
    assigned = (guard_record or {}).get("assigned", 0)
    unused = tuple((guard_record or {}).get("unused", ()))
    statuses = dict(Counter(f.status for f in report.findings))
    numbers = number_score(report, case.facts)
    coverage, missing_facts = fact_coverage(report, case.facts, case.expect.facts)
    bad_numbers = forbidden_number_hits([f.mention for f in report.findings], case.expect.forbidden_numbers)
    sections, missing_sections = required_sections(shape.headings, case.expect.sections)
    structure, unmatched = structure_match(shape.top_headings, ref.skeleton(case.doc_type))
    chars = len(visible_chars(shape.text))
    in_range, fit = length_fit(chars, case.expect.length)
    bodies = [s.body for s in shape.sections]
    rep = repetition(bodies)
    phrases = forbidden_hits(shape.text, DEFAULT_FORBIDDEN_PHRASES + case.expect.forbidden_phrases)
    style = None
    corpus = ref.vectors_by_type.get(case.doc_type)
    if corpus is not None and shape.sections:
        texts = [(s.heading + "\n" + s.body).strip() for s in shape.sections if visible_chars(s.body)]
        if texts:
            style = style_closeness(ref.vector_lookup(texts), corpus)
    metrics = DraftMetrics(
        grounding=numbers.grounding, ungrounded=len(numbers.ungrounded), placeholders=numbers.placeholders,
        stale=len(numbers.stale), forbidden_numbers=len(bad_numbers), fact_coverage=coverage,
        sections=sections, structure=structure, length_fit=fit, repetition=rep.share, style=style,
        forbidden=len(phrases), guard_removed=removed, loops=loops, copy_ratio=copy.share,
        facts_used=(1 - len(unused) / assigned) if assigned else None,
        number_errors=sum(f.severity == "error" for f in report.findings),
    )
    details = DraftDetails(
        numbers=numbers.numbers, chars=chars, length_range=case.expect.length, length_in_range=in_range,
        repeated_sentences=rep.repeated_sentences, ungrounded_numbers=numbers.ungrounded,
        stale_numbers=numbers.stale, forbidden_number_hits=bad_numbers, missing_facts=missing_facts,
        missing_sections=missing_sections, unmatched_outline=unmatched, forbidden_hits=phrases,
        removed=removed_summary, copied_from=tuple(f"与{s}雷同 {v:.0%}" for s, v in copy.by_source[:3]),
        unused_facts=unused, statuses=statuses,
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

    @property
    def broken_names(self) -> tuple[str, ...]:
        """What could not be scored: broken cases, and the checker suite when it failed."""
        return tuple(c.case_id for c in self.broken) + (("checker suite",) if self.checker.error else ())

    @property
    def broken_causes(self) -> tuple[str, ...]:
        """Each broken thing with why, for the one error line."""
        return (tuple(f"{c.case_id}: {c.error}" for c in self.broken)
                + ((f"checker suite: {self.checker.error}",) if self.checker.error else ()))

    def to_json(self) -> dict[str, Any]:
        return {
            "version": RESULTS_VERSION,
            **asdict(self.meta),
            "aggregate": asdict(self.aggregate) if self.aggregate else None,
            "checker": _clean_nan(asdict(self.checker)),
            "cases": [
                {"case": c.case_id, "type": c.doc_type, "topic": c.topic, "error": c.error,
                 "drafts": [{"draft": d.draft, "metrics": asdict(d.metrics), "details": asdict(d.details)}
                            for d in c.drafts]}
                for c in self.cases
            ],
        }


class _CaseNotes(NullReporter):
    """A quiet drafting reporter for --generate: the eval's notes, one per finished section."""

    def __init__(self, reporter: Reporter, case_id: str) -> None:
        self._reporter, self._case = reporter, case_id

    def note(self, message: str) -> None:
        self._reporter.note(f"{self._case}: {message}")

    def section_finished(self, draft, total: int) -> None:
        self.note(f"第 {draft.index}/{total} 节 {draft.status} ({draft.seconds:.0f} s)")


def generate_drafts(settings: Settings, cases: Sequence[Case], out_dir: Path,
                    reporter: Reporter) -> tuple[list[Case], list[BrokenCase]]:
    """Draft every case with the configured model, as `drafter draft --yes` would, into
    ``out_dir/<case>/draft.md``; the cases come back with that draft as the one to score. A case
    whose drafting fails (a dead endpoint, a bad facts file) is broken; the others still run."""
    drafted, broken = [], []
    for case in cases:
        output = out_dir / case.case_id / "draft.md"
        output.parent.mkdir(parents=True, exist_ok=True)
        notes = _CaseNotes(reporter, case.case_id)
        reporter.note(f"drafting {case.case_id} ({case.doc_type}) with the configured model")
        try:
            request = DraftRequest(doc_type=case.doc_type, facts_path=case.facts_path, output=output,
                                   topic=case.topic, force=True)
            outcome = run_sections(settings, start_run(settings, request, notes), notes)
        except DrafterError as e:
            broken.append(BrokenCase(case.case_id, f"--generate: {e}"))
            continue
        if outcome.failure or outcome.unfinished:
            broken.append(BrokenCase(case.case_id, f"--generate: {outcome.failure or 'sections not finished'} "
                                                   f"(run {outcome.run.folder})"))
            continue
        write_text_atomic(output.with_name(GENERATED_GUARD), dumps(run_guard_record(outcome.run)), force=True)
        drafted.append(replace(case, drafts=(output,)))
    return drafted, broken


GENERATED_GUARD = "draft.guard.json"  # beside a generated draft: what the guards did in its run


def run_guard_record(run) -> dict:
    """Over a run's sections: the guard's removals, loops, and the facts each section left unused."""
    from drafter.drafting.guard import Removal, summary

    removed: list[Removal] = []
    unused: list[str] = []
    assigned = 0
    for p in run.load_plan():
        state = run.load_section(p["index"], p["path"][-1])
        removed += [Removal(r["kind"], r["text"]) for r in state.guard.get("removed", [])]
        unused += state.guard.get("unused_facts", [])
        assigned += len(p["fact_names"])
    return {"removed": len(removed), "loops": sum(r.kind == "loop" for r in removed), "summary": summary(removed),
            "assigned": assigned, "unused": unused}


def run_eval(settings: Settings, cases_dir: Path, embedder: Embedder | None = None,
             generate: bool = False, reporter: Reporter | None = None) -> EvalRun:
    """Score every case's drafts and the checker's labelled set. Brings the index in line with
    the corpus first (incremental: unchanged files cost nothing), so skeletons and style
    passages are those of the corpus whose hash the run records."""
    reporter = reporter or NullReporter()
    cases, broken = load_cases(cases_dir)
    model = STORED
    if generate:
        cases, failed = generate_drafts(settings, cases, settings.project_dir / "evals" / "results" / "generated",
                                        reporter)
        broken += failed
        model = model_for(settings.llm, "draft") or "bundled local model"
    embedder = embedder or make_embedder(settings.embed)
    reporter.note(f"indexing {settings.corpus_path} (only new or changed files are embedded)")
    ingest_corpus(settings, embedder=embedder)
    ref = _style_reference(settings, embedder, tuple(indexed_documents(settings)))

    results = [CaseResult(b.case_id, "", "", error=b.error) for b in broken]
    for case in cases:
        reporter.note(f"scoring {case.case_id} ({len(case.drafts)} draft{'s' if len(case.drafts) != 1 else ''})")
        try:
            scored = tuple(score_draft(_read_draft(p), case, ref, p.name, _guard_record(p)) for p in case.drafts)
        except DrafterError as e:
            results.append(CaseResult(case.case_id, case.doc_type, case.topic, error=str(e)))
            continue
        results.append(CaseResult(case.case_id, case.doc_type, case.topic, scored))
    results.sort(key=lambda c: c.case_id)
    reporter.note("scoring the checker's labelled set")
    checker = run_checker_suite(cases_dir.parent / "checker")
    meta = RunMeta(
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        model=model, embedder=embedder.model_id,
        prompts=prompt_hashes(settings.project_dir / "prompts"),
        corpus_sha256=corpus_hash(settings.corpus_path), code_version=__version__,
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
    return read_user_text(path, "draft", CaseError)


def _guard_record(draft: Path) -> dict | None:
    import json

    sidecar = draft.with_name(GENERATED_GUARD)
    if draft.name != "draft.md" or not sidecar.is_file():
        return None
    try:
        return json.loads(sidecar.read_text(encoding="utf-8"))
    except ValueError:
        return None


def _style_reference(settings: Settings, embedder: Embedder, documents: tuple[Document, ...]) -> StyleReference:
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


def run_checker_suite(checker_dir: Path) -> CheckerResult:
    """The checker's labelled set (``evals/checker/`` beside the cases) as one more suite. A set
    that is missing or malformed is an error row naming the cause; the cases still count."""
    empty = {s.name: math.nan for s in CHECKER_METRICS}
    try:
        raw = evaluate_checker(checker_dir)
    except DrafterError as e:
        return CheckerResult(empty, error=str(e))
    metrics = {s.name: float(raw[s.name]) for s in CHECKER_METRICS}
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
    hashes = sorted(_sha256(s.path) for s in find_sources(corpus_dir))
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def git_commit(folder: Path) -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None


# --- JSON out ---------------------------------------------------------------------------------------


def _clean_nan(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean_nan(v) for k, v in value.items()}
    return value


def write_results(run: EvalRun, results_dir: Path) -> Path:
    """evals/results/<timestamp>.json; never overwrites an earlier run."""
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.fromisoformat(run.meta.created).strftime("%Y%m%dT%H%M%SZ")
    path = results_dir / f"{stamp}.json"
    n = 1
    while path.exists():
        n += 1
        path = results_dir / f"{stamp}-{n}.json"
    write_text_atomic(path, dumps(run.to_json()))
    return path
