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


# --- number checking ---------------------------------------------------------------------------
# (the `check` command lives here)


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
