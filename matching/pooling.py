"""Vector maths every encoder shares: unit-length rows, mean pooling of token vectors over the
attention mask, and over character spans (the phrases inside a sentence)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def check_span_arguments(texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]) -> None:
    """What every encoder's encode_spans refuses: one string instead of texts, or spans that do
    not pair with the texts."""
    if isinstance(texts, str):
        raise TypeError("encode_spans() takes a sequence of texts, not a single string")
    if len(texts) != len(spans):
        raise ValueError("texts and spans must have the same length")


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """L2-normalise rows as float32; all-zero rows stay zero instead of becoming NaN."""
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"expected a 2-d matrix, got shape {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


def pool_spans(
    tokens: np.ndarray,
    mask: np.ndarray,
    offsets: np.ndarray,
    spans: Sequence[tuple[int, int]],
) -> np.ndarray:
    """Mean of the token vectors overlapping each character span, L2-normalised (one row per span).

    ``tokens`` is (length, dim) for one text, ``offsets`` its (length, 2) character offsets; special
    and padding tokens (empty offsets or mask 0) never count. A span without tokens gets a zero row.
    """
    starts = offsets[:, 0]
    ends = offsets[:, 1]
    real = (mask > 0) & (ends > starts)  # drops [CLS], [SEP], padding
    span_array = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    inside = (
        real[None, :]
        & (starts[None, :] < span_array[:, 1:2])
        & (ends[None, :] > span_array[:, 0:1])
    ).astype(np.float32)  # (spans, length)
    counts = inside.sum(1, keepdims=True)
    pooled = (inside @ tokens) / np.maximum(counts, 1.0)
    return normalise_rows(pooled)


def mean_pool(tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token vectors over the attention mask (sentence-transformers' mean pooling)."""
    summed = np.einsum("bld,bl->bd", tokens, mask)
    return summed / np.maximum(mask.sum(1), 1e-9)[:, None]
