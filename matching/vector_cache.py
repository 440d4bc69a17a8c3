"""Taxonomy vectors and derived structures computed once and kept on disk.

A restart never re-embeds 13,896 skills nor rebuilds their lexical index. A cache file is named
after, and stores, its key: encoder model id, taxonomy version, representation version and name.
Anything that does not load cleanly or does not match the key exactly (other model, other taxonomy,
truncated or corrupted file, wrong shape) is recomputed and atomically replaced, never trusted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matching.encoder import Encoder

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
REUSE_FILES = 3  # older caches searched for vectors of unchanged texts
KEEP_FILES = 4  # caches kept per model, representation and name (the newest ones)


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

    def file_prefix(self) -> str:
        return "".join(ch if ch.isalnum() else "-" for ch in self.name)[:40]

    def file_name(self) -> str:
        digest = hashlib.sha256(self.as_text().encode("utf-8")).hexdigest()[:20]
        return f"{self.file_prefix()}-{digest}.npz"


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
        # Seconds spent computing each entry (not loading it): what a cold start costs, by part.
        self.compute_seconds: dict[str, float] = {}
        # Rows taken from caches of other taxonomy versions instead of being encoded again.
        self.reused_rows: dict[str, int] = {}

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
        started = time.perf_counter()
        matrix = self._compute(key, list(texts), encode or self.encoder.encode)
        self.compute_seconds[key.name] = time.perf_counter() - started
        self.computed.append(key.name)
        if path is not None:
            self._save(path, key, texts_digest, matrix, texts)
            self._prune(key, keep=path)
        return matrix

    def _compute(
        self, key: CacheKey, texts: list[str], encode: Callable[[Sequence[str]], np.ndarray]
    ) -> np.ndarray:
        """Encode ``texts``, reusing rows for the same texts from caches of other taxonomy versions.

        Adding an alias or a local skill changes the taxonomy version; without reuse the next
        start would re-embed all 13,896 labels for the few that changed.
        """
        known = self._vectors_by_text(key, set(texts))
        missing = list(dict.fromkeys(text for text in texts if text not in known))
        if missing:
            fresh = np.asarray(encode(missing), dtype=np.float32)
            if fresh.ndim != 2 or fresh.shape[0] != len(missing):
                raise ValueError(f"encoder returned {fresh.shape[0]} rows for {len(missing)} texts")
            known.update(zip(missing, fresh, strict=True))
        self.reused_rows[key.name] = len(texts) - len(missing)
        if not texts:
            return np.asarray(encode([]), dtype=np.float32)
        return np.stack([known[text] for text in texts]).astype(np.float32, copy=False)

    def _same_kind(self, key: CacheKey) -> list[Path]:
        """Cache files of the same model, representation and name (any taxonomy), newest first."""
        if self.cache_dir is None or not self.cache_dir.is_dir():
            return []
        wanted = [line for line in key.as_text().splitlines() if not line.startswith("taxonomy=")]
        found = []
        for path in self.cache_dir.glob(f"{key.file_prefix()}-*.npz"):
            try:
                with path.open("rb") as stream, np.load(stream, allow_pickle=False) as data:
                    lines = str(data["key"]).splitlines()
                mtime = path.stat().st_mtime_ns
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
                continue
            if [line for line in lines if not line.startswith("taxonomy=")] == wanted:
                found.append((mtime, path))
        return [path for _, path in sorted(found, reverse=True)]

    def _vectors_by_text(self, key: CacheKey, needed: set[str]) -> dict[str, np.ndarray]:
        known: dict[str, np.ndarray] = {}
        for path in self._same_kind(key)[:REUSE_FILES]:
            try:
                with path.open("rb") as stream, np.load(stream, allow_pickle=False) as data:
                    matrix = np.array(data["vectors"], dtype=np.float32)
                    checksum = str(data["checksum"])
                    stored = unpack_strings(data["text_blob"], data["text_lengths"])
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
                continue  # older files carry no texts; unreadable ones are simply not reused
            if matrix.ndim != 2 or matrix.shape[0] != len(stored):
                continue
            if not np.isfinite(matrix).all() or not _checksum_matches(matrix, checksum):
                continue
            for text, row in zip(stored, matrix, strict=True):
                if text in needed and text not in known:
                    known[text] = row
            if len(known) == len(needed):
                break
        return known

    def _prune(self, key: CacheKey, keep: Path) -> None:
        """Delete all but the newest few caches of this kind, so taxonomy edits do not fill disks."""
        for path in self._same_kind(key)[KEEP_FILES:]:
            if path != keep:
                path.unlink(missing_ok=True)

    def arrays(
        self,
        key: CacheKey,
        build: Callable[[], Mapping[str, np.ndarray]],
        validate: Callable[[Mapping[str, np.ndarray]], bool] | None = None,
    ) -> dict[str, np.ndarray]:
        """Named arrays derived from the taxonomy (an index, parsed labels), from cache when valid.

        ``build`` computes them when the cache is missing, stale or corrupted; ``validate`` can
        reject a loaded set whose shapes do not fit the caller's data.
        """
        path = self.cache_dir / key.file_name() if self.cache_dir is not None else None
        if path is not None and path.exists():
            loaded = _load_arrays(path, key)
            if loaded is not None and (validate is None or validate(loaded)):
                self.loaded_from_cache.append(key.name)
                return loaded
            if loaded is not None:
                log.warning("cache %s does not fit the taxonomy; rebuilding", path)
        started = time.perf_counter()
        built = {name: np.asarray(array) for name, array in build().items()}
        self.compute_seconds[key.name] = time.perf_counter() - started
        self.computed.append(key.name)
        if path is not None:
            _save_arrays(path, key, built)
            self._prune(key, keep=path)
        return built

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
        if not _checksum_matches(matrix, checksum):
            log.warning("vector cache %s fails its checksum; recomputing", path)
            return None
        return matrix

    @staticmethod
    def _save(
        path: Path, key: CacheKey, texts_digest: str, matrix: np.ndarray, texts: Sequence[str]
    ) -> None:
        text_blob, text_lengths = pack_strings(texts)
        _write_atomically(
            path,
            key=np.array(key.as_text()),
            texts_digest=np.array(texts_digest),
            vectors=matrix,
            checksum=np.array(_matrix_checksum(matrix)),
            text_blob=text_blob,
            text_lengths=text_lengths,
        )


def _matrix_checksum(matrix: np.ndarray) -> str:
    """CRC-32 of the matrix bytes: catches corruption at a fraction of SHA-256's cost."""
    return f"crc32:{zlib.crc32(np.ascontiguousarray(matrix)):08x}"


