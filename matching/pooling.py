"""Vector maths every encoder shares: unit-length rows and mean pooling of token vectors over the
attention mask."""

from __future__ import annotations

import numpy as np


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """L2-normalise rows as float32; all-zero rows stay zero instead of becoming NaN."""
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"expected a 2-d matrix, got shape {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


def mean_pool(tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token vectors over the attention mask (sentence-transformers' mean pooling)."""
    summed = np.einsum("bld,bl->bd", tokens, mask)
    return summed / np.maximum(mask.sum(1), 1e-9)[:, None]
