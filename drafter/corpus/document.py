"""One corpus file → one Document: read, clean, find title/type/year/issuer, parse headings.

A document's metadata can be set by hand, for files whose title or type the rules get wrong:
YAML front matter at the top of a .txt/.md (between two ``---`` lines), or a sidecar file
``<file name>.meta.yaml`` beside it (e.g. ``述职.docx.meta.yaml``), with keys
``title``, ``type``, ``year``, ``issuer``. The sidecar wins over front matter.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from drafter.corpus.cleaning import clean
from drafter.corpus.doctype import classify, find_issuer, find_year
from drafter.corpus.sources import SIDECAR_SUFFIX, read_text
from drafter.corpus.structure import parse_structure
from drafter.errors import CorpusError
from drafter.fileio import Unreadable, read_user_text
from drafter.records import Document

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
META_KEYS = ("title", "type", "year", "issuer")


def load_document(path: Path, root: Path) -> Document:
    """Raises ``sources.Unreadable`` for a file to skip, ``CorpusError`` for bad metadata."""
    doc_id = path.name if root.is_file() else path.relative_to(root).as_posix()
    raw = read_text(path)
    meta, raw = _front_matter(raw, path)
    meta.update(_sidecar(path))
    return parse_document(doc_id, raw, sha256=source_hash(path), meta=meta)


# Bumped when reading changes what a document is (its type, title or tree): an index built by an
# older reader then reads every file again instead of keeping what the old reader made of it.
READER_VERSION = b"2"


def source_hash(path: Path) -> str:
    """Hash of the file, its sidecar and the reader: a changed sidecar, or a new reader, re-reads
    the document too."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(b"\x00reader\x00" + READER_VERSION)
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.is_file():
        digest.update(b"\x00sidecar\x00" + sidecar.read_bytes())
    return digest.hexdigest()


def parse_document(doc_id: str, raw: str, sha256: str = "", meta: dict[str, Any] | None = None) -> Document:
    """The pure part of ``load_document``: text in, Document out."""
    meta = meta or {}
    cleaned = clean(raw)
    if not cleaned.text.strip():
        raise Unreadable("no text left after cleaning")
    stem = Path(doc_id).stem
    stem_words = re.sub(r"[_\-]+", " ", stem).strip() if re.search(r"[\u4e00-\u9fff]", stem) else ""
    found_title = cleaned.title
    title = str(meta.get("title") or found_title or stem_words or stem)
    structure = parse_structure(cleaned.text, title=found_title, subtitle=cleaned.subtitle)

    if meta.get("type"):
        doc_type, type_source, confidence = str(meta["type"]), "metadata", 1.0
        evidence: tuple[str, ...] = (f"metadata type: {doc_type}",)
    else:
        # The text's own title (or the one set by hand); the file name is weighed as a file name.
        own_title = str(meta.get("title") or found_title)
        decision = classify(own_title, stem_words, cleaned.text, structure.headings, subtitle=cleaned.subtitle)
        doc_type, type_source = decision.doc_type, decision.source
        confidence, evidence = decision.confidence, decision.evidence
    year = _year(meta.get("year"), doc_id) if meta.get("year") else find_year(title, cleaned.header_date, stem)
    issuer = str(meta.get("issuer") or cleaned.header_issuer or find_issuer(title, stem_words))
    return Document(
        doc_id=doc_id,
        title=title,
        doc_type=doc_type,
        year=year,
        issuer=issuer,
        headings=structure.headings,
        blocks=structure.blocks,
        text=cleaned.text,
        sha256=sha256 or hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        type_source=type_source,
        type_confidence=confidence,
        type_evidence=evidence,
    )


def _front_matter(raw: str, path: Path) -> tuple[dict[str, Any], str]:
    m = _FRONT_MATTER.match(raw.lstrip("\ufeff"))
    if not m:
        return {}, raw
    return _meta(m.group(1), f"{path} (front matter)"), raw.lstrip("\ufeff")[m.end():]


def _sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    return _meta(read_user_text(sidecar, "metadata", CorpusError), str(sidecar))


def _meta(text: str, where: str) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise CorpusError(f"{where}{line}: not valid YAML") from e
    if not isinstance(data, dict):
        raise CorpusError(f"{where}: expected keys {', '.join(META_KEYS)}")
    unknown = sorted(set(data) - set(META_KEYS))
    if unknown:
        raise CorpusError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(META_KEYS)})")
    return {k: v for k, v in data.items() if v not in (None, "")}


def _year(value: Any, where: str) -> int:
    try:
        year = int(str(value).rstrip("年"))
    except ValueError:
        raise CorpusError(f"{where}: year must be a number such as 2024, got {value!r}") from None
    return year
