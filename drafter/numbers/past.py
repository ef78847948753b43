"""The corpus number index: every data number of every indexed report, by value.

Kept beside the Chroma index as ``<data dir>/numbers.sqlite`` and rebuilt by ``drafter ingest``
when the catalogue changed. The checker asks it one question — "which past reports state this
value?" — to tell a writer that an ungrounded number of the draft is last period's figure. A
lookup is one indexed key access (the key is the value in base units, 6 significant digits);
unit, year and context are judged by the checker on the few rows that come back.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from drafter.numbers.extract import data_mentions
from drafter.numbers.spans import ITEM_END, SENTENCE_END, back, forward
from drafter.records import Document

FILE_NAME = "numbers.sqlite"
SCHEMA = "1"


@dataclass(frozen=True)
class PastNumber:
    """A data number as a past report states it."""

    doc_id: str
    title: str
    doc_type: str
    year: int | None
    line: int
    text: str  # as written: 7620个
    value: float  # base units
    unit: str
    qualifier: str
    snippet: str  # the clause up to the number: 新增学位7620个
    context: str  # the words around it in its sentence (for the checker's context test)

    @property
    def label(self) -> str:
        """2023年述职, or the title when the report names no year."""
        return f"{self.year}年{self.doc_type}" if self.year else (self.title or self.doc_id)


def value_key(value: float) -> str:
    """Equal numbers in base units share a key: 12.73亿 and 127300万 → 1.273e+09."""
    return f"{value:.6g}"


def index_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def numbers_of(doc: Document) -> list[PastNumber]:
    text = doc.text
    out = []
    line = 1
    last = 0
    for m in data_mentions(text):
        if m.value is None:
            continue
        line += text.count("\n", last, m.start)
        last = m.start
        a = back(text, m.start, ITEM_END, limit=16)
        sa = back(text, m.start, SENTENCE_END, limit=24)
        sb = forward(text, m.end, SENTENCE_END, limit=12)
        out.append(PastNumber(doc.doc_id, doc.title, doc.doc_type, doc.year, line, m.text, m.value,
                              m.unit, m.qualifier, text[a:m.end].strip(), text[sa:sb]))
    return out


def build_number_index(documents: Iterable[Document], path: Path, generation: str = "") -> int:
    """Write the index for ``documents`` to ``path`` whole (temp file, then rename); the row count."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    rows = 0
    try:
        with db:
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE numbers (key TEXT NOT NULL, doc_id TEXT, title TEXT, doc_type TEXT, "
                       "year INTEGER, line INTEGER, text TEXT, value REAL, unit TEXT, qualifier TEXT, "
                       "snippet TEXT, context TEXT)")
            for doc in documents:
                batch = [(value_key(n.value), n.doc_id, n.title, n.doc_type, n.year, n.line, n.text,
                          n.value, n.unit, n.qualifier, n.snippet, n.context) for n in numbers_of(doc)]
                db.executemany("INSERT INTO numbers VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", batch)
                rows += len(batch)
            db.execute("CREATE INDEX numbers_by_key ON numbers (key)")
            db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", SCHEMA), ("generation", generation)])
        db.close()
        os.replace(tmp, path)  # readers see the old index or the new one, never half of one
    finally:
        db.close()
        tmp.unlink(missing_ok=True)
    return rows


def index_generation(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
            schema = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None  # damaged: rebuilt by the next ingest
    if not row or not schema or schema[0] != SCHEMA:
        return None
    return row[0]


def refresh_number_index(data_dir: Path, catalogue, progress=None) -> bool:
    """Rebuild the index when the catalogue's generation changed (called by ingest, under its
    lock). True when it was rebuilt."""
    path = index_path(data_dir)
    generation = catalogue.generation()
    if index_generation(path) == generation:
        return False
    if progress is not None:
        progress.stage("number index")
    build_number_index(catalogue.documents(), path, generation)
    return True


class NumberIndex:
    """Read side: ``lookup(value)`` → the past numbers of that value."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def lookup(self, value: float) -> tuple[PastNumber, ...]:
        rows = self._db.execute(
            "SELECT doc_id, title, doc_type, year, line, text, value, unit, qualifier, snippet, context "
            "FROM numbers WHERE key = ?", (value_key(value),))
        return tuple(PastNumber(*row) for row in rows)

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM numbers").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "NumberIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_number_index(data_dir: Path) -> NumberIndex | None:
    """The index of the data dir, or None when there is none (or it cannot be read)."""
    path = index_path(data_dir)
    if index_generation(path) is None:
        return None
    try:
        return NumberIndex(path)
    except sqlite3.Error:
        return None

