"""`flask report outcomes|ddugky|wioa`: outcome indicators as JSON or CSV.

A report printed here is an export, so disclosure control is on unless --no-suppress is given
(for administrators working on the server). Each run is recorded in the audit trail.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from app import transactions
from app.audit.services import record_event
from app.outcomes.exports import report_rows, to_csv
from app.outcomes.reports import build_report
from indicators.records import GROUPINGS
from indicators.reports import CLI_OUTCOME_FIELDS, cli_view

AS_OF_HELP = "Report date, YYYY-MM-DD (default: today)."


@click.group("report")
def report() -> None:
    """Outcome reports: placement, retention and wage indicators, DDU-GKY and WIOA views."""


def _report_options(command):
    command = click.option(
        "--format",
        "output_format",
        type=click.Choice(["json", "csv"]),
        default="json",
        show_default=True,
        help="json: the report object; csv: one row per group, then the total.",
    )(command)
    command = click.option(
        "--institution",
        metavar="EXTERNAL_ID",
        default=None,
        help="Only this institution's figures (as on its own dashboard).",
    )(command)
    command = click.option(
        "--no-suppress",
        "no_suppress",
        is_flag=True,
        help="Exact small counts (administrators only; never for publication).",
    )(command)
    command = click.option(
        "--by", type=click.Choice(list(GROUPINGS)), default=None, help="Break the figures down."
    )(command)
    command = click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help=AS_OF_HELP,
    )(command)
    return command


def _run(
    kind: str,
    as_of,
    by: str | None,
    no_suppress: bool,
    institution: str | None,
    output_format: str,
) -> None:

    day = as_of.date() if as_of is not None else date.today()
    try:
        result = build_report(kind, day, by, suppress=not no_suppress, institution=institution)
    except ValueError as exc:  # bad data or an unknown institution: say which, exit non-zero
        raise click.ClickException(str(exc)) from exc
    fields = CLI_OUTCOME_FIELDS if kind == "outcomes" else None
    printable: dict[str, Any] = cli_view(result) if kind == "outcomes" else result
    if output_format == "json":
        click.echo(json.dumps(printable, indent=2, ensure_ascii=False))
    else:
        click.echo(to_csv(report_rows(result, fields)), nl=False)
    with transactions.unit_of_work():
        record_event(
            "outcomes_exported",
            object_type="outcome_report",
            object_id=institution,
            detail={
                "via": "cli",
                "kind": kind,
                "as_of": day.isoformat(),
                "by": by,
                "format": output_format,
                "suppressed": not no_suppress,
                "groups": len(result["groups"]),
            },
        )


@report.command("outcomes")
@_report_options
def outcomes_command(as_of, by, no_suppress, institution, output_format) -> None:
    """Enrolled, certified, placed, retained at 3 months and the median wage."""
    _run("outcomes", as_of, by, no_suppress, institution, output_format)


@report.command("ddugky")
@_report_options
def ddugky_command(as_of, by, no_suppress, institution, output_format) -> None:
    """DDU-GKY view: placements with 90 days' work above the wage floor; women per batch."""
    _run("ddugky", as_of, by, no_suppress, institution, output_format)


@report.command("wioa")
@_report_options
def wioa_command(as_of, by, no_suppress, institution, output_format) -> None:
    """WIOA-style view: employment in the 2nd and 4th quarter after exit, credentials."""
    _run("wioa", as_of, by, no_suppress, institution, output_format)
