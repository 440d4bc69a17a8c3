"""Small helpers the integration tests share: an API login, a row count, an engine on a database
of a test's own (the migration tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from tests.conftest import PROJECT_ROOT, database_of_its_own

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
def engine_of_its_own(tmp_root: Path, tmp_path: Path, name: str) -> Iterator[Engine]:
    """An engine on an empty database of one test's own (tests.conftest.database_of_its_own)."""
    with database_of_its_own(tmp_root, tmp_path, name) as url:
        engine = create_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()
