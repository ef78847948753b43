"""File I/O every stage shares: read a file the user gave, write output whole or not at all, JSON
lines and JSON text.

- ``read_user_text``: facts, outlines, drafts, sidecars — decoded as corpus files are (UTF-8, UTF-16
  with a BOM, GB18030, else detection); every failure is one error in one wording, naming the file.
- ``write_atomic`` / ``write_text_atomic``: beside the target, fsync, then rename. A failure, a full
  disk or Ctrl-C never leaves a half-written file; without ``force`` an existing file is never
  overwritten, not even one that appeared after the check.
- ``append_jsonl`` / ``read_jsonl``: one line per record, appended with one ``write()`` under
  O_APPEND, so lines from parallel writers never interleave and a crash cuts no line.
- ``dumps``: the one JSON style of every ``--json`` output and JSON file (UTF-8, indented).
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, InputFileError, OutputFileError


class Unreadable(Exception):
    """Bytes that are not text drafter can read; the message says why. Corpus files that raise it
    are skipped with a warning; a user's own file raises the caller's error instead."""


# --- reading ----------------------------------------------------------------------------------


def read_user_text(path: Path, what: str = "input", error: type[InputFileError] = InputFileError,
                   allow_empty: bool = True) -> str:
    """A file the user named, as text. ``what`` names it in messages (draft, facts, outline);
    ``allow_empty=False`` makes an empty or blank file an error too."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise error(f"{path}: no such {what} file") from e
    except IsADirectoryError as e:
        raise error(f"{path}: is a folder, not a {what} file") from e
    except OSError as e:
        raise error(f"{path}: cannot read ({e.strerror})") from e
    try:
        text = decode(data) if data else ""
    except Unreadable as e:
        raise error(f"{path}: not a text file ({e})") from e
    if not allow_empty and not text.strip():
        raise error(f"{path}: the {what} is empty")
    return text


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, GB18030 when that reads as Chinese text,
    else what charset-normalizer detects. GBK and GB2312 are read as GB18030, their superset."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file (NUL bytes)")
    try:
        return _text_or_raise(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")  # the usual encoding of Chinese office files that are not UTF-8
        if _mostly_chinese(text):
            return _text_or_raise(text)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Unreadable("not text in any encoding drafter knows (tried UTF-8, GB18030 and detection)")
    return _text_or_raise(str(best))


def _mostly_chinese(text: str) -> bool:
    wide = [c for c in text if ord(c) > 0x7F]
    cjk = sum(1 for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    return not wide or cjk / len(wide) > 0.9


def _text_or_raise(text: str) -> str:
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(3, len(text) // 200):
        raise Unreadable("binary file (control characters)")
    return text


# --- writing whole files -----------------------------------------------------------------------


def check_target(out_path: Path, force: bool, error: type[DrafterError] = OutputFileError) -> None:
    folder = out_path.parent
    if not folder.is_dir():
        raise error(f"the output folder does not exist: {folder}")
    if out_path.is_dir():
        raise error(f"the output path is a folder: {out_path}")
    if out_path.exists() and not force:
        raise error(f"{out_path} already exists; pass --force to overwrite it")
    if not os.access(folder, os.W_OK):
        raise error(f"cannot write to the output folder: {folder}")


def write_atomic(data: bytes, out_path: Path, force: bool, error: type[DrafterError] = OutputFileError) -> None:
    folder = out_path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise error(f"cannot write to the output folder {folder}: {e.strerror}") from e
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _new_file_mode(out_path))
        if force:
            os.replace(tmp, out_path)
        else:
            _link_no_clobber(tmp, out_path, error)
    except OSError as e:
        raise error(f"cannot write {out_path}: {e.strerror or e}") from e
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(out_path: Path, text: str, force: bool = False, error: type[DrafterError] = OutputFileError) -> None:
    check_target(out_path, force, error)
    write_atomic(text.encode("utf-8"), out_path, force, error)


def _new_file_mode(out_path: Path) -> int:
    try:
        return out_path.stat().st_mode & 0o777  # overwriting keeps the old file's permissions
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _link_no_clobber(tmp: Path, out_path: Path, error: type[DrafterError]) -> None:
    try:
        os.link(tmp, out_path)
    except FileExistsError as e:
        raise error(f"{out_path} already exists; pass --force to overwrite it") from e
    except OSError:  # file systems without hard links
        if out_path.exists():
            raise error(f"{out_path} already exists; pass --force to overwrite it") from None
        os.replace(tmp, out_path)


# --- JSON ------------------------------------------------------------------------------------------

_append_lock = threading.Lock()


def dumps(payload: Any) -> str:
    """The one JSON style: UTF-8 text (no \\u escapes), indented, a newline at the end."""
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def append_jsonl(path: Path, record: dict[str, Any]) -> None:
    data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _append_lock:  # threads of one process; O_APPEND keeps processes apart
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file (none when it does not exist); a last line cut by a crash
    is left out rather than failing the whole read."""
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
    return records
