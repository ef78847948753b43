"""The catalogue: which documents are indexed, at which file hash, and their chunks (SQLite).

It is the source of truth. Chroma (vectors) and the BM25 index are derived from it and brought
back in line after every ingest, so an ingest stopped half-way never leaves search answering
from a document version that is gone: search only returns chunks the catalogue holds.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict
from pathlib import Path

from drafter.records import Block, Chunk, Document, Heading

SCHEMA_VERSION = "1"
FILTER_COLUMNS = ("doc_id", "doc_type", "year", "kind")


class Catalogue:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS documents (doc_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, body TEXT NOT NULL)"
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS chunks (chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, "
                "position INTEGER NOT NULL, doc_type TEXT, year INTEGER, kind TEXT, body TEXT NOT NULL)"
            )
            self._db.execute("CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks (doc_id, position)")
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))

    def close(self) -> None:
        self._db.close()

    # --- documents ---

    def hashes(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT doc_id, sha256 FROM documents"))

    def put_document(self, doc: Document, chunks: list[Chunk]) -> None:
        """Replace a document and its chunks in one transaction."""
        with self._db:
            self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc.doc_id,))
            self._db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?)",
                (doc.doc_id, doc.sha256, json.dumps(asdict(doc), ensure_ascii=False)),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (c.chunk_id, c.doc_id, c.position, c.doc_type, c.year, c.kind, json.dumps(asdict(c), ensure_ascii=False))
                    for c in chunks
                ],
            )

    def remove_document(self, doc_id: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def documents(self) -> list[Document]:
        rows = self._db.execute("SELECT body FROM documents ORDER BY doc_id")
        return [document_from_json(json.loads(body)) for (body,) in rows]

    def chunk_counts(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT doc_id, COUNT(*) FROM chunks GROUP BY doc_id"))

    # --- chunks ---

    def chunk_ids(self) -> list[str]:
        return [cid for (cid,) in self._db.execute("SELECT chunk_id FROM chunks ORDER BY doc_id, position")]

    def chunks(self, ids: list[str] | None = None) -> list[Chunk]:
        if ids is None:
            rows = self._db.execute("SELECT body FROM chunks ORDER BY doc_id, position").fetchall()
            return [chunk_from_json(json.loads(body)) for (body,) in rows]
        found: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            for cid, body in self._db.execute(f"SELECT chunk_id, body FROM chunks WHERE chunk_id IN ({marks})", batch):
                found[cid] = chunk_from_json(json.loads(body))
        return [found[i] for i in ids if i in found]

    def filter_ids(self, **equal: object) -> set[str]:
        """Ids of the chunks whose columns equal the given values (None values are ignored)."""
        terms = {k: v for k, v in equal.items() if v is not None}
        unknown = set(terms) - set(FILTER_COLUMNS)
        if unknown:
            raise ValueError(f"cannot filter chunks by {sorted(unknown)}")
        where = " AND ".join(f"{column} = ?" for column in terms) or "1"
        return {cid for (cid,) in self._db.execute(f"SELECT chunk_id FROM chunks WHERE {where}", list(terms.values()))}

    def values(self, column: str) -> dict[object, int]:
        """Distinct values of a filter column with their chunk counts."""
        if column not in FILTER_COLUMNS:
            raise ValueError(column)
        return dict(self._db.execute(f"SELECT {column}, COUNT(*) FROM chunks GROUP BY {column}"))

    def generation(self) -> str:
        """A hash of the chunk id set: derived indexes record it to know whether they are current."""
        digest = hashlib.sha256()
        for cid in self.chunk_ids():
            digest.update(cid.encode())
        return digest.hexdigest()[:16]


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
