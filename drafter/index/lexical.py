"""BM25 over Chinese character unigrams and bigrams (``bm25s``), beside Chroma.

Chroma's local mode has no lexical ranking, and exact words matter in reports (三会一课,
校长述职述廉): this index catches what embeddings blur. Unigrams + bigrams need no word
segmenter and ranked better than jieba words on the sample corpus.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np

from drafter.corpus.chunking import embedding_text

_CJK_RUN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+")
_WORD = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?")


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _CJK_RUN.findall(text):
        tokens.extend(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    tokens.extend(w.lower() for w in _WORD.findall(text))
    return tokens


class LexicalIndex:
    """Built from (chunk id, text) pairs; saved with the catalogue generation it was built from."""

    def __init__(self, ids: list[str], retriever, generation: str) -> None:
        self.ids = ids
        self.generation = generation
        self._retriever = retriever
        self._position = {cid: i for i, cid in enumerate(ids)}

    @classmethod
    def build(cls, ids: list[str], texts: list[str], generation: str) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25()
        if ids:
            retriever.index([tokenize(t) for t in texts], show_progress=False)
        return cls(ids, retriever, generation)

    def save(self, folder: Path) -> None:
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.ids:
            self._retriever.save(str(tmp), show_progress=False)
        (tmp / "drafter.json").write_text(json.dumps({"generation": self.generation, "ids": self.ids}))
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)  # the swap is two renames; a reader sees the old index or the new one
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex | None":
        import bm25s

        stamp = folder / "drafter.json"
        if not stamp.is_file():
            return None
        try:
            info = json.loads(stamp.read_text())
            retriever = bm25s.BM25.load(str(folder), show_progress=False) if info["ids"] else bm25s.BM25()
        except (OSError, ValueError, KeyError):
            return None  # damaged or half-written: the caller rebuilds it
        return cls(info["ids"], retriever, info["generation"])

    @classmethod
    def current(cls, catalogue, folder: Path, save: bool = False) -> "LexicalIndex":
        """The index of the catalogue state's chunks as they are now: the one saved for this
        generation (``folder/<generation>``), else built (and saved, when ``save``; searches do not
        write). One folder a generation, so an ingest builds the next one beside the one readers use."""

        generation = catalogue.generation()
        saved = cls.load(folder / generation)
        if saved is not None and saved.generation == generation:
            return saved
        chunks = catalogue.chunks()
        built = cls.build([c.chunk_id for c in chunks], [embedding_text(c) for c in chunks], generation)
        if save:
            folder.mkdir(parents=True, exist_ok=True)
            built.save(folder / generation)
        return built

    @staticmethod
    def prune(folder: Path, keep: str) -> None:
        """Remove every generation but ``keep`` (and what an older layout left in the folder)."""
        if not folder.is_dir():
            return
        for entry in folder.iterdir():
            if entry.name == keep:
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    def top(self, query: str, n: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """The n best (chunk id, score) with a score above zero, among ``allowed`` ids if given."""
        tokens = tokenize(query)
        if not tokens or not self.ids:
            return []
        scores = np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=bool)
            for cid in allowed:
                if cid in self._position:
                    mask[self._position[cid]] = True
            scores = np.where(mask, scores, 0.0)
        order = np.argsort(-scores)[:n]
        return [(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]
