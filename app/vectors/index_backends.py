"""The vector index of a namespace, from the backend the configuration names (VECTOR_BACKEND).

numpy: exact search in memory over a file in VECTOR_CACHE_DIR (`index-<namespace>.npz`), reloaded
when the file changes. pgvector: the vector_item table of the app's PostgreSQL database. Both give
the same rankings on the same data (tests/integration/test_pgvector_index.py), and both keep, per
item, the digest of the text it was embedded from and, per namespace, the stamp of the data it
was last synced with, so app/vectors/sync.py re-embeds only what changed.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from flask import current_app

from app.caching import StampedCache
from app.extensions import db
from app.vectors.pgvector_index import PgVectorIndex
from matching.vector_index import NumpyVectorIndex, VectorIndexError, as_matrix

SKILL_NAMESPACE = "skill"
POSTING_NAMESPACE = "posting"
COURSE_NAMESPACE = "course"
BACKENDS = ("numpy", "pgvector")
NAMESPACE_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")

# Each namespace's file as loaded, by path, kept until the file changes.
loaded_files: StampedCache[_Contents] = StampedCache("vector_indexes")


class VectorIndex(Protocol):
    def search(self, queries, k: int) -> tuple[list[list[str]], np.ndarray]: ...

    def __len__(self) -> int: ...


class WritableVectorIndex(Protocol):
    """What syncing needs of a backend; PgVectorIndex and NumpyFileIndex both provide it."""

    def digests(self) -> dict[str, str]: ...

    def stamp(self) -> str | None: ...

    def apply(
        self,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]] | np.ndarray,
        digests: Sequence[str | None],
        removed: Sequence[str] = (),
        stamp: str | None = None,
    ) -> None: ...


def backend() -> str:
    name = current_app.config.get("VECTOR_BACKEND", "numpy")
    if name not in BACKENDS:
        raise ValueError(f"unknown VECTOR_BACKEND {name!r}: use one of {', '.join(BACKENDS)}")
    return name


def _checked(namespace: str) -> str:
    if not NAMESPACE_PATTERN.match(namespace):
        raise VectorIndexError(f"bad namespace {namespace!r}: lower-case letters, digits, - and _")
    return namespace


@dataclass(frozen=True)
class _Contents:
    """One namespace's file as loaded: the search index, the text digests and the sync stamp."""

    index: NumpyVectorIndex
    digests: dict[str, str] = field(default_factory=dict)
    stamp: str | None = None


