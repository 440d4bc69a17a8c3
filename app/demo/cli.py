"""`flask seed demo`: load the synthetic demo cluster from seed_data/."""

from __future__ import annotations

import click


@click.group("seed")
def seed() -> None:
    """Load demo data."""
