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

from tests.helpers import ALEMBIC_CONFIG, engine_of_its_own


@pytest.fixture
def alembic_config():
    return ALEMBIC_CONFIG


@pytest.fixture
def alembic_engine(tmp_path, tmp_root):
    with engine_of_its_own(tmp_root, tmp_path, "migrations") as engine:
        yield engine
