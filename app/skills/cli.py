"""`flask taxonomy ...` and `flask skills ...`: thin commands over the skill services."""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from app import transactions
from app.imports.rows import CsvFileError, decode_csv, read_csv
from app.skills import labels, services
from app.skills.linking import encoder_named, get_linker, plain_minilm_encoder
from matching.taxonomy import TaxonomyFormatError, read_esco_csv

EXTRACT_BATCH = 64


@click.group("taxonomy")
def taxonomy() -> None:
    """Import and inspect the skill taxonomy."""


@taxonomy.command("import-esco")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--embed/--no-embed", default=True, help="Compute and cache the skill vectors now.")
@with_appcontext
def import_esco(path: Path, embed: bool) -> None:
    """Upsert skills from ESCO's CSV (conceptUri, preferredLabel, altLabels, description).

    Idempotent; a malformed file is reported with its line number and nothing is written.
    """
    started = time.perf_counter()
    try:
        records = list(read_esco_csv(path))
    except TaxonomyFormatError as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text ({exc.reason})") from None
    with (
        transactions.unit_of_work(),
        click.progressbar(length=len(records), label="Importing skills", file=sys.stderr) as bar,
    ):
        summary = services.import_taxonomy(records, source=str(path), progress=bar.update)
    click.echo(
        f"{summary.total} skills: {summary.created} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged (taxonomy version {summary.version}).",
        err=True,
    )
    if embed:
        click.echo("Computing skill vectors (cached for later starts)...", err=True)
        get_linker()
    click.echo(f"Done in {time.perf_counter() - started:.1f} s.", err=True)


@taxonomy.command("import-aliases")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_aliases(path: Path) -> None:
    """Attach shop-floor aliases from a CSV with columns uri, alias."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"uri", "alias"} <= set(reader.fieldnames):
            raise click.ClickException(f"{path}: needs the columns uri, alias")
        pairs = [(row["uri"], row["alias"]) for row in reader]
    with transactions.unit_of_work():
        added = services.add_aliases(pairs)
    click.echo(f"{added} aliases added.", err=True)


@taxonomy.command("import-labels")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_labels(path: Path) -> None:
    """Skill names per language from a CSV with columns uri, lang, label, kind (preferred or
    alternative). Idempotent; any bad row is reported with its line number and nothing is written."""
    try:
        rows = labels.label_rows(read_csv(decode_csv(path.read_bytes())))
        with transactions.unit_of_work():
            summary = labels.import_labels(rows)
    except CsvFileError as exc:
        raise click.ClickException(f"{path}, line {exc.line}: {exc.message}") from None
    except labels.LabelImportError as exc:
        raise click.ClickException(f"{path}:\n  " + "\n  ".join(exc.messages)) from None
    click.echo(
        f"{summary.added} labels added, {summary.changed} changed, {summary.unchanged} unchanged.",
        err=True,
    )


@click.group("skills")
def skills() -> None:
    """Link free text to taxonomy skills."""


@skills.command("extract")
@click.option("--top-k", default=10, show_default=True, type=click.IntRange(1, 100))
@with_appcontext
def extract(top_k: int) -> None:
    """Read one text per line on stdin; write one JSON line per input line, in order."""

    try:
        linker = get_linker()
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    batch: list[str] = []

    def flush() -> None:
        texts = [text for text in batch if text.strip()]
        linked_by_text = dict(zip(texts, linker.link_many(texts, top_k=top_k), strict=True))
        for text in batch:
            linked = linked_by_text.get(text, [])  # a blank line has no skills
            skills_out = [
                {
                    "uri": s.uri,
                    "label": s.label,
                    "score": round(s.score, 4),
                    "present": s.present,
                    "span": s.span,
                    "proficiency": s.proficiency,
                }
                for s in linked
            ]
            sys.stdout.write(json.dumps({"text": text, "skills": skills_out}, ensure_ascii=False))
            sys.stdout.write("\n")
        sys.stdout.flush()
        batch.clear()

    for line in sys.stdin:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= EXTRACT_BATCH:
            flush()
    if batch:
        flush()


@skills.command("prepare-model")
@with_appcontext
def prepare_model() -> None:
    """Export the packaged MiniLM to ONNX now (once per model and library versions), with the ESCO
    adapter for linking and without it for skill closeness, so the first request after an install
    or upgrade does not wait for it."""
    for encoder_of in (lambda: encoder_named("minilm"), lambda: plain_minilm_encoder().load()):
        started = time.perf_counter()
        encoder = encoder_of()
        graph = getattr(encoder, "onnx_file", None)
        click.echo(
            f"{encoder.model_id} ready in {time.perf_counter() - started:.1f} s"
            + (f" from {graph}" if graph else ""),
            err=True,
        )
