"""Count the SQL statements a block sends: a list that costs one query a row shows up here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db

WRITES = frozenset({"INSERT", "UPDATE", "DELETE"})


@contextmanager
def statements_sent(kinds: frozenset[str] | None = None) -> Iterator[list[str]]:
    """The statements sent to the database inside the block, in order; only those whose first
    word is in `kinds` when given (e.g. WRITES)."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if kinds is None or statement.lstrip().split(" ", 1)[0].upper() in kinds:
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def count_writes():
    """The INSERT, UPDATE and DELETE statements sent inside the block."""
    return statements_sent(WRITES)
