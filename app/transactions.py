"""The transaction boundary, written once: every commit and rollback of the app happens here.

A request commits once, after its view answered with a success or a redirect, and rolls back when
it answers with an error or raises (indico's request handler does the same). A CLI command or a job
runs its work in `unit_of_work()`. Services and views only add and flush; a view that shows a form
again after a rule refused its input calls `discard()` so nothing half-done rides on the commit.
A refusal's audit event is kept in a short transaction of its own (`keep_alone`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import Flask, Response
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger(__name__)

T = TypeVar("T")


def register(app: Flask) -> None:
    """Commit each request's work on a success or redirect, roll it back on any error."""

    @app.after_request
    def _end_request_transaction(response: Response) -> Response:
        if response.status_code < 400:
            try:
                db.session.commit()
            except Exception:
                discard_quietly()
                raise
        else:
            discard_quietly()
        return response

    @app.teardown_request
    def _roll_back_on_exception(exc: BaseException | None) -> None:
        if exc is not None:
            discard_quietly()


@contextmanager
def unit_of_work() -> Iterator[None]:
    """One CLI command's or job's work: committed when the block ends, rolled back if it raises."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def discard() -> None:
    """Drop the work of this request or command so far (input a rule refused, a failed step)."""
    db.session.rollback()


def keep_alone(write: Callable[[], T]) -> T:
    """Drop the work so far and commit only what `write` adds: a refusal's audit event survives
    the error answer that follows it."""
    db.session.rollback()
    result = write()
    db.session.commit()
    return result


def write_alone(write: Callable[[], object], *, may_fail: type[Exception]) -> bool:
    """End the current read-only transaction, then run `write` and commit it alone; False (and
    nothing written) if it raised `may_fail`, e.g. SQLite's "database is locked"."""
    db.session.commit()
    try:
        write()
        db.session.commit()
    except may_fail:
        db.session.rollback()
        return False
    return True


def discard_quietly() -> None:
    """`discard()` after a database error: on a dead connection the rollback itself may fail,
    which is fine (nothing was committed, nothing to undo)."""
    try:
        db.session.rollback()
    except Exception:
        log.warning("Rollback failed after a database error; the session is discarded.")
        db.session.remove()


@contextmanager
def separate_session() -> Iterator[Session]:
    """A session of its own, committed when the block ends: rows that must outlive the caller's
    rollback (a job's status and progress). Under the tests db.session's bind is one connection
    in a rolled-back transaction, so this nests a savepoint in it instead of a new connection."""
    bind = db.session.get_bind()
    if isinstance(bind, Connection):
        session = Session(
            bind=bind, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    else:
        session = Session(bind=bind, expire_on_commit=False)
    with session:
        yield session
        session.commit()
