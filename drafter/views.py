"""How ingest, search and corpus results look on the terminal (rich). Only the CLI calls these."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from drafter.records import IngestReport, Outline, OutlineSection, Passage


class IngestProgress:
    """A rich progress bar that implements the progress Reporter seam."""

    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.console = console
        self.enabled = enabled
        self._progress = Progress(
            TextColumn("[bold]{task.description:<14}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not enabled,
        )
        self._task = None

    def __enter__(self) -> "IngestProgress":
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def stage(self, name: str, total: int | None = None) -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, steps)

    def note(self, message: str) -> None:
        if self.enabled:
            self.console.print(f"[dim]{escape(message)}[/]")


def render_ingest_report(console: Console, report: IngestReport) -> None:
    changes = []
    for label, files in (("added", report.added_files), ("changed", report.changed_files), ("removed", report.removed_files)):
        if files:
            changes.append(f"{len(files)} {label}")
    if not changes and report.embedded == 0:
        console.print(
            f"[green]index up to date[/]: {report.documents} documents, {report.chunks} chunks; "
            f"nothing changed, nothing embedded ({report.seconds:.1f} s)"
        )
        return
    console.print(
        f"[green]indexed[/] {report.documents} documents, {report.chunks} chunks "
        f"({', '.join(changes) or 'no file changes'}; {report.unchanged_files} unchanged; "
        f"{report.embedded} passages embedded) in {report.seconds:.1f} s"
    )


def passage_json(p: Passage) -> dict:
    c = p.chunk
    return {
        "chunk_id": c.chunk_id,
        "doc_id": c.doc_id,
        "title": c.title,
        "doc_type": c.doc_type,
        "year": c.year,
        "heading_path": list(c.heading_path),
        "line": c.line,
        "kind": c.kind,
        "has_placeholder": c.has_placeholder,
        "score": round(p.score, 6),
        "dense_rank": p.dense_rank,
        "lexical_rank": p.lexical_rank,
        "text": c.text,
    }


def render_passages(console: Console, query: str, passages: list[Passage]) -> None:
    if not passages:
        console.print(f"no passage matches {escape(query)!r}")
        return
    for i, p in enumerate(passages, start=1):
        c = p.chunk
        where = " › ".join(c.heading_path) or "（开头）"
        ranks = f"dense {p.dense_rank or '–'} · bm25 {p.lexical_rank or '–'}"
        flags = " [yellow]placeholder[/]" if c.has_placeholder else ""
        console.print(
            f"[bold]{i}.[/] [cyan]{escape(c.title)}[/] [dim]({escape(c.doc_type)}, {c.year or '年份不详'}, "
            f"{escape(c.doc_id)}:{c.line})[/] [dim]{ranks} · {c.kind}[/]{flags}"
        )
        console.print(f"   [magenta]{escape(where)}[/]")
        console.print(f"   {escape(c.text)}\n", highlight=False)


def render_documents(console: Console, docs: list) -> None:
    if not docs:
        console.print("the index holds no documents: run `drafter ingest`")
        return
    table = Table(show_lines=False)
    for column in ("document", "title", "type", "year", "issuer", "sections", "chunks"):
        table.add_column(column, overflow="fold")
    for d in docs:
        doc_type = d.doc_type if d.type_source in ("title", "metadata") else f"{d.doc_type} [dim]({d.type_source})[/]"
        table.add_row(
            escape(d.doc_id), escape(d.title), doc_type, str(d.year or "–"), escape(d.issuer or "–"),
            f"{d.sections} [dim](+{d.headings - d.sections})[/]", str(d.chunks),
        )
    console.print(table)
    types = Counter(d.doc_type for d in docs)
    console.print("types: " + ", ".join(f"{t} ×{n}" for t, n in types.most_common()))


def render_outline(console: Console, outline: Outline) -> None:
    from rich.tree import Tree

    tree = Tree(f"[bold]{escape(outline.title)}[/] [dim]({escape(outline.doc_type)} · {escape(outline.source)})[/]")

    def add(branch, section: OutlineSection) -> None:
        style = "dim" if section.unnumbered else "bold" if section.level == 1 else ""
        label = f"[{style}]{escape(section.heading)}[/]" if style else escape(section.heading)
        if section.note:
            label += f" [dim]· {escape(section.note)}[/]"
        node = branch.add(label)
        for name in section.facts:
            node.add(f"[green]▪ {escape(name)}[/]")
        for child in section.children:
            add(node, child)

    for section in outline.sections:
        add(tree, section)
    console.print(tree)
    if outline.unassigned:
        console.print(f"[yellow]facts that fit no section[/] ({len(outline.unassigned)}): " + "、".join(outline.unassigned))


def outline_json(outline: Outline) -> dict:
    from dataclasses import asdict

    return asdict(outline)


class DraftConsole:
    """Progress of a draft run on stderr. One job: the section streams live; several: a line each."""

    def __init__(self, console: Console, stream: bool) -> None:
        self.console = console
        self.stream = stream
        self._started: dict[int, float] = {}
        self._chars: dict[int, int] = {}

    def note(self, message: str) -> None:
        self.console.print(f"[dim]{escape(message)}[/]")

    def section_started(self, plan, total: int, model: str) -> None:
        import time

        self._started[plan.index] = time.monotonic()
        self._chars[plan.index] = 0
        self.console.print(f"[bold]第 {plan.index}/{total} 节[/] · {escape(plan.heading)} · [dim]{escape(model)}[/]")

    def delta(self, plan, text: str) -> None:
        self._chars[plan.index] = self._chars.get(plan.index, 0) + len(text)
        if self.stream:
            self.console.print(text, end="", highlight=False, markup=False, soft_wrap=True)

    def section_finished(self, draft, total: int) -> None:
        if self.stream:
            self.console.print()
        self.console.print(f"  {draft_stats(draft, total)}")
        if draft.note:
            self.console.print(f"  [dim]{escape(draft.note)}[/]")


def draft_stats(draft, total: int) -> str:
    """One line (rich markup) on a drafted section: status, time, length, speed, what the check found."""
    summary = draft.report.summary
    bits = [f"{draft.seconds:.0f} s", f"{len(draft.text)} 字"]
    if draft.output_tokens:
        bits.append(f"{draft.output_tokens / max(draft.seconds, 0.01):.1f} tok/s")
    bits.append(f"{summary.get('grounded', 0)} grounded, {summary.get('derived', 0)} derived")
    if draft.fixed:
        bits.append(f"[cyan]{draft.fixed} fixed by repair[/]")
    if draft.marked:
        bits.append(f"[red]{draft.marked} marked 〔待核〕[/]")
    if summary.get("placeholder"):
        bits.append(f"[yellow]{summary['placeholder']} 待补[/]")
    status = "[green]done[/]" if draft.status == "done" else f"[yellow]{draft.status}[/]"
    return f"{status} 第 {draft.index}/{total} 节 · " + " · ".join(bits)


def render_runs(console: Console, rows: list[dict]) -> None:
    if not rows:
        console.print("no runs yet: start one with `drafter draft`")
        return
    table = Table()
    for column in ("run", "type", "started", "sections", "ungrounded", "status", "path"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r["run"], escape(r["type"]), r["started"], f"{r['accepted']}/{r['total']}",
                      str(r["ungrounded"]), r["status"], escape(r["path"]))
    console.print(table)
