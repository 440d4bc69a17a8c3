"""Load the synthetic demo cluster (seed_data/demo/) through the same services and importers that
real data goes through, so the demo proves the import path works. Flushes only: the command
commits once, so a failure in any file leaves the database as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import ValidationError
from sqlalchemy import func, select

from app.auth.services import create_user, find_login
from app.common import find_by_external_id
from app.config import PROJECT_ROOT
from app.demo.applications import load_applications
from app.errors import ValidationFailed
from app.extensions import db
from app.imports.rows import CsvFileError, CsvRow, CsvTable, clean, decode_csv, read_csv, split_list
from app.imports.services import ImportReport, import_table
from app.organisations.models import Organisation
from app.organisations.schemas import OrganisationIn
from app.organisations.services import (
    CLUSTER_FIELDS,
    ORGANISATION_FIELDS,
    cluster_by_external_id,
    organisation_by_external_id,
    upsert_cluster,
    upsert_organisation,
)
from app.skills.labels import LabelImportError, import_labels, label_rows
from app.skills.services import add_aliases, import_taxonomy
from app.workers.models import Worker
from matching.taxonomy import TaxonomyFormatError, read_esco_csv

DEMO_PATH = PROJECT_ROOT / "seed_data" / "demo"
# The order references need: skills before anything that names them, organisations before
# courses and postings, courses before modules and batches, workers before enrolments.
IMPORTED_KINDS = (
    "courses",
    "modules",
    "batches",
    "postings",
    "workers",
    "enrolments",
    "placements",
)


class DemoLoadError(Exception):
    """A demo file that could not be loaded; the message names the file, line and column."""


@dataclass
class DemoSummary:
    """What the load did, per table: (table, created, updated, unchanged, note)."""

    lines: list[tuple[str, int, int, int, str]] = field(default_factory=list)

    def add(self, table: str, created: int, updated: int, unchanged: int, note: str = "") -> None:
        self.lines.append((table, created, updated, unchanged, note))

    def count(self, table: str) -> int:
        """Rows of `table` in the files (new, updated and unchanged together)."""
        return next(sum(line[1:4]) for line in self.lines if line[0] == table)

    def as_text(self) -> str:
        width = max(len(line[0]) for line in self.lines)
        return "\n".join(
            f"  {table:<{width}}  {created:>4} new  {updated:>4} updated  {unchanged:>4} unchanged"
            + (f"  ({note})" if note else "")
            for table, created, updated, unchanged, note in self.lines
        )


def database_has_workers() -> bool:
    return bool(db.session.scalar(select(func.count(Worker.id))))


def load_demo(path: Path = DEMO_PATH, progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Upsert every demo table from `path`. Raises DemoLoadError (after which the caller rolls back)."""
    path = Path(path)
    summary = DemoSummary()

    def step(name: str) -> None:
        if progress:
            progress(name)

    step("cluster")
    cluster_id = load_cluster(path / "cluster.csv", summary)
    step("skills")
    load_skills(path / "skills.csv", summary)
    step("skill aliases")
    load_aliases(path / "skill_aliases.csv", summary)
    step("skill labels")
    load_labels(path / "skill_labels.csv", summary)
    step("organisations")
    load_organisations(path / "organisations.csv", cluster_id, summary)
    for kind in IMPORTED_KINDS:
        step(kind)
        file = path / f"{kind}.csv"
        report = import_table(kind, table_of(file), source=str(file), consent_given_by="seed")
        if not report.ok:
            raise DemoLoadError(report.as_text())
        summary.add(kind, report.created, report.updated, report.unchanged, _note(report))
    step("users")
    load_users(path / "users.csv", summary)
    step("applications")
    created, existing = load_applications()
    summary.add("applications", created, 0, existing, "built from placements and postings")
    return summary


def _note(report: ImportReport) -> str:
    return f"{len(report.warnings)} warnings" if report.warnings else ""


def table_of(file: Path) -> CsvTable:
    try:
        return read_csv(decode_csv(file.read_bytes()))
    except FileNotFoundError:
        raise DemoLoadError(f"{file}: missing") from None
    except CsvFileError as exc:
        raise DemoLoadError(f"{file}, line {exc.line}: {exc.message}") from None


def rows_with(file: Path, columns: tuple[str, ...]) -> list[CsvRow]:
    table = table_of(file)
    missing = [name for name in columns if name not in table.columns]
    if missing:
        raise DemoLoadError(f"{file}: missing column(s) {', '.join(missing)}")
    return table.rows


def failed(file: Path, row: CsvRow, errors: dict) -> DemoLoadError:
    detail = "; ".join(f"{name}: {' '.join(map(str, msgs))}" for name, msgs in errors.items())
    return DemoLoadError(f"{file}, line {row.line}: {detail}")


# cluster.csv: the id, then the cluster's own fields.
CLUSTER_COLUMNS = ("cluster_id", *CLUSTER_FIELDS)


