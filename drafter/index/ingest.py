"""``drafter ingest``: bring the catalogue, the vectors and the BM25 index in line with the corpus.

1. Files whose hash is unchanged are left alone; new and changed files are read, cleaned,
   parsed and chunked, and each replaces its old version in the catalogue in one transaction;
   files that are gone are removed from it.
2. Vectors are reconciled with the catalogue: chunks Chroma lacks are embedded (the vector cache
   first, so nothing is embedded twice) and upserted batch by batch; chunks it holds that the
   catalogue does not are deleted. A run stopped anywhere is completed by the next one.
3. The BM25 index is rebuilt when the chunk set changed.
A file lock serialises two ingests of the same data dir: the second waits for the first.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from drafter.config import Settings
from drafter.corpus.chunking import chunk_document, embedding_text
from drafter.corpus.document import load_document, source_hash
from drafter.corpus.sources import find_sources
from drafter.errors import CorpusError
from drafter.fileio import Unreadable
from drafter.index.catalogue import Catalogue
from drafter.index.embed import Embedder, VectorCache, make_embedder
from drafter.index.lexical import LexicalIndex
from drafter.index.vectors import VectorIndex
from drafter.numbers.past import refresh_number_index
from drafter.progress import NullReporter, Reporter
from drafter.records import IngestReport, SkippedFile

EMBED_BATCH = 16  # small batches: progress moves and an interrupted run loses little


def ingest_corpus(
    settings: Settings,
    progress: Reporter | None = None,
    embedder: Embedder | None = None,
) -> IngestReport:
    progress = progress or NullReporter()
    started = time.monotonic()
    root = settings.corpus_path
    sources = find_sources(root)
    if not sources:
        raise CorpusError(f"no .txt, .md or .docx files in {root}: nothing indexed, the index is unchanged")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embedder = embedder or make_embedder(settings.embed)

    with _ingest_lock(settings.data_dir, progress):
        catalogue = Catalogue(settings.data_dir / "catalogue.sqlite")
        try:
            known = catalogue.hashes()
            added, changed, skipped = [], [], []
            unchanged = 0
            seen: set[str] = set()
            progress.stage("reading", total=len(sources))
            for source in sources:
                seen.add(source.doc_id)
                try:
                    digest = source_hash(source.path)
                    if known.get(source.doc_id) == digest:
                        unchanged += 1
                        continue
                    doc = load_document(source.path, root)
                except Unreadable as e:
                    skipped.append(SkippedFile(source.doc_id, str(e)))
                    continue
                except OSError as e:
                    skipped.append(SkippedFile(source.doc_id, f"cannot read ({e.strerror})"))
                    continue
                finally:
                    progress.advance()
                chunks = chunk_document(doc, settings.index.chunk_size, settings.index.chunk_overlap)
                catalogue.put_document(doc, chunks)
                (changed if source.doc_id in known else added).append(source.doc_id)

            # A file that is skipped now keeps its last good version; a file that is gone is removed.
            removed = sorted(set(known) - seen)
            for doc_id in removed:
                catalogue.remove_document(doc_id)

            embedded = _reconcile_vectors(settings, catalogue, embedder, progress)
            _refresh_lexical(settings, catalogue, progress)
            refresh_number_index(settings.data_dir, catalogue, progress)  # past figures, for `check`
            documents = len(catalogue.hashes())
            chunk_total = len(catalogue.chunk_ids())
        finally:
            catalogue.close()
    return IngestReport(
        documents=documents,
        chunks=chunk_total,
        added_files=tuple(added),
        changed_files=tuple(changed),
        removed_files=tuple(removed),
        unchanged_files=unchanged,
        embedded=embedded,
        skipped=tuple(skipped),
        seconds=round(time.monotonic() - started, 2),
    )


def _reconcile_vectors(settings: Settings, catalogue: Catalogue, embedder: Embedder, progress: Reporter) -> int:
    index = VectorIndex(settings, embedder)
    wanted = catalogue.chunk_ids()
    present = index.ids()
    missing = [cid for cid in wanted if cid not in present]
    orphans = sorted(present - set(wanted))
    if orphans:
        index.delete(orphans)
    if not missing:
        return 0
    cache = VectorCache(settings.data_dir / "vectors.sqlite")
    embedded = 0
    try:
        progress.stage("embedding", total=len(missing))
        for start in range(0, len(missing), EMBED_BATCH):
            chunks = catalogue.chunks(missing[start : start + EMBED_BATCH])
            texts = [embedding_text(c) for c in chunks]
            vectors, fresh = cache.embed(embedder, texts)
            embedded += fresh
            index.upsert(chunks, vectors, texts)
            progress.advance(len(chunks))
    finally:
        cache.close()
    return embedded


def _refresh_lexical(settings: Settings, catalogue: Catalogue, progress: Reporter) -> LexicalIndex:
    progress.stage("lexical index")
    return LexicalIndex.current(catalogue, settings.data_dir / "lexical", save=True)


@contextmanager
def _ingest_lock(data_dir: Path, progress: Reporter) -> Iterator[None]:
    with open(data_dir / "ingest.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.note("another ingest is running on this index; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
