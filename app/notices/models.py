"""A notice is an inbox message and its outbox entry in one row: written in the same transaction
as the change it tells of, delivered afterwards, retried until it is sent or given up."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db


class DeliveryStatus(enum.StrEnum):
    pending = "pending"  # waiting for its first or next attempt
    sending = "sending"  # claimed by one sender
    sent = "sent"
    failed = "failed"  # given up after the last attempt
    skipped = "skipped"  # no way to reach the recipient (no phone for SMS)


class Notice(db.Model):
    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # What happened, e.g. "application.shortlisted"; the text is written from it in the reader's
    # language when shown or sent (app/notices/messages.py).
    kind: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivery_status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus, 20), default=DeliveryStatus.pending, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
