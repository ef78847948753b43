"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank.

RRF needs no score calibration between the two rankings, and on the sample corpus the fusion
of both top-50 lists beat either alone (see evals/bench_retrieval.py). Only chunks of the
published catalogue are returned: while an ingest runs (or after one was killed) Chroma may hold
vectors readers must not see yet, so the dense ranking asks for that many more and drops them —
search answers exactly as the last complete index would.
"""

from __future__ import annotations

import difflib
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from drafter.config import Settings
from drafter.errors import DrafterError, IndexStoreError
from drafter.index.catalogue import Catalogue
from drafter.index.embed import Embedder, make_embedder
from drafter.index.lexical import LexicalIndex
from drafter.index.state import IndexState, read_state
from drafter.index.vectors import VectorIndex
from drafter.progress import NullReporter, Reporter
from drafter.records import Document, Passage

MODES = ("hybrid", "dense", "lexical")
_SEARCHABLE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbfA-Za-z0-9]")


class QueryError(DrafterError):
    meaning = "the search request cannot be answered"


@dataclass(frozen=True)
class Filters:
    doc_type: str | None = None
    year: int | None = None
    doc_id: str | None = None
    kind: str | None = None

    def chroma_where(self) -> dict | None:
        terms = [{key: value} for key, value in self._terms().items()]
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else {"$and": terms}

    def _terms(self) -> dict[str, object]:
        return {
            k: v
            for k, v in (("doc_type", self.doc_type), ("year", self.year), ("doc_id", self.doc_id), ("kind", self.kind))
            if v is not None
        }

    @property
    def active(self) -> bool:
        return bool(self._terms())


class Retriever:
    def __init__(self, settings: Settings, catalogue: Catalogue, embedder: Embedder) -> None:
        self.settings = settings
        self.catalogue = catalogue
        self.embedder = embedder
        self._vectors = None
        self._unseen: int | None = None  # vectors in Chroma that are not published chunks
        self._lexical: LexicalIndex | None = None

    def search(self, query: str, k: int = 5, filters: Filters | None = None, mode: str = "hybrid") -> list[Passage]:
        filters = filters or Filters()
        if mode not in MODES:
            raise QueryError(f"--mode must be one of {', '.join(MODES)}, got {mode!r}")
        if not _SEARCHABLE.search(query):
            raise QueryError(f"the query {query!r} has no words to search for")
        if k < 1:
            raise QueryError("-k must be at least 1")
        self._check_filters(filters)
        allowed = self.catalogue.filter_ids(**filters._terms()) if filters.active else None
        n = max(self.settings.search.candidates, k)

        dense: list[str] = []
        lexical: list[str] = []
        if mode in ("hybrid", "dense"):
            dense = self._dense(query, n, filters, allowed)
        if mode in ("hybrid", "lexical"):
            lexical = [cid for cid, _ in self._lexical_index().top(query, n, allowed)]
        return self._fuse(dense, lexical, k)

    def _fuse(self, dense: list[str], lexical: list[str], k: int) -> list[Passage]:
        rrf_k = self.settings.search.rrf_k
        dense_rank = {cid: r for r, cid in enumerate(dense, start=1)}
        lexical_rank = {cid: r for r, cid in enumerate(lexical, start=1)}
        scores: dict[str, float] = {}
        for ranking in (dense, lexical):
            for rank, cid in enumerate(ranking, start=1):
                scores[cid] = scores.get(cid, 0.0) + 1.0 / (rrf_k + rank)
        # Equal fused scores (rank i in one list vs rank i in the other) go to the better single
        # rank, then to the dense ranking: breaking them by id would be a coin toss.
        worst = len(dense) + len(lexical) + 1

        def order(cid: str) -> tuple[float, int, int]:
            d, lx = dense_rank.get(cid, worst), lexical_rank.get(cid, worst)
            return (-scores[cid], min(d, lx), d)

        ordered = sorted(scores, key=order)
        chunks = {c.chunk_id: c for c in self.catalogue.chunks(ordered[: k * 3])}  # vectors may outlive chunks
        passages = [
            Passage(chunk=chunks[cid], score=scores[cid], dense_rank=dense_rank.get(cid), lexical_rank=lexical_rank.get(cid))
            for cid in ordered
            if cid in chunks
        ]
        return passages[:k]

    def _check_filters(self, filters: Filters) -> None:
        for column, value, flag in (
            ("doc_type", filters.doc_type, "--type"),
            ("doc_id", filters.doc_id, "--doc"),
            ("kind", filters.kind, "--kind"),
        ):
            if value is None:
                continue
            known = sorted(str(v) for v in self.catalogue.values(column))
            if value not in known:
                close = difflib.get_close_matches(value, known, n=1, cutoff=0.3)
                hint = f"; did you mean {close[0]}?" if close else ""
                raise QueryError(f"{flag} {value!r} is not in the index (known: {', '.join(known)}){hint}")

    def _dense(self, query: str, n: int, filters: Filters, allowed: set[str] | None) -> list[str]:
        """The n nearest published chunks. Vectors of an unpublished ingest are asked for on top
        and dropped, so the ranking is the one the last complete index gives."""
        index = self._vector_index()
        if self._unseen is None:
            published, stored = self.catalogue.count(), index.count()
            if stored < published:
                raise IndexStoreError(
                    f"the vector index at {index.where} holds {stored} passages and the catalogue {published}: "
                    "run `drafter ingest` to complete it (or search with --mode lexical)"
                )
            self._unseen = stored - published
        hits = index.query(self.embedder.embed_query(query), n + self._unseen, filters.chroma_where())
        ids = [h.chunk_id for h in hits]
        if self._unseen or allowed is not None:
            seen = self.catalogue.known(ids)
            if allowed is not None:  # the catalogue is the truth for filters too
                seen &= allowed
            ids = [cid for cid in ids if cid in seen]
        return ids[:n]

    def _vector_index(self):
        if self._vectors is None:
            self._vectors = VectorIndex(self.settings, self.embedder)
        return self._vectors

    def _lexical_index(self) -> LexicalIndex:
        if self._lexical is None:
            # Stale after an interrupted ingest, or missing: built in memory for this search.
            self._lexical = LexicalIndex.current(self.catalogue, self.settings.data_dir / "lexical")
        return self._lexical


@contextmanager
def open_retriever(settings: Settings, embedder: Embedder | None = None,
                   reporter: Reporter | None = None) -> Iterator[Retriever]:
    """The published index; ``reporter`` is told when an ingest is running or was interrupted."""
    catalogue = _open_catalogue(settings, reporter)
    try:
        yield Retriever(settings, catalogue, embedder or make_embedder(settings.embed))
    finally:
        catalogue.close()


def search_passages(settings: Settings, query: str, k: int = 5, filters: Filters | None = None,
                    mode: str = "hybrid", reporter: Reporter | None = None) -> list[Passage]:
    """`drafter search`: one query against the index, then the index is closed."""
    with open_retriever(settings, reporter=reporter) as retriever:
        return retriever.search(query, k=k, filters=filters, mode=mode)


def index_state(settings: Settings) -> IndexState | None:
    """Whether the index is whole, an ingest runs or one was interrupted; None without an index."""
    path = settings.data_dir / "catalogue.sqlite"
    if not path.is_file():
        return None
    catalogue = Catalogue(path)
    try:
        return read_state(catalogue, settings.data_dir)
    finally:
        catalogue.close()


@dataclass(frozen=True)
class DocumentSummary:
    doc_id: str
    title: str
    doc_type: str
    type_source: str  # metadata | title | file name | content | undecided
    type_confidence: float
    year: int | None
    issuer: str
    sections: int  # headings of levels 1–4
    headings: int  # all headings, enumerations and lead sentences included
    depth: int  # heading levels 1–4 the tree uses
    levels: dict[int, int]  # headings at each level 1–4
    chunks: int

    def to_json(self) -> dict:
        data = dict(self.__dict__)
        data["levels"] = {str(level): n for level, n in self.levels.items()}  # JSON keys are strings
        return data


def summarise(doc: Document, chunks: int = 0) -> DocumentSummary:
    from drafter.corpus.structure import tree_shape

    shape = tree_shape(doc.headings)
    return DocumentSummary(
        doc_id=doc.doc_id, title=doc.title, doc_type=doc.doc_type, type_source=doc.type_source,
        type_confidence=doc.type_confidence, year=doc.year, issuer=doc.issuer, sections=shape.sections,
        headings=len(doc.headings), depth=shape.depth, levels=shape.levels, chunks=chunks,
    )


def list_documents(settings: Settings, reporter: Reporter | None = None) -> list[DocumentSummary]:
    catalogue = _open_catalogue(settings, reporter)
    try:
        counts = catalogue.chunk_counts()
        return [summarise(d, counts.get(d.doc_id, 0)) for d in catalogue.documents()]
    finally:
        catalogue.close()


def find_document(settings: Settings, ref: str) -> Document:
    """A document by its id in the index (or its file name, when that is unique), else the file
    at that path read as ingest would read it: for `drafter corpus --why`."""
    from pathlib import Path

    from drafter.corpus.document import load_document
    from drafter.errors import CorpusError
    from drafter.fileio import Unreadable

    docs = indexed_documents(settings)
    path = Path(ref)
    keys = [ref]
    if path.is_file():
        try:
            keys.append(path.resolve().relative_to(settings.corpus_path.resolve()).as_posix())
        except ValueError:
            pass
    for key in keys:
        found = [d for d in docs if d.doc_id == key] or [d for d in docs if Path(d.doc_id).name == key]
        if len(found) == 1:
            return found[0]
    if path.is_file():
        try:
            return load_document(path, path.parent)
        except Unreadable as e:
            raise CorpusError(f"{ref}: {e}") from e
    close = difflib.get_close_matches(ref, [d.doc_id for d in docs], n=1, cutoff=0.3)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise QueryError(f"--why {ref!r}: no document of the index has that id, and no such file{hint}")


def indexed_documents(settings: Settings, reporter: Reporter | None = None) -> list[Document]:
    """The documents of the published index, or none when nothing has been ingested yet. A first
    ingest that was interrupted is an error (an outline learned from nothing would pass unnoticed)."""
    if not (settings.data_dir / "catalogue.sqlite").is_file():
        return []
    catalogue = Catalogue(settings.data_dir / "catalogue.sqlite")
    try:
        state = read_state(catalogue, settings.data_dir)
        if state.published is None and state.journal is not None:
            state.require_complete(settings.data_dir)
        if state.note:
            (reporter or NullReporter()).note(state.note)
        return catalogue.documents()
    finally:
        catalogue.close()


def _open_catalogue(settings: Settings, reporter: Reporter | None = None) -> Catalogue:
    """The catalogue, when it has a complete (published) index; the reporter hears about an ingest
    that runs or was interrupted."""
    path = settings.data_dir / "catalogue.sqlite"
    if not path.is_file():
        raise IndexStoreError(f"no index in {settings.data_dir}: run `drafter ingest` first")
    catalogue = Catalogue(path)
    try:
        state = read_state(catalogue, settings.data_dir)
        state.require_complete(settings.data_dir)
    except BaseException:
        catalogue.close()
        raise
    if state.note:
        (reporter or NullReporter()).note(state.note)
    return catalogue
