"""`flask report outcomes`: placement, retention and wage indicators."""

from __future__ import annotations

import click


@click.group("report")
def report() -> None:
    """Outcome reports."""
