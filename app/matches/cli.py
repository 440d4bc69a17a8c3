"""`flask gap`, `flask recommend jobs|candidates`, `flask demand`: the matching engine on the data."""

from __future__ import annotations

import click


@click.command("gap")
def gap() -> None:
    """A worker's gap against a posting, with a training plan."""


@click.group("recommend")
def recommend() -> None:
    """Ranked jobs for a worker, or candidates for a posting."""


@click.command("demand")
def demand() -> None:
    """Cluster demand for skills, supply, training capacity and suggested batches."""
