"""The command line: parse, call one library function, render.

Heavy libraries (chromadb, openai, the embedder) are imported inside the commands, so that
``drafter --help`` stays fast. Artifacts go to stdout, status and progress to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from drafter.errors import DrafterError

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

    return load_settings(overrides={"index.chroma_url": chroma_url, "corpus_dir": corpus})


def _print_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON to stdout.")]
ChromaUrl = Annotated[
    Optional[str],
    typer.Option("--chroma-url", help="Use a Chroma server (http://host:port) instead of the embedded index."),
]


# --- the tour ----------------------------------------------------------------------------------


@app.command()
def demo(
    length: Annotated[int, typer.Option("--length", help="Characters a drafted section, roughly.")] = 200,
) -> None:
    """The whole job offline on the sample corpus and examples/: ingest, outline, draft three sections
    with the configured model (the bundled local one by default), check every number."""
    from drafter.check import check_text
    from drafter.drafting import DraftRequest, run_sections, start_run
    from drafter.embed import make_embedder
    from drafter.errors import InputFileError
    from drafter.facts import load_facts
    from drafter.ingest import ingest_corpus
    from drafter.outline import build_outline
    from drafter.retrieve import indexed_documents
    from drafter.views import DraftConsole, IngestProgress, render_ingest_report, render_outline

    settings = _settings()
    examples = settings.project_dir / "examples"
    facts_path, outline_path = examples / "facts_述职.yaml", examples / "outline_述职.md"
    planted = examples / "draft_述职.md"
    if not all(p.is_file() for p in (facts_path, outline_path, planted)):
        raise InputFileError(f"{examples} lacks the demo files: run `drafter demo` in the drafter repository")
    embedder = make_embedder(settings.embed)

    err.rule("1 · ingest corpus/ (only new or changed files are embedded)")
    with IngestProgress(err) as progress:
        render_ingest_report(err, ingest_corpus(settings, progress=progress, embedder=embedder))

    facts = load_facts(facts_path)
    err.rule(f"2 · the 述职 outline learned from the corpus, with the facts of {facts_path.name}")
    render_outline(err, build_outline("述职", indexed_documents(settings), facts, embedder=embedder))

    output = settings.data_dir / "demo" / "draft_述职.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    err.rule(f"3 · draft three sections of it ({outline_path.name}), checking every number")
    if not settings.llm.base_url:
        err.print("[yellow]The bundled local model is a small demo-quality model (Qwen2.5-Coder-1.5B): expect "
                  "plain prose and the odd invented figure, which the check below catches. For real reports "
                  "configure an endpoint (README: DeepSeek, Qwen, GLM, Kimi, vLLM, Ollama).[/]")
    request = DraftRequest(doc_type="述职", facts_path=facts_path, output=output, outline_path=outline_path,
                           length=length, force=True)
    reporter = DraftConsole(err, stream=True)
    run = start_run(settings, request, reporter)
    outcome = run_sections(settings, run, reporter)
    _show_findings(outcome.report, str(output))
    err.print(f"the draft: {output}  ·  its run: {run.folder}")

    err.rule(f"4 · the checker on a draft with one figure changed by hand ({planted.name})")
    report = check_text(planted.read_text(encoding="utf-8"), facts)
    _show_findings(report, str(planted.relative_to(settings.project_dir)))
    err.print("The draft says 人均达到25小时; the facts say 23.5小时. Next: your reports in corpus/, "
              "your facts file, `drafter draft --type … --facts … -o …`.")


def _show_findings(report, path: str) -> None:
    """The numbers a writer must look at (ungrounded, placeholders), then the summary line."""
    from drafter.check_view import finding_line, summary_line

    for finding in report.findings:
        if finding.status in ("ungrounded", "placeholder"):
            err.print(finding_line(finding, path), highlight=False)
    err.print(summary_line(report), highlight=False)


# --- corpus and retrieval ----------------------------------------------------------------------


@app.command()
def ingest(
    path: Annotated[Optional[Path], typer.Argument(help="Corpus folder (default: ./corpus).")] = None,
    chroma_url: ChromaUrl = None,
    as_json: JsonFlag = False,
) -> None:
    """Index the corpus for style and fact retrieval (only new or changed files are embedded)."""
    from drafter.ingest import ingest_corpus
    from drafter.views import IngestProgress, render_ingest_report

    settings = _settings(chroma_url, path)
    with IngestProgress(err, enabled=not as_json) as progress:
        report = ingest_corpus(settings, progress=progress)
    for skipped in report.skipped:
        err.print(f"[yellow]skipped[/] {skipped.path}: {skipped.reason}")
    if as_json:
        from dataclasses import asdict

        _print_json(asdict(report))
    else:
        render_ingest_report(err, report)


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
    from drafter.retrieve import Filters, open_retriever
    from drafter.views import passage_json, render_passages

    settings = _settings(chroma_url)
    filters = Filters(doc_type=doc_type, year=year, doc_id=doc, kind=kind)
    with open_retriever(settings) as retriever:
        passages = retriever.search(query, k=k, filters=filters, mode=mode)
    if as_json:
        _print_json({"query": query, "passages": [passage_json(p) for p in passages]})
    else:
        render_passages(out, query, passages)


@app.command()
def corpus(
    chroma_url: ChromaUrl = None,
    as_json: JsonFlag = False,
) -> None:
    """List the indexed documents: type, year, sections and chunks."""
    from drafter.retrieve import list_documents
    from drafter.views import render_documents

    settings = _settings(chroma_url)
    docs = list_documents(settings)
    if as_json:
        _print_json({"documents": [d.as_json() for d in docs]})
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
    from drafter.outline import build_outline, known_types
    from drafter.retrieve import indexed_documents
    from drafter.views import outline_json, render_outline

    settings = _settings()
    documents = indexed_documents(settings)
    if list_types:
        counts = known_types(documents)
        if as_json:
            _print_json({"types": [{"type": t, "documents": n} for t, n in sorted(counts.items())]})
        else:
            for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                out.print(f"{t}\t{f'learned from {n} corpus report' + ('s' if n > 1 else '') if n else 'built-in skeleton'}")
        return
    if not doc_type:
        raise typer.BadParameter("give --type (or --list-types to see them)")
    if not documents:
        err.print("[yellow]the corpus index is empty[/]: using the built-in skeleton (run `drafter ingest` to learn from your reports)")
    loaded = None
    embedder = None
    if facts is not None:
        from drafter.embed import make_embedder
        from drafter.facts import load_facts

        loaded = load_facts(facts)
        embedder = make_embedder(settings.embed)
    result = build_outline(doc_type, documents, loaded, title=title or "", embedder=embedder)
    if topic:
        result = _refined(settings, result, topic, documents, loaded)
    if output is not None:
        from drafter.outline_md import to_markdown
        from drafter.atomic import write_text_atomic

        write_text_atomic(output, to_markdown(result), force=force)
        err.print(f"outline written to {output} (edit it, then `drafter draft --outline {output}`)")
    if as_json:
        _print_json(outline_json(result))
    else:
        render_outline(out if output is None else err, result)
    if not topic:
        err.print("[dim]offline outline: with --topic, an LLM rewords the headings in the corpus's style[/]")


def _refined(settings, outline, topic: str, documents, facts):
    """The outline with headings reworded by the configured model; on any model error the
    deterministic outline stands, and the writer is told why."""
    from drafter.errors import LLMError
    from drafter.llm import open_llm
    from drafter.outline_refine import corpus_headings, refine_facts, refine_headings

    try:
        with open_llm(settings) as session:
            model = session.model("outline")
            err.print(f"[dim]rewording headings with {model.name} …[/]")
            headings = refine_headings(outline, topic, model, corpus_headings(documents, outline.doc_type), facts)
            placed = refine_facts(headings.outline, facts, model) if facts is not None else None
    except LLMError as e:
        err.print(f"[yellow]not refined by the model[/]: {e}")
        return outline
    for note in headings.notes + (placed.notes if placed else ()):
        err.print(f"[yellow]note:[/] {note}", highlight=False)
    err.print(f"{headings.changed} heading(s) reworded by the model; numbering and parts unchanged")
    if placed is None:
        return headings.outline
    err.print(f"{placed.changed} fact(s) moved to another section by the model")
    return placed.outline


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
    from drafter.drafting import DraftRequest, run_sections, start_run
    from drafter.runs import Run
    from drafter.views import DraftConsole

    settings = _settings()
    if resume is None:
        if not (doc_type and facts and output):
            raise typer.BadParameter("a new draft needs --type, --facts and -o (or --resume to continue a run)")
        if not facts.is_file():
            from drafter.errors import InputFileError

            raise InputFileError(f"{facts}: no such facts file")
    # Without --yes a new draft is a terminal session; so is --resume, when there is a terminal
    # (a piped --resume keeps continuing the run without asking, as it always did).
    interactive = not yes and (resume is None or (sys.stdin.isatty() and sys.stderr.isatty()))
    request = None
    if resume is None:
        request = DraftRequest(doc_type=doc_type, facts_path=facts, output=output, outline_path=outline_file,
                               topic=topic, title=title, speaker=speaker, length=length, force=force)
    if interactive:
        from drafter import terminal

        if request is not None:
            end = terminal.draft_new(settings, request, strict)
        else:
            end = terminal.draft_resume(settings, Run.load(settings.data_dir / "runs", None if resume == "latest" else resume), strict)
        if docx is not None and end.output is not None:
            _export_docx(end.output, docx, force)
        raise typer.Exit(end.exit_code)
    reporter = DraftConsole(err, stream=(jobs or 1) == 1)
    if request is not None:
        run = start_run(settings, request, reporter)
    else:
        run = Run.load(settings.data_dir / "runs", None if resume == "latest" else resume)
    err.print(f"[dim]run {run.info.run_id} in {run.folder}[/]")
    try:
        outcome = run_sections(settings, run, reporter, jobs)
    except KeyboardInterrupt:
        run.set_status("interrupted")
        err.print(f"[yellow]interrupted[/]: finished sections are saved; continue with `drafter draft --resume {run.info.run_id}`")
        raise typer.Exit(130)
    if docx is not None and not (outcome.interrupted or outcome.failure or outcome.unfinished):
        _export_docx(outcome.output, docx, force)
    _report_draft(outcome, strict)


def _export_docx(markdown: Path, docx: Path, force: bool) -> None:
    from drafter.export import export_draft_file

    _report_export(export_draft_file(markdown, docx, force=force), markdown)


def _report_draft(outcome, strict: bool) -> None:
    _show_findings(outcome.report, str(outcome.output))
    err.print(f"draft: {outcome.output}  ·  check: {outcome.output.with_name(outcome.output.stem + '.check.json')}  ·  run: {outcome.run.folder}")
    resume_hint = f"`drafter draft --resume {outcome.run.info.run_id}`"
    if outcome.interrupted:
        err.print(f"[yellow]interrupted[/]: {len(outcome.unfinished)} section(s) not finished; continue with {resume_hint}")
        raise typer.Exit(130)
    if outcome.failure:
        err.print(f"[bold red]error:[/] {outcome.failure}", soft_wrap=True)
        err.print(f"{len(outcome.unfinished)} section(s) not finished; finished ones are saved; continue with {resume_hint}")
        raise typer.Exit(2)
    if outcome.unfinished:
        names = "、".join(f"{s.heading}（{s.status}）" for s in outcome.unfinished)
        err.print(f"[yellow]not finished[/]: {names}; redo them with {resume_hint}")
        raise typer.Exit(1)
    if outcome.report.has_errors or (strict and outcome.report.has_placeholders):
        raise typer.Exit(1)


@app.command()
def runs(as_json: JsonFlag = False) -> None:
    """List draft runs: id, type, started, sections finished, ungrounded numbers, path."""
    from drafter.runs import run_rows
    from drafter.views import render_runs

    rows = run_rows(_settings().data_dir / "runs")
    if as_json:
        _print_json({"runs": rows})
    else:
        render_runs(out, rows)


# --- number checking ---------------------------------------------------------------------------
# (the `check` command lives here)


@app.command()
def check(
    draft: Annotated[Path, typer.Argument(help="The draft to check (Markdown or text).")],
    facts: Annotated[
        Path, typer.Option("--facts", "-f", help="Supplied numbers: .yaml, .csv, .xlsx, or .md/.txt material.")
    ],
    strict: Annotated[
        bool, typer.Option("--strict", help="Also fail on placeholders (XX名, 【待补】) and on warnings.")
    ] = False,
    stale: Annotated[
        bool, typer.Option("--stale/--no-stale", help="Name past reports that state an ungrounded number (uses the index of `drafter ingest` when there is one).")
    ] = True,
    as_json: JsonFlag = False,
) -> None:
    """Prove every number in a draft comes from the supplied facts. Exit 1 when one does not."""
    from drafter.check import check_text
    from drafter.check_view import render_check_report, report_json
    from drafter.errors import InputFileError
    from drafter.facts import load_facts
    from drafter.sources import read_user_text

    if not draft.is_file():
        raise InputFileError(f"{draft}: no such draft file")
    text = read_user_text(draft)
    if not text.strip():
        raise InputFileError(f"{draft}: the draft is empty")
    loaded = load_facts(facts)
    if stale:
        from drafter.number_index import check_against_corpus

        report = check_against_corpus(text, loaded, _settings().data_dir)
    else:
        report = check_text(text, loaded)
    if as_json:
        _print_json(report_json(report))
    else:
        render_check_report(out, report, str(draft))
    failed = report.has_errors or (strict and (report.has_placeholders or report.has_warnings))
    if failed:
        if not as_json:
            err.print("[red]check failed:[/] the draft holds numbers the facts do not support"
                      + (" (or placeholders / warnings, --strict)" if strict else ""))
        raise typer.Exit(1)


# --- models ---


@app.command()
def models(
    test: Annotated[bool, typer.Option("--test", help="Make one tiny call and report its latency or the exact error.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Show the configured language model: endpoint, model per stage, API key variable (never the key)."""
    from dataclasses import asdict

    from drafter.llm import describe_llm, ping

    settings = _settings()
    info = describe_llm(settings)
    result = None
    if test:
        if not as_json:
            err.print("starting the local model…" if info.local else f"calling {info.base_url}…")
        result = ping(settings)
    if as_json:
        _print_json({"models": asdict(info), "test": asdict(result) if result else None})
    else:
        if info.local:
            out.print(f"endpoint      local model ({info.local_state})", highlight=False)
            out.print(f"gguf          {info.local_model}", highlight=False)
            threads = f"{info.local_threads} thread" + ("s" if info.local_threads != 1 else "")
            out.print(f"server        {threads}, context {info.context_size} tokens", highlight=False)
        else:
            key = "set" if info.api_key_set else "[red]NOT SET[/]"
            out.print(f"endpoint      {info.base_url}", highlight=False)
            if info.api_key_env:
                out.print(f"api key       ${info.api_key_env} ({key})", highlight=False)
            else:
                out.print("api key       none configured (llm.api_key_env)", highlight=False)
        for s in info.stages:
            out.print(f"{s.stage + ' model':<14}{s.model or '[red](not set: llm.model)[/]'}", highlight=False)
        out.print(
            f"sampling      temperature {info.temperature:g}, max_tokens {info.max_tokens}, "
            f"timeout {info.timeout:g} s, retries {info.max_retries}",
            highlight=False,
        )
        if result is not None and result.ok:
            started = f", server start {result.start_s:.1f} s" if result.start_s is not None else ""
            tokens = f", {result.input_tokens}→{result.output_tokens} tokens" if result.output_tokens is not None else ""
            out.print(f"[green]test ok[/]       {result.latency_s:.2f} s{tokens}{started}: {result.reply!r}", highlight=False)
    if result is not None and not result.ok:
        if not as_json:
            err.print(f"[bold red]test failed:[/] {result.error}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)


# --- export ---


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
    as_json: JsonFlag = False,
) -> None:
    """Export a draft to Word in the official-document look (GB/T 9704-2012)."""
    from drafter.export import export_draft_file

    target = out_path if out_path is not None else draft.with_suffix(".docx")
    report = export_draft_file(
        draft, target, title=title, issuer=issuer, date=date, recipient=recipient, force=force
    )
    _report_export(report, draft, as_json)


