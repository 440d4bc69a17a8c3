"""Vectors in PostgreSQL with pgvector: one table for every namespace, an HNSW cosine index.

The table is created here at run time, not by a migration: its `vector(384)` type exists only where
the extension does, so the ORM models (compared with the migrations on every database) leave it
out. `search` answers like matching.vector_index.NumpyVectorIndex: cosine scores, best first,
ties by id; ef_search is set high, so on small namespaces the HNSW result is the exact one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from pgvector.sqlalchemy import Vector
from sqlalchemy.engine import Connection, Engine

from matching.vector_index import VectorIndexError, as_matrix

DIMENSIONS = 384  # all-MiniLM-L6-v2
MAX_EF_SEARCH = 1000  # pgvector's upper bound
TABLE = "vector_item"
INSERT_BATCH = 1000
TIE_MARGIN = 16  # extra candidates, so items tying at the k-th score can be ordered by id

vector_item = sa.table(
    TABLE,
    sa.column("namespace", sa.String()),
    sa.column("item_id", sa.String()),
    sa.column("embedding", Vector(DIMENSIONS)),
)


class PgVectorUnavailable(RuntimeError):
    """The database is not PostgreSQL, or has no pgvector extension to offer."""


def pgvector_available(connection: Connection) -> bool:
    """True when this server can provide the `vector` extension."""
    if connection.dialect.name != "postgresql":
        return False
    return bool(
        connection.scalar(
            sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")
        )
    )


def ensure_schema(connection: Connection) -> None:
    """Create the extension, the table and its HNSW index if missing (idempotent)."""
    if not pgvector_available(connection):
        raise PgVectorUnavailable(
            "VECTOR_BACKEND=pgvector needs PostgreSQL with the pgvector extension installed"
        )
    connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS vector"))
    connection.execute(
        sa.text(
            f"CREATE TABLE IF NOT EXISTS {TABLE} ("
            " namespace varchar(64) NOT NULL,"
            " item_id varchar(255) NOT NULL,"
            f" embedding vector({DIMENSIONS}) NOT NULL,"
            f" CONSTRAINT pk_{TABLE} PRIMARY KEY (namespace, item_id))"
        )
    )
    connection.execute(
        sa.text(
            f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_embedding ON {TABLE} "
            "USING hnsw (embedding vector_cosine_ops)"
        )
    )


class PgVectorIndex:
    """The vectors of one namespace ("skill", "posting", "course") in the vector_item table."""

    def __init__(self, engine: Engine, namespace: str, ef_search: int = MAX_EF_SEARCH) -> None:
        if not namespace or len(namespace) > 64:
            raise VectorIndexError("a namespace is 1 to 64 characters")
        self.engine = engine
        self.namespace = namespace
        self.ef_search = max(1, min(int(ef_search), MAX_EF_SEARCH))

    def replace(self, ids: Sequence[str], vectors: Sequence[Sequence[float]] | np.ndarray) -> int:
        """Make the namespace hold exactly these vectors, in one transaction; returns the count."""
        ids = [str(item_id) for item_id in ids]
        matrix = as_matrix(vectors) if ids else np.zeros((0, DIMENSIONS))
        if matrix.shape != (len(ids), DIMENSIONS):
            raise VectorIndexError(
                f"expected {len(ids)} vectors of {DIMENSIONS} dimensions, got {matrix.shape}"
            )
        if len(set(ids)) != len(ids):
            raise VectorIndexError("duplicate ids")
        if ids and not np.linalg.norm(matrix, axis=1).all():
            raise VectorIndexError("a zero vector has no cosine")
        with self.engine.begin() as connection:
            ensure_schema(connection)
            connection.execute(
                sa.delete(vector_item).where(vector_item.c.namespace == self.namespace)
            )
            # Lists, not arrays: the pgvector package converts them to text several times faster.
            rows = [
                {"namespace": self.namespace, "item_id": item_id, "embedding": vector.tolist()}
                for item_id, vector in zip(ids, matrix.astype(np.float32), strict=True)
            ]
            for start in range(0, len(rows), INSERT_BATCH):
                connection.execute(sa.insert(vector_item), rows[start : start + INSERT_BATCH])
            # Fresh statistics, so the planner knows the namespace's size and picks HNSW when it
            # is large (an exact scan and sort is both right and cheaper when it is small).
            connection.execute(sa.text(f"ANALYZE {TABLE}"))
        return len(ids)

    def __len__(self) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.scalar(
                    sa.select(sa.func.count()).where(vector_item.c.namespace == self.namespace)
                )
                or 0
            )

    def _nearest(self, query: np.ndarray, k: int) -> sa.Select:
        """Inside: distance order alone, which the HNSW index can serve (with a margin for ties);
        outside: the exact order, ties by id, on those few rows."""
        distance = vector_item.c.embedding.cosine_distance(query)
        candidates = (
            sa.select(vector_item.c.item_id, distance.label("distance"))
            .where(vector_item.c.namespace == self.namespace)
            .order_by(distance)
            .limit(k + TIE_MARGIN)
            .subquery()
        )
        return (
            sa.select(candidates.c.item_id, candidates.c.distance)
            .order_by(candidates.c.distance, candidates.c.item_id)
            .limit(k)
        )

    def search(
        self, queries: Sequence[Sequence[float]] | np.ndarray, k: int
    ) -> tuple[list[list[str]], np.ndarray]:
        """The `k` nearest items per query by cosine: (ids per query, scores (q, k')), best first,
        ties by id; k' is the smallest number of results any query got (all equal in practice)."""
        if k < 1:
            raise VectorIndexError(f"k must be at least 1, got {k}")
        matrix = as_matrix(queries, "queries")
        if matrix.shape[1] != DIMENSIONS:
            raise VectorIndexError(
                f"queries have {matrix.shape[1]} dimensions, index has {DIMENSIONS}"
            )
        if not np.linalg.norm(matrix, axis=1).all():
            raise VectorIndexError("a zero query vector has no cosine")
        found_ids: list[list[str]] = []
        found_scores: list[list[float]] = []
        with self.engine.begin() as connection:
            connection.execute(sa.text(f"SET LOCAL hnsw.ef_search = {self.ef_search}"))
            for query in matrix.astype(np.float32):
                rows = connection.execute(self._nearest(query, k)).all()
                found_ids.append([row.item_id for row in rows])
                found_scores.append([1.0 - float(row.distance) for row in rows])
        width = min((len(row) for row in found_scores), default=0)
        scores = np.array([row[:width] for row in found_scores], dtype=np.float64)
        return [row[:width] for row in found_ids], scores.reshape(len(found_ids), width)
