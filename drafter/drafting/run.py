"""A whole draft run, without asking anyone (`drafter draft --yes`), resumable.

1. Outline: the given outline file, or one assembled from the corpus and the facts.
2. Plan: every section's reference passages are retrieved up front, before the model starts
   (the embedder would crawl beside a local model on the same cores), and saved with the run.
3. Sections: drafted with bounded concurrency, each saved the moment it is done; the draft file
   (-o) is rewritten after each one, the sections still to come marked in it.
4. The draft is assembled in outline order, written whole, and checked again as a file, so the
   report agrees with `drafter check` on what was written.
A run stopped by Ctrl-C or a dead endpoint keeps every finished section; `--resume` redoes the rest.
Whatever stops it, a run ends in a state `drafter runs` shows: finished, interrupted, or
failed: <reason> (a configuration error or an endpoint that never answered included). Waits the
writer would otherwise sit through in silence — starting the local model, a section's first token,
a repair call — are reported as ``waiting`` blocks, shown with their elapsed seconds.
"""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from drafter.config import Settings
from drafter.drafting.context import SectionPlan, gather_passages, leaf_sections, section_query
from drafter.drafting.copying import earlier_reports
from drafter.drafting.rundir import SETTLED, WRITTEN, Run, SectionState, failure_status, file_sha256
from drafter.drafting.section import (
    REWRITE,
    SectionDraft,
    SectionInterrupted,
    SectionJob,
    limits_for,
    write_section,
)
from drafter.errors import DrafterError, ExitStatus, LLMError, OutlineError, OutputFileError
from drafter.facts.load import load_facts
from drafter.fileio import check_target, dumps, read_user_text, write_atomic
from drafter.index.catalogue import Catalogue
from drafter.index.embed import make_embedder
from drafter.index.retrieve import indexed_documents, open_retriever
from drafter.llm.calls_log import CallsLog
from drafter.llm.client import ChatModel, ChatRequest, ChatStream, model_for, open_llm
from drafter.numbers.check import check_against_corpus, period_year
from drafter.outline.markdown import parse_outline
from drafter.outline.skeleton import build_outline
from drafter.progress import DraftReporter
from drafter.records import CheckReport, Facts, Outline


@dataclass(frozen=True)
class DraftRequest:
    doc_type: str
    facts_path: Path
    output: Path
    outline_path: Path | None = None
    topic: str = ""
    title: str = ""
    speaker: str = ""
    length: int = 400  # characters a section
    force: bool = False


@dataclass(frozen=True)
class DraftOutcome:
    run: Run
    output: Path
    report: CheckReport
    sections: tuple[SectionState, ...]
    interrupted: bool = False
    failure: str = ""  # why the run stopped early (a dead endpoint), "" when it did not

    @property
    def unfinished(self) -> tuple[SectionState, ...]:
        return tuple(s for s in self.sections if s.status not in SETTLED)

    @property
    def final_status(self) -> str:
        """The run's status in `drafter runs` once this outcome is known."""
        if self.interrupted:
            return "interrupted"
        if self.failure:
            return failure_status(self.failure)
        if self.unfinished:
            states = "、".join(f"第 {s.index} 节 {s.status}" for s in self.unfinished[:3])
            more = " …" if len(self.unfinished) > 3 else ""
            return f"failed: {len(self.unfinished)} of {len(self.sections)} sections not finished ({states}{more})"
        return "finished"

    @property
    def resume_command(self) -> str:
        return f"drafter draft --resume {self.run.info.run_id}"

    def exit_status(self, strict: bool = False) -> ExitStatus:
        """Ctrl-C 130; a dead endpoint 2; unfinished sections, or numbers the facts do not support
        (and placeholders with ``strict``) 1; else 0."""
        if self.interrupted:
            return ExitStatus.INTERRUPTED
        if self.failure:
            return ExitStatus.ERROR
        if self.unfinished or self.report.has_errors or (strict and self.report.has_placeholders):
            return ExitStatus.FAILED
        return ExitStatus.OK


