"""``drafter ingest``: bring the catalogue, the vectors, the BM25 and the number index in line with
the corpus — and let readers see the last complete index until the new one is whole.

1. Files whose hash is unchanged are left alone; new and changed files are read, cleaned, parsed
   and chunked, and *staged* in the catalogue beside the published index (one transaction a file).
   Files that are gone are staged for removal. A folder in which no file can be read removes
   nothing; removing more than half of the index needs ``prune`` (``--prune``, or a yes on a terminal).
2. Vectors of the staged state that Chroma lacks are embedded (the vector cache first, so nothing
   is embedded twice) and upserted; Chroma may then hold chunks readers do not see yet, which search
   ignores.
3. The BM25 index (a folder a generation) and the number index (a staged file) of the next state are built.
4. Publish: one catalogue transaction makes the staged state the index readers see.
5. Only then: the number index is swapped in, vectors no published chunk uses are deleted, old BM25
   generations are removed (the journal says "tidying" until this is done). A run killed in this
   step is tidied by the next one.
A kill anywhere before 4 leaves the published index as it was, with a journal that says how far the
run got (search says so); the next ingest starts again from the published state, and everything it
had embedded comes back from the cache or is still in Chroma.
A file lock serialises two ingests of the same data dir: the second waits for the first.
"""

from __future__ import annotations

import os
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Callable

from drafter.config import Settings
from drafter.corpus.chunking import chunk_document, embedding_text
from drafter.corpus.document import load_document, source_hash
from drafter.corpus.sources import find_sources
from drafter.errors import CorpusError
from drafter.fileio import Unreadable
from drafter.index.catalogue import Catalogue, CatalogueView
from drafter.index.embed import Embedder, VectorCache, make_embedder
from drafter.index.lexical import LexicalIndex
from drafter.index.state import ingest_lock
from drafter.index.vectors import VectorIndex
from drafter.numbers.past import build_number_index, index_generation, index_path
from drafter.progress import NullReporter, Reporter
from drafter.records import IngestReport, SkippedFile

EMBED_BATCH = 16  # small batches: progress moves and an interrupted run loses little (vectors are cached)
UPSERT_BATCH = 512  # Chroma costs ~0.1 s a call whatever its size: upsert many at once
UPSERT_EVERY = 5.0  # … but at least every few seconds, so a kill loses little Chroma work
BIG_FILE = 256 * 1024  # bytes: reading and chunking a file this big can take seconds; say which one
NUMBERS_NEXT = "numbers.next.sqlite"

# Asked when an ingest would remove more than half of the index: (ids to remove, documents indexed) → go on?
ConfirmRemoval = Callable[[list[str], int], bool]


def ingest_corpus(
    settings: Settings,
    progress: Reporter | None = None,
    embedder: Embedder | None = None,
    prune: bool = False,
    confirm_removal: ConfirmRemoval | None = None,
) -> IngestReport:
    progress = progress or NullReporter()
    started = time.monotonic()
    root = settings.corpus_path
    sources = find_sources(root)
    if not sources:
        raise CorpusError(f"no .txt, .md or .docx files in {root}: nothing indexed, the index is unchanged")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embedder = embedder or make_embedder(settings.embed)

    with ingest_lock(settings.data_dir, progress):
        catalogue = Catalogue(settings.data_dir / "catalogue.sqlite")
        try:
            return _ingest(settings, catalogue, sources, embedder, progress, prune, confirm_removal, started)
        finally:
            catalogue.close()


def _ingest(settings, catalogue: Catalogue, sources, embedder, progress: Reporter, prune: bool,
            confirm_removal: ConfirmRemoval | None, started: float) -> IngestReport:
    root = settings.corpus_path
    published = catalogue.hashes()
    removed = sorted(set(published) - {s.doc_id for s in sources})
    _clear_leftovers(settings.data_dir)

    catalogue.begin_ingest(corpus=str(root), pid=os.getpid())
    journal = _Journal(catalogue)
    skipped: list[SkippedFile] = []
    unchanged = read = 0
    progress.stage("reading", total=len(sources))
    journal.stage("reading", len(sources))
    for done, source in enumerate(sources, start=1):
        try:
            if published.get(source.doc_id) == source_hash(source.path):
                unchanged += 1
                continue
            with _reading(progress, source.doc_id, source.path):
                doc = load_document(source.path, root)
                chunks = chunk_document(doc, settings.index.chunk_size, settings.index.chunk_overlap)
        except Unreadable as e:
            skipped.append(SkippedFile(source.doc_id, str(e)))
            continue
        except OSError as e:
            skipped.append(SkippedFile(source.doc_id, f"cannot read ({e.strerror})"))
            continue
        finally:
            progress.advance()
            journal.progress(done)
        catalogue.stage_document(doc, chunks)
        read += 1
    if read + unchanged == 0:  # a bad sync of a shared drive must not wipe the index
        catalogue.abandon_ingest()
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3]) + (" …" if len(skipped) > 3 else "")
        raise CorpusError(f"none of the {len(sources)} files in {root} could be read ({reasons}): "
                          "nothing was indexed or removed, the index is unchanged")
    try:
        _check_removals(removed, len(published), root, prune, confirm_removal)
    except BaseException:
        catalogue.abandon_ingest()
        raise
    for doc_id in removed:  # a file that is skipped now keeps its last good version; a file that is gone goes
        catalogue.stage_removal(doc_id)

    following = catalogue.next_state()
    vectors = VectorIndex(settings, embedder)
    embedded, upserted = _embed_missing(settings, following, vectors, embedder, progress, journal)
    generation = following.generation()
    progress.stage("lexical index")
    journal.stage("building the BM25 index")
    lexical_dir = settings.data_dir / "lexical"
    LexicalIndex.current(following, lexical_dir, save=True)
    numbers = _stage_number_index(settings.data_dir, following, generation, progress, journal)
    added, changed, removed = catalogue.staged_changes()

    journal.stage("publishing")
    catalogue.publish()  # from here on readers see the new index

    if numbers is not None:
        os.replace(numbers, index_path(settings.data_dir))
    _tidy_vectors(catalogue, vectors, set(changed), upserted)
    LexicalIndex.prune(lexical_dir, keep=generation)
    catalogue.end_ingest()
    return IngestReport(
        documents=len(catalogue.hashes()),
        chunks=catalogue.count(),
        added_files=tuple(added),
        changed_files=tuple(changed),
        removed_files=tuple(removed),
        unchanged_files=unchanged,
        embedded=embedded,
        skipped=tuple(skipped),
        seconds=round(time.monotonic() - started, 2),
    )


