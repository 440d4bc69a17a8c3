"""Test fixtures: the database is built by the migrations, each test runs in a rolled-back transaction.

Set TEST_DATABASE_URL to run the same suite on PostgreSQL (CI does both).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker

from matching.encoder import default_model_cache

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def database_url(tmp_root: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.db'}"


def reset_database(url: str) -> None:
    """Drop whatever a previous run left, so the migrations start from empty."""
    engine = create_engine(url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            for table in inspect(connection).get_table_names():
                connection.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
    engine.dispose()


def test_config(tmp_root: Path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_root),
        "WTF_CSRF_ENABLED": False,
        "ENCODER": "hashing",
        "VECTOR_CACHE_DIR": str(tmp_root / "vectors"),
        # The MiniLM export is the same for every run on this machine (about 15 s to make): tests
        # that switch to the real model share matching's default cache instead of a fresh folder.
        "MODEL_CACHE_DIR": str(default_model_cache()),
        # Test databases roll back, so one version number names different data in two tests:
        # no snapshots of the match data (tests that want them set a folder of their own).
        "MATCH_SNAPSHOT_DIR": "",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 64,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return config


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (and so its own `g` and session), as in production.

    Without this, a request would reuse the test's app context and see `g` (the logged-in user)
    left by the previous request.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("kaushalsetu")


@pytest.fixture(scope="session")
def app(tmp_root):
    """One app for the session, its database upgraded to head by the migrations."""
    from flask_migrate import upgrade

    from app import create_app

    config = test_config(tmp_root)
    reset_database(config["SQLALCHEMY_DATABASE_URI"])
    application = create_app(config)
    application.test_client_class = FreshContextClient
    with application.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    yield application
    with application.app_context():
        from app.extensions import db

        db.engine.dispose()


@pytest.fixture
def db_session(app):
    """A session whose work is rolled back after the test, commits included (SAVEPOINTs)."""
    from app.extensions import db
    from app.matchmaking import match_inputs

    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        # A plain Session: Flask-SQLAlchemy's own would pick the engine and ignore this connection.
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        # The matching data version rolls back with each test, so a version one test cached its
        # match data under comes round again in the next: start every test without that cache.
        match_inputs.kept_match_data.forget()
        app.extensions.pop("skill_labels", None)  # likewise the skill labels per language
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def factories(db_session):
    from tests import factories

    return factories


def login(client, email: str, password: str = "correct-horse-battery") -> None:
    response = client.post("/login", data={"login": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture
def login_as(client):
    def _login(user, password: str = "correct-horse-battery"):
        login(client, user.email, password)
        return client

    return _login


def is_postgres() -> bool:
    url = os.environ.get("TEST_DATABASE_URL")
    return bool(url) and make_url(url).get_backend_name() == "postgresql"


@contextmanager
def database_of_its_own(tmp_root: Path, tmp_path: Path, name: str) -> Iterator[str]:
    """The URL of an empty database for one test (threads that commit for real, migrations up and
    down), so the shared test database, which rolls every test back, is never touched: a SQLite
    file, or with TEST_DATABASE_URL a database ``<test database>_<name>`` on the PostgreSQL under
    test, made for it and dropped after."""
    url = make_url(database_url(tmp_root))
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    database = f"{url.database}_{name}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def own_database(tmp_path, tmp_root):
    """A database of the test's own, for threads that commit for real (database_of_its_own)."""
    with database_of_its_own(tmp_root, tmp_path, "own") as url:
        yield url
