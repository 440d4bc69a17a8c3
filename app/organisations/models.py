"""Clusters and the organisations in them: employers and training institutions."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import ExternalIdMixin, TimestampMixin, str_enum
from app.extensions import db


class OrganisationKind(enum.StrEnum):
    employer = "employer"
    institution = "institution"


class Cluster(ExternalIdMixin, TimestampMixin, db.Model):
    __tablename__ = "cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(100))
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)

    organisations: Mapped[list[Organisation]] = relationship(back_populates="cluster")


class Organisation(ExternalIdMixin, TimestampMixin, db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind, 20))
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(100), index=True)
    state: Mapped[str | None] = mapped_column(String(100))
    msme_size: Mapped[str | None] = mapped_column(String(20))
    tier: Mapped[str | None] = mapped_column(String(20))
    institution_type: Mapped[str | None] = mapped_column(String(40))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id", ondelete="SET NULL"))

    cluster: Mapped[Cluster | None] = relationship(back_populates="organisations")

    def __repr__(self) -> str:
        return f"<Organisation {self.external_id} {self.kind.value}>"
