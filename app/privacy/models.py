"""Records the DPDP Act asks for beyond a worker's consent: a guardian's verified consent for a
minor, and grievances with a tracked status."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import ExternalIdMixin, TimestampMixin, UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.privacy.crypto import EncryptedString
from app.workers.models import Worker


class GuardianRelation(enum.StrEnum):
    mother = "mother"
    father = "father"
    guardian = "guardian"


class GuardianConsent(db.Model):
    """A parent's or guardian's consent for a worker under 18 (DPDP Act s.9, Rules r.10).

    Recorded by the worker or their institution; it counts only once an institution officer (or an
    administrator) has verified it, e.g. against the guardian's ID at the training centre.
    """

    __tablename__ = "guardian_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"), index=True)
    guardian_name: Mapped[str] = mapped_column(EncryptedString)
    relation: Mapped[GuardianRelation] = mapped_column(str_enum(GuardianRelation, 20))
    given_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    verified_on: Mapped[datetime | None] = mapped_column(UTCDateTime())

    worker: Mapped[Worker] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])


class GrievanceStatus(enum.StrEnum):
    open = "open"
    in_progress = "in_progress"
    resolved = "resolved"
    rejected = "rejected"


class Grievance(ExternalIdMixin, TimestampMixin, db.Model):
    """A worker's grievance about their personal data (DPDP Act s.13), answered by administrators."""

    __tablename__ = "grievance"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[GrievanceStatus] = mapped_column(
        str_enum(GrievanceStatus, 20), default=GrievanceStatus.open, index=True
    )
    response: Mapped[str] = mapped_column(Text, default="")
    handled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    worker: Mapped[Worker] = relationship()
    handled_by: Mapped[User | None] = relationship()


class Consent(db.Model):
    """A worker's consent to the itemised notice: who, when, which notice version, which purposes."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"), index=True)
    notice_version: Mapped[str] = mapped_column(String(20))
    purposes: Mapped[list[str]] = mapped_column(JSON, default=list)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    given_by: Mapped[str] = mapped_column(String(40), default="self")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    worker: Mapped[Worker] = relationship(back_populates="consents")
