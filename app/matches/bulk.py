"""`flask recommend all`: the top jobs of every worker at once, as JSON lines, with matching/bulk.py.

The engine's inputs are the process's match data (`services.match_data()`): the same open posting
profiles, skill closeness and worker profiles that `jobs_for_worker` ranks with, so each worker's
line equals their single-worker recommendation. Workers are read from the database in pages of
ids (keyset pagination on the primary key), ranked a chunk at a time and written line by line, so
the output never waits for the whole run and the ranking's working memory stays one chunk wide.
Every worker the privacy rules let the engine match (not erased, standing consent to "matching")
gets a line, visible to employers or not: it is their own recommendation list. Others get none,
as `jobs_for_worker` refuses them.
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

from app.extensions import db
from app.matches import services
from app.matches.cli import recommend
from app.privacy.services import worker_may_be_matched
from app.workers.models import Worker
from matching.bulk import DEFAULT_CHUNK_SIZE, BulkJobMatcher
from matching.ranking import WorkerProfile


@dataclass(frozen=True, slots=True)
class BulkRun:
    """What a bulk run wrote: workers (lines), workers with at least one job, workers that could
    not be ranked because they became matchable after the match data was built, and duration."""

    workers: int
    with_jobs: int
    skipped: int
    seconds: float


def worker_profiles_in_pages(
    data: services.MatchData, page_size: int, skipped: list[int] | None = None
) -> Iterator[WorkerProfile]:
    """The profile of every worker the engine may match, in id order, reading ids `page_size` at a
    time. One that became matchable after the match data was built has no profile yet; its id
    goes to `skipped`."""
    last_id = 0
    while True:
        page = db.session.execute(
            select(Worker.id, Worker.external_id)
            .where(Worker.id > last_id, worker_may_be_matched())
            .order_by(Worker.id)
            .limit(page_size)
        ).all()
        if not page:
            return
        for row in page:
            profile = data.index.workers.get(row.external_id)
            if profile is None:
                if skipped is not None:
                    skipped.append(row.id)
                continue
            yield profile
        last_id = page[-1].id


def recommend_all(
    output: TextIO,
    top_k: int = services.DEFAULT_TOP_K,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_progress: Callable[[int], None] | None = None,
) -> BulkRun:
    """Write one JSON line per worker, {"worker": id, "jobs": [{"posting": id, "fit": n}, ...]},
    best job first, open postings only; `on_progress(n)` after each n lines."""
    started = time.perf_counter()
    data = services.match_data()
    matcher = BulkJobMatcher(data.index.postings.values(), data.closeness)
    skipped: list[int] = []
    workers = with_jobs = 0
    pending = 0
    stream = worker_profiles_in_pages(data, chunk_size, skipped)
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
    return BulkRun(workers, with_jobs, len(skipped), time.perf_counter() - started)


@recommend.command("all")
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
    total = db.session.scalar(select(func.count(Worker.id)).where(worker_may_be_matched())) or 0
    try:
        with (
            click.open_file(output_path, "w", encoding="utf-8", atomic=output_path != "-") as out,
            click.progressbar(length=total, label="Ranking jobs", file=sys.stderr) as bar,
        ):
            run = recommend_all(out, top_k=top_k, chunk_size=chunk_size, on_progress=bar.update)
    except LookupError as exc:  # an empty taxonomy: nothing can be matched yet
        raise click.ClickException(str(exc.args[0]) if exc.args else str(exc)) from None
    message = (
        f"{run.workers} workers written to {output_path} ({run.with_jobs} with at least one job) "
        f"in {run.seconds:.1f} s"
    )
    if run.skipped:
        message += f"; {run.skipped} workers who became matchable during the run were left out"
    click.echo(message, err=True)
