"""Applications (a worker's, or an employer's invitation) and the history of their moves."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.applications.states import Actor, ApplicationStatus
from app.auth.models import User
from app.database import ExternalIdMixin, TimestampMixin, UTCDateTime, str_enum, utcnow
from app.employers.models import JobPosting
from app.extensions import db
from app.placements.models import Placement
from app.workers.models import Worker


class Application(ExternalIdMixin, TimestampMixin, db.Model):
    """One worker's application to one posting: one per worker and posting, whoever started it."""

    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("posting_id", "worker_id"),
        CheckConstraint("offered_wage_inr IS NULL OR offered_wage_inr >= 0", name="offer_wage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("job_posting.id", ondelete="CASCADE"), index=True
    )
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(str_enum(ApplicationStatus, 20), index=True)
    invited: Mapped[bool] = mapped_column(default=False)
    # The worker's own words to the employer, sent with the application.
    note: Mapped[str] = mapped_column(Text, default="")
    interview_on: Mapped[date | None] = mapped_column(Date)
    interview_place: Mapped[str | None] = mapped_column(String(200))
    offered_wage_inr: Mapped[int | None]
    placement_id: Mapped[int | None] = mapped_column(
        ForeignKey("placement.id", ondelete="SET NULL"), index=True
    )

    posting: Mapped[JobPosting] = relationship()
    worker: Mapped[Worker] = relationship()
    # The placement a hire created; `placement.hire` is this application (one per placement).
    placement: Mapped[Placement | None] = relationship(
        backref=backref("hire", uselist=False, viewonly=True)
    )
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="(ApplicationEvent.at, ApplicationEvent.id)",
    )

    def __repr__(self) -> str:
        return f"<Application {self.external_id} {self.status.value}>"


class ApplicationEvent(db.Model):
    """One move of an application: from what to what, by whom, when, and why."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[ApplicationStatus | None] = mapped_column(str_enum(ApplicationStatus, 20))
    to_status: Mapped[ApplicationStatus] = mapped_column(str_enum(ApplicationStatus, 20))
    actor: Mapped[Actor] = mapped_column(str_enum(Actor, 20))
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    application: Mapped[Application] = relationship(back_populates="events")
    actor_user: Mapped[User | None] = relationship()
