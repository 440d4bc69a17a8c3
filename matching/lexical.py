"""Lexical matching: BM25 over skill texts, with a light stemmer.

Dense vectors miss rare technical tokens (Fanuc, SCSS, 5S) and acronyms; term matching catches
them cheaply. Scores come from one sparse matrix product per batch of queries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from matching.text import FUNCTION_WORDS, STOP_WORDS, normalise_words

_VOWEL = re.compile(r"[aeiouy]")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Strip common English inflections so "welding"/"welds"/"welded" meet "weld"."""
    word = word.lower().strip(".'’")
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ings", ""),
        ("ing", ""),
        ("ed", ""),
        ("es", "e"),
        ("s", ""),
    ):
        if word.endswith(suffix) and not word.endswith(("ss", "us", "is")):
            base = word[: len(word) - len(suffix)] + replacement
            if len(base) >= 3 and _VOWEL.search(base):
                word = base
                break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text``."""
    return [stem(word) for word in normalise_words(text) if word not in STOP_WORDS]


def wording(text: str) -> list[str]:
    """Stemmed words of ``text`` but its function words: what saying a name word for word takes
    ("knowledge management" is not said by "management", though ``terms`` reads both alike)."""
    return [stem(word) for word in normalise_words(text) if word not in FUNCTION_WORDS]


class Bm25Index:
    """BM25 over documents made of weighted fields (e.g. label counted twice, definition once)."""

    def __init__(
        self, documents: Sequence[Sequence[tuple[str, float]]], k1: float = 1.2, b: float = 0.75
    ) -> None:
        vocabulary: dict[str, int] = {}
        doc_ids: list[int] = []
        term_ids: list[int] = []
        weights: list[float] = []
        for doc_index, fields in enumerate(documents):
            for text, weight in fields:
                for term in terms(text):
                    term_ids.append(vocabulary.setdefault(term, len(vocabulary)))
                    doc_ids.append(doc_index)
                    weights.append(weight)
        n_docs = len(documents)
        shape = (n_docs, max(len(vocabulary), 1))
        # Term frequencies (field-weighted), summed per (document, term) by the sparse conversion.
        frequencies = sparse.coo_matrix(
            (np.asarray(weights, dtype=np.float64), (doc_ids, term_ids)), shape=shape
        ).tocsr()
        frequencies.sum_duplicates()
        lengths = np.asarray(frequencies.sum(axis=1), dtype=np.float64).ravel()
        average_length = float(lengths.mean()) if n_docs else 1.0
        document_frequency = np.bincount(frequencies.indices, minlength=shape[1])
        idf = np.log(1 + (max(n_docs, 1) - document_frequency + 0.5) / (document_frequency + 0.5))
        norm = k1 * (1 - b + b * lengths / max(average_length, 1e-9))
        rows = np.repeat(np.arange(n_docs), np.diff(frequencies.indptr))
        tf = frequencies.data
        values = idf[frequencies.indices] * tf * (k1 + 1) / (tf + norm[rows])
        self.vocabulary = vocabulary
        self.matrix = sparse.csr_matrix(
            (values.astype(np.float32), frequencies.indices, frequencies.indptr), shape=shape
        )

    @classmethod
    def from_parts(cls, vocabulary: Sequence[str], matrix: sparse.csr_matrix) -> Bm25Index:
        """An index from saved parts: terms in column order and the (documents x terms) weights."""
        if matrix.shape[1] != max(len(vocabulary), 1):
            raise ValueError(f"{len(vocabulary)} terms for a matrix of shape {matrix.shape}")
        index = cls.__new__(cls)
        index.vocabulary = {term: column for column, term in enumerate(vocabulary)}
        if len(index.vocabulary) != len(vocabulary):
            raise ValueError("duplicate terms in the vocabulary")
        index.matrix = matrix.astype(np.float32, copy=False)
        return index

    def terms_in_order(self) -> list[str]:
        """The vocabulary in column order (what ``from_parts`` takes back)."""
        ordered = [""] * len(self.vocabulary)
        for term, column in self.vocabulary.items():
            ordered[column] = term
        return ordered

    def query_matrix(self, queries: Sequence[str]) -> sparse.csr_matrix:
        rows, cols = [], []
        for query_index, query in enumerate(queries):
            for term in set(terms(query)):
                term_id = self.vocabulary.get(term)
                if term_id is not None:
                    rows.append(query_index)
                    cols.append(term_id)
        return sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(queries), self.matrix.shape[1]),
        )

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        """Dense (queries x documents) BM25 scores."""
        if not queries:
            return np.zeros((0, self.matrix.shape[0]), dtype=np.float32)
        product = self.query_matrix(queries) @ self.matrix.T
        return np.asarray(product.todense(), dtype=np.float32)
