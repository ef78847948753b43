"""The catalogue: which documents are indexed, at which file hash, and their chunks (SQLite).

It is the source of truth, and it holds two states. The *published* one (tables ``documents`` and
``chunks``) is what every reader sees: search, `drafter corpus`, outlines, drafting. An ingest
*stages* its changes beside it (``staged_documents``, ``staged_chunks``, ``staged_removals``; the
views ``next_documents`` and ``next_chunks`` show the index as it will be) and only when the
vectors, the BM25 index and the number index of that next state are complete does it publish them,
in one transaction. An ingest killed at any point therefore leaves the last complete index in
place, with a journal (meta ``ingest``) that says how far the interrupted run got.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from drafter.records import Block, Chunk, Document, Heading

SCHEMA_VERSION = 2  # 2: staged tables and views beside the published ones (PRAGMA user_version)
FILTER_COLUMNS = ("doc_id", "doc_type", "year", "kind")

_DOCUMENT_COLUMNS = "doc_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, body TEXT NOT NULL"
_CHUNK_COLUMNS = ("chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, position INTEGER NOT NULL, "
                  "doc_type TEXT, year INTEGER, kind TEXT, body TEXT NOT NULL")
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    f"CREATE TABLE IF NOT EXISTS documents ({_DOCUMENT_COLUMNS})",
    f"CREATE TABLE IF NOT EXISTS chunks ({_CHUNK_COLUMNS})",
    "CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks (doc_id, position)",
    f"CREATE TABLE IF NOT EXISTS staged_documents ({_DOCUMENT_COLUMNS})",
    f"CREATE TABLE IF NOT EXISTS staged_chunks ({_CHUNK_COLUMNS})",
    "CREATE INDEX IF NOT EXISTS staged_chunks_by_doc ON staged_chunks (doc_id, position)",
    "CREATE TABLE IF NOT EXISTS staged_removals (doc_id TEXT PRIMARY KEY)",
    # The index as the running ingest will publish it: published rows of documents it neither
    # replaces nor removes, and its staged rows.
    "CREATE VIEW IF NOT EXISTS next_documents AS "
    "SELECT * FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM staged_documents) "
    "AND doc_id NOT IN (SELECT doc_id FROM staged_removals) UNION ALL SELECT * FROM staged_documents",
    "CREATE VIEW IF NOT EXISTS next_chunks AS "
    "SELECT * FROM chunks WHERE doc_id NOT IN (SELECT doc_id FROM staged_documents) "
    "AND doc_id NOT IN (SELECT doc_id FROM staged_removals) UNION ALL SELECT * FROM staged_chunks",
)


class CatalogueView:
    """Read access to one state of the catalogue: the published index, or the next one."""

    def __init__(self, db: sqlite3.Connection, documents: str, chunks: str) -> None:
        self._db = db
        self._documents = documents
        self._chunks = chunks

    def hashes(self) -> dict[str, str]:
        return dict(self._db.execute(f"SELECT doc_id, sha256 FROM {self._documents}"))

    def documents(self) -> list[Document]:
        rows = self._db.execute(f"SELECT body FROM {self._documents} ORDER BY doc_id")
        return [document_from_json(json.loads(body)) for (body,) in rows]

    def chunk_counts(self) -> dict[str, int]:
        return dict(self._db.execute(f"SELECT doc_id, COUNT(*) FROM {self._chunks} GROUP BY doc_id"))

    def chunk_ids(self) -> list[str]:
        return [cid for (cid,) in self._db.execute(f"SELECT chunk_id FROM {self._chunks} ORDER BY doc_id, position")]

    def chunks(self, ids: list[str] | None = None) -> list[Chunk]:
        if ids is None:
            rows = self._db.execute(f"SELECT body FROM {self._chunks} ORDER BY doc_id, position").fetchall()
            return [chunk_from_json(json.loads(body)) for (body,) in rows]
        found: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            for cid, body in self._db.execute(f"SELECT chunk_id, body FROM {self._chunks} WHERE chunk_id IN ({marks})", batch):
                found[cid] = chunk_from_json(json.loads(body))
        return [found[i] for i in ids if i in found]

    def known(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are chunks of this state."""
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            found.update(cid for (cid,) in self._db.execute(
                f"SELECT chunk_id FROM {self._chunks} WHERE chunk_id IN ({marks})", batch))
        return found

    def count(self) -> int:
        return self._db.execute(f"SELECT COUNT(*) FROM {self._chunks}").fetchone()[0]

    def filter_ids(self, **equal: object) -> set[str]:
        """Ids of the chunks whose columns equal the given values (None values are ignored)."""
        terms = {k: v for k, v in equal.items() if v is not None}
        unknown = set(terms) - set(FILTER_COLUMNS)
        if unknown:
            raise ValueError(f"cannot filter chunks by {sorted(unknown)}")
        where = " AND ".join(f"{column} = ?" for column in terms) or "1"
        return {cid for (cid,) in self._db.execute(f"SELECT chunk_id FROM {self._chunks} WHERE {where}", list(terms.values()))}

    def values(self, column: str) -> dict[object, int]:
        """Distinct values of a filter column with their chunk counts."""
        if column not in FILTER_COLUMNS:
            raise ValueError(column)
        return dict(self._db.execute(f"SELECT {column}, COUNT(*) FROM {self._chunks} GROUP BY {column}"))

    def generation(self) -> str:
        """A hash of the documents' file hashes and the chunk id set: the BM25 and number indexes
        record the generation they were built from, to know whether they are current."""
        digest = hashlib.sha256()
        for doc_id, sha in self._db.execute(f"SELECT doc_id, sha256 FROM {self._documents} ORDER BY doc_id"):
            digest.update(f"{doc_id}\x00{sha}\x00".encode())
        for cid in self.chunk_ids():
            digest.update(cid.encode())
        return digest.hexdigest()[:16]