class RunInterrupted(DrafterError):
    """Ctrl-C outside the sections' own handling (while planning or assembling): the run is saved."""

    exit_code = ExitStatus.INTERRUPTED
    meaning = "the run was interrupted; finished sections are saved"


# --- starting a run ------------------------------------------------------------------------


def prepare_outline(settings: Settings, request: DraftRequest, reporter: DraftReporter, facts: Facts) -> Outline:
    """The outline a new run would draft, checked against the facts: for the writer to review
    (and edit) before `start_run` retrieves anything."""
    check_target(request.output, request.force, OutputFileError)
    outline = _outline(settings, request, facts, reporter)
    check_outline_facts(outline, facts, request)
    return outline


def start_run(settings: Settings, request: DraftRequest, reporter: DraftReporter, facts: Facts | None = None,
              outline: Outline | None = None, mode: str = "batch") -> Run:
    """Plan and create the run dir. ``facts``: the request's facts when the caller has read them
    already (else read here); ``outline``: one the writer already reviewed (else built here)."""
    check_target(request.output, request.force, OutputFileError)
    facts = facts if facts is not None else load_facts(request.facts_path)
    if not any(f.quantity is not None or f.value.strip() for f in facts.facts):
        reporter.note(f"{request.facts_path} holds no figures: every number will be written as 【待补】")
    outline = outline or _outline(settings, request, facts, reporter)
    check_outline_facts(outline, facts, request)
    current_year = period_year(facts)
    plan = _plan(settings, outline, request.doc_type, request.topic, current_year, reporter)
    run = Run.create(
        settings.data_dir / "runs",
        {
            "doc_type": request.doc_type,
            "title": request.title or outline.title,
            "topic": request.topic,
            "facts_path": str(request.facts_path.resolve()),
            "facts_sha256": file_sha256(request.facts_path),
            "corpus_generation": _corpus_generation(settings),
            "output": str(request.output.resolve()),
            "model": model_for(settings.llm, "draft") or "local",
            "settings": {"speaker": request.speaker, "length": request.length, "period": facts.period,
                         "repair_rounds": settings.llm.repair_rounds, "force": request.force,
                         "draft_prompt": settings.llm.draft_prompt},
            "mode": mode,
        },
    )
    run.save_outline(outline)
    run.save_plan([{"index": p.index, "path": list(p.path), "fact_names": list(p.fact_names),
                    "passages": list(p.passages)} for p in plan])
    for p in plan:
        run.save_section(SectionState(index=p.index, heading=p.heading))
    return run


def _outline(settings: Settings, request: DraftRequest, facts: Facts, reporter: DraftReporter) -> Outline:
    if request.outline_path is not None:
        text = read_user_text(request.outline_path, "outline", OutlineError)
        outline = parse_outline(text, where=str(request.outline_path))
        return replace(outline, doc_type=outline.doc_type or request.doc_type)
    documents = indexed_documents(settings, reporter=reporter)
    if not documents:
        reporter.note("the corpus index is empty: built-in skeleton, no reference passages (run `drafter ingest`)")
    return build_outline(request.doc_type, documents, facts, title=request.title, embedder=make_embedder(settings.embed))


def check_outline_facts(outline: Outline, facts: Facts, request: DraftRequest) -> None:
    known = {f.name for f in facts.facts}
    named = [n for _, s in outline.walk() for n in s.facts]
    unknown = [n for n in named if n not in known]
    if unknown:
        where = request.outline_path or "the outline"
        raise OutlineError(f"{where} names fact(s) not in {request.facts_path}: {'、'.join(unknown)}")


