"""Single keys and lines from the keyboard, and $EDITOR: what the session reads from the writer.

Keys are read in cbreak mode (no echo, no Enter; Ctrl-C still raises KeyboardInterrupt).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape

from drafter.fileio import read_user_text


class Keys:
    """Single keys and short lines from the terminal. Bytes are read one at a time, so keys typed
    ahead stay queued for the next prompt instead of being swallowed."""

    def __init__(self, console: Console, fd: int | None = None) -> None:
        self.console = console
        self.fd = sys.stdin.fileno() if fd is None else fd

    @contextmanager
    def _cbreak(self) -> Iterator[None]:
        import termios
        import tty

        old = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd, termios.TCSANOW)  # TCSANOW: keep what was typed ahead
        try:
            yield
        finally:
            termios.tcsetattr(self.fd, termios.TCSANOW, old)

    def key(self, prompt: str) -> str:
        with self._cbreak():
            self.console.print(prompt, end="")
            ch = self._char()
        self.console.print(escape(ch) if ch.isprintable() else "")
        return ch

    def line(self, prompt: str) -> str | None:
        """A short line: Enter ends it, Esc cancels (None), Backspace and Ctrl-U edit."""
        chars: list[str] = []
        with self._cbreak():
            self.console.print(prompt, end="")
            while True:
                ch = self._char()
                if ch in ("\r", "\n"):
                    break
                if ch == "\x1b":
                    self.console.print()
                    return None
                if ch in ("\x7f", "\b") and chars:
                    self._erase(chars.pop())
                elif ch == "\x15":
                    while chars:
                        self._erase(chars.pop())
                elif ch.isprintable():
                    chars.append(ch)
                    self._raw(ch)
        self.console.print()
        return "".join(chars).strip()

    def _erase(self, ch: str) -> None:
        width = cell_len(ch)  # a Chinese character takes two cells
        self._raw("\b" * width + " " * width + "\b" * width)

    def _raw(self, text: str) -> None:
        self.console.file.write(text)
        self.console.file.flush()

    def _char(self) -> str:
        first = os.read(self.fd, 1)
        if not first:
            raise EOFError("the terminal closed")
        if first == b"\x1b":
            self._drain_escape()
            return "\x1b"
        lead = first[0]
        more = 1 if lead >> 5 == 0b110 else 2 if lead >> 4 == 0b1110 else 3 if lead >> 3 == 0b11110 else 0
        data = first + b"".join(os.read(self.fd, 1) for _ in range(more))
        return data.decode("utf-8", errors="replace")

    def _drain_escape(self) -> None:
        """The rest of an escape sequence (an arrow key): it is not a key of ours."""
        import select

        while select.select([self.fd], [], [], 0.02)[0]:
            if not os.read(self.fd, 1):
                return


# --- the editor --------------------------------------------------------------------------------


def editor_command(env: dict[str, str] | None = None) -> list[str] | None:
    """$EDITOR (then $VISUAL) as a command line; else vi or nano when installed; else None."""
    env = os.environ if env is None else env
    for name in ("EDITOR", "VISUAL"):
        if env.get(name, "").strip():
            return shlex.split(env[name])
    for fallback in ("vi", "nano"):
        found = shutil.which(fallback, path=env.get("PATH"))
        if found:
            return [found]
    return None


def edit_in_editor(warn: Callable[[str], None], text: str, path: Path) -> str | None:
    """Let the writer edit ``text`` in a file at ``path``; the new text, or None (and why) when the
    editor could not run or failed: then the caller keeps the previous text."""
    command = editor_command()
    if command is None:
        warn("no editor: $EDITOR is not set and neither vi nor nano is installed. "
                "Set one, e.g. `export EDITOR=nano`, and press e again. The text is unchanged.")
        return None
    path.write_text(text, encoding="utf-8")
    try:
        code = subprocess.call([*command, str(path)])
    except OSError as e:
        warn(f"cannot start the editor {command[0]!r} ({e.strerror}): set EDITOR to one that is installed. "
                "The text is unchanged.")
        return None
    if code != 0:
        warn(f"the editor exited with code {code}: the previous text is kept (what you typed is in {path})")
        return None
    edited = read_user_text(path, "edited")  # an editor may save in the system's encoding (GBK)
    path.unlink(missing_ok=True)
    return edited
