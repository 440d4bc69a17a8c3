"""The vector index of a namespace, from the backend the configuration names (VECTOR_BACKEND).

numpy: exact search in memory over a file in VECTOR_CACHE_DIR (`index-<namespace>.npz`), reloaded
when the file changes. pgvector: the vector_item table of the app's PostgreSQL database. Both give
the same rankings on the same data (tests/integration/test_pgvector_index.py).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Protocol

import numpy as np
from flask import current_app

from app.extensions import db
from matching.vector_index import NumpyVectorIndex, VectorIndexError

SKILL_NAMESPACE = "skill"
POSTING_NAMESPACE = "posting"
COURSE_NAMESPACE = "course"
BACKENDS = ("numpy", "pgvector")
NAMESPACE_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")

_lock = threading.Lock()


class VectorIndex(Protocol):
    def search(self, queries, k: int) -> tuple[list[list[str]], np.ndarray]: ...


def backend() -> str:
    name = current_app.config.get("VECTOR_BACKEND", "numpy")
    if name not in BACKENDS:
        raise ValueError(f"unknown VECTOR_BACKEND {name!r}: use one of {', '.join(BACKENDS)}")
    return name


def _checked(namespace: str) -> str:
    if not NAMESPACE_PATTERN.match(namespace):
        raise VectorIndexError(f"bad namespace {namespace!r}: lower-case letters, digits, - and _")
    return namespace


def _numpy_path(namespace: str) -> Path:
    return Path(current_app.config["VECTOR_CACHE_DIR"]) / f"index-{namespace}.npz"


def store_vectors(namespace: str, ids: list[str], vectors: np.ndarray) -> int:
    """Replace the namespace's vectors in the configured backend; returns how many were stored."""
    namespace = _checked(namespace)
    if backend() == "pgvector":
        from app.vectors.pgvector_index import PgVectorIndex

        return PgVectorIndex(db.engine, namespace).replace(ids, vectors)
    index = NumpyVectorIndex(ids, vectors)  # validates before anything is written
    path = _numpy_path(namespace)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.npz")
    np.savez(partial, ids=np.array(index.ids, dtype=str), vectors=index.vectors)
    partial.replace(path)
    return len(index)


def index_for(namespace: str) -> VectorIndex:
    """The namespace's index in the configured backend; LookupError if nothing was stored yet."""
    namespace = _checked(namespace)
    if backend() == "pgvector":
        from app.vectors.pgvector_index import PgVectorIndex

        return PgVectorIndex(db.engine, namespace)
    path = _numpy_path(namespace)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise LookupError(f"no {namespace} vectors stored yet: run `flask vectors sync`") from None
    cache: dict = current_app.extensions.setdefault("vector_indexes", {})
    with _lock:
        cached = cache.get(namespace)
        if cached is None or cached[0] != stamp:
            with np.load(path) as data:
                cached = (stamp, NumpyVectorIndex(list(data["ids"]), data["vectors"]))
            cache[namespace] = cached
        return cached[1]
