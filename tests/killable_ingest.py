"""A real `drafter ingest` process with named places to be killed at (tests/test_ingest_kill.py,
evals/kill_ingest.py).

    python tests/killable_ingest.py MARKER POINT [ingest arguments …]

POINT is ``place:n``: the n-th time the process passes ``place`` it writes its pid to MARKER and
sleeps, for the caller to SIGKILL it exactly there. ``embedding:1`` writes MARKER at the first
embedding batch and goes on (for kills timed from there); ``none`` never stops. The places:

    staged      a document was staged in the catalogue (reading)
    upserted    a batch of vectors went into Chroma (embedding)
    lexical     the next BM25 generation was saved
    numbers     the next number index was written (staged, not yet swapped in)
    published   the catalogue transaction that publishes committed
    tidying     about to delete the vectors no published chunk uses

Environment: INGEST_DELAY seconds of sleep per embedding batch (a kill window you can hit),
INGEST_EMBED_BATCH and INGEST_UPSERT_EVERY override those constants of drafter.index.ingest.
Nothing here changes what drafter does; it only waits where told to.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main() -> None:
    marker, point, *args = sys.argv[1:]
    place, _, nth = point.partition(":")
    nth = int(nth or 1)
    passed: dict[str, int] = {}

    import drafter.index.catalogue as catalogue
    import drafter.index.embed as embed
    import drafter.index.ingest as ingest
    import drafter.index.lexical as lexical
    import drafter.index.vectors as vectors

    def reached(name: str, hang: bool = True) -> None:
        passed[name] = passed.get(name, 0) + 1
        if name == place and passed[name] == nth:
            Path(marker).write_text(str(os.getpid()))
            while hang:
                time.sleep(1)

    def after(owner, attr: str, name: str) -> None:
        original = getattr(owner, attr)

        def wrapped(*a, **k):
            result = original(*a, **k)
            reached(name)
            return result

        setattr(owner, attr, wrapped)

    def before(owner, attr: str, name: str) -> None:
        original = getattr(owner, attr)

        def wrapped(*a, **k):
            reached(name)
            return original(*a, **k)

        setattr(owner, attr, wrapped)

    after(catalogue.Catalogue, "stage_document", "staged")
    after(vectors.VectorIndex, "upsert", "upserted")
    after(lexical.LexicalIndex, "save", "lexical")
    after(ingest, "build_number_index", "numbers")
    after(catalogue.Catalogue, "publish", "published")
    before(vectors.VectorIndex, "delete", "tidying")

    delay = float(os.environ.get("INGEST_DELAY", "0"))
    embed_passages = embed.HashingEmbedder.embed_passages

    def slow(self, texts):
        reached("embedding", hang=False)
        time.sleep(delay)
        return embed_passages(self, texts)

    embed.HashingEmbedder.embed_passages = slow
    if os.environ.get("INGEST_EMBED_BATCH"):
        ingest.EMBED_BATCH = int(os.environ["INGEST_EMBED_BATCH"])
    if os.environ.get("INGEST_UPSERT_EVERY"):
        ingest.UPSERT_EVERY = float(os.environ["INGEST_UPSERT_EVERY"])

    from drafter.cli import main as drafter_main

    sys.argv = ["drafter", "ingest", *args]
    drafter_main()


if __name__ == "__main__":
    main()
