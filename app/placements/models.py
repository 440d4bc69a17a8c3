"""Placements and the retention checks that verify them."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import ExternalIdMixin, TimestampMixin, str_enum
from app.employers.models import JobPosting
from app.extensions import db
from app.institutions.models import Enrolment
from app.organisations.models import Organisation
from app.workers.models import Worker


class EmploymentType(enum.StrEnum):
    wage = "wage"
    self_employment = "self"


class Verification(enum.StrEnum):
    none = "none"
    appointment_letter = "appointment_letter"
    salary_slip = "salary_slip"
    bank_credit = "bank_credit"


class Placement(ExternalIdMixin, TimestampMixin, db.Model):
    __tablename__ = "placement"
    __table_args__ = (
        CheckConstraint("monthly_wage_inr >= 0", name="wage_not_negative"),
        CheckConstraint("ended_on IS NULL OR ended_on >= placed_on", name="ended_after_placed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    posting_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_posting.id", ondelete="SET NULL"), index=True
    )
    placed_on: Mapped[date] = mapped_column(Date)
    monthly_wage_inr: Mapped[int]
    employment_type: Mapped[EmploymentType] = mapped_column(
        str_enum(EmploymentType, 20),
        default=EmploymentType.wage,
    )
    ended_on: Mapped[date | None] = mapped_column(Date)
    verification: Mapped[Verification] = mapped_column(
        str_enum(Verification, 30),
        default=Verification.none,
    )
    verified_on: Mapped[date | None] = mapped_column(Date)
    # The training that led to the job: a course the worker completed in the 12 months before.
    enrolment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolment.id", ondelete="SET NULL"), index=True
    )
    # Sources of evidence: an institution recorded it (every placement before hires were in the
    # product), and/or an employer's hire created it (the application linked to it).
    recorded_by_institution: Mapped[bool] = mapped_column(default=True, server_default=true())

    worker: Mapped[Worker] = relationship()
    employer: Mapped[Organisation | None] = relationship()
    posting: Mapped[JobPosting | None] = relationship()
    enrolment: Mapped[Enrolment | None] = relationship()
    retention_checks: Mapped[list[RetentionCheck]] = relationship(
        back_populates="placement", cascade="all, delete-orphan", order_by="RetentionCheck.months"
    )


class RetentionCheck(TimestampMixin, db.Model):
    """Evidence that a placed worker was still employed 3, 6 or 12 months after placement."""

    __tablename__ = "retention_check"
    __table_args__ = (
        UniqueConstraint("placement_id", "months"),
        CheckConstraint("months IN (3, 6, 12)", name="months_allowed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placement.id", ondelete="CASCADE"), index=True
    )
    months: Mapped[int]
    employed: Mapped[bool]
    appointment_letter: Mapped[bool] = mapped_column(default=False)
    salary_slip: Mapped[bool] = mapped_column(default=False)
    bank_credit: Mapped[bool] = mapped_column(default=False)
    verified_on: Mapped[date | None] = mapped_column(Date)
    verified_by: Mapped[str | None] = mapped_column(String(254))

    placement: Mapped[Placement] = relationship(back_populates="retention_checks")