def _plan(
    settings: Settings, outline: Outline, doc_type: str, topic: str, current_year: int | None, reporter: DraftReporter
) -> list[SectionPlan]:
    leaves = leaf_sections(outline)
    passages: dict[int, tuple[dict, ...]] = {}
    if (settings.data_dir / "catalogue.sqlite").is_file():
        reporter.note(f"retrieving reference passages for {len(leaves)} sections")
        label = "retrieving reference passages"
        with open_retriever(settings, reporter=reporter) as retriever, reporter.waiting(label) as waiting:
            for i, (path, names) in enumerate(leaves, start=1):
                waiting.update(f"{label} {i}/{len(leaves)}")
                passages[i] = gather_passages(retriever, doc_type, section_query(path, names, topic), current_year)
    return [
        SectionPlan(index=i, path=path, fact_names=tuple(names), passages=passages.get(i, ()))
        for i, (path, names) in enumerate(leaves, start=1)
    ]


def _corpus_generation(settings: Settings) -> str:
    path = settings.data_dir / "catalogue.sqlite"
    if not path.is_file():
        return ""
    catalogue = Catalogue(path)
    try:
        return catalogue.generation()
    finally:
        catalogue.close()


# --- drafting the sections -----------------------------------------------------------------


@dataclass(frozen=True)
class RunContext:
    """What every section of a run is drafted from, as the run directory holds it."""

    outline: Outline
    facts: Facts
    plans: tuple[SectionPlan, ...]
    facts_changed: bool  # the facts file is not the one the run started with
    references: tuple[tuple[str, str], ...] = ()  # same-type reports of earlier years, for the copy guard


def load_context(run: Run, reporter: DraftReporter, facts: Facts | None = None) -> RunContext:
    """The run's outline, plans and facts. ``facts``: already read by the caller that started the
    run (so a new run reads its facts file once); otherwise read again from the run's facts path."""
    facts_path = Path(run.info.facts_path)
    changed = file_sha256(facts_path) != run.info.facts_sha256
    if facts is None or changed:
        facts = load_facts(facts_path)  # a facts file that is gone is a clear FactsError
    if changed:
        reporter.note(f"{facts_path} changed since this run started: finished sections are checked again against it")
    plans = tuple(SectionPlan(index=p["index"], path=tuple(p["path"]), fact_names=tuple(p["fact_names"]),
                              passages=tuple(p["passages"])) for p in run.load_plan())
    references = earlier_reports(run.data_dir, run.info.doc_type, period_year(facts))
    return RunContext(outline=run.load_outline(), facts=facts, plans=plans, facts_changed=changed,
                      references=references)


def section_job(run: Run, ctx: RunContext, states: dict[int, SectionState], plan: SectionPlan,
                instruction: str = "") -> SectionJob:
    info = run.info.settings
    earlier = _earlier_openings(list(ctx.plans), states, before=plan.index)
    return SectionJob(
        plan=plan, outline=ctx.outline, facts=ctx.facts, doc_type=run.info.doc_type, title=run.info.title,
        speaker=info.get("speaker", ""), period=info.get("period", ""), length=int(info.get("length", 400)),
        written_summary="\n".join(f"- {heading}：{first}……" for heading, first in earlier) or "（无）",
        earlier_openings=tuple(first for _, first in earlier), instruction=instruction,
        prompt_name=info.get("draft_prompt", "section_chat"), references=ctx.references,
    )


def record_draft(run: Run, draft: SectionDraft, attempt: int, instruction: str = "") -> SectionState:
    """Save a drafted section: its file, a version of it, its check. Returns the state saved."""
    state = SectionState(draft.index, draft.heading, draft.status, draft.text, attempt, draft.note, instruction,
                         draft.guard.to_json())
    run.save_section(state)
    run.save_version(state)
    run.save_findings(draft.index, draft.report.to_json())
    return state


def draft_batch(settings: Settings, reporter: DraftReporter, request: DraftRequest | None = None,
                resume: str | None = None, jobs: int | None = None) -> DraftOutcome:
    """`drafter draft --yes`: a new run for ``request``, or the run ``resume`` names ("latest" for
    the newest), drafted to the end without asking. Whatever stops it, the run ends in a state
    `drafter runs` shows: finished, interrupted or failed with the reason."""
    facts = None
    if request is not None:
        facts = load_facts(request.facts_path)
        run = start_run(settings, request, reporter, facts)
    else:
        run = Run.load(settings.data_dir / "runs", None if resume in (None, "latest") else resume)
    reporter.note(f"run {run.info.run_id} in {run.folder}")
    try:
        return run_sections(settings, run, reporter, jobs, facts)
    except KeyboardInterrupt:
        raise RunInterrupted(f"finished sections are saved; continue with `drafter draft --resume {run.info.run_id}`") from None


def run_sections(settings: Settings, run: Run, reporter: DraftReporter, jobs: int | None = None,
                 facts: Facts | None = None) -> DraftOutcome:
    """Draft the run's unfinished sections, assemble the draft, and leave the run in its final state
    (also when an exception or Ctrl-C ends it here: failed: <why>, or interrupted)."""
    run.set_status("running")
    try:
        ctx = load_context(run, reporter, facts)
        outline, facts, plans = ctx.outline, ctx.facts, list(ctx.plans)
        states = {p.index: run.load_section(p.index, p.heading) for p in plans}
        todo = [p for p in plans if states[p.index].status not in SETTLED]
        interrupted, failure = False, ""
        if todo:
            with ExitStack() as stack:
                starting = reporter.waiting("starting the local model") if not settings.llm.base_url else nullcontext()
                with starting:
                    session = stack.enter_context(open_llm(settings, calls_log=CallsLog(run.calls_path)))
                jobs = jobs or (1 if session.local else 4)
                budget = limits_for(settings.llm, session.local)
                model, repair = session.model("draft"), session.model("repair")
                interrupted, failure = _draft_all(
                    settings, run, ctx, todo, states, model, repair, budget, jobs, reporter
                )
        outcome = assemble_run(run, outline, facts, plans, interrupted, failure)
    except KeyboardInterrupt:
        run.set_status("interrupted")
        raise
    except BaseException as e:
        run.set_status(failure_status(e))
        raise
    run.set_status(outcome.final_status)
    return outcome


def _draft_all(settings, run, ctx, todo, states, model, repair, budget, jobs, reporter):
    total = len(ctx.plans)
    cancel = threading.Event()
    lock = threading.Lock()

    def job_for(plan: SectionPlan) -> SectionJob:
        with lock:
            return section_job(run, ctx, states, plan)

    def one(plan: SectionPlan) -> None:
        if cancel.is_set():
            return
        reporter.section_started(plan, total, model.name)
        where = f"第 {plan.index}/{total} 节"
        try:
            draft = write_section(
                job_for(plan), Watched(model, reporter, f"{where} · waiting for the first token", first_token=True),
                Watched(repair, reporter, f"{where} · repairing"), settings.llm.repair_rounds_for(local=budget is not None), budget,
                on_delta=lambda d: reporter.delta(plan, d), cancel=cancel,
            )
        except SectionInterrupted as e:
            draft = e.draft
        except LLMError as e:
            _save(run, states, lock, SectionState(plan.index, plan.heading, "failed", "", 1, str(e)))
            cancel.set()  # a dead endpoint: stop starting sections; finished ones are saved
            raise
        with lock:  # findings.json is read, changed and rewritten: one section at a time
            states[plan.index] = record_draft(run, draft, states[plan.index].attempt + 1)
            write_draft_file(run, ctx, states)  # a run that stops later still leaves a draft to open
        reporter.section_finished(draft, total)

    interrupted, failure = False, ""
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="section")
    futures = [pool.submit(one, p) for p in todo]
    try:
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        for f in done:
            if f.exception() is not None and isinstance(f.exception(), LLMError):
                failure = str(f.exception())
        wait(futures)
    except KeyboardInterrupt:
        interrupted = True
        cancel.set()  # streaming sections stop at their next token and keep their text
        wait(futures)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for f in futures:
        if f.done() and not f.cancelled() and f.exception() and not isinstance(f.exception(), LLMError):
            raise f.exception()
    return interrupted, failure


