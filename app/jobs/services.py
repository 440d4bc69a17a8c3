"""Long tasks as background jobs: RQ runs them when REDIS_URL is set, otherwise they run inline.

A job's work (its "body") runs in a fresh app context and commits once at the end, or rolls back,
so a failed job leaves the data as it was. Its JobRun row is written in separate, short
transactions, so the status, the progress and the error survive that rollback and a page can show
them while the job runs.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import Connection, select, update

from app import transactions
from app.background import app_for_background
from app.database import utcnow
from app.extensions import db
from app.imports.services import KINDS as IMPORT_KINDS
from app.imports.services import import_file
from app.jobs.models import JobRun, JobStatus
from app.matchmaking.recommend_all import matchable_worker_count, recommend_all
from app.skills import services as skills
from app.skills.linking import get_linker

logger = logging.getLogger(__name__)

ERROR_LIMIT = 4000


class JobFailed(Exception):
    """A job that cannot do its work, with the reason shown on the jobs page."""


class JobQueueError(RuntimeError):
    """The job could not be handed to the queue (Redis unreachable)."""


class Progress:
    """Counts a body's steps and writes the percentage to its JobRun when it changes."""

    def __init__(self, write: Callable[[int], None]) -> None:
        self._write = write
        self.total: int | None = None
        self.done = 0
        self.reported = 0

    def set_total(self, total: int) -> None:
        self.total = max(total, 0)

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if not self.total:
            return
        percent = min(99, self.done * 100 // self.total)  # 100 only once the work is committed
        if percent > self.reported:
            self.reported = percent
            self._write(percent)


# --- Job bodies: (progress, **params) -> a one-line summary; they flush, never commit ------------


def taxonomy_import_job(progress: Progress, path: str, embed: bool = True) -> str:
    """`flask taxonomy import-esco` as a job; embedding happens before the commit, so a failure
    there imports nothing either."""
    from matching.taxonomy import TaxonomyFormatError, read_esco_csv

    try:
        records = list(read_esco_csv(path))
    except TaxonomyFormatError as exc:
        raise JobFailed(f"{path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise JobFailed(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise JobFailed(f"{path}: cannot be read ({exc.strerror})") from None
    progress.set_total(len(records) + int(embed))
    summary = skills.import_taxonomy(records, source=path, progress=progress.advance)
    if embed:
        get_linker()  # computes and caches the vectors of the taxonomy just written
        progress.advance()
    return (
        f"{summary.total} skills: {summary.created} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged (taxonomy version {summary.version})."
    )


def bulk_import_job(progress: Progress, kind: str, path: str) -> str:
    """`flask import KIND FILE` as a job: any bad row fails the job with the full report."""

    if kind not in IMPORT_KINDS:
        raise JobFailed(f"unknown import kind {kind!r}: one of {', '.join(IMPORT_KINDS)}")
    try:
        report = import_file(kind, path)
    except OSError as exc:
        raise JobFailed(f"{path}: cannot be read ({exc.strerror})") from None
    if not report.ok:
        raise JobFailed(report.as_text())
    return report.as_text()


def recommend_all_job(progress: Progress, output: str, top_k: int = 10, chunk_size: int = 0) -> str:
    """`flask recommend all` as a job: the JSON-lines file appears whole (atomic) or not at all."""
    import click

    from matching.top_jobs_all import DEFAULT_CHUNK_SIZE

    progress.set_total(matchable_worker_count())
    try:
        with click.open_file(output, "w", encoding="utf-8", atomic=True) as out:
            run = recommend_all(
                out,
                top_k=top_k,
                chunk_size=chunk_size or DEFAULT_CHUNK_SIZE,
                on_progress=progress.advance,
            )
    except LookupError as exc:  # an empty taxonomy
        raise JobFailed(str(exc.args[0]) if exc.args else str(exc)) from None
    except OSError as exc:
        raise JobFailed(f"{output}: cannot be written ({exc.strerror})") from None
    return f"{run.workers} workers written to {output} ({run.with_jobs} with at least one job)."


JobBody = Callable[..., str]
KINDS: dict[str, JobBody] = {
    "taxonomy-import": taxonomy_import_job,
    "import": bulk_import_job,
    "recommend-all": recommend_all_job,
}


# --- The JobRun row, written apart from the job's own transaction --------------------------------


def _update_job_run(job_run_id: int, **values) -> None:
    with transactions.separate_session() as session:
        session.execute(update(JobRun).where(JobRun.id == job_run_id).values(**values))


def _progress_writer(job_run_id: int) -> Callable[[int], None]:
    """SQLite has one writer at a time: a progress write would wait on the job's own open
    transaction, so there the page shows the status only; PostgreSQL shows every percent."""
    bind = db.session.get_bind()
    if not isinstance(bind, Connection) and bind.dialect.name == "sqlite":
        return lambda percent: None

    def write(percent: int) -> None:
        try:
            _update_job_run(job_run_id, progress=percent)
        except Exception:  # progress is informative: never let it fail the job
            logger.warning("job %s: could not record progress", job_run_id, exc_info=True)

    return write


def check_params(kind: str, params: dict) -> None:
    """Refuse an unknown kind or parameters its body does not take, before anything is queued."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}: one of {', '.join(sorted(KINDS))}")
    try:
        inspect.signature(KINDS[kind]).bind(None, **params)
    except TypeError as exc:
        raise ValueError(f"job {kind}: {exc}") from None


def create_job_run(kind: str, /, **params) -> int:
    """A queued JobRun, committed at once so a worker (another process) can read it."""
    check_params(kind, params)
    with transactions.separate_session() as session:
        job_run = JobRun(kind=kind, params=params, status=JobStatus.queued, progress=0)
        session.add(job_run)
        session.flush()
    return job_run.id


def job_run_by_id(job_run_id: int) -> JobRun | None:
    """The JobRun as last written by the tracker (not a stale copy from this session)."""
    return db.session.get(JobRun, job_run_id, populate_existing=True)


def enqueue(kind: str, /, **params) -> JobRun:
    """Run `kind` as an RQ job when REDIS_URL is set, else at once in this process."""
    job_run_id = create_job_run(kind, **params)
    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        run_inline(job_run_id)
        return job_run_by_id(job_run_id)
    from redis import Redis
    from rq import Queue

    try:
        queue = Queue(current_app.config["JOBS_QUEUE"], connection=Redis.from_url(redis_url))
        rq_job = queue.enqueue(
            run_job,
            job_run_id,
            job_timeout=current_app.config["JOB_TIMEOUT"],
            description=f"{kind} (JobRun {job_run_id})",
        )
    except Exception as exc:
        _update_job_run(
            job_run_id,
            status=JobStatus.failed,
            error=f"could not queue the job: {exc}"[:ERROR_LIMIT],
            finished_at=utcnow(),
        )
        raise JobQueueError(f"could not queue the job: {exc}") from exc
    _update_job_run(job_run_id, rq_job_id=rq_job.id)
    return job_run_by_id(job_run_id)


def run_job(job_run_id: int) -> str:
    """RQ's entry point: build the app unless one is already active (an in-process worker), then
    run the job in an app context of its own. Returns the final status."""
    return run_inline(job_run_id, app_for_background())


def run_inline(job_run_id: int, app: Flask | None = None) -> str:
    """Run a queued JobRun here and now; returns the final status ("finished" or "failed")."""
    app = app or current_app._get_current_object()
    with app.app_context():
        return _run(job_run_id)


def _run(job_run_id: int) -> str:
    job_run = db.session.get(JobRun, job_run_id)
    if job_run is None:
        raise LookupError(f"no JobRun {job_run_id}")
    kind, params = job_run.kind, dict(job_run.params or {})
    transactions.discard()  # the body starts from a clean transaction
    _update_job_run(job_run_id, status=JobStatus.running, started_at=utcnow(), progress=0)
    progress = Progress(_progress_writer(job_run_id))
    try:
        with transactions.unit_of_work():
            result = KINDS[kind](progress, **params)
    except Exception as exc:
        if not isinstance(exc, JobFailed):
            logger.exception("job %s (%s) failed", job_run_id, kind)
        _update_job_run(
            job_run_id,
            status=JobStatus.failed,
            error=failure_message(exc),
            finished_at=utcnow(),
        )
        return JobStatus.failed.value
    _update_job_run(
        job_run_id,
        status=JobStatus.finished,
        progress=100,
        result=(result or "")[:ERROR_LIMIT],
        finished_at=utcnow(),
    )
    return JobStatus.finished.value


def failure_message(exc: BaseException) -> str:
    """What the jobs page says: our own message as is, anything else with its type."""
    message = str(exc) if isinstance(exc, JobFailed) else f"{type(exc).__name__}: {exc}"
    return message[:ERROR_LIMIT]


def recent_job_runs(limit: int = 100) -> list[JobRun]:
    """The latest jobs first, for the jobs page and `flask jobs list`."""
    return list(db.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)))


def absolute(path: str | Path) -> str:
    """Job parameters carry absolute paths: a worker may run in another directory."""
    return str(Path(path).resolve())


def uses_redis() -> bool:
    """Jobs go to RQ when a Redis URL is configured; otherwise they run inline."""
    return bool(current_app.config.get("REDIS_URL"))
