"""Migrations upgrade from empty to head and back, one head, and the models match the migrations.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (in a database of its own, so the
session's test database is never downgraded under the other tests): pytest-alembic's fixtures are
in tests/integration/conftest.py.
"""

from __future__ import annotations

from pytest_alembic.tests import (  # noqa: F401  (collected as tests)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
