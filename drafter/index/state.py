"""Whether the index readers see is whole, and what an ingest in progress or interrupted is doing.

An ingest holds an exclusive lock on ``<data dir>/ingest.lock`` while it runs and keeps a journal
in the catalogue until it has published and tidied up. A journal with nobody holding the lock is an
interrupted ingest (killed, out of memory, power lost): readers keep answering from the last
published index and say so; with no published index at all they stop with a clear error.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from drafter.errors import IndexStoreError
from drafter.progress import Reporter

LOCK_FILE = "ingest.lock"


@contextmanager
def ingest_lock(data_dir: Path, progress: Reporter) -> Iterator[None]:
    """Serialise ingests of one data dir: the second waits for the first (and says so)."""
    with open(data_dir / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            with progress.waiting("another ingest is running on this index; waiting for it to finish"):
                fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ingest_running(data_dir: Path) -> bool:
    """True while an ingest holds the lock (a shared lock is refused); never blocks."""
    path = data_dir / LOCK_FILE
    try:
        handle = open(path, "r")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@dataclass(frozen=True)
class IndexState:
    published: dict[str, Any] | None  # {"at", "documents", "chunks"}; None: no complete index yet
    journal: dict[str, Any] | None  # the ingest not yet published: {"started", "stage", "done", "total"}
    running: bool  # an ingest holds the lock now

    @property
    def interrupted(self) -> bool:
        return self.journal is not None and not self.running

    @property
    def where(self) -> str:
        """How far the unpublished ingest got: "embedding 48/120"."""
        j = self.journal or {}
        stage = j.get("stage") or "starting"
        if j.get("total"):
            return f"{stage} {j.get('done', 0)}/{j['total']}"
        return stage

    def _last(self) -> str:
        p = self.published or {}
        when = f", published {p['at']}" if p.get("at") else ""
        return f"the last complete index ({p.get('documents', '?')} documents{when})"

    @property
    def note(self) -> str:
        """One line for readers when the index is not simply current; "" when it is."""
        if self.journal is None or self.published is None:
            return ""
        started = self.journal.get("started", "?")
        if self.running:
            return (f"an ingest is running (started {started}, {self.where}): "
                    f"results come from {self._last()} until it has finished")
        return (f"the last ingest (started {started}) was interrupted at {self.where}: results come from "
                f"{self._last()}; run `drafter ingest` to finish it")

    def require_complete(self, data_dir: Path) -> None:
        """Readers need a published index: without one, say why and what to do (exit 2)."""
        if self.published is not None:
            return
        if self.journal is None:
            raise IndexStoreError(f"no index in {data_dir}: run `drafter ingest` first")
        started = self.journal.get("started", "?")
        if self.running:
            raise IndexStoreError(f"the index is being built (ingest started {started}, now at {self.where}): "
                                  "try again when it has finished")
        raise IndexStoreError(f"the index is incomplete (interrupted ingest at {self.where}, started {started}): "
                              "run `drafter ingest`")

    def to_json(self) -> dict[str, Any]:
        return {"published": self.published, "ingest": self.journal, "running": self.running,
                "interrupted": self.interrupted}


def read_state(catalogue, data_dir: Path) -> IndexState:
    return IndexState(catalogue.published(), catalogue.journal(), ingest_running(data_dir))
