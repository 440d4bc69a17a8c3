"""`flask import KIND FILE [--dry-run]`: bulk imports with the same validation as the pages."""

from __future__ import annotations

import click


@click.command("import")
def import_command() -> None:
    """Import records from a CSV file."""
