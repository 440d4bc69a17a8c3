"""Migrations upgrade from empty to head and back, one head, and the models match the migrations.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (in a database of its own, so the
session's test database is never downgraded under the other tests).
"""

from __future__ import annotations

import pytest
from pytest_alembic.tests import (  # noqa: F401  (collected as tests)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PROJECT_ROOT, database_url


@pytest.fixture
def alembic_config():
    return {
        "file": str(PROJECT_ROOT / "migrations" / "alembic.ini"),
        "script_location": str(PROJECT_ROOT / "migrations"),
    }


@pytest.fixture
def alembic_engine(tmp_path, tmp_root):
    url = make_url(database_url(tmp_root))
    if url.get_backend_name() == "postgresql":
        name = f"{url.database}_migrations"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        engine = create_engine(url.set(database=name))
        yield engine
        engine.dispose()
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        engine = create_engine(f"sqlite:///{tmp_path / 'migrations.db'}")
        yield engine
        engine.dispose()