def _checksum_matches(matrix: np.ndarray, stored: str) -> bool:
    """Check a stored checksum; files written before CRC-32 was used carry a SHA-256 digest."""
    if stored.startswith("crc32:"):
        return _matrix_checksum(matrix) == stored
    return hashlib.sha256(matrix.tobytes()).hexdigest() == stored


def _write_atomically(path: Path, **arrays: np.ndarray) -> None:
    """Write to a temporary file in the same directory, then rename: readers never see halves."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **arrays)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_RESERVED = ("key", "checksum")


def _arrays_checksum(arrays: Mapping[str, np.ndarray]) -> str:
    """CRC-32 over names, dtypes, shapes and bytes of the arrays (in name order)."""
    crc = 0
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        crc = zlib.crc32(f"{name}:{array.dtype.str}:{array.shape}".encode(), crc)
        crc = zlib.crc32(array.reshape(-1).view(np.uint8), crc)
    return f"crc32:{crc:08x}"


def _save_arrays(path: Path, key: CacheKey, arrays: Mapping[str, np.ndarray]) -> None:
    clash = [name for name in arrays if name in _RESERVED]
    if clash:
        raise ValueError(f"array names {clash} are reserved by the cache format")
    _write_atomically(
        path,
        key=np.array(key.as_text()),
        checksum=np.array(_arrays_checksum(arrays)),
        **arrays,
    )


def _load_arrays(path: Path, key: CacheKey) -> dict[str, np.ndarray] | None:
    try:
        with path.open("rb") as stream, np.load(stream, allow_pickle=False) as data:
            stored_key = str(data["key"])
            checksum = str(data["checksum"])
            arrays = {name: data[name] for name in data.files if name not in _RESERVED}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("cache %s unreadable (%s); rebuilding", path, exc)
        return None
    if stored_key != key.as_text():
        log.info("cache %s was built for other inputs; rebuilding", path)
        return None
    if _arrays_checksum(arrays) != checksum:
        log.warning("cache %s fails its checksum; rebuilding", path)
        return None
    return arrays


def pack_strings(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as (UTF-8 bytes, character lengths): compact and loadable without pickle."""
    joined = "".join(strings)
    blob = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    lengths = np.fromiter((len(text) for text in strings), dtype=np.int64, count=len(strings))
    return blob, lengths


def unpack_strings(blob: np.ndarray, lengths: np.ndarray) -> list[str]:
    """The strings packed by ``pack_strings``; ValueError if the parts do not fit together."""
    joined = blob.tobytes().decode("utf-8")
    if int(lengths.sum()) != len(joined) or (lengths < 0).any():
        raise ValueError("packed strings do not match their lengths")
    ends = np.cumsum(lengths).tolist()
    starts = [0, *ends[:-1]][: len(ends)]  # no strings: no starts either
    return [joined[start:end] for start, end in zip(starts, ends, strict=True)]
