"""The skill taxonomy: ESCO skills and the project's own skills, with aliases."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import TimestampMixin, str_enum
from app.extensions import db


class SkillKind(enum.StrEnum):
    esco = "esco"
    local = "local"


class Skill(TimestampMixin, db.Model):
    """A taxonomy skill. `uri` is ESCO's conceptUri, or `urn:kaushalsetu:skill:<slug>` for our own."""

    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(255), unique=True)
    label: Mapped[str] = mapped_column(String(255), index=True)
    alt_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[SkillKind] = mapped_column(
        str_enum(SkillKind, 20),
        default=SkillKind.esco,
    )

    aliases: Mapped[list[SkillAlias]] = relationship(
        back_populates="skill", cascade="all, delete-orphan", order_by="SkillAlias.alias"
    )
    labels: Mapped[list[SkillLabel]] = relationship(
        back_populates="skill", cascade="all, delete-orphan", order_by="SkillLabel.id"
    )

    def __repr__(self) -> str:
        return f"<Skill {self.uri} {self.label!r}>"


class SkillAlias(db.Model):
    """A shop-floor name for a skill ("TIG", "VMC", "5S") that ESCO does not carry."""

    __tablename__ = "skill_alias"
    __table_args__ = (UniqueConstraint("skill_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(255))

    skill: Mapped[Skill] = relationship(back_populates="aliases")


class LabelKind(enum.StrEnum):
    preferred = "preferred"
    alternative = "alternative"


class SkillLabel(db.Model):
    """A skill's name in one language: the preferred one pages show, or an alternative (a
    colloquial name such as वेल्डर) that search and linking also recognise."""

    __tablename__ = "skill_label"
    __table_args__ = (UniqueConstraint("skill_id", "lang", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(String(8), index=True)
    label: Mapped[str] = mapped_column(String(255))
    kind: Mapped[LabelKind] = mapped_column(str_enum(LabelKind, 12), default=LabelKind.preferred)

    skill: Mapped[Skill] = relationship(back_populates="labels")


class TaxonomyImport(TimestampMixin, db.Model):
    """One run of a taxonomy import: what file, how many rows, so the version in use is known."""

    __tablename__ = "taxonomy_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    version: Mapped[str] = mapped_column(String(64))
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
