"""The command line: parse, call one library function, render.

Heavy libraries (chromadb, openai, the embedder) are imported inside the commands, so that
``drafter --help`` stays fast. Artifacts go to stdout, status and progress to stderr. Exit
statuses are ``ExitStatus``; ``main`` is the one place that turns exceptions into them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from drafter.errors import DrafterError, ExitStatus
from drafter.progress import NullReporter

app = typer.Typer(
    help="Write Chinese work reports with an LLM, and prove that every number in them was supplied.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

out = Console(soft_wrap=True)  # artifacts
err = Console(stderr=True, soft_wrap=True)  # status, progress, warnings (whole lines in logs)


def _settings(chroma_url: str | None = None, corpus: Path | None = None):
    from drafter.config import load_settings

    settings = load_settings(overrides={"index.chroma_url": chroma_url, "corpus_dir": corpus})
    for warning in settings.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    return settings


def _print_json(payload: object) -> None:
    from drafter.fileio import dumps

    sys.stdout.write(dumps(payload))


def _exit(status: ExitStatus) -> None:
    if status != ExitStatus.OK:
        raise typer.Exit(int(status))


class _Notes(NullReporter):
    """A progress reporter that prints notes dim on stderr, for commands without a progress bar."""

    def note(self, message: str) -> None:
        err.print(f"[dim]{escape(message)}[/]", highlight=False)


class _IndexNotes(NullReporter):
    """For readers of the index: a note (an ingest running or interrupted) is worth a yellow line."""

    def note(self, message: str) -> None:
        err.print(f"[yellow]note:[/] {escape(message)}", highlight=False, soft_wrap=True)


JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON to stdout.")]
ForceFlag = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]
ChromaUrl = Annotated[
    Optional[str],
    typer.Option("--chroma-url", help="Use a Chroma server (http://host:port) instead of the embedded index."),
]


# --- the tour ----------------------------------------------------------------------------------


@app.command()
def demo(
    length: Annotated[int, typer.Option("--length", help="Characters a drafted section, roughly.")] = 200,
) -> None:
    """The whole job offline on the sample corpus: ingest, outline, draft three sections, check every number.

    Drafts with the configured model, the bundled local one by default, and ends with its speed."""
    from drafter.ui.demo import run_demo

    run_demo(_settings(), err, length)


# --- corpus and retrieval ----------------------------------------------------------------------


@app.command()
def ingest(
    path: Annotated[Optional[Path], typer.Argument(help="Corpus folder (default: ./corpus).")] = None,
    prune: Annotated[bool, typer.Option("--prune", help="Allow removing more than half of the indexed documents (their files are gone).")] = False,
    chroma_url: ChromaUrl = None,
    as_json: JsonFlag = False,
) -> None:
    """Index the corpus for style and fact retrieval (only new or changed files are embedded).

    Search keeps answering from the last complete index until this run is whole; a run that is
    killed leaves that index in place, and the next run finishes the job."""
    from drafter.index.ingest import ingest_corpus
    from drafter.ui.corpus_view import IngestProgress, render_ingest_report, render_skipped

    settings = _settings(chroma_url, path)
    with IngestProgress(err, enabled=not as_json) as progress:
        report = ingest_corpus(settings, progress=progress, prune=prune, confirm_removal=_ask_removal(progress))
    render_skipped(err, report)
    if as_json:
        _print_json(report.to_json())
    else:
        render_ingest_report(err, report)


def _ask_removal(progress):
    """On a terminal, removing more than half of the index is asked; elsewhere it needs --prune."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def ask(removed: list[str], indexed: int) -> bool:
        names = ", ".join(removed[:5]) + (" …" if len(removed) > 5 else "")
        with progress.paused():
            return typer.confirm(f"The corpus folder lacks {len(removed)} of the {indexed} indexed documents "
                                 f"({names}). Remove them from the index?", default=False, err=True)

    return ask


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What you are looking for, in plain words.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 5,
    doc_type: Annotated[Optional[str], typer.Option("--type", help="Only this report type (述职, 工作总结, …).")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="Only reports of this year.")] = None,
    doc: Annotated[Optional[str], typer.Option("--doc", help="Only this document (an id from `drafter corpus`).")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="style or fact.")] = None,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, dense or lexical.")] = "hybrid",
    chroma_url: ChromaUrl = None,
    as_json: JsonFlag = False,
) -> None:
    """Find the passages of past reports nearest to a query (dense + BM25, fused)."""
    from drafter.index.retrieve import Filters, search_passages
    from drafter.ui.corpus_view import render_passages

    filters = Filters(doc_type=doc_type, year=year, doc_id=doc, kind=kind)
    passages = search_passages(_settings(chroma_url), query, k=k, filters=filters, mode=mode, reporter=_IndexNotes())
    if as_json:
        _print_json({"query": query, "passages": [p.to_json() for p in passages]})
    else:
        render_passages(out, query, passages)


