"""Column helpers shared by every domain's models."""

from __future__ import annotations

import enum
import sqlite3
from datetime import UTC, datetime

from flask import g, has_request_context, request
from sqlalchemy import DateTime, Engine, Enum, String, TypeDecorator, event
from sqlalchemy.orm import Mapped, mapped_column

EXTERNAL_ID_LENGTH = 64
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python, on every database.

    PostgreSQL keeps the offset; SQLite keeps none and hands back naive values, which would then
    be serialised without an offset. Naive values written are taken to be UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value


def utcnow() -> datetime:
    """Current time in UTC; a callable default so every row gets its own timestamp."""
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ExternalIdMixin:
    """An id given by the system a record came from, so a re-import matches the same row again."""

    external_id: Mapped[str] = mapped_column(String(EXTERNAL_ID_LENGTH), unique=True)


def str_enum(kind: type[enum.Enum], length: int = 30) -> Enum:
    """A VARCHAR column holding an enum's values (not names), checked on write, on every database."""
    return Enum(
        kind,
        native_enum=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


@event.listens_for(Engine, "connect")
def _sqlite_connection_setup(dbapi_connection, _record) -> None:
    """On SQLite: enforce foreign keys, and let SQLAlchemy own transactions (SAVEPOINTs work)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")  # writers queue for up to 30 s, not fail
        # Readers never wait for a writer, and a writer only for another writer.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """A request that may write takes SQLite's write lock when its transaction begins.

    A deferred transaction that reads and then writes while another holds the lock fails at once
    with "database is locked" (SQLite cannot wait there without risking deadlock): several
    workers signing in at the same moment got 503s on the demo. Taking the lock up front makes
    them queue under busy_timeout instead. Safe requests and commands keep deferred transactions,
    so reads run beside a writer; so do requests marked ``g.computes_only`` (linking a text is a
    POST that writes nothing and may take seconds: holding the lock that long would stall every
    writer).
    """
    if connection.dialect.name == "sqlite":
        may_write = (
            has_request_context()
            and request.method not in SAFE_METHODS
            and not g.get("computes_only", False)
        )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if may_write else "BEGIN")
