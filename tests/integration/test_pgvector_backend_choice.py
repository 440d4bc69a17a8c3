"""VECTOR_BACKEND picks the index: numpy (a file in VECTOR_CACHE_DIR, exact search) by default;
pgvector only where the database offers it, else a clear error. `flask vectors sync` loads the
taxonomy's label vectors into the configured backend."""

from __future__ import annotations

import numpy as np
import pytest

from app.extensions import db
from app.vectors import index_backends
from app.vectors.pgvector_index import PgVectorUnavailable, pgvector_available
from matching.vector_index import VectorIndexError


@pytest.fixture
def vector_app(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "VECTOR_CACHE_DIR", str(tmp_path / "vectors"))
    monkeypatch.setitem(app.config, "VECTOR_BACKEND", "numpy")
    monkeypatch.setitem(app.extensions, "vector_indexes", {})
    monkeypatch.setitem(app.extensions, "skill_linker", {})  # leave no linker to later tests
    return app


def test_sync_stores_every_skill_label_vector_and_each_finds_itself(
    vector_app, db_session, factories
):
    skills = [
        factories.skill("perform tungsten inert gas welding"),
        factories.skill("read engineering drawings"),
        factories.skill("operate forklift"),
    ]
    result = vector_app.test_cli_runner().invoke(args=["vectors", "sync"])
    assert result.exit_code == 0, result.output
    assert "3 skill vectors stored in the numpy index." in result.output

    from app.skills.linking import get_linker

    uris = [skill.uri for skill in skills]
    index = index_backends.index_for(index_backends.SKILL_NAMESPACE)
    found, scores = index.search(get_linker().vector_for(uris), 3)
    assert [row[0] for row in found] == uris
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-9)
    assert sorted(found[0]) == sorted(uris)


def test_sync_on_an_empty_taxonomy_says_what_to_do(vector_app, db_session):
    from app.skills.models import Skill

    if db.session.query(Skill).count():
        pytest.skip("the shared test database holds skills")
    result = vector_app.test_cli_runner().invoke(args=["vectors", "sync"])
    assert result.exit_code == 1
    assert "flask taxonomy import-esco" in result.output


def test_the_numpy_index_reloads_when_the_namespace_is_stored_again(vector_app, db_session):
    index_backends.store_vectors("course", ["c-1", "c-2"], np.array([[1.0, 0.0], [0.0, 1.0]]))
    first = index_backends.index_for("course")
    assert index_backends.index_for("course") is first  # cached while the file is unchanged
    index_backends.store_vectors("course", ["c-3"], np.array([[1.0, 1.0]]))
    found, _ = index_backends.index_for("course").search([[1.0, 0.0]], 5)
    assert found == [["c-3"]]


def test_unknown_namespaces_backends_and_missing_data_are_clear_errors(
    vector_app, db_session, monkeypatch
):
    with pytest.raises(LookupError, match="run `flask vectors sync`"):
        index_backends.index_for("posting")
    with pytest.raises(VectorIndexError, match="bad namespace"):
        index_backends.index_for("../etc")
    with pytest.raises(VectorIndexError, match="2 ids but 1 vectors"):
        index_backends.store_vectors("posting", ["a", "b"], np.ones((1, 4)))
    monkeypatch.setitem(vector_app.config, "VECTOR_BACKEND", "faiss")
    with pytest.raises(ValueError, match="unknown VECTOR_BACKEND 'faiss'"):
        index_backends.index_for("posting")


def test_pgvector_backend_needs_the_extension(vector_app, db_session, monkeypatch):
    monkeypatch.setitem(vector_app.config, "VECTOR_BACKEND", "pgvector")
    with db.engine.connect() as connection:
        available = pgvector_available(connection)
    if available:
        pytest.skip("this database has pgvector: covered by test_pgvector_index.py")
    with pytest.raises(PgVectorUnavailable, match="needs PostgreSQL with the pgvector extension"):
        index_backends.store_vectors("skill", ["a"], np.ones((1, 384)))