def _report_export(report, draft: Path, as_json: bool = False) -> None:
    """Warnings, the fonts the document names (and which are missing here), what was written."""
    from drafter.export import missing_fonts

    for warning in report.warnings:
        err.print(f"[yellow]warning[/] {draft}: {warning}", highlight=False, soft_wrap=True)
    missing = missing_fonts(report.fonts)
    fonts = f"fonts named: {', '.join(report.fonts)}"
    if missing is None:
        fonts += " (fc-list not found, so not checked here; Word substitutes missing fonts)"
    elif missing:
        fonts += f"; missing on this machine: {', '.join(missing)} (Word and LibreOffice substitute them)"
    else:
        fonts += "; all installed here"
    err.print(fonts, highlight=False, soft_wrap=True)
    if as_json:
        _print_json(report.as_json())
    else:
        err.print(
            f"[green]wrote[/] {report.out_path}: {len(report.headings)} heading(s), {report.paragraphs} paragraph(s), "
            f"{report.tables} table(s)",
            highlight=False,
            soft_wrap=True,
        )


# --- evals ---


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
    from drafter.eval_view import render_comparison_summary, render_eval
    from drafter.evaluate import compare, load_baseline, run_eval, run_json, with_tolerances, write_baseline, write_results

    settings = _settings()
    cases_dir = cases if cases.is_absolute() else settings.project_dir / cases
    run = run_eval(settings, cases_dir, generate=generate, note=lambda m: err.print(f"[dim]{m}[/]", highlight=False))
    results_path = write_results(run, settings.project_dir / "evals" / "results")
    comparison = None
    if baseline is not None and (baseline.is_file() or not update_baseline):
        comparison = compare(run, load_baseline(baseline))
    if as_json:
        payload = {**run_json(run), "results_file": str(results_path)}
        if comparison is not None:
            payload["comparison"] = {
                "baseline": str(comparison.baseline),
                "notes": list(comparison.notes),
                "regressions": [
                    {"scope": d.scope, "metric": d.metric, "baseline": d.baseline, "current": d.current,
                     "tolerance": d.tolerance}
                    for d in comparison.regressions
                ],
            }
        _print_json(payload)
    else:
        render_eval(out, run, comparison)
        if comparison is not None:
            render_comparison_summary(err, comparison)
    err.print(f"results written to {results_path}", highlight=False)
    if update_baseline:
        target = baseline or settings.project_dir / "evals" / "baseline.json"
        write_baseline(run, target, with_tolerances(target))
        err.print(f"[green]baseline written[/] to {target}", highlight=False)
    broken = [c.case_id for c in run.broken] + (["checker suite"] if run.checker.error else [])
    if broken:
        err.print(f"[red]eval failed:[/] {len(broken)} broken: {', '.join(broken)}", highlight=False)
        raise typer.Exit(2)
    if comparison is not None and comparison.regressions and not update_baseline:
        raise typer.Exit(1)


