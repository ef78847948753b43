"""Find corpus files and turn each into text: .txt/.md decoded (UTF-8 or GB18030), .docx read
paragraph by paragraph with its tables. Whatever cannot be read is reported, never fatal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drafter.errors import CorpusError
from drafter.fileio import Unreadable, decode

SUFFIXES = (".txt", ".md", ".docx")
MAX_BYTES = 10 * 1024 * 1024  # a report is well under 1 MB; 10 MB is a dump, not a report
SIDECAR_SUFFIX = ".meta.yaml"


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