class Catalogue(CatalogueView):
    """The catalogue file. As a ``CatalogueView`` it reads the published index."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        db = sqlite3.connect(path, timeout=60)
        super().__init__(db, "documents", "chunks")
        if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:  # readers do not write
            db.execute("PRAGMA journal_mode=WAL")
            with db:
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', '1')")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    # --- what readers are told ---

    def published(self) -> dict[str, Any] | None:
        """When the index readers see was published, and its size; None when there is none yet.
        (A catalogue written before staging existed has documents but no record: it counts.)"""
        info = self._meta("published")
        if info is not None:
            return info
        if self._db.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
            return {"at": "", "documents": len(self.hashes()), "chunks": self.count()}
        return None

    def journal(self) -> dict[str, Any] | None:
        """The running or interrupted ingest's record (started, stage, done/total); None when the
        last ingest published."""
        return self._meta("ingest")

    # --- an ingest: stage, then publish in one transaction ---

    def next_state(self) -> CatalogueView:
        """The index as the running ingest will publish it."""
        return CatalogueView(self._db, "next_documents", "next_chunks")

    def begin_ingest(self, **journal: Any) -> None:
        """Start staging from the published state. What an interrupted ingest staged is dropped;
        the embeddings it paid for are not (they are in the vector cache and in Chroma)."""
        with self._db:
            self._clear_staged()
            self._set_meta("ingest", {"started": _now(), **journal})

    def update_journal(self, **fields: Any) -> None:
        info = self.journal() or {}
        with self._db:
            self._set_meta("ingest", {**info, **fields})

    def stage_document(self, doc: Document, chunks: list[Chunk]) -> None:
        """A new or changed document (replacing its staged version, if any), in one transaction."""
        with self._db:
            self._db.execute("DELETE FROM staged_chunks WHERE doc_id = ?", (doc.doc_id,))
            self._db.execute("DELETE FROM staged_removals WHERE doc_id = ?", (doc.doc_id,))
            self._db.execute(
                "INSERT OR REPLACE INTO staged_documents VALUES (?, ?, ?)",
                (doc.doc_id, doc.sha256, json.dumps(asdict(doc), ensure_ascii=False)),
            )
            self._db.executemany("INSERT OR REPLACE INTO staged_chunks VALUES (?, ?, ?, ?, ?, ?, ?)", [_chunk_row(c) for c in chunks])

    def stage_removal(self, doc_id: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM staged_chunks WHERE doc_id = ?", (doc_id,))
            self._db.execute("DELETE FROM staged_documents WHERE doc_id = ?", (doc_id,))
            self._db.execute("INSERT OR IGNORE INTO staged_removals VALUES (?)", (doc_id,))

    def staged_changes(self) -> tuple[list[str], list[str], list[str]]:
        """(added, changed, removed) document ids, against the published index."""
        published = set(self.hashes())
        staged = [d for (d,) in self._db.execute("SELECT doc_id FROM staged_documents ORDER BY doc_id")]
        removed = [d for (d,) in self._db.execute("SELECT doc_id FROM staged_removals ORDER BY doc_id")]
        return [d for d in staged if d not in published], [d for d in staged if d in published], removed

    def publish(self) -> None:
        """Make the staged state the published one: one transaction, so a reader sees the old index
        or the new one, whole. The journal says "tidying" until ``end_ingest``."""
        with self._db:
            touched = "SELECT doc_id FROM staged_documents UNION SELECT doc_id FROM staged_removals"
            self._db.execute(f"DELETE FROM chunks WHERE doc_id IN ({touched})")
            self._db.execute(f"DELETE FROM documents WHERE doc_id IN ({touched})")
            self._db.execute("INSERT INTO documents SELECT * FROM staged_documents")
            self._db.execute("INSERT INTO chunks SELECT * FROM staged_chunks")
            self._clear_staged()
            journal = self.journal() or {}
            self._set_meta("ingest", {**journal, "stage": "tidying", "done": 0, "total": 0})
            documents = self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            self._set_meta("published", {"at": _now(), "documents": documents, "chunks": self.count()})

    def end_ingest(self) -> None:
        """The ingest is done, tidying included: no journal."""
        with self._db:
            self._db.execute("DELETE FROM meta WHERE key = 'ingest'")

    def abandon_ingest(self) -> None:
        """An ingest that refused to go on (nothing readable, too much to remove): nothing staged
        stays, and no interrupted run is reported."""
        with self._db:
            self._clear_staged()
            self._db.execute("DELETE FROM meta WHERE key = 'ingest'")

    # --- helpers ---

    def _clear_staged(self) -> None:
        for table in ("staged_documents", "staged_chunks", "staged_removals"):
            self._db.execute(f"DELETE FROM {table}")

    def _meta(self, key: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return {}

    def _set_meta(self, key: str, value: dict[str, Any]) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False)))


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


def _chunk_row(c: Chunk) -> tuple:
    return (c.chunk_id, c.doc_id, c.position, c.doc_type, c.year, c.kind, json.dumps(asdict(c), ensure_ascii=False))


def document_from_json(data: dict) -> Document:
    data = dict(data)
    data["headings"] = tuple(Heading(**h) for h in data["headings"])
    data["blocks"] = tuple(Block(heading_path=tuple(b["heading_path"]), text=b["text"], line=b["line"]) for b in data["blocks"])
    data["type_evidence"] = tuple(data.get("type_evidence", ()))  # absent in catalogues written before it
    return Document(**data)


def chunk_from_json(data: dict) -> Chunk:
    data = dict(data)
    data["heading_path"] = tuple(data["heading_path"])
    return Chunk(**data)
