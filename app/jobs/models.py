"""One row per background job, so a page can show its progress and a failure says why."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db


class JobStatus(enum.StrEnum):
    queued = "queued"
    running = "running"
    finished = "finished"
    failed = "failed"


class JobRun(db.Model):
    """A long task (taxonomy import, bulk import, bulk recommendations), run by RQ or inline.

    Written in its own transactions, apart from the job's work, so its status survives a rollback.
    """

    __tablename__ = "job_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus, 20), default=JobStatus.queued, index=True
    )
    progress: Mapped[int] = mapped_column(default=0)
    rq_job_id: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<JobRun {self.id} {self.kind} {self.status.value} {self.progress}%>"
