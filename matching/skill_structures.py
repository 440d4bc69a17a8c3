"""The linker's lexical view of a taxonomy as flat arrays: each skill's parsed surface (label,
alternative labels, definition) and the BM25 index over them. Building them takes seconds for
ESCO, so the linker caches these arrays (matching/vector_cache.py) and rebuilds the objects from them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse

from matching.lexical import Bm25Index
from matching.taxonomy import AltLabelSegmenter, SkillRecord, SkillSurface, skill_surface
from matching.vector_cache import pack_strings, unpack_strings


def structure_arrays(records: Sequence[SkillRecord]) -> dict[str, np.ndarray]:
    """Build surfaces and BM25 index and flatten them into arrays (what the cache stores)."""
    segmenter = AltLabelSegmenter(record.label for record in records)
    surfaces = [skill_surface(record, segmenter) for record in records]
    bm25 = Bm25Index(
        [
            [(s.label, 2.0), *((alt, 1.0) for alt in s.alt_labels), (s.definition, 0.5)]
            for s in surfaces
        ]
    )
    alt_blob, alt_lengths = pack_strings([alt for s in surfaces for alt in s.alt_labels])
    definition_blob, definition_lengths = pack_strings([s.definition for s in surfaces])
    term_blob, term_lengths = pack_strings(bm25.terms_in_order())
    matrix = bm25.matrix.tocsr()
    return {
        "alt_blob": alt_blob,
        "alt_lengths": alt_lengths,
        "alt_counts": np.array([len(s.alt_labels) for s in surfaces], dtype=np.int64),
        "definition_blob": definition_blob,
        "definition_lengths": definition_lengths,
        "term_blob": term_blob,
        "term_lengths": term_lengths,
        "bm25_data": matrix.data.astype(np.float32),
        "bm25_indices": matrix.indices.astype(np.int64),
        "bm25_indptr": matrix.indptr.astype(np.int64),
    }


def structure_arrays_fit(arrays: Mapping[str, np.ndarray], record_count: int) -> bool:
    """Cheap consistency checks of loaded structure arrays against the number of records."""
    try:
        alt_counts = arrays["alt_counts"]
        indptr = arrays["bm25_indptr"]
        indices = arrays["bm25_indices"]
        terms = max(len(arrays["term_lengths"]), 1)
        return bool(
            len(alt_counts) == record_count
            and int(alt_counts.sum()) == len(arrays["alt_lengths"])
            and len(arrays["definition_lengths"]) == record_count
            and len(indptr) == record_count + 1
            and int(indptr[-1]) == len(indices) == len(arrays["bm25_data"])
            and (len(indices) == 0 or (int(indices.min()) >= 0 and int(indices.max()) < terms))
        )
    except (KeyError, ValueError, TypeError):
        return False


def structures_from_arrays(
    records: Sequence[SkillRecord], arrays: Mapping[str, np.ndarray]
) -> tuple[list[SkillSurface], Bm25Index]:
    alts = unpack_strings(arrays["alt_blob"], arrays["alt_lengths"])
    definitions = unpack_strings(arrays["definition_blob"], arrays["definition_lengths"])
    ends = np.cumsum(arrays["alt_counts"]).tolist()
    starts = [0, *ends[:-1]]
    surfaces = [
        SkillSurface(record.label, tuple(alts[start:end]), definition)
        for record, start, end, definition in zip(records, starts, ends, definitions, strict=True)
    ]
    vocabulary = unpack_strings(arrays["term_blob"], arrays["term_lengths"])
    matrix = sparse.csr_matrix(
        (arrays["bm25_data"], arrays["bm25_indices"], arrays["bm25_indptr"]),
        shape=(len(records), max(len(vocabulary), 1)),
    )
    return surfaces, Bm25Index.from_parts(vocabulary, matrix)
