"""pgvector gives the numpy index's rankings on the same data, through its HNSW index too.

PostgreSQL with pgvector comes from the `pgserver` package (a private server in a temp folder, the
`pgvector_url` fixture of tests/integration/conftest.py); the machine's PostgreSQL has no pgvector.
Skipped, with the reason, only if pgserver cannot start.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask

from app.vectors.index_backends import NumpyFileIndex
from app.vectors.pgvector_index import DIMENSIONS, PgVectorIndex, ensure_schema
from matching.vector_index import NumpyVectorIndex, VectorIndexError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engine(pgvector_url):
    engine = sa.create_engine(pgvector_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def hnsw_only_engine(pgvector_url):
    """Sequential scans off: the planner must answer through the HNSW index."""
    engine = sa.create_engine(
        pgvector_url, connect_args={"options": "-c enable_seqscan=off -c enable_bitmapscan=off"}
    )
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def loaded(engine, random_data):
    """The random vectors in namespace "test-random", loaded once for the module."""
    ids, vectors, _ = random_data
    assert PgVectorIndex(engine, "test-random").replace(ids, vectors) == len(ids)
    return random_data


@pytest.fixture(scope="module")
def random_data():
    rng = np.random.default_rng(384)
    vectors = rng.normal(size=(200, DIMENSIONS)).astype(np.float32)
    ids = [f"item-{n:04d}" for n in rng.permutation(200)]
    queries = rng.normal(size=(6, DIMENSIONS)).astype(np.float32)
    return ids, vectors, queries


def test_migration_0003_enables_the_extension_where_it_exists(pgvector_url):
    engine = sa.create_engine(pgvector_url)
    config = AlembicConfig(str(PROJECT_ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    with engine.connect() as connection:
        installed = connection.scalar(
            sa.text("SELECT count(*) FROM pg_extension WHERE extname = 'vector'")
        )
        tables = sa.inspect(connection).get_table_names()
    engine.dispose()
    assert installed == 1
    assert "job_run" in tables and "vector_item" not in tables  # the backend makes it at run time


@pytest.mark.parametrize("which", ["default plan", "HNSW index only"])
def test_same_rankings_as_numpy_on_the_same_random_vectors(engine, hnsw_only_engine, loaded, which):
    ids, vectors, queries = loaded
    index = PgVectorIndex(hnsw_only_engine if which == "HNSW index only" else engine, "test-random")
    pg_ids, pg_scores = index.search(queries, 10)
    np_ids, np_scores = NumpyVectorIndex(ids, vectors).search(queries, 10)
    assert pg_ids == np_ids
    np.testing.assert_allclose(pg_scores, np_scores, atol=1e-5)


def test_the_hnsw_index_is_what_answers_when_scans_are_off(hnsw_only_engine, loaded):
    _, _, queries = loaded
    query = PgVectorIndex(hnsw_only_engine, "test-random")._nearest(queries[0], 10)
    with hnsw_only_engine.connect() as connection:
        plan = "\n".join(
            connection.scalars(
                sa.text(
                    "EXPLAIN "
                    + str(query.compile(connection, compile_kwargs={"literal_binds": True}))
                )
            )
        )
    assert "ix_vector_item_embedding" in plan


def test_ties_are_ordered_by_id_like_numpy(engine):
    base = np.zeros((5, DIMENSIONS), dtype=np.float32)
    base[:, 0] = 1.0
    base[3:, 1] = 1.0  # d and e point elsewhere
    ids = ["c", "a", "b", "e", "d"]
    PgVectorIndex(engine, "test-ties").replace(ids, base)
    query = np.zeros((1, DIMENSIONS), dtype=np.float32)
    query[0, 0] = 1.0
    pg_ids, _ = PgVectorIndex(engine, "test-ties").search(query, 4)
    np_ids, _ = NumpyVectorIndex(ids, base).search(query, 4)
    assert pg_ids == np_ids == [["a", "b", "c", "d"]]


def test_namespaces_are_apart_and_replace_replaces(engine, random_data):
    ids, vectors, queries = random_data
    PgVectorIndex(engine, "test-one").replace(ids[:50], vectors[:50])
    PgVectorIndex(engine, "test-two").replace(ids[50:60], vectors[50:60])
    found, _ = PgVectorIndex(engine, "test-two").search(queries, 50)
    assert all(set(row) == set(ids[50:60]) for row in found)
    PgVectorIndex(engine, "test-two").replace(ids[:3], vectors[:3])
    assert len(PgVectorIndex(engine, "test-two")) == 3
    assert len(PgVectorIndex(engine, "test-one")) == 50


def test_bad_input_is_refused_and_leaves_the_namespace_as_it_was(engine, random_data):
    ids, vectors, _ = random_data
    index = PgVectorIndex(engine, "test-bad")
    index.replace(ids[:5], vectors[:5])
    with pytest.raises(VectorIndexError, match="384 dimensions"):
        index.replace(["x"], np.ones((1, 3)))
    with pytest.raises(VectorIndexError, match="duplicate ids"):
        index.replace(["x", "x"], vectors[:2])
    with pytest.raises(VectorIndexError, match="zero vector"):
        index.replace(["x"], np.zeros((1, DIMENSIONS)))
    with pytest.raises(VectorIndexError, match="k must be at least 1"):
        index.search(vectors[:1], 0)
    assert len(index) == 5


def test_schema_creation_is_idempotent(engine):
    with engine.begin() as connection:
        ensure_schema(connection)
        ensure_schema(connection)


def test_upserts_and_deletes_leave_both_backends_with_the_same_rankings(
    engine, random_data, tmp_path
):
    """The incremental writes syncing uses: same items, digests, stamp and rankings on both."""
    with Flask(__name__).app_context():  # where the numpy backend keeps its loaded files
        check_both_backends_agree(engine, random_data, tmp_path)


def check_both_backends_agree(engine, random_data, tmp_path):
    ids, vectors, queries = random_data
    pg = PgVectorIndex(engine, "test-incremental")
    local = NumpyFileIndex(tmp_path / "index-test-incremental.npz", "test-incremental")
    digests = [f"d-{item_id}" for item_id in ids[:80]]
    for index in (pg, local):
        index.apply(ids[:80], vectors[:80], digests, stamp="first")
        index.apply(ids[10:20], vectors[100:110], [f"new-{n}" for n in range(10)])
        index.apply([], np.zeros((0, DIMENSIONS)), [], removed=[*ids[70:80], "never-stored"])
        index.apply(ids[80:85], vectors[80:85], ["late"] * 5, removed=ids[:5], stamp="second")
    assert pg.stamp() == local.stamp() == "second"
    assert pg.digests() == local.digests()
    assert len(pg) == len(local.index()) == 80 - 10 + 5 - 5
    assert pg.digests()[ids[15]] == "new-5" and ids[0] not in pg.digests()
    pg_ids, pg_scores = pg.search(queries, 12)
    np_ids, np_scores = local.index().search(queries, 12)
    assert pg_ids == np_ids
    np.testing.assert_allclose(pg_scores, np_scores, atol=1e-5)
    pg.replace(ids[:3], vectors[:3])
    local.replace(ids[:3], vectors[:3])
    assert pg.stamp() is None and local.stamp() is None  # a replaced namespace is not synced
