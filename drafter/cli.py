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
err = Console(stderr=True)  # status, progress, warnings


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
def demo() -> None:
    """Run the whole job offline on the sample corpus and examples/: ingest, search, outline, check."""
    from drafter.check import check_text
    from drafter.check_view import render_check_report
    from drafter.embed import make_embedder
    from drafter.errors import InputFileError
    from drafter.facts import load_facts
    from drafter.ingest import ingest_corpus
    from drafter.outline import build_outline
    from drafter.retrieve import indexed_documents, open_retriever
    from drafter.views import IngestProgress, render_ingest_report, render_outline, render_passages

    settings = _settings()
    examples = settings.project_dir / "examples"
    facts_path, draft_path = examples / "facts_述职.yaml", examples / "draft_述职.md"
    if not facts_path.is_file() or not draft_path.is_file():
        raise InputFileError(f"{examples} has no facts_述职.yaml / draft_述职.md: run `drafter demo` in the drafter repository")
    embedder = make_embedder(settings.embed)

    err.rule("1 · ingest corpus/ (only new or changed files are embedded)")
    with IngestProgress(err) as progress:
        render_ingest_report(err, ingest_corpus(settings, progress=progress, embedder=embedder))

    query = "外来务工人员子女入学保障"
    err.rule(f"2 · search: {query}")
    with open_retriever(settings, embedder=embedder) as retriever:
        render_passages(out, query, retriever.search(query, k=2))

    facts = load_facts(facts_path)
    err.rule(f"3 · outline of a 述职 from the corpus, with the facts of {facts_path.name}")
    render_outline(out, build_outline("述职", indexed_documents(settings), facts, embedder=embedder))

    err.rule(f"4 · check every number of {draft_path.name} against {facts_path.name}")
    report = check_text(draft_path.read_text(encoding="utf-8"), facts)
    render_check_report(out, report, str(draft_path.relative_to(settings.project_dir)))
    err.print(
        "\nThe red number is the point: the draft says 人均达到25小时, the facts say 23.5小时. "
        "Next: your own reports in corpus/, your facts file, `drafter check DRAFT --facts FACTS`."
    )


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
    if output is not None:
        from drafter.outline_md import to_markdown
        from drafter.atomic import write_text_atomic

        write_text_atomic(output, to_markdown(result), force=force)
        err.print(f"outline written to {output} (edit it, then `drafter draft --outline {output}`)")
    if as_json:
        _print_json(outline_json(result))
    else:
        render_outline(out if output is None else err, result)
    err.print("[dim]offline outline: with an LLM configured, headings can be reworded in the corpus's style (--topic)[/]")


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
    as_json: JsonFlag = False,
) -> None:
    """Prove every number in a draft comes from the supplied facts. Exit 1 when one does not."""
    from drafter.check import check_text
    from drafter.check_view import render_check_report, report_json
    from drafter.errors import InputFileError
    from drafter.facts import load_facts, read_text

    if not draft.is_file():
        raise InputFileError(f"{draft}: no such draft file")
    text = read_text(draft)
    if not text.strip():
        raise InputFileError(f"{draft}: the draft is empty")
    report = check_text(text, load_facts(facts))
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
    from drafter.export import export_draft_file, missing_fonts

    target = out_path if out_path is not None else draft.with_suffix(".docx")
    report = export_draft_file(
        draft, target, title=title, issuer=issuer, date=date, recipient=recipient, force=force
    )
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


def main() -> None:
    """Console entry point: one red line per DrafterError, a traceback only with DRAFTER_DEBUG=1."""
    try:
        app()
    except DrafterError as e:
        if os.environ.get("DRAFTER_DEBUG"):
            raise
        err.print(f"[bold red]error:[/] {e}", highlight=False, soft_wrap=True)
        raise SystemExit(e.exit_code) from None
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]")
        raise SystemExit(130) from None
