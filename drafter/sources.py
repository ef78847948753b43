"""Find corpus files and turn each into text: .txt/.md decoded (UTF-8 or GB18030), .docx read
paragraph by paragraph with its tables. Whatever cannot be read is reported, never fatal."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from drafter.errors import CorpusError, InputFileError

SUFFIXES = (".txt", ".md", ".docx")
MAX_BYTES = 10 * 1024 * 1024  # a report is well under 1 MB; 10 MB is a dump, not a report
SIDECAR_SUFFIX = ".meta.yaml"


class Unreadable(Exception):
    """A file that is skipped with a warning; the message says why."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    doc_id: str  # relative to the corpus root, with / separators


def find_sources(root: Path) -> list[SourceFile]:
    """Every report file under ``root``, sorted, skipping hidden folders and Office lock files."""
    if not root.exists():
        raise CorpusError(f"corpus folder {root} does not exist")
    if root.is_file():
        if root.suffix.lower() not in SUFFIXES:
            raise CorpusError(f"{root} is not a .txt, .md or .docx file")
        return [SourceFile(root, root.name)]
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or path.name.startswith("~$"):
            continue
        if path.is_file() and path.suffix.lower() in SUFFIXES and path.name.lower() != "readme.md":
            found.append(SourceFile(path, rel.as_posix()))
    return found


def read_text(path: Path) -> str:
    """The file's text. Raises Unreadable for binary, undecodable, empty or oversized files."""
    size = path.stat().st_size
    if size == 0:
        raise Unreadable("the file is empty")
    if size > MAX_BYTES:
        raise Unreadable(f"{size / 1e6:.0f} MB is larger than {MAX_BYTES // 2**20} MB: not a report")
    if path.suffix.lower() == ".docx":
        return _read_docx(path)
    return decode(path.read_bytes())


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


def _read_docx(path: Path) -> str:
    import zipfile

    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = open_docx(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise Unreadable(f"not a valid .docx ({e})") from e
    lines: list[str] = []
    body = document.element.body
    # Walk the body in order so tables stay where they stood between paragraphs.
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(node.text or "" for node in child.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            lines.extend(_table_rows(child))
    return "\n".join(lines)


def _table_rows(table) -> list[str]:
    """A table becomes one line a row, cells joined by ' | ', so its figures stay searchable."""
    rows = []
    for row in table.iter():
        if not row.tag.endswith("}tr"):
            continue
        cells = []
        for cell in row.iterchildren():
            if cell.tag.endswith("}tc"):
                text = "".join(node.text or "" for node in cell.iter() if node.tag.endswith("}t"))
                cells.append(text.strip())
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def read_user_text(path: Path, error: type[InputFileError] = InputFileError) -> str:
    """A file the user gave (facts, outline, draft, sidecar) as str, decoded as corpus files are;
    every failure is ``error`` naming the file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise error(f"{path}: no such file") from e
    except OSError as e:
        raise error(f"{path}: cannot read ({e.strerror})") from e
    if not data:
        return ""
    try:
        return decode(data)
    except Unreadable as e:
        raise error(f"{path}: {e}") from e
