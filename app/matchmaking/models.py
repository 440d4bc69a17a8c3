"""The matching change log: which records a committed write changed, under the data version it
raised, so every process updates only those rows of its match data (app/matchmaking/changes.py)."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class MatchChange(db.Model):
    """One changed record: `kind` is worker, posting or organisation with the row's id, or
    courses, taxonomy or all with `entity_id` 0 (the whole of that part is built again);
    `version` is the matching data version its transaction committed."""

    __tablename__ = "match_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(BigInteger)