def _check_removals(removed: list[str], indexed: int, root: Path, prune: bool,
                    confirm: ConfirmRemoval | None) -> None:
    """Losing more than half of the index at once is more often a wrong folder or a broken sync than
    a clean-up: it needs ``prune`` or a yes."""
    if not removed or prune or 2 * len(removed) <= indexed:
        return
    if confirm is not None and confirm(removed, indexed):
        return
    names = "、".join(removed[:3]) + (" …" if len(removed) > 3 else "")
    raise CorpusError(
        f"{root} lacks {len(removed)} of the {indexed} indexed documents ({names}): this ingest would remove "
        "more than half of the index, so it stopped and the index is unchanged; "
        "if those files are really gone, run `drafter ingest --prune`"
    )


def _reading(progress: Reporter, doc_id: str, path: Path):
    try:
        size = path.stat().st_size
    except OSError:
        return nullcontext()
    if size < BIG_FILE:
        return nullcontext()
    return progress.waiting(f"reading and chunking {doc_id} ({size / 1e6:.1f} MB)")


def _embed_missing(settings: Settings, state: CatalogueView, vectors: VectorIndex, embedder: Embedder,
                   progress: Reporter, journal: "_Journal") -> tuple[int, set[str]]:
    """Embed and upsert the chunks of ``state`` that Chroma lacks. Returns (passages embedded now,
    ids upserted)."""
    present = vectors.ids()
    missing = [cid for cid in state.chunk_ids() if cid not in present]
    if not missing:
        return 0, set()
    cache = VectorCache(settings.data_dir / "vectors.sqlite")
    embedded = 0
    pending: list[tuple] = []
    last_upsert = time.monotonic()

    def upsert() -> None:
        nonlocal last_upsert
        if pending:
            vectors.upsert([c for c, _, _ in pending], [v for _, v, _ in pending], [t for _, _, t in pending])
            pending.clear()
        last_upsert = time.monotonic()

    try:
        progress.stage("embedding", total=len(missing))
        journal.stage("embedding", len(missing))
        for start in range(0, len(missing), EMBED_BATCH):
            chunks = state.chunks(missing[start : start + EMBED_BATCH])
            texts = [embedding_text(c) for c in chunks]
            batch, fresh = cache.embed(embedder, texts)
            embedded += fresh
            pending.extend(zip(chunks, batch, texts))
            if len(pending) >= UPSERT_BATCH or time.monotonic() - last_upsert >= UPSERT_EVERY:
                upsert()
            progress.advance(len(chunks))
            journal.progress(start + len(chunks))
        upsert()
    finally:
        cache.close()
    return embedded, set(missing)


def _stage_number_index(data_dir: Path, state: CatalogueView, generation: str, progress: Reporter,
                        journal: "_Journal") -> Path | None:
    """The next state's number index, written beside the current one (swapped in after publishing);
    None when the current one is already of this generation."""
    if index_generation(index_path(data_dir)) == generation:
        return None
    progress.stage("number index")
    journal.stage("building the number index")
    staged = data_dir / NUMBERS_NEXT
    build_number_index(state.documents(), staged, generation)
    return staged


def _tidy_vectors(catalogue: Catalogue, vectors: VectorIndex, changed: set[str], upserted: set[str]) -> None:
    """After publishing: delete the vectors no published chunk uses, and refresh the metadata of the
    chunks of changed documents that kept their text (so their id: they were not upserted again)."""
    orphans = sorted(vectors.ids() - set(catalogue.chunk_ids()))
    if orphans:
        vectors.delete(orphans)
    if changed:
        kept = [c for c in catalogue.chunks() if c.doc_id in changed and c.chunk_id not in upserted]
        if kept:
            vectors.update_metadata(kept)


def _clear_leftovers(data_dir: Path) -> None:
    """Temporary files a killed ingest left (the staged number index is rebuilt if needed)."""
    for leftover in [data_dir / NUMBERS_NEXT, *data_dir.glob(".numbers*.tmp")]:
        leftover.unlink(missing_ok=True)


class _Journal:
    """How far this ingest is, in the catalogue, for readers to report if it dies. While counting,
    at most four writes a second."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._total = 0
        self._written = 0.0

    def stage(self, name: str, total: int = 0) -> None:
        self._total = total
        self._catalogue.update_journal(stage=name, done=0, total=total)
        self._written = time.monotonic()

    def progress(self, done: int) -> None:
        if time.monotonic() - self._written >= 0.25 or done == self._total:
            self._catalogue.update_journal(done=done)
            self._written = time.monotonic()
