"""`flask import KIND FILE [--dry-run] [--format text|json]`: bulk imports with the same validation
as the pages and the API. Exit code 0 when the file is clean, 1 when any row (or the file) is bad."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from app import transactions
from app.imports.services import KINDS, ImportReport, import_file


@click.command("import")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report, but write nothing.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts.",
)
@with_appcontext
def import_command(kind: str, file: Path, dry_run: bool, output_format: str) -> None:
    """Import a CSV FILE of KIND (workers, courses, postings, enrolments, placements).

    All or nothing: if any row is bad, nothing is written and every bad row is reported by its
    line number. Re-importing the same file changes nothing. Formats: docs/imports.md.
    """
    with transactions.unit_of_work():
        report = import_file(kind, file, dry_run=dry_run)
        if not report.written:
            transactions.discard()
    echo_report(report, output_format)
    if not report.ok:
        raise SystemExit(1)


def echo_report(report: ImportReport, output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.as_text())
