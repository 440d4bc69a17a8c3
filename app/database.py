"""Column helpers shared by every domain's models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

EXTERNAL_ID_LENGTH = 64


def utcnow() -> datetime:
    """Current time in UTC; a callable default so every row gets its own timestamp."""
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


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
