"""`flask recommend all`: the top jobs of every worker at once, as JSON lines, with matching/top_jobs_all.py.

Only the postings side is held in memory: the open posting profiles and the skill closeness, built
by the same functions as the process's match data (`profiles.open_posting_profiles`,
`profiles.skill_closeness` over `profiles.closeness_skill_uris`), so each worker's line equals their
single-worker recommendation (`jobs_for_worker`). Workers are read straight from the database a page
at a time (keyset pagination on the primary key; `profiles.worker_profiles`, two queries a page),
ranked a chunk at a time and written line by line: the output never waits for the whole run, and
memory grows with the postings and one page of workers, not with the number of workers. Every
worker the privacy rules let the engine match (not erased, standing consent to "matching") gets a
line, visible to employers or not: it is their own recommendation list. Others get none, as
`jobs_for_worker` refuses them.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TextIO

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.auth import policy
from app.extensions import db
from app.matchmaking import profiles, services
from app.workers.models import Worker
from matching.ranking import WorkerProfile
from matching.top_jobs_all import DEFAULT_CHUNK_SIZE, BulkJobMatcher


@dataclass(frozen=True, slots=True)
class BulkRun:
    """What a bulk run wrote: workers (lines), workers with at least one job, and duration."""

    workers: int
    with_jobs: int
    seconds: float


def worker_profiles_in_pages(skills: profiles.SkillRows, page_size: int) -> Iterator[WorkerProfile]:
    """The profile of every worker the engine may match, in id order, built from the database
    `page_size` workers at a time."""
    last_id = 0
    while True:
        page = profiles.worker_profiles(skills, Worker.id > last_id, limit=page_size)
        if not page:
            return
        for _, profile in page:
            yield profile
        last_id = page[-1][0]


def matchable_worker_count() -> int:
    """How many lines a bulk run writes: the workers the privacy rules let the engine match."""
    return (
        db.session.scalar(select(func.count(Worker.id)).where(policy.worker_may_be_matched())) or 0
    )


def recommend_all(
    output: TextIO,
    top_k: int = services.DEFAULT_TOP_K,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_progress: Callable[[int], None] | None = None,
) -> BulkRun:
    """Write one JSON line per worker, {"worker": id, "jobs": [{"posting": id, "fit": n}, ...]},
    best job first, open postings only; `on_progress(n)` after each n lines."""
    started = time.perf_counter()
    skills = profiles.skill_rows()
    postings, _wages = profiles.open_posting_profiles(skills)
    closeness = profiles.skill_closeness(
        profiles.closeness_skill_uris(skills), profiles.closeness_threshold()
    )
    matcher = BulkJobMatcher(postings, closeness)
    workers = with_jobs = 0
    pending = 0
    stream = worker_profiles_in_pages(skills, chunk_size)
    for worker, jobs in matcher.iter_top_jobs(stream, top_k, chunk_size=chunk_size):
        line = {
            "worker": worker.worker_id,
            "jobs": [{"posting": job.posting_id, "fit": job.fit} for job in jobs],
        }
        output.write(json.dumps(line, ensure_ascii=False) + "\n")
        workers += 1
        with_jobs += bool(jobs)
        pending += 1
        if pending == chunk_size:
            output.flush()
            if on_progress is not None:
                on_progress(pending)
            pending = 0
    output.flush()
    if on_progress is not None and pending:
        on_progress(pending)
    return BulkRun(workers, with_jobs, time.perf_counter() - started)


@click.command("all")
@click.option("--top-k", default=services.DEFAULT_TOP_K, show_default=True, type=click.IntRange(1))
@click.option(
    "--output",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="JSON-lines file to write ('-' for stdout).",
)
@click.option(
    "--chunk-size",
    default=DEFAULT_CHUNK_SIZE,
    show_default=True,
    type=click.IntRange(1),
    help="Workers ranked at a time (memory grows with it).",
)
@with_appcontext
def recommend_all_command(top_k: int, output_path: str, chunk_size: int) -> None:
    """The top jobs of every worker, one JSON line per worker (progress on stderr)."""
    total = matchable_worker_count()
    try:
        with (
            click.open_file(output_path, "w", encoding="utf-8", atomic=output_path != "-") as out,
            click.progressbar(length=total, label="Ranking jobs", file=sys.stderr) as bar,
        ):
            run = recommend_all(out, top_k=top_k, chunk_size=chunk_size, on_progress=bar.update)
    except LookupError as exc:  # an empty taxonomy: nothing can be matched yet
        raise click.ClickException(str(exc.args[0]) if exc.args else str(exc)) from None
    click.echo(
        f"{run.workers} workers written to {output_path} ({run.with_jobs} with at least one job) "
        f"in {run.seconds:.1f} s",
        err=True,
    )
