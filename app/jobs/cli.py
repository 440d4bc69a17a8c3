"""`flask jobs run KIND ...` and `flask jobs list`: the long commands as background jobs.

With REDIS_URL set the job is queued for an RQ worker (`rq worker --url $REDIS_URL kaushalsetu`,
started with the same environment as the app) and the command returns at once; without it the job
runs here. Either way its progress shows on /admin/jobs.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from app.jobs.models import JobRun, JobStatus
from app.jobs.services import JobQueueError, enqueue, recent_job_runs


def report(job_run: JobRun) -> None:
    """Say what happened; a failed inline job exits with status 1 and its reason."""
    if job_run.status is JobStatus.failed:
        raise click.ClickException(f"job {job_run.id} ({job_run.kind}) failed: {job_run.error}")
    if job_run.status is JobStatus.finished:
        click.echo(f"job {job_run.id} ({job_run.kind}) finished: {job_run.result}", err=True)
    else:
        click.echo(
            f"job {job_run.id} ({job_run.kind}) {job_run.status.value} (RQ job {job_run.rq_job_id})",
            err=True,
        )


def start(kind: str, /, **params) -> None:

    try:
        job_run = enqueue(kind, **params)
    except (JobQueueError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    report(job_run)


@click.group("run")
def run_group() -> None:
    """Run a long task as a job (queued on RQ when REDIS_URL is set, else here and now)."""


@run_group.command("taxonomy-import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--embed/--no-embed", default=True, help="Compute and cache the skill vectors too.")
@with_appcontext
def run_taxonomy_import(path: Path, embed: bool) -> None:
    """Upsert skills from ESCO's CSV; a malformed file fails the job and writes nothing."""
    start("taxonomy-import", path=str(path.resolve()), embed=embed)


@run_group.command("import")
@click.argument("kind")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def run_import(kind: str, file: Path) -> None:
    """Import a CSV FILE of KIND, all or nothing (formats: docs/imports.md)."""
    start("import", kind=kind, path=str(file.resolve()))


@run_group.command("recommend-all")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--top-k", default=10, show_default=True, type=click.IntRange(1))
@click.option("--chunk-size", default=0, type=click.IntRange(0), help="0: the engine's default.")
@with_appcontext
def run_recommend_all(output: Path, top_k: int, chunk_size: int) -> None:
    """The top jobs of every worker as a JSON-lines file, written whole or not at all."""
    start("recommend-all", output=str(output.resolve()), top_k=top_k, chunk_size=chunk_size)


@click.command("list")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@with_appcontext
def list_jobs(limit: int) -> None:
    """The latest jobs: id, kind, status, progress, and the result or error."""

    for job_run in recent_job_runs(limit):
        outcome = (job_run.error or job_run.result or "").splitlines()
        click.echo(
            f"{job_run.id}\t{job_run.kind}\t{job_run.status.value}\t{job_run.progress}%\t"
            f"{outcome[0] if outcome else ''}"
        )


jobs = AppGroup("jobs", help="Background jobs: run long tasks, list their status.")
jobs.add_command(run_group)
jobs.add_command(list_jobs)
