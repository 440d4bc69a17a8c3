"""Free-text search on PostgreSQL: pgvector and numpy, synced from the same database, answer with the
same postings in the same order, before and after edits; pgvector re-embeds only what changed.

A private PostgreSQL with pgvector from pgserver (tests/integration/conftest.py), migrated like
any other, holding committed rows. The encoder is the real MiniLM (384 dimensions, the width of the
vector_item column). Not the hashing encoder: its integer n-gram counts make different texts score
exactly alike in exact arithmetic, and such ties come out of float32 (pgvector) and float64
(numpy) in either order. Identical texts tie exactly on both and are ordered by id.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests import conftest
from tests.helpers import bearer

pytestmark = pytest.mark.model

TRADES = [
    "CNC lathe operator",
    "forklift driver",
    "maintenance electrician",
    "machine tailor",
    "TIG welder",
    "plumber",
    "solar panel installer",
    "quality inspector",
    "tool room fitter",
    "paint shop helper",
]
VOCABULARY = (
    "turning shafts drawings warehouse pallets trucks panels motors faults garments stitching",
    "steel frames pipes fittings rooftops inverters gauges calipers tolerances dies moulds",
    "spray booth primer sanding safety shifts overtime night training apprentice",
)
WORDS = [word for line in VOCABULARY for word in line.split()]
QUERIES = [
    "run a lathe turning shafts to drawings",
    "drive trucks and stack pallets in the warehouse",
    "measure parts with calipers and gauges",
    "spray paint with primer in the booth",
    "night shifts with overtime",
    "weld steel frames and pipes",
]


@pytest.fixture(scope="module")
def pg_app(pgvector_url, tmp_path_factory):
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    root = tmp_path_factory.mktemp("pg-search")
    config = conftest.test_config(
        root,
        SQLALCHEMY_DATABASE_URI=pgvector_url,
        ENCODER="minilm",
        VECTOR_BACKEND="pgvector",
    )
    application = create_app(config)
    application.test_client_class = conftest.FreshContextClient
    with application.app_context():
        upgrade(directory=str(Path(conftest.PROJECT_ROOT) / "migrations"))
        _seed()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


def _seed() -> None:
    """Three postings per trade, their descriptions drawn from a shared vocabulary, two of them
    closed, two copies of one posting (an exact tie); committed for real, as the app would."""
    from tests import factories

    rng = np.random.default_rng(7)
    employers = [factories.employer(name=f"Employer {n}") for n in range(3)]
    for n in range(30):
        trade = TRADES[n % len(TRADES)]
        description = " ".join(rng.choice(WORDS, size=8, replace=False))
        factories.posting(
            employers[n % 3],
            external_id=f"PG-{n:02d}",
            title=trade.capitalize(),
            description=description.capitalize() + ".",
            status="closed" if n in (4, 17) else "open",
        )
    for copy in ("PG-31", "PG-30"):
        factories.posting(
            employers[0],
            external_id=copy,
            title="Forklift driver",
            description="Drive a forklift in the warehouse and stack pallets.",
        )
    factories.user("admin", email="admin@pg-search.example")


def ranked(app, backend: str) -> list[list[tuple[str, float]]]:
    """For each query, the admin's top 8 (external id, score) with VECTOR_BACKEND = backend."""
    from app.auth.models import User
    from app.employers.services import search_postings
    from app.extensions import db

    app.config["VECTOR_BACKEND"] = backend
    try:
        with app.app_context():
            admin = db.session.query(User).filter_by(email="admin@pg-search.example").one()
            results = [
                [
                    (hit.record.external_id, round(hit.score, 5))
                    for hit in search_postings(admin, q, 8)
                ]
                for q in QUERIES
            ]
            db.session.remove()
            return results
    finally:
        app.config["VECTOR_BACKEND"] = "pgvector"


def assert_same_rankings(app) -> list[list[tuple[str, float]]]:
    on_pgvector, on_numpy = ranked(app, "pgvector"), ranked(app, "numpy")
    assert [[i for i, _ in row] for row in on_pgvector] == [[i for i, _ in row] for row in on_numpy]
    np.testing.assert_allclose(
        [[s for _, s in row] for row in on_pgvector],
        [[s for _, s in row] for row in on_numpy],
        atol=1e-4,
    )
    return on_pgvector


def sync(app, force: bool = False):
    from app.employers.services import POSTING_VECTORS
    from app.extensions import db
    from app.skills.linking import text_encoder
    from app.vectors.sync import sync_source

    with app.app_context():
        report = sync_source(POSTING_VECTORS, text_encoder(), force=force)
        db.session.remove()
        return report


def edit(app, external_id: str, **changes) -> None:
    from app.employers.models import JobPosting
    from app.employers.services import update_posting
    from app.extensions import db

    with app.app_context():
        posting = db.session.query(JobPosting).filter_by(external_id=external_id).one()
        update_posting(posting, changes)
        db.session.commit()
        db.session.remove()


def test_pgvector_and_numpy_rank_the_same_postings_the_same(pg_app):
    rankings = assert_same_rankings(pg_app)
    assert all(len(row) == 8 for row in rankings)
    forklift = rankings[QUERIES.index("drive trucks and stack pallets in the warehouse")]
    assert forklift[0][1] == forklift[1][1]  # the two copies tie, ordered by id (PG-31 first)
    assert [posting for posting, _ in forklift[:2]] == ["PG-31", "PG-30"]
    found = {posting for row in rankings for posting, _ in row}
    assert not found & {"PG-04", "PG-17"}  # closed


def test_pgvector_syncs_only_what_changed_and_still_agrees_with_numpy(pg_app):
    sync(pg_app)
    assert sync(pg_app).checked is False  # nothing changed: nothing read

    edit(pg_app, "PG-05", description="Measure machined parts with vernier calipers and gauges.")
    edit(pg_app, "PG-06", status="filled")
    report = sync(pg_app)
    assert (report.checked, report.embedded, report.removed, report.total) == (True, 1, 1, 29)
    rankings = assert_same_rankings(pg_app)
    assert rankings[QUERIES.index("measure parts with calipers and gauges")][0][0] == "PG-05"
    assert "PG-06" not in {posting for row in rankings for posting, _ in row}

    from app.extensions import db
    from app.vectors.pgvector_index import PgVectorIndex

    with pg_app.app_context():  # what a sync leaves survives in the database
        stored = PgVectorIndex(db.engine, "posting")
        assert len(stored) == len(stored.digests()) == 29 and stored.stamp() is not None


def test_the_api_searches_through_pgvector(pg_app):
    from app.auth.models import User
    from app.extensions import db

    with pg_app.app_context():
        admin = db.session.query(User).filter_by(email="admin@pg-search.example").one()
        headers = bearer(admin)
        db.session.remove()
    response = pg_app.test_client().get(
        "/api/v1/postings/search",
        query_string={"q": "forklift driver warehouse pallets", "limit": 3},
        headers=headers,
    )
    assert response.status_code == 200, response.json
    assert [hit["posting"]["title"] for hit in response.json] == ["Forklift driver"] * 3
    assert len(response.json) == 3
