"""NumpyVectorIndex: exact cosine top-k, best first, ties in id order, clear errors on bad input."""

from __future__ import annotations

import numpy as np
import pytest

from matching.vector_index import NumpyVectorIndex, VectorIndexError


def reference_search(ids, vectors, query, k):
    """Plain Python: cosine of every item, sorted by (-score, id)."""
    query = np.asarray(query, dtype=np.float64)
    scored = []
    for item_id, vector in zip(ids, vectors, strict=True):
        vector = np.asarray(vector, dtype=np.float64)
        cosine = float(vector @ query / (np.linalg.norm(vector) * np.linalg.norm(query)))
        scored.append((-cosine, item_id))
    scored.sort()
    return [item_id for _, item_id in scored[:k]], [-score for score, _ in scored[:k]]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_vectors_match_the_plain_reference(seed):
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(300, 16))
    ids = [f"item-{i:04d}" for i in rng.permutation(300)]
    queries = rng.normal(size=(7, 16))
    index = NumpyVectorIndex(ids, vectors)
    found_ids, found_scores = index.search(queries, 10)
    assert found_scores.shape == (7, 10)
    for row, query in enumerate(queries):
        expected_ids, expected_scores = reference_search(ids, vectors, query, 10)
        assert found_ids[row] == expected_ids
        np.testing.assert_allclose(found_scores[row], expected_scores, atol=1e-12)


def test_ties_are_ordered_by_id_whatever_the_input_order():
    # Six items with only two distinct directions: every score ties with two or three others.
    ids = ["f", "b", "d", "a", "e", "c"]
    vectors = [[1, 0], [2, 0], [0, 1], [3, 0], [0, 5], [0, 2]]
    index = NumpyVectorIndex(ids, vectors)
    found_ids, found_scores = index.search([[1, 0.1]], 4)
    assert found_ids == [["a", "b", "f", "c"]]
    assert found_scores[0][0] == pytest.approx(found_scores[0][2])


def test_ties_straddling_the_cut_keep_the_smallest_ids():
    ids = [f"id{i}" for i in range(9, -1, -1)]
    vectors = np.tile([1.0, 1.0], (10, 1))
    found_ids, _ = NumpyVectorIndex(ids, vectors).search([[1.0, 0.0]], 3)
    assert found_ids == [["id0", "id1", "id2"]]


def test_k_larger_than_the_index_returns_everything_and_an_empty_index_nothing():
    index = NumpyVectorIndex(["x", "y"], [[1, 0], [0, 1]])
    found_ids, found_scores = index.search([[0, 1]], 5)
    assert found_ids == [["y", "x"]]
    np.testing.assert_allclose(found_scores, [[1.0, 0.0]], atol=1e-12)
    empty_ids, empty_scores = NumpyVectorIndex([], []).search([[0, 1]], 3)
    assert empty_ids == [[]] and empty_scores.shape == (1, 0)


def test_a_single_query_vector_is_one_row_and_scale_does_not_matter():
    index = NumpyVectorIndex(["p", "q"], [[10, 0], [0.1, 0.1]])
    found_ids, found_scores = index.search([0.5, 0.5], 1)
    assert found_ids == [["q"]]
    assert found_scores[0][0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("ids", "vectors", "message"),
    [
        (["a", "b"], [[1, 0]], "2 ids but 1 vectors"),
        (["a", "a"], [[1, 0], [0, 1]], "duplicate ids: a"),
        (["a", "b"], [[1, 0], [0, 0]], "row 1 is all zeros"),
        (["a"], [[np.nan, 1]], "NaN or infinite"),
        (["a"], [[[1.0]]], "must be a 2-D array"),
    ],
)
def test_bad_vectors_are_refused_with_a_reason(ids, vectors, message):
    with pytest.raises(VectorIndexError, match=message):
        NumpyVectorIndex(ids, vectors)


def test_bad_queries_are_refused_with_a_reason():
    index = NumpyVectorIndex(["a"], [[1, 0, 0]])
    with pytest.raises(VectorIndexError, match="2 dimensions, index has 3"):
        index.search([[1, 0]], 1)
    with pytest.raises(VectorIndexError, match="k must be at least 1"):
        index.search([[1, 0, 0]], 0)
    with pytest.raises(VectorIndexError, match="queries row 0 is all zeros"):
        index.search([[0, 0, 0]], 1)
