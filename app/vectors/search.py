"""Free-text search over a namespace: sync it if its data changed, embed the query, rank by cosine.

The caller says which of the nearest items the user may see (`visible`, ids only) and how to
load the records shown (`load`); when too few are visible, more neighbours are fetched, so a
filter never leaves a page short while more exist, and only the records returned are loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from app.skills.linking import text_encoder
from app.vectors.index_backends import index_for
from app.vectors.sync import TextSource, sync_source

T = TypeVar("T")
# At most this many neighbours are looked at per query (pgvector's HNSW yields at most
# ef_search = 1000 rows anyway).
MAX_CANDIDATES = 1000


@dataclass(frozen=True)
class SearchHit(Generic[T]):
    record: T
    score: float  # cosine similarity of the query and the record's text, in [-1, 1]


def search_text(
    source: TextSource,
    text: str,
    limit: int,
    visible: Callable[[Sequence[str]], set[str]],
    load: Callable[[Sequence[str]], dict[str, T]],
) -> list[SearchHit[T]]:
    """The `limit` records of `source` closest in meaning to `text`, best first (ties by id).

    `visible(ids)` says which of `ids` the user may see now; `load(ids)` returns {id: record}."""
    encoder = text_encoder()
    sync_source(source, encoder)
    query = encoder.encode([text])
    if not np.linalg.norm(query):  # no words the encoder knows: nothing is near it
        return []
    index = index_for(source.namespace)
    size = min(len(index), MAX_CANDIDATES)
    wanted = min(size, max(4 * limit, 20))
    while wanted:
        found, scores = index.search(query, wanted)
        allowed = visible(found[0])
        ranked = [
            (item_id, float(score))
            for item_id, score in zip(found[0], scores[0], strict=True)
            if item_id in allowed
        ]
        if len(ranked) >= limit or wanted >= size:
            ranked = ranked[:limit]
            records = load([item_id for item_id, _ in ranked])
            # A record deleted between the two reads is left out.
            return [SearchHit(records[i], score) for i, score in ranked if i in records]
        wanted = min(size, wanted * 4)
    return []
