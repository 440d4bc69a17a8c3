"""`flask vectors sync`: bring every namespace of the configured vector index up to date.

Searches sync their namespace themselves before answering; the command is for warming the index
after a deploy or a large import (so the first search does not pay for embedding everything), and
for reporting what the index holds.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.employers.services import POSTING_VECTORS
from app.institutions.services import COURSE_VECTORS
from app.skills.linking import get_linker, text_encoder
from app.vectors.index_backends import SKILL_NAMESPACE, store_vectors
from app.vectors.sync import sync_source

vectors = AppGroup("vectors", help="The vector index of skills, postings and courses.")


@vectors.command("sync")
def sync() -> None:
    """Re-embed the open postings and courses whose text changed, drop those gone, and store
    every taxonomy skill's label vector (namespace "skill") in VECTOR_BACKEND's index."""

    backend = current_app.config["VECTOR_BACKEND"]
    for source in (POSTING_VECTORS, COURSE_VECTORS):
        report = sync_source(source, text_encoder(), force=True)
        click.echo(
            f"{report.namespace}: {report.embedded} embedded, {report.removed} removed, "
            f"{report.total} in the {backend} index ({report.seconds:.2f} s).",
            err=True,
        )
    try:
        linker = get_linker()
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    uris = sorted(linker.records)
    count = store_vectors(SKILL_NAMESPACE, uris, linker.vector_for(uris))
    click.echo(f"{count} skill vectors stored in the {backend} index.", err=True)
