"""Taxonomy vectors computed once and kept on disk, so a restart never re-embeds 13,895 skills.

A cache file is named after, and stores, its key: encoder model id, taxonomy version, representation
version and representation name. Anything that does not load cleanly or does not match the key
exactly (other model, other taxonomy, truncated or corrupted file, wrong shape) is recomputed and
atomically replaced, never trusted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matching.encoder import Encoder

log = logging.getLogger(__name__)

CACHE_FORMAT = 1


@dataclass(frozen=True)
class CacheKey:
    """What a cached matrix depends on."""

    model_id: str
    taxonomy_version: str
    representation_version: str
    name: str

    def as_text(self) -> str:
        return "\n".join(
            (
                f"format={CACHE_FORMAT}",
                f"model={self.model_id}",
                f"taxonomy={self.taxonomy_version}",
                f"representation={self.representation_version}",
                f"name={self.name}",
            )
        )

    def file_name(self) -> str:
        digest = hashlib.sha256(self.as_text().encode("utf-8")).hexdigest()[:20]
        safe_name = "".join(ch if ch.isalnum() else "-" for ch in self.name)[:40]
        return f"{safe_name}-{digest}.npz"


def _texts_digest(texts: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


class VectorStore:
    """Loads or computes (and persists) the vectors of lists of texts under a cache key.

    ``cache_dir=None`` keeps everything in memory (tests, one-off scripts).
    """

    def __init__(self, encoder: Encoder, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.encoder = encoder
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.loaded_from_cache: list[str] = []
        self.computed: list[str] = []

    def vectors(
        self,
        key: CacheKey,
        texts: Sequence[str],
        encode: Callable[[Sequence[str]], np.ndarray] | None = None,
    ) -> np.ndarray:
        """The normalised vectors of ``texts`` (one row each), from cache when valid."""
        texts_digest = _texts_digest(texts)
        path = self.cache_dir / key.file_name() if self.cache_dir is not None else None
        if path is not None and path.exists():
            cached = self._load(path, key, texts_digest, len(texts))
            if cached is not None:
                self.loaded_from_cache.append(key.name)
                return cached
        matrix = np.asarray((encode or self.encoder.encode)(list(texts)), dtype=np.float32)
        if matrix.shape[0] != len(texts):
            raise ValueError(f"encoder returned {matrix.shape[0]} rows for {len(texts)} texts")
        self.computed.append(key.name)
        if path is not None:
            self._save(path, key, texts_digest, matrix)
        return matrix

    @staticmethod
    def _load(path: Path, key: CacheKey, texts_digest: str, rows: int) -> np.ndarray | None:
        try:
            with path.open("rb") as stream, np.load(stream, allow_pickle=False) as data:
                stored_key = str(data["key"])
                stored_digest = str(data["texts_digest"])
                matrix = np.array(data["vectors"], dtype=np.float32)
                checksum = str(data["checksum"])
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            log.warning("vector cache %s unreadable (%s); recomputing", path, exc)
            return None
        if stored_key != key.as_text() or stored_digest != texts_digest:
            log.info("vector cache %s was built for other inputs; recomputing", path)
            return None
        if matrix.ndim != 2 or matrix.shape[0] != rows or not np.isfinite(matrix).all():
            log.warning("vector cache %s has a bad matrix %s; recomputing", path, matrix.shape)
            return None
        if hashlib.sha256(matrix.tobytes()).hexdigest() != checksum:
            log.warning("vector cache %s fails its checksum; recomputing", path)
            return None
        return matrix

    @staticmethod
    def _save(path: Path, key: CacheKey, texts_digest: str, matrix: np.ndarray) -> None:
        """Write to a temporary file in the same directory, then rename: readers never see halves."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as stream:
                np.savez(
                    stream,
                    key=np.array(key.as_text()),
                    texts_digest=np.array(texts_digest),
                    vectors=matrix,
                    checksum=np.array(hashlib.sha256(matrix.tobytes()).hexdigest()),
                )
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
