"""Waits shown with their elapsed seconds, so that no long wait is silent.

On a terminal: one live status line (a spinner, every current wait and its seconds) once a wait
has lasted ``after`` seconds, gone when the waits end. When stderr is a file or a pipe: a plain
line when a wait passes ``after`` seconds and another every ``every`` seconds, so a log shows the
tool is alive and what it waits for.
"""

from __future__ import annotations

import itertools
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from rich.console import Console
from rich.status import Status
from rich.text import Text


@dataclass
class _Entry:
    label: str
    started: float
    printed: float | None = None  # when its last plain line was printed


class _Handle:
    def __init__(self, line: "WaitLine", key: int) -> None:
        self._line, self._key = line, key

    def update(self, label: str) -> None:
        self._line.update(self._key, label)


class WaitLine:
    """The waits of one console. ``live``: how a terminal shows the current line (None: clear it);
    by default a rich ``Status`` spinner."""

    def __init__(self, console: Console, after: float = 2.0, every: float = 10.0, tick: float = 0.25,
                 live: Callable[[Text | None], None] | None = None, plain: bool | None = None) -> None:
        self.console = console
        self.after, self.every, self.tick = after, every, tick
        self.plain = (not console.is_terminal) if plain is None else plain
        self._live = live or self._status_line
        self._status: Status | None = None
        self._entries: dict[int, _Entry] = {}
        self._keys = itertools.count()
        self._lock = threading.RLock()
        self._thread: threading.Thread | None = None
        self._shown = False

    @contextmanager
    def waiting(self, label: str) -> Iterator[_Handle]:
        key = self.begin(label)
        try:
            yield _Handle(self, key)
        finally:
            self.end(key)

    def begin(self, label: str) -> int:
        with self._lock:
            key = next(self._keys)
            self._entries[key] = _Entry(label, time.monotonic())
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="wait-line", daemon=True)
                self._thread.start()
            return key

    def update(self, key: int, label: str) -> None:
        with self._lock:
            if key in self._entries:
                self._entries[key].label = label

    def end(self, key: int) -> None:
        with self._lock:
            self._entries.pop(key, None)
            self._refresh(time.monotonic())  # at once: a stream may print right after this

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._entries:
                    self._thread = None
                    return
                self._refresh(time.monotonic())
            time.sleep(self.tick)

    def _refresh(self, now: float) -> None:
        """Called with the lock held, so no line is shown after the wait it belongs to has ended."""
        due = [e for e in self._entries.values() if now - e.started >= self.after]
        if self.plain:
            for e in due:
                if e.printed is None or now - e.printed >= self.every:
                    e.printed = now
                    self.console.print(Text(f"… {e.label} · {now - e.started:.0f} s"), highlight=False)
            return
        if due:
            self._shown = True
            self._live(Text(" · ".join(f"{e.label} {now - e.started:.0f} s" for e in due)))
        elif self._shown:
            self._shown = False
            self._live(None)

    def _status_line(self, text: Text | None) -> None:
        if text is None:
            if self._status is not None:
                self._status.stop()
                self._status = None
            return
        if self._status is None:
            self._status = Status(text, console=self.console, spinner="dots")
            self._status.start()
        else:
            self._status.update(text)