@app.command()
def corpus(
    why: Annotated[Optional[str], typer.Option("--why", help="Show why a document has its type, and its heading tree: a document id, or a file to read as ingest would.")] = None,
    chroma_url: ChromaUrl = None,
    as_json: JsonFlag = False,
) -> None:
    """List the indexed documents: type (and what decided it), year, sections and chunks.

    Example: drafter corpus --why 2023_述职_市教育局主要领导.txt
    """
    from drafter.index.retrieve import find_document, list_documents, summarise

    settings = _settings(chroma_url)
    if why is not None:
        from drafter.ui.corpus_view import render_why

        doc = find_document(settings, why)
        if as_json:
            payload = summarise(doc).to_json()
            payload.pop("chunks")
            payload["type_evidence"] = list(doc.type_evidence)
            payload["tree"] = [{"level": h.level, "marker": h.marker, "text": h.text, "line": h.line} for h in doc.headings]
            _print_json(payload)
        else:
            render_why(out, doc)
        return
    from drafter.ui.corpus_view import render_documents

    docs = list_documents(settings, reporter=_IndexNotes())
    if as_json:
        _print_json({"documents": [d.to_json() for d in docs]})
    else:
        render_documents(out, docs)


# --- outlines ----------------------------------------------------------------------------------


@app.command()
def outline(
    doc_type: Annotated[Optional[str], typer.Option("--type", help="Report type: 述职, 工作总结, 工作要点, 汇报发言, …")] = None,
    facts: Annotated[Optional[Path], typer.Option("--facts", help="Facts file (YAML, CSV, XLSX or material) to assign to sections.")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="The report's title (default: the facts file's title).")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", help="This year's theme: the LLM rewords headings in the corpus's style and reviews where facts go.")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the editable Markdown outline here.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing -o file.")] = False,
    list_types: Annotated[bool, typer.Option("--list-types", help="List the report types drafter can outline.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Assemble an outline for a report type from the corpus's reports of that type and this year's facts."""
    from drafter.index.retrieve import indexed_documents
    from drafter.outline.skeleton import known_types
    from drafter.ui.outline_view import render_outline, render_types

    settings = _settings()
    documents = indexed_documents(settings, reporter=_IndexNotes())
    if list_types:
        counts = known_types(documents)
        if as_json:
            _print_json({"types": [{"type": t, "documents": n} for t, n in sorted(counts.items())]})
        else:
            render_types(out, counts)
        return
    if not doc_type:
        raise typer.BadParameter("give --type (or --list-types to see them)")
    if not documents:
        err.print("[yellow]the corpus index is empty[/]: using the built-in skeleton (run `drafter ingest` to learn from your reports)")
    from drafter.outline.assemble import assemble_outline

    result = assemble_outline(settings, doc_type, documents, facts_path=facts, title=title or "", topic=topic or "",
                          reporter=_Notes())
    if output is not None:
        from drafter.fileio import write_text_atomic
        from drafter.outline.markdown import to_markdown

        write_text_atomic(output, to_markdown(result), force=force)
        err.print(f"outline written to {escape(str(output))} (edit it, then `drafter draft --outline {escape(str(output))}`)")
    if as_json:
        _print_json(result.to_json())
    else:
        render_outline(out if output is None else err, result)
    if not topic:
        err.print("[dim]offline outline: with --topic, an LLM rewords the headings in the corpus's style[/]")


# --- drafting ----------------------------------------------------------------------------------


@app.command()
def draft(
    doc_type: Annotated[Optional[str], typer.Option("--type", help="Report type: 述职, 工作总结, 工作要点, 汇报发言, …")] = None,
    facts: Annotated[Optional[Path], typer.Option("--facts", help="The supplied numbers (YAML, CSV, XLSX or material).")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Where the draft Markdown goes.")] = None,
    outline_file: Annotated[Optional[Path], typer.Option("--outline", help="An outline from `drafter outline -o` (default: assembled now).")] = None,
    topic: Annotated[str, typer.Option("--topic", help="What the report is about, in a few words.")] = "",
    title: Annotated[str, typer.Option("--title", help="The report's title (default: the facts file's).")] = "",
    speaker: Annotated[str, typer.Option("--speaker", help="In whose name it is written, e.g. 本人（县教育局局长）.")] = "",
    length: Annotated[int, typer.Option("--length", help="Characters a section, roughly.")] = 400,
    jobs: Annotated[Optional[int], typer.Option("--jobs", help="Sections drafted at once (default 4 remote, 1 local).")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Draft every section without asking (default: review each one in the terminal).")] = False,
    resume: Annotated[Optional[str], typer.Option("--resume", help="Continue a run: an id from `drafter runs`, or none for the latest; in a terminal, interactively.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Also fail when placeholders (【待补】) remain.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing -o file.")] = False,
    docx: Annotated[Optional[Path], typer.Option("--docx", help="Also export the finished draft to Word (公文格式) here.")] = None,
) -> None:
    """Write a report section by section with the configured LLM, checking every number."""
    from drafter.drafting.run import DraftRequest

    settings = _settings()
    request = None
    if resume is None:
        if not (doc_type and facts and output):
            raise typer.BadParameter("a new draft needs --type, --facts and -o (or --resume to continue a run)")
        request = DraftRequest(doc_type=doc_type, facts_path=facts, output=output, outline_path=outline_file,
                               topic=topic, title=title, speaker=speaker, length=length, force=force)
    # Without --yes a new draft is a terminal session; so is --resume, when there is a terminal
    # (a piped --resume keeps continuing the run without asking, as it always did).
    if not yes and (resume is None or (sys.stdin.isatty() and sys.stderr.isatty())):
        from drafter.ui.terminal import session

        end = session.draft_new(settings, request, strict) if request else session.draft_resume(settings, resume, strict)
        if docx is not None and end.output is not None:
            _export_docx(end.output, docx, force, facts)
        _exit(end.exit_code)
        return
    from drafter.drafting.run import draft_batch
    from drafter.ui.draft_view import DraftConsole, render_outcome

    outcome = draft_batch(settings, DraftConsole(err, stream=(jobs or 1) == 1), request, resume, jobs)
    if docx is not None and not (outcome.interrupted or outcome.failure or outcome.unfinished):
        _export_docx(outcome.output, docx, force, Path(outcome.run.info.facts_path))
    render_outcome(err, outcome, strict)
    _exit(outcome.exit_status(strict))


def _export_docx(markdown: Path, docx: Path, force: bool, facts: Path | None) -> None:
    """`draft --docx`: the finished draft to Word, gated as `drafter export --check` gates it; a draft
    with something unresolved is not exported (the Markdown is saved; the writer decides)."""
    from drafter.export.gate import export_reviewed
    from drafter.ui.export_view import render_export, render_written
    from drafter.ui.word_view import render_blockers, render_refusal

    outcome = export_reviewed(markdown, docx, facts_path=facts, data_dir=_settings().data_dir, force=force)
    render_blockers(err, outcome.gate, markdown)
    if outcome.export is None:
        render_refusal(err, outcome.gate)
        return
    render_export(err, outcome.export, markdown)
    render_written(err, outcome.export)


@app.command()
def runs(as_json: JsonFlag = False) -> None:
    """List draft runs: id, type, started, sections finished, ungrounded numbers, path."""
    from drafter.drafting.rundir import run_rows
    from drafter.ui.draft_view import render_runs

    rows = run_rows(_settings().data_dir / "runs")
    if as_json:
        _print_json({"runs": rows})
    else:
        render_runs(out, rows)


# --- number checking ---------------------------------------------------------------------------


@app.command()
def check(
    draft: Annotated[Path, typer.Argument(help="The draft to check: Markdown, text or a Word .docx.")],
    facts: Annotated[
        Path, typer.Option("--facts", "-f", help="Supplied numbers: .yaml, .csv, .xlsx, or .md/.txt material.")
    ],
    strict: Annotated[
        bool, typer.Option("--strict", help="Also fail on placeholders (XX名, 【待补】) and on warnings.")
    ] = False,
    stale: Annotated[
        bool, typer.Option("--stale/--no-stale", help="Name past reports that state an ungrounded number (uses the index of `drafter ingest` when there is one).")
    ] = True,
    annotate: Annotated[
        Optional[Path], typer.Option("--annotate", help="Word drafts: write a copy with a Word comment (批注) on each number a person must look at.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --annotate file.")] = False,
    copies: Annotated[
        bool, typer.Option("--copy/--no-copy", help="Report what the draft copies verbatim from each report of the corpus index.")
    ] = True,
    as_json: JsonFlag = False,
) -> None:
    """Prove every number in a draft comes from the supplied facts. Exit 1 when one does not.

    A .docx is read as Word shows it with tracked changes accepted: body, tables (each cell with its
    row and column headers), text boxes, headers, footers and notes; findings are located as
    report.docx:段12 or report.docx:表1 行3 列2.

    Example: drafter check report.docx --facts facts.yaml --annotate reviewed.docx
    """
    from drafter.drafting.copying import copy_check
    from drafter.export.word_sniff import looks_like_word
    from drafter.facts.load import load_facts
    from drafter.fileio import read_user_text
    from drafter.ui.check_view import render_copy_report

    settings = _settings()
    data_dir = settings.data_dir if stale else None
    if looks_like_word(draft):
        from drafter.export.docx_check import check_word_file
        from drafter.ui.word_view import render_annotated, render_word_check

        word = check_word_file(draft, load_facts(facts), data_dir, annotate_to=annotate, force=force)
        report, payload = word.report, word.to_json()
        copy = copy_check(word.text, settings.data_dir) if copies else None
        if not as_json:
            render_word_check(out, err, word)
        render_annotated(err, word)
    else:
        if annotate is not None:
            raise typer.BadParameter("--annotate needs a Word .docx draft", param_hint="--annotate")
        from drafter.numbers.check import check_file
        from drafter.ui.check_view import render_check_report

        report = check_file(draft, load_facts(facts), data_dir)
        payload = report.to_json()
        copy = copy_check(read_user_text(draft, "draft"), settings.data_dir) if copies else None
        if not as_json:
            render_check_report(out, report, str(draft))
    if as_json:
        _print_json({**payload, **({"copying": copy.to_json()} if copy else {})})
    elif copy is not None:
        render_copy_report(out, copy)
    failed = report.has_errors or (strict and (report.has_placeholders or report.has_warnings))
    if failed and not as_json:
        err.print("[red]check failed:[/] the draft holds numbers the facts do not support"
                  + (" (or placeholders / warnings, --strict)" if strict else ""))
    _exit(ExitStatus.FAILED if failed else ExitStatus.OK)


# --- models ------------------------------------------------------------------------------------


@app.command()
def models(
    test: Annotated[bool, typer.Option("--test", help="Make one tiny call and report its latency or the exact error.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Show the configured language model: endpoint, model per stage, API key variable (never the key)."""
    from drafter.llm.models import describe_llm, ping
    from drafter.ui.models_view import render_models

    settings = _settings()
    info = describe_llm(settings)
    result = None
    if test:
        if not as_json:
            err.print("starting the local model…" if info.local else f"calling {escape(info.base_url)}…")
        result = ping(settings)
    if as_json:
        _print_json({"models": info.to_json(), "test": result.to_json() if result else None})
    else:
        render_models(out, info, result)
    if result is not None and not result.ok:
        if not as_json:
            err.print(f"[bold red]test failed:[/] {escape(result.error)}", highlight=False, soft_wrap=True)
        _exit(ExitStatus.ERROR)


# --- export ------------------------------------------------------------------------------------


@app.command()
def export(
    draft: Annotated[Path, typer.Argument(help="The draft (Markdown).")],
    out_path: Annotated[
        Optional[Path], typer.Option("-o", "--out", help="The .docx to write (default: the draft's name with .docx).")
    ] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="The title (replaces the draft's title line).")] = None,
    issuer: Annotated[Optional[str], typer.Option("--issuer", help="发文机关署名, right-aligned at the end.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="成文日期, e.g. 2024年12月20日 or 2024-12-20.")] = None,
    recipient: Annotated[Optional[str], typer.Option("--recipient", help="主送机关, flush left under the title.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the .docx if it exists.")] = False,
    check_facts: Annotated[
        Optional[Path], typer.Option("--check", help="Check the numbers against these facts first: unsupported or stale ones block the export too.")
    ] = None,
    allow_unresolved: Annotated[
        bool, typer.Option("--allow-unresolved", help="Export even with placeholders or unchecked numbers left; the file says 「征求意见稿」 in its header.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Export a draft to Word in the official-document look (GB/T 9704-2012).

    Refuses (exit 1, nothing written) while the draft holds 【待补】, XX/×× placeholders or 〔待核…〕,
    and with --check, numbers the facts do not support; each is listed with its line.

    Example: drafter export draft.md -o report.docx --check facts.yaml
    """
    from drafter.export.gate import export_reviewed
    from drafter.ui.export_view import render_export, render_written
    from drafter.ui.word_view import render_blockers, render_refusal

    target = out_path if out_path is not None else draft.with_suffix(".docx")
    outcome = export_reviewed(draft, target, facts_path=check_facts,
                              data_dir=_settings().data_dir if check_facts is not None else None,
                              allow_unresolved=allow_unresolved, title=title, issuer=issuer, date=date,
                              recipient=recipient, force=force)
    render_blockers(err, outcome.gate, draft)
    if outcome.export is None:
        if as_json:
            _print_json(outcome.to_json())
        render_refusal(err, outcome.gate)
        _exit(ExitStatus.FAILED)
        return
    report = outcome.export
    render_export(err, report, draft)
    if report.label:
        err.print(f"[yellow]exported with {len(outcome.gate.blockers)} unresolved item(s)[/]: the header says "
                  f"「{report.label}」", highlight=False)
    if as_json:
        _print_json(outcome.to_json())
    else:
        render_written(err, report)


@app.command("import")
def import_cmd(
    source: Annotated[Path, typer.Argument(help="A Word .docx (e.g. a report edited in Word after `drafter export`).")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="The Markdown draft to write (default: stdout).")] = None,
    force: ForceFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """A Word report back to drafter's Markdown, to go on drafting the writer's version.

    Headings come from Word's outline levels and numbering, tables become pipe tables, tracked changes
    are accepted.

    Example: drafter import report.docx -o draft.md
    """
    from drafter.export.docx_import import import_docx
    from drafter.ui.word_view import render_import

    report = import_docx(source, output, force=force)
    render_import(err, report)
    if as_json:
        _print_json({**report.to_json(), "markdown": report.markdown})
    elif output is None:
        sys.stdout.write(report.markdown)


# --- evals -------------------------------------------------------------------------------------


@app.command("eval")
def eval_cmd(
    cases: Annotated[Path, typer.Option("--cases", help="Folder of eval cases (each: case.yaml and drafts/*.md).")] = Path(
        "evals/cases"
    ),
    generate: Annotated[
        bool, typer.Option("--generate", help="Draft each case with the configured model first (as draft --yes), then score those drafts.")
    ] = False,
    baseline: Annotated[
        Optional[Path], typer.Option("--baseline", help="Compare with this baseline; exit 1 on a regression beyond tolerance.")
    ] = None,
    update_baseline: Annotated[
        bool,
        typer.Option("--update-baseline", help="Write this run as the new baseline (to --baseline, default evals/baseline.json)."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Score the sample drafts of evals/cases without an LLM, and compare them with a baseline."""
    from drafter.evaluation.baseline import compare_with_baseline, write_baseline_keeping_tolerances
    from drafter.evaluation.run import run_eval, write_results
    from drafter.ui.eval_view import render_comparison_summary, render_eval

    settings = _settings()
    cases_dir = cases if cases.is_absolute() else settings.project_dir / cases
    run = run_eval(settings, cases_dir, generate=generate, reporter=_Notes())
    results_path = write_results(run, settings.project_dir / "evals" / "results")
    comparison = None
    if baseline is not None and (baseline.is_file() or not update_baseline):  # a first --update-baseline has none
        comparison = compare_with_baseline(run, baseline)
    if as_json:
        payload = {**run.to_json(), "results_file": str(results_path)}
        if comparison is not None:
            payload["comparison"] = comparison.to_json()
        _print_json(payload)
    else:
        render_eval(out, run, comparison)
        if comparison is not None:
            render_comparison_summary(err, comparison)
    err.print(f"results written to {escape(str(results_path))}", highlight=False)
    if update_baseline:
        target = baseline or settings.project_dir / "evals" / "baseline.json"
        write_baseline_keeping_tolerances(run, target)
        err.print(f"[green]baseline written[/] to {escape(str(target))}", highlight=False)
    if run.broken_names:
        causes = "; ".join(run.broken_causes)
        err.print(f"[red]eval failed:[/] {len(run.broken_names)} broken: {escape(causes)}", highlight=False)
        _exit(ExitStatus.ERROR)
    if comparison is not None and comparison.regressions and not update_baseline:
        _exit(ExitStatus.FAILED)


# --- facts -------------------------------------------------------------------------------------

facts_app = typer.Typer(
    help="Fact sheets from last period's report: extract its figures, an Excel table for departments, a lint.",
    no_args_is_help=True,
)
app.add_typer(facts_app, name="facts")


@facts_app.command("extract")
def facts_extract(
    doc: Annotated[str, typer.Argument(help="Last period's report: a document id from `drafter corpus`, or a file.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the YAML here (default: stdout).")] = None,
    force: ForceFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Every figure of a past report as a fact-sheet item: `previous` filled, `value` to fill."""
    from drafter.facts.sheet import extract_sheet, resolve_report, sheet_yaml
    from drafter.index.retrieve import indexed_documents

    settings = _settings()
    sheet = extract_sheet(resolve_report(doc, indexed_documents(settings), settings.corpus_path))
    if not sheet.items:
        err.print(f"[yellow]note:[/] {escape(sheet.source_doc)} states no data numbers: the sheet is empty", highlight=False)
    if output is not None:
        from drafter.fileio import write_text_atomic

        write_text_atomic(output, sheet_yaml(sheet), force=force)
        err.print(f"[green]wrote[/] {escape(str(output))}: {len(sheet.items)} items from {escape(sheet.source_doc)} "
                  f"(fill `value`, then `drafter facts table {escape(str(output))}` for departments)", highlight=False)
    if as_json:
        _print_json(sheet.to_json())
    elif output is None:
        sys.stdout.write(sheet_yaml(sheet))


@facts_app.command("table")
def facts_table(
    facts: Annotated[Path, typer.Argument(help="A facts file (YAML from `facts extract`, CSV or XLSX).")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="The .xlsx to write (default: FACTS with .xlsx).")] = None,
    force: ForceFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Write a fact sheet as an Excel workbook to send to departments; `drafter check` reads it back."""
    from drafter.facts.table import write_table_file

    target, rows = write_table_file(facts, output, force=force)
    err.print(f"[green]wrote[/] {escape(str(target))}: {rows} rows (departments fill 本期数值; then "
              f"`drafter facts check {escape(str(target))}`)", highlight=False)
    if as_json:
        _print_json({"path": str(target), "rows": rows})


@facts_app.command("check")
def facts_check(
    facts: Annotated[Path, typer.Argument(help="A facts file: .yaml, .csv, .xlsx or material.")],
    as_json: JsonFlag = False,
) -> None:
    """Lint a facts file: values to fill, duplicate names, unit mismatches, implausible jumps. Exit 1 on errors."""
    from drafter.facts.lint import lint_facts_file
    from drafter.ui.facts_view import render_lint

    report = lint_facts_file(facts)
    if as_json:
        _print_json(report.to_json())
    else:
        render_lint(out, report, str(facts))
    _exit(ExitStatus.FAILED if report.has_errors else ExitStatus.OK)


# --- the entry point ---------------------------------------------------------------------------


def _bare_resume(argv: list[str]) -> list[str]:
    """`drafter draft --resume` alone means the latest run; click options need a value, so give it one."""
    argv = list(argv)
    for i, arg in enumerate(argv):
        if arg == "--resume" and (i + 1 == len(argv) or argv[i + 1].startswith("-")):
            argv.insert(i + 1, "latest")
            break
    return argv


def main() -> None:
    """Console entry point: one red line per DrafterError, a traceback only with DRAFTER_DEBUG=1."""
    try:
        app(args=_bare_resume(sys.argv[1:]))
    except DrafterError as e:
        if os.environ.get("DRAFTER_DEBUG"):
            raise
        if e.exit_code == ExitStatus.INTERRUPTED:
            err.print(f"[yellow]interrupted[/]: {escape(str(e))}", highlight=False, soft_wrap=True)
        else:
            err.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise SystemExit(int(e.exit_code)) from None
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]")
        raise SystemExit(int(ExitStatus.INTERRUPTED)) from None
