"""Job postings and the skills they require."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import ExternalIdMixin, TimestampMixin, str_enum
from app.extensions import db
from app.organisations.models import Organisation
from app.skills.models import Skill


class Shift(enum.StrEnum):
    general = "general"
    day = "day"
    night = "night"
    rotating = "rotating"


class PostingStatus(enum.StrEnum):
    open = "open"
    filled = "filled"
    closed = "closed"


class JobPosting(ExternalIdMixin, TimestampMixin, db.Model):
    __tablename__ = "job_posting"
    __table_args__ = (
        CheckConstraint("openings >= 1", name="openings_positive"),
        CheckConstraint(
            "wage_min_inr IS NULL OR wage_max_inr IS NULL OR wage_min_inr <= wage_max_inr",
            name="wage_range_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    openings: Mapped[int] = mapped_column(default=1)
    wage_min_inr: Mapped[int | None]
    wage_max_inr: Mapped[int | None]
    district: Mapped[str] = mapped_column(String(100), index=True)
    shift: Mapped[Shift] = mapped_column(str_enum(Shift, 20), default=Shift.general)
    status: Mapped[PostingStatus] = mapped_column(
        str_enum(PostingStatus, 20),
        default=PostingStatus.open,
        index=True,
    )
    posted_on: Mapped[date | None] = mapped_column(Date)

    employer: Mapped[Organisation] = relationship()
    skills: Mapped[list[PostingSkill]] = relationship(
        back_populates="posting", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<JobPosting {self.external_id}>"


class PostingSkill(db.Model):
    __tablename__ = "posting_skill"
    __table_args__ = (
        UniqueConstraint("posting_id", "skill_id"),
        CheckConstraint("min_proficiency BETWEEN 1 AND 4", name="min_proficiency_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("job_posting.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    essential: Mapped[bool] = mapped_column(default=True)
    min_proficiency: Mapped[int] = mapped_column(default=1)

    posting: Mapped[JobPosting] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()
