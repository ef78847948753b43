"""How ingest, search and the corpus look on the terminal: the ingest progress bar and report,
retrieved passages, the document table."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from drafter.progress import NullWait
from drafter.records import Document, IngestReport, Passage
from drafter.ui.waiting import WaitLine


class IngestProgress:
    """The progress Reporter of an ingest. On a terminal: a rich progress bar, one row a stage and
    one a wait, each with its elapsed time. In a log (stderr not a terminal): a plain line for each
    stage or wait that lasts over ``after`` seconds, then one every ``every`` seconds (embedding 48/120 · 30 s)."""

    def __init__(self, console: Console, enabled: bool = True, after: float = 2.0, every: float = 10.0) -> None:
        self.console = console
        self.enabled = enabled
        self.plain = enabled and not console.is_terminal
        self._progress = Progress(
            TextColumn("[bold]{task.description:<14}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not enabled or self.plain,
        )
        self._waits = WaitLine(console, after=after, every=every, plain=True)
        self._task = None
        self._stage: tuple[str, int | None, int] | None = None  # plain mode: name, total, done
        self._stage_key: int | None = None

    def __enter__(self) -> "IngestProgress":
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self._end_stage()
        self._progress.stop()

    def stage(self, name: str, total: int | None = None) -> None:
        if self.plain:
            self._end_stage()
            self._stage = (name, total, 0)
            self._stage_key = self._waits.begin(self._stage_label())
            return
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(escape(name), total=total)

    def advance(self, steps: int = 1) -> None:
        if self.plain and self._stage is not None and self._stage_key is not None:
            name, total, done = self._stage
            self._stage = (name, total, done + steps)
            self._waits.update(self._stage_key, self._stage_label())
        elif self._task is not None:
            self._progress.advance(self._task, steps)

    def note(self, message: str) -> None:
        if self.enabled:
            self.console.print(f"[dim]{escape(message)}[/]")

    @contextmanager
    def waiting(self, label: str) -> Iterator[object]:
        if not self.enabled:
            yield NullWait()
        elif self.plain:
            with self._waits.waiting(label) as handle:
                yield handle
        else:
            task = self._progress.add_task(escape(label), total=None)
            try:
                yield _RowWait(self._progress, task)
            finally:
                self._progress.remove_task(task)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Stop redrawing while the user is asked something."""
        live = self.enabled and not self.plain
        if live:
            self._progress.stop()
        try:
            yield
        finally:
            if live:
                self._progress.start()

    def _stage_label(self) -> str:
        name, total, done = self._stage or ("", None, 0)
        return f"{name} {done}/{total}" if total else name

    def _end_stage(self) -> None:
        if self._stage_key is not None:
            self._waits.end(self._stage_key)
            self._stage_key, self._stage = None, None


class _RowWait:
    def __init__(self, progress: Progress, task) -> None:
        self._progress, self._task = progress, task

    def update(self, label: str) -> None:
        self._progress.update(self._task, description=escape(label))


def render_skipped(console: Console, report: IngestReport) -> None:
    for skipped in report.skipped:
        console.print(f"[yellow]skipped[/] {escape(skipped.path)}: {escape(skipped.reason)}", highlight=False)


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


def render_passages(console: Console, query: str, passages: list[Passage]) -> None:
    if not passages:
        console.print(f"no passage matches {escape(repr(query))}")
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
    for column in ("document", "title", "type", "decided by", "year", "issuer", "sections", "chunks"):
        table.add_column(column, overflow="fold")
    for d in docs:
        table.add_row(
            escape(d.doc_id), escape(d.title), _type_cell(d.doc_type, d.type_confidence),
            f"{d.type_source} [dim]{d.type_confidence:.0%}[/]", str(d.year or "–"), escape(d.issuer or "–"),
            f"{d.sections} [dim]({_levels(d.levels)})[/]", str(d.chunks),
        )
    console.print(table)
    types = Counter(d.doc_type for d in docs)
    console.print("types: " + ", ".join(f"{escape(t)} ×{n}" for t, n in types.most_common()))
    undecided = [d for d in docs if d.type_source == "undecided"]
    if undecided:
        console.print(
            f"[yellow]{len(undecided)} 未定[/]: drafter would only guess their type, so no outline learns from them. "
            f"See why with `drafter corpus --why <document>`, and set the type with front matter (type: 述职) "
            f"or a <file>.meta.yaml sidecar."
        )


def render_why(console: Console, doc: Document) -> None:
    """Why a document has its type, and the heading tree it was read with."""
    from drafter.corpus.structure import tree_shape

    shape = tree_shape(doc.headings)
    console.print(f"[bold]{escape(doc.doc_id)}[/]  [cyan]{escape(doc.title)}[/]", highlight=False)
    console.print(
        f"type {_type_cell(doc.doc_type, doc.type_confidence)}, decided by {doc.type_source}, "
        f"confidence {doc.type_confidence:.0%}", highlight=False,
    )
    for line in doc.type_evidence:
        console.print(f"  [dim]•[/] {escape(line)}", highlight=False)
    console.print(
        f"tree: depth {shape.depth}, sections by level {_levels(shape.levels)} "
        f"[dim](1 一、 · 2 （一） · 3 1. · 4 （1）)[/], {shape.enumerations} enumerations and lead sentences",
        highlight=False,
    )
    for h in doc.headings:
        if h.level <= 4:
            console.print(f"  {'  ' * (h.level - 1)}{escape(h.marker + h.text)} [dim]line {h.line}[/]", highlight=False)


def _type_cell(doc_type: str, confidence: float) -> str:
    colour = "yellow" if doc_type == "未定" else "green" if confidence >= 0.9 else "default"
    return f"[{colour}]{escape(doc_type)}[/]"


def _levels(levels: dict) -> str:
    """Headings per level, 1 to 4, as 3·11·0·0 (the trailing empty levels left off)."""
    counts = [int(levels.get(lv, levels.get(str(lv), 0))) for lv in (1, 2, 3, 4)]
    while len(counts) > 1 and counts[-1] == 0:
        counts.pop()
    return "·".join(str(n) for n in counts)
