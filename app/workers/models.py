"""Workers and their skills (their consent records are the privacy domain's: app/privacy/models.py)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import ExternalIdMixin, TimestampMixin, UTCDateTime, str_enum
from app.extensions import db
from app.privacy.crypto import EncryptedBoolean, EncryptedString
from app.skills.models import Skill

if TYPE_CHECKING:  # the privacy domain owns consent; it imports this module
    from app.privacy.models import Consent


class Gender(enum.StrEnum):
    female = "female"
    male = "male"
    transgender = "transgender"


class Education(enum.StrEnum):
    none = "none"
    primary = "primary"
    secondary = "secondary"
    higher_secondary = "higher_secondary"
    iti = "iti"
    diploma = "diploma"
    graduate = "graduate"
    postgraduate = "postgraduate"


class SkillSource(enum.StrEnum):
    self_declared = "self_declared"
    assessed = "assessed"
    certified = "certified"


class Worker(ExternalIdMixin, TimestampMixin, db.Model):
    __tablename__ = "worker"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[Gender] = mapped_column(str_enum(Gender))
    date_of_birth: Mapped[date] = mapped_column(Date)
    district: Mapped[str] = mapped_column(String(100), index=True)
    state: Mapped[str] = mapped_column(String(100))
    education: Mapped[Education | None] = mapped_column(str_enum(Education))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Encrypted at rest (app/privacy/crypto.py): not searchable in SQL.
    phone: Mapped[str | None] = mapped_column(EncryptedString)
    email: Mapped[str | None] = mapped_column(String(254))
    # Sensitive personal data: optional, encrypted, shown only to the worker, their institution
    # and admins.
    social_category: Mapped[str | None] = mapped_column(EncryptedString)
    disability: Mapped[bool | None] = mapped_column(EncryptedBoolean)
    visible_to_employers: Mapped[bool] = mapped_column(default=False)
    profile_text: Mapped[str] = mapped_column(Text, default="")
    # Set when the worker's personal data was erased on request (app/privacy/services.py).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    skills: Mapped[list[WorkerSkill]] = relationship(
        back_populates="worker", cascade="all, delete-orphan"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="worker", cascade="all, delete-orphan", order_by="Consent.given_at"
    )

    def __repr__(self) -> str:
        return f"<Worker {self.external_id}>"


class WorkerSkill(TimestampMixin, db.Model):
    __tablename__ = "worker_skill"
    __table_args__ = (
        UniqueConstraint("worker_id", "skill_id"),
        CheckConstraint("proficiency BETWEEN 1 AND 4", name="proficiency_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    proficiency: Mapped[int] = mapped_column(default=2)
    source: Mapped[SkillSource] = mapped_column(
        str_enum(SkillSource), default=SkillSource.self_declared
    )

    worker: Mapped[Worker] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()
