"""`flask vectors sync`: load the taxonomy's skill label vectors into the configured vector index."""

from __future__ import annotations

import click
from flask import Blueprint

bp = Blueprint("vectors", __name__, cli_group="vectors")


@bp.cli.command("sync")
def sync() -> None:
    """Store every taxonomy skill's label vector (namespace "skill") in VECTOR_BACKEND's index."""
    from app.skills.linking import get_linker
    from app.vectors.store import SKILL_NAMESPACE, store_vectors

    try:
        linker = get_linker()
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    uris = sorted(linker.records)
    count = store_vectors(SKILL_NAMESPACE, uris, linker.vector_for(uris))
    click.echo(f"{count} skill vectors stored in the {_backend()} index.", err=True)


def _backend() -> str:
    from flask import current_app

    return current_app.config["VECTOR_BACKEND"]
