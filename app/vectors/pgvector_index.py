"""Vectors in PostgreSQL with pgvector: one table for every namespace, an HNSW cosine index.

The tables are created here at run time, not by a migration: the `vector(384)` type exists only
where the extension does, so the ORM models (compared with the migrations on every database) leave
them out. `search` answers like matching.vector_index.NumpyVectorIndex: cosine scores, best first,
ties by id; ef_search is set high, so on small namespaces the HNSW result is the exact one.

Each item keeps the digest of the text it was embedded from, and each namespace the stamp of the
data it was last synced with (vector_namespace), so app/vectors/sync.py re-embeds only what changed.
The numpy backend (app/vectors/index_backends.py, NumpyFileIndex) keeps the same things in its file.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, Engine

from matching.vector_index import VectorIndexError, as_matrix

DIMENSIONS = 384  # all-MiniLM-L6-v2
MAX_EF_SEARCH = 1000  # pgvector's upper bound
TABLE = "vector_item"
STATE_TABLE = "vector_namespace"
INSERT_BATCH = 1000
DELETE_BATCH = 1000
TIE_MARGIN = 16  # extra candidates, so items tying at the k-th score can be ordered by id

vector_item = sa.table(
    TABLE,
    sa.column("namespace", sa.String()),
    sa.column("item_id", sa.String()),
    sa.column("embedding", Vector(DIMENSIONS)),
    sa.column("digest", sa.String()),
)
vector_namespace = sa.table(
    STATE_TABLE,
    sa.column("namespace", sa.String()),
    sa.column("stamp", sa.String()),
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
            " digest varchar(64),"
            f" CONSTRAINT pk_{TABLE} PRIMARY KEY (namespace, item_id))"
        )
    )
    # Tables made before items kept their text's digest get the column (NULL: re-embed once).
    connection.execute(sa.text(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS digest varchar(64)"))
    connection.execute(
        sa.text(
            f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} ("
            " namespace varchar(64) NOT NULL,"
            " stamp varchar(255),"
            f" CONSTRAINT pk_{STATE_TABLE} PRIMARY KEY (namespace))"
        )
    )
    connection.execute(
        sa.text(
            f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_embedding ON {TABLE} "
            "USING hnsw (embedding vector_cosine_ops)"
        )
    )


def _table_exists(connection: Connection, name: str) -> bool:
    return connection.scalar(sa.text("SELECT to_regclass(:name)"), {"name": name}) is not None


class PgVectorIndex:
    """The vectors of one namespace ("skill", "posting", "course") in the vector_item table."""

    def __init__(self, engine: Engine, namespace: str, ef_search: int = MAX_EF_SEARCH) -> None:
        if not namespace or len(namespace) > 64:
            raise VectorIndexError("a namespace is 1 to 64 characters")
        self.engine = engine
        self.namespace = namespace
        self.ef_search = max(1, min(int(ef_search), MAX_EF_SEARCH))

    def replace(self, ids: Sequence[str], vectors: Sequence[Sequence[float]] | np.ndarray) -> int:
        """Make the namespace hold exactly these vectors, in one transaction; returns the count.

        The namespace forgets its sync stamp and digests: what was synced is no longer there."""
        ids, matrix = self._checked(ids, vectors)
        with self.engine.begin() as connection:
            ensure_schema(connection)
            connection.execute(
                sa.delete(vector_item).where(vector_item.c.namespace == self.namespace)
            )
            self._insert(connection, ids, matrix, [None] * len(ids))
            self._set_stamp(connection, None)
            # Fresh statistics, so the planner knows the namespace's size and picks HNSW when it
            # is large (an exact scan and sort is both right and cheaper when it is small).
            connection.execute(sa.text(f"ANALYZE {TABLE}"))
        return len(ids)

    def apply(
        self,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]] | np.ndarray,
        digests: Sequence[str | None],
        removed: Sequence[str] = (),
        stamp: str | None = None,
    ) -> None:
        """Upsert these items (vector and text digest), delete `removed`, and record `stamp` as
        what the namespace is now synced with: all in one transaction, so a reader never sees a
        stamp without its vectors."""
        ids, matrix = self._checked(ids, vectors)
        if len(digests) != len(ids):
            raise VectorIndexError(f"{len(ids)} ids but {len(digests)} digests")
        removed = sorted({str(item_id) for item_id in removed} - set(ids))
        with self.engine.begin() as connection:
            ensure_schema(connection)
            self._insert(connection, ids, matrix, list(digests), upsert=True)
            for start in range(0, len(removed), DELETE_BATCH):
                connection.execute(
                    sa.delete(vector_item).where(
                        vector_item.c.namespace == self.namespace,
                        vector_item.c.item_id.in_(removed[start : start + DELETE_BATCH]),
                    )
                )
            if stamp is not None:
                self._set_stamp(connection, stamp)
            if len(ids) + len(removed) >= INSERT_BATCH:  # a large change: fresh statistics
                connection.execute(sa.text(f"ANALYZE {TABLE}"))

    def digests(self) -> dict[str, str]:
        """{item id: digest of the text it was embedded from} ("" when none was given)."""
        with self.engine.connect() as connection:
            if not _table_exists(connection, TABLE):
                return {}
            rows = connection.execute(
                sa.select(vector_item.c.item_id, vector_item.c.digest).where(
                    vector_item.c.namespace == self.namespace
                )
            )
            return {row.item_id: row.digest or "" for row in rows}

    def stamp(self) -> str | None:
        """The stamp the namespace was last synced with (None: never, or replaced since)."""
        with self.engine.connect() as connection:
            if not _table_exists(connection, STATE_TABLE):
                return None
            return connection.scalar(
                sa.select(vector_namespace.c.stamp).where(
                    vector_namespace.c.namespace == self.namespace
                )
            )

    def _checked(
        self, ids: Sequence[str], vectors: Sequence[Sequence[float]] | np.ndarray
    ) -> tuple[list[str], np.ndarray]:
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
        return ids, matrix

    def _insert(
        self,
        connection: Connection,
        ids: list[str],
        matrix: np.ndarray,
        digests: list[str | None],
        upsert: bool = False,
    ) -> None:
        # Lists, not arrays: the pgvector package converts them to text several times faster.
        # Sorted by id, so two syncs upserting the same items lock them in the same order.
        rows = sorted(
            (
                {
                    "namespace": self.namespace,
                    "item_id": item_id,
                    "embedding": vector.tolist(),
                    "digest": digest,
                }
                for item_id, vector, digest in zip(
                    ids, matrix.astype(np.float32), digests, strict=True
                )
            ),
            key=lambda row: row["item_id"],
        )
        statement = pg_insert(vector_item)
        if upsert:
            statement = statement.on_conflict_do_update(
                index_elements=["namespace", "item_id"],
                set_={
                    "embedding": statement.excluded.embedding,
                    "digest": statement.excluded.digest,
                },
            )
        for start in range(0, len(rows), INSERT_BATCH):
            connection.execute(statement, rows[start : start + INSERT_BATCH])

    def _set_stamp(self, connection: Connection, stamp: str | None) -> None:
        statement = pg_insert(vector_namespace).values(namespace=self.namespace, stamp=stamp)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["namespace"], set_={"stamp": statement.excluded.stamp}
            )
        )

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