class Watched:
    """A model whose calls the reporter hears about as waits: a draft until its first token
    (``first_token``), a repair — which nobody sees stream — until its answer is complete."""

    def __init__(self, model: ChatModel, reporter: DraftReporter, label: str, first_token: bool = False) -> None:
        self._model = model
        self._reporter = reporter
        self._label = label
        self._first_token = first_token

    @property
    def name(self) -> str:
        return self._model.name

    def stream(self, request: ChatRequest) -> ChatStream:
        return ChatStream(self._deltas(self._model.stream(request)))

    def _deltas(self, inner: ChatStream):
        try:
            with ExitStack() as waiting:
                waiting.enter_context(self._reporter.waiting(self._label))
                for delta in inner:
                    if self._first_token:
                        waiting.close()  # the text shows from here on
                    yield delta
            return inner.completion
        finally:
            if not inner.done:
                inner.close()  # stopped early: the HTTP response is closed and the call logged


def write_draft_file(run: Run, ctx: "RunContext", states: dict[int, SectionState]) -> None:
    """The draft as it stands, written whole (temp file + rename): finished sections, the others marked."""
    text = assemble_markdown(ctx.outline, run.info.title, {p.path: states[p.index] for p in ctx.plans})
    write_atomic(text.encode("utf-8"), Path(run.info.output), force=True, error=OutputFileError)


def _save(run: Run, states: dict[int, SectionState], lock: threading.Lock, state: SectionState) -> None:
    with lock:
        states[state.index] = state
        run.save_section(state)


def _earlier_openings(plans: list[SectionPlan], states: dict[int, SectionState], before: int) -> list[tuple[str, str]]:
    """(heading, first sentence) of each finished earlier section: the prompt's summary of what is
    written, and what the guard will not let the section open with again."""
    openings = []
    for p in plans:
        state = states[p.index]
        if p.index < before and state.status in WRITTEN and state.text:
            openings.append((p.heading, state.text.split("。")[0][:60]))
    return openings


# --- assembling ------------------------------------------------------------------------------


def assemble_markdown(outline: Outline, title: str, sections: dict[tuple[str, ...], SectionState]) -> str:
    """Title, headings in outline order (## for level 1 …), section texts; 〔开头〕-style parts are
    paragraphs without a heading line. Unfinished sections say so in the text."""
    lines = [f"# {title}", ""]
    for path, section in outline.walk():
        if not section.unnumbered:
            lines += ["#" * (len(path) + 1) + " " + section.heading, ""]
        if section.children:
            continue
        state = sections.get(path)
        if state is not None and state.status == "skipped":  # the writer chose to write it later
            lines += ["〔TODO：本节已跳过，待补写〕", ""]
            continue
        if state is not None and state.status == "failed" and state.note.startswith(REWRITE):
            lines += [REWRITE, ""]  # the model gave no section text: the guard kept its answer out
            continue
        if state is None or state.status in ("pending", "failed"):
            lines += ["〔本节尚未起草〕", ""]
            continue
        lines += [state.text.strip() or "〔本节为空〕", ""]
        if state.status == "incomplete":  # the partial text stays, and says it is partial
            lines += ["〔本节未写完〕", ""]
    return "\n".join(lines).rstrip() + "\n"


def assemble_run(run: Run, outline: Outline, facts: Facts, plans, interrupted: bool = False,
                 failure: str = "") -> DraftOutcome:
    """Write the draft (-o) and its check (.check.json) from the run's sections, in outline order."""
    states = {p.index: run.load_section(p.index, p.heading) for p in plans}
    text = assemble_markdown(outline, run.info.title, {p.path: states[p.index] for p in plans})
    output = Path(run.info.output)
    write_atomic(text.encode("utf-8"), output, force=True, error=OutputFileError)
    # Checked as `drafter check` checks it, so the .check.json agrees with it finding for finding.
    report = check_against_corpus(text, facts, run.data_dir)
    check_path = output.with_name(output.stem + ".check.json")
    write_atomic(dumps(report.to_json()).encode("utf-8"), check_path, force=True, error=OutputFileError)
    return DraftOutcome(run=run, output=output, report=report, sections=tuple(states[p.index] for p in plans),
                        interrupted=interrupted, failure=failure)
