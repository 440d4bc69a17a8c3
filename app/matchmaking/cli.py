"""`flask gap`, `flask recommend jobs|candidates`, `flask demand`: the matching engine on the data.

Each prints JSON (or CSV for `demand --format csv`) on stdout; an unknown id or a bad option is a
message on stderr and exit code 1.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from typing import Any

import click
from flask.cli import with_appcontext

from app.matchmaking import demand as demand_service
from app.matchmaking import match_inputs, services
from app.matchmaking.schemas import (
    CandidateOut,
    DemandOut,
    GapOut,
    JobMatchOut,
    TrainableCandidateOut,
)
from matching.gaps import Gap


def _today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--today"
        ) from None


def _emit(payload: Any) -> None:
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def _fail(exc: Exception) -> click.ClickException:
    """An unknown id or an empty taxonomy, as a one-line error with exit code 1."""
    return click.ClickException(str(exc.args[0]) if exc.args else str(exc))


@click.command("gap")
@click.option("--worker", "worker_id", required=True, help="The worker's id, e.g. W0001.")
@click.option("--posting", "posting_id", required=True, help="The posting's id, e.g. P001.")
@click.option("--today", default=None, help="Plan as of this day (YYYY-MM-DD); default today.")
@with_appcontext
def gap(worker_id: str, posting_id: str, today: str | None) -> None:
    """A worker's gap against a posting, with a training plan."""
    day = _today(today)
    try:
        worker = match_inputs.worker_by_external_id(worker_id)
        posting = match_inputs.posting_by_external_id(posting_id)
        found = services.gap_and_plan(worker, posting, today=day)
    except (match_inputs.UnknownRecord, LookupError) as exc:
        raise _fail(exc) from None
    _emit(GapOut().dump(found))


@click.group("recommend")
def recommend() -> None:
    """Ranked jobs for a worker, or candidates for a posting."""


@recommend.command("jobs")
@click.option("--worker", "worker_id", required=True, help="The worker's id.")
@click.option("--top-k", default=services.DEFAULT_TOP_K, show_default=True, type=click.IntRange(1))
@with_appcontext
def recommend_jobs(worker_id: str, top_k: int) -> None:
    """Open postings that fit a worker, best first."""
    try:
        worker = match_inputs.worker_by_external_id(worker_id)
        jobs = services.jobs_for_worker(worker, top_k=top_k)
    except (match_inputs.UnknownRecord, LookupError) as exc:
        raise _fail(exc) from None
    listed = JobMatchOut(many=True, exclude=("sector",)).dump(jobs)
    _emit([{**row, "gap": summary(job.gap)} for row, job in zip(listed, jobs, strict=True)])


@recommend.command("candidates")
@click.option("--posting", "posting_id", required=True, help="The posting's id.")
@click.option("--top-k", default=services.DEFAULT_TOP_K, show_default=True, type=click.IntRange(1))
@click.option(
    "--trainable-hours",
    type=click.FloatRange(0),
    default=None,
    help="Instead: workers who fit after at most this many hours of training.",
)
@click.option("--today", default=None, help="Batches as of this day (YYYY-MM-DD).")
@with_appcontext
def recommend_candidates(
    posting_id: str, top_k: int, trainable_hours: float | None, today: str | None
) -> None:
    """Visible workers who fit a posting (or would, after short training), best first."""
    day = _today(today)
    try:
        posting = match_inputs.posting_by_external_id(posting_id)
        if trainable_hours is None:
            rows = services.candidates_for_posting(posting, top_k=top_k)
        else:
            rows = services.trainable_candidates_for_posting(
                posting, max_hours=trainable_hours, top_k=top_k, today=day
            )
    except (match_inputs.UnknownRecord, LookupError) as exc:
        raise _fail(exc) from None
    schema = CandidateOut if trainable_hours is None else TrainableCandidateOut
    listed = schema(many=True, exclude=("uncovered",) if trainable_hours is not None else ())
    _emit(
        [
            {**row, "gap": summary(found.gap)}
            for row, found in zip(listed.dump(rows), rows, strict=True)
        ]
    )


def summary(gap: Gap) -> dict[str, Any]:
    """A gap in a list: how many required skills are covered, and which are partial or missing."""
    return {
        "covered": len(gap.covered),
        "partial": [p.label for p in gap.partial],
        "missing": [m.label for m in gap.missing],
    }


@click.command("demand")
@click.option("--sector", default=None, help="Only postings of employers in this sector.")
@click.option("--district", default=None, help="Only this district.")
@click.option(
    "--format", "output", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option("--today", default=None, help="Capacity of batches from this day (YYYY-MM-DD).")
@with_appcontext
def demand(sector: str | None, district: str | None, output: str, today: str | None) -> None:
    """Cluster demand for skills, supply, training capacity and suggested batches."""
    day = _today(today)
    try:
        report = demand_service.cluster_demand_report(sector=sector, district=district, today=day)
    except LookupError as exc:
        raise _fail(exc) from None
    if output == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows(report.to_csv_rows())
        return
    _emit(DemandOut().dump(report))
