"""`flask seed demo [--if-empty] [--path DIR]`: load the synthetic demo cluster from seed_data/."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from app import transactions
from app.demo.services import DEMO_PATH, DemoLoadError, database_has_workers, load_demo
from app.skills.linking import get_linker


@click.group("seed")
def seed() -> None:
    """Load demo data."""


@seed.command("demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing when the database already has workers (safe to run at every start).",
)
@click.option(
    "--path",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=DEMO_PATH,
    show_default=True,
    help="Folder with the demo CSV files.",
)
@with_appcontext
def demo(if_empty: bool, path: Path) -> None:
    """Load the demo cluster: skills, organisations, courses, postings, workers, history, logins.

    One transaction: if any file has a bad row nothing is kept. Re-running it changes nothing.
    """
    if if_empty and database_has_workers():
        click.echo("The database already has workers: demo data not loaded (--if-empty).")
        return
    started = time.perf_counter()
    try:
        with transactions.unit_of_work():
            summary = load_demo(
                path, progress=lambda name: click.echo(f"Loading {name}...", err=True)
            )
    except DemoLoadError as exc:
        raise click.ClickException(f"Demo data not loaded, nothing written.\n{exc}") from None
    loaded = time.perf_counter()
    click.echo(f"Demo data loaded from {path} in {loaded - started:.1f} s:")
    click.echo(summary.as_text())
    click.echo("Computing skill vectors (cached for later starts)...", err=True)

    get_linker()
    click.echo(f"Skill vectors ready in {time.perf_counter() - loaded:.1f} s.")
