"""Small helpers the integration tests share: an API login, a row count, a database of a test's
own for the migration tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url

from tests.conftest import PROJECT_ROOT, database_url

# pytest-alembic's configuration for the project's migrations.
ALEMBIC_CONFIG = {
    "file": str(PROJECT_ROOT / "migrations" / "alembic.ini"),
    "script_location": str(PROJECT_ROOT / "migrations"),
}


def bearer(user) -> dict:
    """The Authorization header of a new API token of ``user`` (committed, as a login is)."""
    from app.auth.services import issue_token
    from app.extensions import db

    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def count(db_session, model) -> int:
    """How many rows the table of ``model`` holds."""
    return db_session.scalar(select(func.count(model.id)))


@contextmanager
def database_of_its_own(tmp_root: Path, tmp_path: Path, name: str) -> Iterator[Engine]:
    """An empty database for a test that migrates up and down, so the session's test database is
    never downgraded under the other tests: a SQLite file, or with TEST_DATABASE_URL a PostgreSQL
    database ``<test database>_<name>`` made for it and dropped after."""
    url = make_url(database_url(tmp_root))
    if url.get_backend_name() != "postgresql":
        engine = create_engine(f"sqlite:///{tmp_path / f'{name}.db'}")
        yield engine
        engine.dispose()
        return
    database = f"{url.database}_{name}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    engine = create_engine(url.set(database=database))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
