"""Exact cosine nearest neighbours over labelled vectors, in numpy.

The reference every other vector backend (pgvector's HNSW index) is compared with: scores are
cosine similarities, results are best first, and equal scores are ordered by id so that two
backends given the same data return the same ranking.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class VectorIndexError(ValueError):
    """Bad input to an index: shapes that do not agree, duplicate ids, zero or non-finite vectors."""


def as_matrix(vectors: Sequence[Sequence[float]] | np.ndarray, name: str = "vectors") -> np.ndarray:
    """A 2-D float64 array, or a clear error saying what is wrong with the input."""
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim == 1 and matrix.size:
        matrix = matrix[np.newaxis, :]
    if matrix.ndim != 2:
        raise VectorIndexError(f"{name} must be a 2-D array, got shape {matrix.shape}")
    if not np.isfinite(matrix).all():
        raise VectorIndexError(f"{name} contain NaN or infinite values")
    return matrix


def normalised(matrix: np.ndarray, name: str = "vectors") -> np.ndarray:
    """Rows scaled to unit length; a zero row has no direction, so it is refused."""
    norms = np.linalg.norm(matrix, axis=1)
    zero = np.flatnonzero(norms == 0)
    if zero.size:
        raise VectorIndexError(f"{name} row {int(zero[0])} is all zeros (no cosine is defined)")
    return matrix / norms[:, np.newaxis]


class NumpyVectorIndex:
    """All vectors of one namespace in memory; `search` scores every one (exact, not approximate).

    Vectors are kept sorted by id, so a stable sort on the score alone puts ties in id order.
    """

    def __init__(self, ids: Sequence[str], vectors: Sequence[Sequence[float]] | np.ndarray) -> None:
        ids = [str(item_id) for item_id in ids]
        matrix = as_matrix(vectors) if len(ids) else np.zeros((0, 0))
        if matrix.shape[0] != len(ids):
            raise VectorIndexError(f"{len(ids)} ids but {matrix.shape[0]} vectors")
        if len(set(ids)) != len(ids):
            duplicates = sorted({item_id for item_id in ids if ids.count(item_id) > 1})
            raise VectorIndexError(f"duplicate ids: {', '.join(duplicates[:5])}")
        order = sorted(range(len(ids)), key=ids.__getitem__)
        self.ids: list[str] = [ids[i] for i in order]
        self.vectors: np.ndarray = normalised(matrix[order]) if ids else matrix
        self.dim: int = int(matrix.shape[1]) if ids else 0

    def __len__(self) -> int:
        return len(self.ids)

    def search(
        self, queries: Sequence[Sequence[float]] | np.ndarray, k: int
    ) -> tuple[list[list[str]], np.ndarray]:
        """The `k` most similar items per query: (ids per query, cosine scores of shape (q, k')),
        best first, ties by id; k' = min(k, len(index))."""
        if k < 1:
            raise VectorIndexError(f"k must be at least 1, got {k}")
        matrix = as_matrix(queries, "queries")
        width = min(k, len(self.ids))
        if width == 0:
            return [[] for _ in range(matrix.shape[0])], np.zeros((matrix.shape[0], 0))
        if matrix.shape[1] != self.dim:
            raise VectorIndexError(
                f"queries have {matrix.shape[1]} dimensions, index has {self.dim}"
            )
        scores = normalised(matrix, "queries") @ self.vectors.T
        found_ids: list[list[str]] = []
        found_scores = np.empty((matrix.shape[0], width))
        for row, row_scores in enumerate(scores):
            top = self._top(row_scores, width)
            found_ids.append([self.ids[i] for i in top])
            found_scores[row] = row_scores[top]
        return found_ids, found_scores

    @staticmethod
    def _top(scores: np.ndarray, width: int) -> np.ndarray:
        """Positions of the `width` best scores: every item tying with the last kept score is a
        candidate, so the id order of ties is decided by the stable sort, not by the partition."""
        if width < scores.size:
            threshold = np.partition(scores, scores.size - width)[scores.size - width]
            candidates = np.flatnonzero(scores >= threshold)
        else:
            candidates = np.arange(scores.size)
        ranked = candidates[np.argsort(-scores[candidates], kind="stable")]
        return ranked[:width]