def load_cluster(file: Path, summary: DemoSummary) -> str:
    rows = rows_with(file, CLUSTER_COLUMNS)
    if len(rows) != 1:
        raise DemoLoadError(f"{file}: expected one cluster, found {len(rows)}")
    row = rows[0]
    data = {
        "external_id": clean(row.cells["cluster_id"]),
        "name": clean(row.cells["name"]),
        "state": clean(row.cells["state"]),
        "sectors": split_list(row.cells["sectors"]),
    }
    existing = cluster_by_external_id(data["external_id"])
    before = None if existing is None else (existing.name, existing.state, list(existing.sectors))
    try:
        cluster, created = upsert_cluster(data)
    except ValidationFailed as exc:
        raise failed(file, row, exc.errors) from None
    changed = not created and before != (cluster.name, cluster.state, list(cluster.sectors))
    summary.add("cluster", int(created), int(changed), int(not created and not changed))
    return cluster.external_id


def load_skills(file: Path, summary: DemoSummary) -> None:
    """ESCO-shaped rows; a `urn:kaushalsetu:` URI makes a local skill (import_taxonomy decides)."""
    try:
        records = list(read_esco_csv(file))
    except TaxonomyFormatError as exc:
        raise DemoLoadError(f"{file}: {exc}") from None
    result = import_taxonomy(records, source=str(file))
    summary.add("skills", result.created, result.updated, result.unchanged)


# skill_aliases.csv: a skill's URI and one more name for it.
SKILL_ALIAS_COLUMNS = ("uri", "alias")


def load_aliases(file: Path, summary: DemoSummary) -> None:
    rows = rows_with(file, SKILL_ALIAS_COLUMNS)
    pairs = [(clean(row.cells["uri"]), clean(row.cells["alias"])) for row in rows]
    try:
        added = add_aliases(pairs)
    except ValidationFailed as exc:
        raise DemoLoadError(f"{file}: {exc.errors}") from None
    summary.add("skill aliases", added, 0, len(pairs) - added)


def load_labels(file: Path, summary: DemoSummary) -> None:
    """Marathi and Hindi names (and colloquial ones) of the skills the demo cluster uses."""
    try:
        result = import_labels(label_rows(table_of(file)))
    except LabelImportError as exc:
        raise DemoLoadError(f"{file}: {'; '.join(exc.messages)}") from None
    summary.add("skill labels", result.added, result.changed, result.unchanged)


# organisations.csv: the id and kind, then an organisation's own fields.
ORGANISATION_COLUMNS = ("org_id", "kind", *ORGANISATION_FIELDS)


def load_organisations(file: Path, cluster_id: str, summary: DemoSummary) -> None:
    """Employers and institutions with their details, all in the demo cluster."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in rows_with(file, ORGANISATION_COLUMNS):
        payload = {name: clean(row.cells[name]) or None for name in ORGANISATION_FIELDS}
        payload["external_id"] = clean(row.cells["org_id"])
        payload["cluster"] = cluster_id
        before = _organisation_state(organisation_by_external_id(payload["external_id"]))
        try:
            data = OrganisationIn().load(payload)
            organisation, created = upsert_organisation({**data, "kind": clean(row.cells["kind"])})
        except ValidationError as exc:
            raise failed(file, row, exc.messages) from None
        except ValidationFailed as exc:
            raise failed(file, row, exc.errors) from None
        if created:
            counts["created"] += 1
        elif before != _organisation_state(organisation):
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    summary.add("organisations", counts["created"], counts["updated"], counts["unchanged"])


def _organisation_state(organisation: Organisation | None) -> tuple | None:
    if organisation is None:
        return None
    return tuple(getattr(organisation, name) for name in (*ORGANISATION_FIELDS, "cluster_id"))


# users.csv: a login, its role, and the organisation or worker it belongs to (by id, may be empty).
USER_COLUMNS = ("email", "password", "role", "org_id", "worker_id")


def load_users(file: Path, summary: DemoSummary) -> None:
    """Demo logins; an email that already has an account is left alone (its password too)."""
    created = skipped = 0
    for row in rows_with(file, USER_COLUMNS):
        email = clean(row.cells["email"])
        if find_login(email) is not None:
            skipped += 1
            continue
        org_id, worker_id = clean(row.cells["org_id"]), clean(row.cells["worker_id"])
        organisation = organisation_by_external_id(org_id) if org_id else None
        worker = find_by_external_id(Worker, worker_id)
        try:
            create_user(
                email=email,
                password=row.cells["password"],
                role=clean(row.cells["role"]),
                organisation=organisation,
                worker=worker,
            )
        except (ValidationFailed, ValueError) as exc:
            errors = exc.errors if isinstance(exc, ValidationFailed) else {"role": [str(exc)]}
            raise failed(file, row, errors) from None
        created += 1
    summary.add("users", created, 0, skipped, "existing logins are skipped" if skipped else "")
