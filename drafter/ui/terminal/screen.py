"""What the screen shows during a session: the streamed section, its numbers in their check colours,
reference passages, and the console the session talks through."""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.text import Text

from drafter.progress import NullWait
from drafter.records import CheckReport
from drafter.ui.terminal.keys import Keys
from drafter.ui.waiting import WaitLine

PROMPT = ("[bold]a[/] accept  [bold]r[/] regenerate  [bold]e[/] edit  [bold]s[/] skip  [bold]p[/] prev  "
          "[bold]v[/] versions  [bold]q[/] quit  [bold]?[/] help › ")  # 76 cells: one line at 80
HELP = (
    ("a", "accept this section and go on to the next open one"),
    ("r", "regenerate it; you may give an instruction (更精炼 · 多用数据 · 突出成效)"),
    ("e", "edit it in $EDITOR; the numbers are checked again afterwards"),
    ("s", "skip it: the draft keeps its heading with a TODO"),
    ("p", "go back to the previous section"),
    ("v", "earlier versions of this section (every draft and edit is kept)"),
    ("1-9", "show reference passage N in full"),
    ("q", "quit; everything is saved: `drafter draft --resume` continues here"),
    ("Ctrl-C", "while streaming: stop the section and keep its text; at a prompt: quit (exit 130)"),
)
NUMBER_STYLES = {"grounded": "bold green", "derived": "bold cyan", "formula": "dim",
                 "placeholder": "bold yellow", "ungrounded": "bold reverse red",
                 "misattributed": "bold reverse magenta", "unbound": "yellow"}



class StreamView:
    """The section as it streams: its last lines and the speed, redrawn in place and cleared at the
    end (the checked text is printed after), so it fits any terminal height."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.text = ""
        self.tokens = 0
        self.first: float | None = None
        self.stopping = False
        self.started = time.monotonic()
        self.wait: tuple[str, float] | None = None  # a call nobody sees stream (a repair) and its start
        self._live = Live(self, console=console, transient=True, refresh_per_second=8,
                          redirect_stdout=False, redirect_stderr=False)

    def __enter__(self) -> "StreamView":
        self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.stop()

    def delta(self, text: str) -> None:
        if self.first is None:
            self.first = time.monotonic()
        self.text += text
        self.tokens += 1  # a streamed delta is about one token

    @contextmanager
    def waiting(self, label: str) -> Iterator[NullWait]:
        """The status line shows ``label`` and its seconds while the block runs."""
        self.wait = (label, time.monotonic())
        try:
            yield NullWait()
        finally:
            self.wait = None

    def status(self) -> Text:
        now = time.monotonic()
        if self.wait is not None:
            label, since = self.wait
            return Text(f"{label}… {now - since:.0f} s", style="dim")
        if self.first is None:
            return Text(f"waiting for the first token… {now - self.started:.0f} s (Ctrl-C stops)", style="dim")
        seconds = max(now - self.first, 0.01)
        line = f"{self.tokens} tokens · {self.tokens / seconds:.1f} tokens/s · {len(self.text)} 字"
        line += " · stopping…" if self.stopping else " · Ctrl-C stops"
        return Text(line, style="dim")

    def __rich_console__(self, console: Console, options):
        room = max(2, console.size.height - 4)
        yield from Text(self.text).wrap(console, options.max_width)[-room:]
        yield self.status()


def section_body(text: str, report: CheckReport) -> Text:
    """The section's text with each number in the colour of its check status."""
    body = Text(text)
    for f in report.findings:
        body.stylize(NUMBER_STYLES.get(f.status, ""), f.mention.start, f.mention.end)
    return body


def passage_lines(passages: tuple[dict, ...], width: int) -> list[Text]:
    """One line a passage: its heading path from the most specific heading up, then the report,
    so that what tells passages apart survives the cut at the terminal's width."""
    lines = []
    for i, p in enumerate(passages, start=1):
        title, *path = p["source"].split(" › ")
        line = Text(f"  [{i}] ", style="dim")
        line.append(" ‹ ".join(reversed(path)) or "开头", style="magenta")
        line.append(f" · {title}", style="dim")
        line.truncate(width - 1, overflow="ellipsis")
        lines.append(line)
    return lines


class UI:
    """The console and the keyboard; also the `DraftReporter` notes go here."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)
        self.keys = Keys(self.console)
        self._waits = WaitLine(self.console)

    @contextmanager
    def waiting(self, label: str) -> Iterator[object]:
        """Starting the local model, retrieving passages: a live line with the seconds elapsed."""
        with self._waits.waiting(label) as handle:
            yield handle

    def note(self, message: str) -> None:
        self.console.print(f"[dim]{escape(message)}[/]")

    def say(self, message: str) -> None:
        self.console.print(message)

    def warn(self, message: str) -> None:
        self.console.print(f"[yellow]{escape(message)}[/]")

    def error(self, message: str) -> None:
        self.console.print(f"[bold red]error:[/] {escape(message)}")

    # The rest of the progress protocol: a session shows sections its own way.
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass
