"""On SQLite, a request that may write takes the write lock when its transaction begins, so
concurrent writers queue (busy_timeout) instead of failing with "database is locked"."""

from __future__ import annotations

import sqlite3

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

import app.database  # noqa: F401  (registers the connection and transaction listeners)


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    yield engine
    engine.dispose()


def write_lock_is_free(path) -> bool:
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


@pytest.mark.parametrize(("method", "locks"), [("POST", True), ("PATCH", True), ("GET", False)])
def test_writing_requests_take_the_lock_when_they_begin(engine, method, locks):
    path = engine.url.database
    with Flask(__name__).test_request_context(method=method), engine.connect() as connection:
        connection.begin()
        connection.execute(text("SELECT count(*) FROM t"))
        assert write_lock_is_free(path) is not locks
        connection.rollback()
    assert write_lock_is_free(path)


def test_the_database_runs_in_wal_mode(engine):
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_a_request_that_only_computes_takes_no_write_lock(engine):
    """Linking a text is a POST that writes nothing and may run for seconds: it must not hold
    the lock every writer waits for."""
    from flask import g

    path = engine.url.database
    with Flask(__name__).test_request_context(method="POST"), engine.connect() as connection:
        g.computes_only = True
        connection.begin()
        connection.execute(text("SELECT count(*) FROM t"))
        assert write_lock_is_free(path)
        connection.rollback()