# --- facts ---

facts_app = typer.Typer(
    help="Fact sheets from last period's report: extract its figures, an Excel table for departments, a lint.",
    no_args_is_help=True,
)
app.add_typer(facts_app, name="facts")
ForceFlag = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]


@facts_app.command("extract")
def facts_extract(
    doc: Annotated[str, typer.Argument(help="Last period's report: a document id from `drafter corpus`, or a file.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the YAML here (default: stdout).")] = None,
    force: ForceFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Every figure of a past report as a fact-sheet item: `previous` filled, `value` to fill."""
    from drafter.fact_sheet import extract_sheet, resolve_report, sheet_json, sheet_yaml
    from drafter.retrieve import indexed_documents

    settings = _settings()
    sheet = extract_sheet(resolve_report(doc, indexed_documents(settings), settings.corpus_path))
    if not sheet.items:
        err.print(f"[yellow]note:[/] {sheet.source_doc} states no data numbers: the sheet is empty", highlight=False)
    if output is not None:
        from drafter.atomic import write_text_atomic

        write_text_atomic(output, sheet_yaml(sheet), force=force)
        err.print(f"[green]wrote[/] {output}: {len(sheet.items)} items from {sheet.source_doc} "
                  f"(fill `value`, then `drafter facts table {output}` for departments)", highlight=False)
    if as_json:
        _print_json(sheet_json(sheet))
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
    from drafter.errors import OutputFileError
    from drafter.fact_table import write_table
    from drafter.facts import load_facts

    target = output if output is not None else facts.with_suffix(".xlsx")
    if target.suffix.lower() != ".xlsx":
        raise OutputFileError(f"{target}: the table must be an .xlsx file")
    loaded = load_facts(facts)
    if target.exists() and target.resolve() == facts.resolve():
        raise OutputFileError(f"{target} is the input file; choose another -o")
    rows = write_table(loaded, target, force=force)
    err.print(f"[green]wrote[/] {target}: {rows} rows (departments fill 本期数值; then `drafter facts check {target}`)",
              highlight=False)
    if as_json:
        _print_json({"path": str(target), "rows": rows})


@facts_app.command("check")
def facts_check(
    facts: Annotated[Path, typer.Argument(help="A facts file: .yaml, .csv, .xlsx or material.")],
    as_json: JsonFlag = False,
) -> None:
    """Lint a facts file: values to fill, duplicate names, unit mismatches, implausible jumps. Exit 1 on errors."""
    from drafter.facts_lint import lint_facts_file

    report = lint_facts_file(facts)
    if as_json:
        _print_json(report.as_json())
    else:
        for issue in report.issues:
            colour = "red" if issue.severity == "error" else "yellow"
            where = f"{facts}:{issue.line}" if issue.line else str(facts)
            name = f"{issue.name}: " if issue.name else ""
            out.print(f"[dim]{where}[/]  [{colour}]{issue.severity:<7}[/] {name}{issue.message}", highlight=False)
        style = "red" if report.errors else ("yellow" if report.warnings else "green")
        out.print(f"[{style}]{report.facts} facts: {report.errors} errors, {report.warnings} warnings[/]", highlight=False)
    if report.has_errors:
        raise typer.Exit(1)


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
        err.print(f"[bold red]error:[/] {e}", highlight=False, soft_wrap=True)
        raise SystemExit(e.exit_code) from None
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]")
        raise SystemExit(130) from None
