"""Courses, their modules and batches, and the enrolments of workers in them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import ExternalIdMixin, TimestampMixin, UTCDateTime, str_enum
from app.extensions import db
from app.organisations.models import Organisation
from app.skills.models import Skill
from app.workers.models import Worker


class CourseMode(enum.StrEnum):
    classroom = "classroom"
    online = "online"
    blended = "blended"
    on_the_job = "on_the_job"


class EnrolmentStatus(enum.StrEnum):
    enrolled = "enrolled"
    completed = "completed"
    dropped = "dropped"
    cancelled = "cancelled"  # by the worker before the batch started: no training, no seat

    @property
    def holds_seat(self) -> bool:
        return self not in SEAT_RELEASED


# Enrolments that no longer hold a seat in their batch (nor count as enrolled in a course).
SEAT_RELEASED = (EnrolmentStatus.dropped, EnrolmentStatus.cancelled)


course_skill = Table(
    "course_skill",
    db.Model.metadata,
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)

module_skill = Table(
    "module_skill",
    db.Model.metadata,
    Column("module_id", ForeignKey("module.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)


class Course(ExternalIdMixin, TimestampMixin, db.Model):
    __tablename__ = "course"
    __table_args__ = (
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("fee_inr >= 0", name="fee_not_negative"),
        CheckConstraint("nsqf_level IS NULL OR nsqf_level BETWEEN 1 AND 10", name="nsqf_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    syllabus: Mapped[str] = mapped_column(Text, default="")
    nsqf_level: Mapped[int | None]
    qp_code: Mapped[str | None] = mapped_column(String(40))
    hours: Mapped[int]
    fee_inr: Mapped[int] = mapped_column(default=0)
    mode: Mapped[CourseMode] = mapped_column(
        str_enum(CourseMode, 20),
        default=CourseMode.classroom,
    )
    women_only: Mapped[bool] = mapped_column(default=False)
    residential: Mapped[bool] = mapped_column(default=False)
    max_batch_size: Mapped[int | None]
    duration_months: Mapped[int | None]
    # Set when the course is withdrawn from offers: it leaves plans, matching and the catalogue,
    # while its batches, enrolments and outcomes stay; cleared again when it is restored.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    institution: Mapped[Organisation] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=course_skill, order_by=Skill.label)
    modules: Mapped[list[Module]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="Module.position"
    )
    batches: Mapped[list[Batch]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="Batch.start_date"
    )

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Course {self.external_id}>"


class Module(ExternalIdMixin, db.Model):
    """A unit of a course that can be taken alone, e.g. a bridge module that closes one gap."""

    __tablename__ = "module"
    __table_args__ = (CheckConstraint("hours > 0", name="hours_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[int]
    is_bridge: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    course: Mapped[Course] = relationship(back_populates="modules")
    skills: Mapped[list[Skill]] = relationship(secondary=module_skill, order_by=Skill.label)


class Batch(ExternalIdMixin, TimestampMixin, db.Model):
    __tablename__ = "batch"
    __table_args__ = (CheckConstraint("seats >= 1", name="seats_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    seats: Mapped[int]
    district: Mapped[str | None] = mapped_column(String(100))

    course: Mapped[Course] = relationship(back_populates="batches")
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="batch")


class Enrolment(ExternalIdMixin, TimestampMixin, db.Model):
    __tablename__ = "enrolment"
    __table_args__ = (
        CheckConstraint(
            "completed_on IS NULL OR completed_on >= enrolled_on", name="completed_after_enrolled"
        ),
        CheckConstraint("certified_on IS NULL OR certified", name="certified_on_needs_certified"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("batch.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[EnrolmentStatus] = mapped_column(
        str_enum(EnrolmentStatus, 20),
        default=EnrolmentStatus.enrolled,
    )
    enrolled_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    certified: Mapped[bool] = mapped_column(default=False)
    certified_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    worker: Mapped[Worker] = relationship()
    course: Mapped[Course] = relationship()
    batch: Mapped[Batch | None] = relationship(back_populates="enrolments")
