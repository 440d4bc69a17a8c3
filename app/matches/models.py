"""The version of the data matching is built from, so each process knows when to rebuild."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

MATCHING = "matching"


class DataVersion(db.Model):
    """A counter per kind of derived data, raised in the transaction of every write it depends
    on (app/matches/changes.py). Reading one row tells a process whether its cached match data
    is current; fingerprinting the tables instead took 200 ms a request at 100,000 workers."""

    __tablename__ = "data_version"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