class NumpyFileIndex:
    """A namespace's vectors in one .npz file: written whole (to a temporary name, then renamed,
    so a reader never sees half a file), and kept loaded per process until the file changes."""

    def __init__(self, path: Path, namespace: str) -> None:
        self.path = path
        self.namespace = namespace

    def _file_key(self) -> tuple | None:
        try:
            status = self.path.stat()
        except FileNotFoundError:
            return None
        # The inode too: two writes within the file system's clock tick share an mtime.
        return (status.st_ino, status.st_mtime_ns, status.st_ctime_ns, status.st_size)

    def load(self) -> _Contents | None:
        """The file's contents (kept while the file is unchanged); None if never written. The
        file's status is read once per call, as the stamp of what is kept."""
        return loaded_files.get(self._file_key, self._read, key=str(self.path))

    def _read(self, _old: _Contents | None, file_key: tuple | None) -> _Contents | None:
        if file_key is None:
            return None  # not written yet
        with np.load(self.path) as data:
            ids = list(data["ids"])
            digests = list(data["digests"]) if "digests" in data else [""] * len(ids)
            stamp = str(data["stamp"]) if "stamp" in data else ""
            return _Contents(
                NumpyVectorIndex(ids, data["vectors"]),
                dict(zip(ids, map(str, digests), strict=True)),
                stamp or None,
            )

    def index(self) -> NumpyVectorIndex:
        contents = self.load()
        if contents is None:
            raise LookupError(f"no {self.namespace} vectors stored yet: run `flask vectors sync`")
        return contents.index

    def digests(self) -> dict[str, str]:
        contents = self.load()
        return dict(contents.digests) if contents is not None else {}

    def stamp(self) -> str | None:
        contents = self.load()
        return contents.stamp if contents is not None else None

    def replace(self, ids: Sequence[str], vectors: Sequence[Sequence[float]] | np.ndarray) -> int:
        """Make the file hold exactly these vectors (no digests, no stamp); returns the count."""
        index = NumpyVectorIndex(ids, vectors)  # validates before anything is written
        self._write(_Contents(index, dict.fromkeys(index.ids, ""), None))
        return len(index)

    def apply(
        self,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]] | np.ndarray,
        digests: Sequence[str | None],
        removed: Sequence[str] = (),
        stamp: str | None = None,
    ) -> None:
        """Upsert these items, delete `removed`, record `stamp` (None: keep it), in one write."""
        ids = [str(item_id) for item_id in ids]
        matrix = as_matrix(vectors) if ids else None
        if len(digests) != len(ids) or (matrix is not None and matrix.shape[0] != len(ids)):
            raise VectorIndexError(f"{len(ids)} ids, {len(digests)} digests and vectors differ")
        if len(set(ids)) != len(ids):
            raise VectorIndexError("duplicate ids")
        current = self.load()
        vectors_by_id: dict[str, np.ndarray] = {}
        digests_by_id: dict[str, str] = {}
        if current is not None:
            vectors_by_id = dict(zip(current.index.ids, current.index.vectors, strict=True))
            digests_by_id = dict(current.digests)
        for item_id in removed:
            vectors_by_id.pop(str(item_id), None)
            digests_by_id.pop(str(item_id), None)
        for position, item_id in enumerate(ids):
            vectors_by_id[item_id] = matrix[position]
            digests_by_id[item_id] = digests[position] or ""
        kept = list(vectors_by_id)
        rows = np.stack([vectors_by_id[item_id] for item_id in kept]) if kept else np.zeros((0, 0))
        index = NumpyVectorIndex(kept, rows)  # validates (shapes, zero rows) before writing
        if stamp is None and current is not None:
            stamp = current.stamp
        self._write(_Contents(index, {item_id: digests_by_id[item_id] for item_id in kept}, stamp))

    def _write(self, contents: _Contents) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A name of this process and thread: two writers never share a partial file.
        partial = self.path.with_name(
            f"{self.path.stem}.{os.getpid()}-{threading.get_ident()}.partial.npz"
        )
        index = contents.index
        np.savez(
            partial,
            ids=np.array(index.ids, dtype=str),
            vectors=index.vectors,
            digests=np.array([contents.digests.get(i, "") for i in index.ids], dtype=str),
            stamp=np.array(contents.stamp or ""),
        )
        partial.replace(self.path)
        loaded_files.put(contents, self._file_key(), key=str(self.path))


def _numpy_index(namespace: str) -> NumpyFileIndex:
    path = Path(current_app.config["VECTOR_CACHE_DIR"]) / f"index-{namespace}.npz"
    return NumpyFileIndex(path, namespace)


def writable_index(namespace: str) -> WritableVectorIndex:
    """The namespace in the configured backend, for reading digests and applying changes."""
    namespace = _checked(namespace)
    if backend() == "pgvector":
        return PgVectorIndex(db.engine, namespace)
    return _numpy_index(namespace)


def store_vectors(namespace: str, ids: list[str], vectors: np.ndarray) -> int:
    """Replace the namespace's vectors in the configured backend; returns how many were stored."""
    namespace = _checked(namespace)
    if backend() == "pgvector":
        return PgVectorIndex(db.engine, namespace).replace(ids, vectors)
    return _numpy_index(namespace).replace(ids, vectors)


def index_for(namespace: str) -> VectorIndex:
    """The namespace's index in the configured backend; LookupError if nothing was stored yet."""
    namespace = _checked(namespace)
    if backend() == "pgvector":
        return PgVectorIndex(db.engine, namespace)
    return _numpy_index(namespace).index()
