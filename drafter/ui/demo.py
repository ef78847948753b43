"""`drafter demo`: the whole job offline on the sample corpus and examples/, shown step by step —
ingest, the 述职 outline, three sections drafted with the configured model (the bundled local one by
default) with every number checked, and the checker on a draft with one figure changed by hand."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from drafter.config import Settings
from drafter.drafting.run import DraftRequest, run_sections, start_run
from drafter.errors import InputFileError
from drafter.facts.load import load_facts
from drafter.fileio import read_user_text
from drafter.index.embed import make_embedder
from drafter.index.ingest import ingest_corpus
from drafter.index.retrieve import indexed_documents
from drafter.numbers.check import check_text
from drafter.outline.skeleton import build_outline
from drafter.ui.check_view import render_problems
from drafter.ui.corpus_view import IngestProgress, render_ingest_report
from drafter.ui.draft_view import DraftConsole, render_speed
from drafter.ui.outline_view import render_outline


def run_demo(settings: Settings, console: Console, length: int = 200) -> None:
    examples = settings.project_dir / "examples"
    facts_path, outline_path = examples / "facts_述职.yaml", examples / "outline_述职.md"
    planted = examples / "draft_述职.md"
    if not all(p.is_file() for p in (facts_path, outline_path, planted)):
        raise InputFileError(f"{examples} lacks the demo files: run `drafter demo` in the drafter repository")
    embedder = make_embedder(settings.embed)

    console.rule("1 · ingest corpus/ (only new or changed files are embedded)")
    with IngestProgress(console) as progress:
        render_ingest_report(console, ingest_corpus(settings, progress=progress, embedder=embedder))

    facts = load_facts(facts_path)
    console.rule(f"2 · the 述职 outline learned from the corpus, with the facts of {facts_path.name}")
    render_outline(console, build_outline("述职", indexed_documents(settings), facts, embedder=embedder))

    output = settings.data_dir / "demo" / "draft_述职.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    console.rule(f"3 · draft three sections of it ({outline_path.name}), checking every number")
    if not settings.llm.base_url:
        console.print("[yellow]The bundled local model is a small demo-quality model (Qwen2.5-Coder-1.5B): expect "
                      "plain prose and the odd invented figure, which the check below catches. For real reports "
                      "configure an endpoint (README: DeepSeek, Qwen, GLM, Kimi, vLLM, Ollama).[/]")
    request = DraftRequest(doc_type="述职", facts_path=facts_path, output=output, outline_path=outline_path,
                           length=length, force=True)
    reporter = DraftConsole(console, stream=True)
    run = start_run(settings, request, reporter, facts)
    outcome = run_sections(settings, run, reporter, facts=facts)
    render_problems(console, outcome.report, str(output))
    console.print(f"the draft: {escape(str(output))}  ·  its run: {escape(str(run.folder))}", highlight=False)
    render_speed(console, run.calls_path)

    console.rule(f"4 · the checker on a draft with one figure changed by hand ({planted.name})")
    report = check_text(read_user_text(planted, "draft"), facts)
    render_problems(console, report, str(planted.relative_to(settings.project_dir)))
    console.print("The draft says 人均达到25小时; the facts say 23.5小时. Next: your reports in corpus/, "
                  "your facts file, `drafter draft --type … --facts … -o …`.")
