"""Bulk imports of workers, courses, postings, enrolments and placements from CSV files.

Each row is turned into the dict the API takes, loaded through the same marshmallow input schema,
and written by the same domain service, so a rule lives in one place. The whole file runs inside
one SAVEPOINT and every row inside its own: a bad row is rolled back alone so that the rows after it
are still checked, and at the end the file's SAVEPOINT is released only when no row failed (and
this is not a dry run). The caller commits once, as with any request or command.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.imports.importers import RowInvalid, flatten_messages
from app.imports.kinds import IMPORTERS
from app.imports.rows import (
    CsvFileError,
    CsvRow,
    CsvTable,
    Message,
    clean,
    decode_csv,
    read_csv,
)
from app.places import District, district_slip
from app.skills.models import Skill
from app.skills.services import resolve_skill_ref

KINDS = ("workers", "courses", "postings", "enrolments", "placements")
# Also read by the demo loader, through the same machinery; not offered to users.
SEED_KINDS = ("modules", "batches")
ROLE_KINDS: dict[Role, tuple[str, ...]] = {
    Role.admin: KINDS,
    Role.institution: ("courses", "enrolments", "placements"),
    Role.employer: ("postings",),
}
# Rows checked, looked up and (when new) written together: one SELECT and a few INSERTs each.
ROWS_AT_ONCE = 500


def kinds_for(user: User | None) -> tuple[str, ...]:
    """The kinds of file a user may import; None is the command line, which may import all."""
    if user is None:
        return KINDS
    return ROLE_KINDS.get(user.role, ())


# --- The report ---------------------------------------------------------------------------------


# The line of a CSV file that names its columns; its rows start on the next.
HEADER_LINE = 1


@dataclass
class RowProblem:
    """One message about one cell: `line` is the file line the row starts on (1 is the header)."""

    line: int
    column: str
    message: str
    refused: bool = False


@dataclass
class ImportReport:
    kind: str
    source: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    organisations_created: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def refused(self) -> bool:
        """Some row names a record the importing user may not change."""
        return any(problem.refused for problem in self.errors)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({problem.line for problem in self.errors})

    @property
    def header_refused(self) -> bool:
        """The file's column names (line 1) were refused, so none of its rows was read."""
        return HEADER_LINE in self.bad_lines

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "written": self.written,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "bad_rows": len(self.bad_lines),
            "organisations_created": self.organisations_created,
            "errors": [asdict(problem) for problem in self.errors],
            "warnings": [asdict(problem) for problem in self.warnings],
        }

    def as_text(self) -> str:
        mode = " (dry run)" if self.dry_run else ""
        lines = [f"Import of {self.kind} from {self.source}{mode}: {self.rows} rows."]
        for problem in self.errors:
            lines.append(f"  ERROR   line {problem.line}, {problem.column}: {problem.message}")
        for problem in self.warnings:
            lines.append(f"  warning line {problem.line}, {problem.column}: {problem.message}")
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.organisations_created:
            counts += f"; new organisations: {', '.join(self.organisations_created)}"
        if not self.ok:
            lines.append(
                f"{len(self.bad_lines)} bad rows ({len(self.errors)} errors): nothing was written. "
                f"Without them it would have been: {counts}."
            )
        elif self.dry_run:
            lines.append(f"No errors. Nothing written (dry run); it would be: {counts}.")
        else:
            lines.append(f"Done: {counts}.")
        return "\n".join(lines)


# --- One run over a file -------------------------------------------------------------------------

# pg_advisory_xact_lock key: any stable 64-bit number that no other part of the app uses.
IMPORT_LOCK_KEY = 0x4B53_494D_504F_5254  # "KSIMPORT"


def hold_import_lock() -> None:
    """Run imports one at a time, until the importing transaction ends.

    Two runs of the same file at once would both see an id as new and race to insert it; in turn,
    the second run waits, then finds every row unchanged. PostgreSQL: an advisory lock. SQLite:
    take the database's write lock now (a no-op write) rather than at the first insert, where a
    reader upgrading its lock would fail instead of waiting.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY})
    elif dialect == "sqlite":
        db.session.execute(sql_text("UPDATE alembic_version SET version_num = version_num"))


class ImportRun:
    """Everything one import of one file needs: the user, the report and per-file caches."""

    def __init__(
        self,
        kind: str,
        source: str,
        user: User | None,
        dry_run: bool,
        consent_given_by: str = "import",
    ) -> None:
        if kind not in IMPORTERS:
            raise ValueError(f"unknown import kind {kind!r}; use one of {', '.join(KINDS)}")
        self.user = user
        self.consent_given_by = consent_given_by
        self.report = ImportReport(kind=kind, source=source, dry_run=dry_run)
        self.importer = IMPORTERS[kind](self)
        self.name_warned: set[str] = set()
        self.row_organisations: list[str] = []
        self._skill_uris: dict[str, str | None] = {}
        self._warned_once: set[str] = set()
        self._unlisted: set[tuple[str, str]] = set()  # (column, place) already warned of
        self._line = HEADER_LINE

    def warn(self, line: int, column: str, message: str) -> None:
        self.report.warnings.append(RowProblem(line, column, message))

    def warn_once(self, column: str, message: str) -> None:
        if message not in self._warned_once:
            self._warned_once.add(message)
            self.warn(self._line, column, message)

    def skill_uri(self, reference: str) -> str | None:
        """The URI a skills-cell item means (URI, label, alias or linked free text), memoised."""
        key = " ".join(reference.split())
        if not self._skill_uris:  # one query for every URI, instead of one per distinct item
            self._skill_uris.update((uri, uri) for uri in db.session.scalars(select(Skill.uri)))
        if key not in self._skill_uris:
            try:
                skill = resolve_skill_ref(key)
            except LookupError:  # no taxonomy yet: free text cannot be linked
                skill = None
            self._skill_uris[key] = skill.uri if skill is not None else None
        return self._skill_uris[key]

    def check_header(self, table: CsvTable) -> bool:
        known = set(self.importer.column_names())
        missing = [name for name in self.importer.required_columns() if name not in table.columns]
        for name in missing:
            self.report.errors.append(
                RowProblem(HEADER_LINE, name, Message(N_("Missing required column.")))
            )
        extra = [name for name in table.columns if name and name not in known]
        if extra:
            self.warn(HEADER_LINE, ", ".join(extra), Message(N_("Unknown column(s), ignored.")))
        return not missing

    def run(self, table: CsvTable) -> ImportReport:
        report = self.report
        if not self.check_header(table):
            return report
        hold_import_lock()
        fields_in_file = {"external_id"} | {
            column.field
            for column in self.importer.columns
            if column.field and column.name in table.columns
        }
        seen: dict[str, int] = {}
        outer = db.session.begin_nested()
        try:
            for start in range(0, len(table.rows), ROWS_AT_ONCE):
                rows = []
                for row in table.rows[start : start + ROWS_AT_ONCE]:
                    report.rows += 1
                    self._line = row.line
                    external_id = clean(row.cells.get(self.importer.id_column))
                    if external_id and external_id in seen:
                        report.errors.append(
                            RowProblem(
                                row.line,
                                self.importer.id_column,
                                Message(
                                    N_(
                                        "%(id)s is also on line %(line)s; "
                                        "give each id once per file."
                                    ),
                                    id=external_id,
                                    line=seen[external_id],
                                ),
                            )
                        )
                        continue
                    if external_id:
                        seen[external_id] = row.line
                    rows.append(row)
                self.import_rows(rows, fields_in_file)
        finally:
            if report.ok and not report.dry_run:
                outer.commit()
            else:
                outer.rollback()
        report.errors.sort(key=lambda problem: problem.line)
        report.organisations_created = sorted(set(report.organisations_created))
        return report

    def import_rows(self, rows: list[CsvRow], fields_in_file: set[str]) -> None:
        """Rows whose ids are new go to the importer's `add_new` together, in a SAVEPOINT of
        their own; the others (and all rows of kinds without `add_new`) one at a time. Should
        the statements together fail (a constraint the checks did not foresee), the new rows
        are written one at a time instead, so the report names the row."""
        importer = self.importer
        valid: list[tuple[CsvRow, dict]] = []
        for row in rows:
            self._line = row.line
            try:
                valid.append((row, self.validated(row, fields_in_file)))
            except RowInvalid as exc:
                self.add_errors(row, exc.errors, exc.refused)
        if importer.adds_in_bulk:
            valid = self.add_new_rows(valid)
        for row, data in valid:
            self.import_row(row, data)

    def add_new_rows(self, valid: list[tuple[CsvRow, dict]]) -> list[tuple[CsvRow, dict]]:
        """Write the rows whose ids are new with the importer's `add_new`; the rows left to write
        one at a time (known ids, or all of them if the batch failed as a whole)."""
        importer, report = self.importer, self.report
        ids = [data["external_id"] for _, data in valid]
        known = set(
            db.session.scalars(
                select(importer.model.external_id).where(importer.model.external_id.in_(ids))
            )
        )
        new = [(row, data) for row, data in valid if data["external_id"] not in known]
        if not new:
            return valid
        self.row_organisations = []
        savepoint = db.session.begin_nested()
        try:
            failed = importer.add_new(new)
        except IntegrityError:
            savepoint.rollback()
            return valid
        savepoint.commit()
        report.organisations_created.extend(self.row_organisations)
        for position, (row, _data) in enumerate(new):
            if position in failed:
                self.add_errors(row, failed[position].errors, failed[position].refused)
            else:
                report.created += 1
        return [(row, data) for row, data in valid if data["external_id"] in known]

    def import_row(self, row: CsvRow, data: dict[str, Any]) -> None:
        importer, report = self.importer, self.report
        self._line = row.line
        self.row_organisations = []
        savepoint = db.session.begin_nested()
        try:
            existing = importer.existing(data["external_id"])
            before = importer.state(existing) if existing is not None else None
            importer.check_access(row, data, existing)
            record, created = importer.write(row, data)
            after = importer.state(record)
        except RowInvalid as exc:
            savepoint.rollback()
            self.add_errors(row, exc.errors, exc.refused)
            return
        except ValidationFailed as exc:
            savepoint.rollback()
            self.add_errors(row, flatten_messages(exc.errors, importer.column_of))
            return
        savepoint.commit()
        report.organisations_created.extend(self.row_organisations)
        if created:
            report.created += 1
        elif before != after:
            report.updated += 1
        else:
            report.unchanged += 1

    def validated(self, row: CsvRow, fields_in_file: set[str]) -> dict[str, Any]:
        """The row's values after the input schema, limited to the columns the file has (so a
        missing optional column leaves the stored value alone instead of resetting it)."""
        errors: dict[str, list[str]] = {}
        payload = self.importer.payload(row, errors)
        try:
            data = self.importer.schema.load(payload)
        except ValidationError as exc:
            data = {}
            for column, messages in flatten_messages(exc.messages, self.importer.column_of).items():
                if column not in errors:  # a cell already reported is not reported twice
                    errors[column] = messages
        if errors:
            self.importer.unknown_references(row, errors)
            raise RowInvalid(errors)
        self.warn_unlisted_districts(row, data)
        return {key: value for key, value in data.items() if key in fields_in_file}

    def warn_unlisted_districts(self, row: CsvRow, data: dict[str, Any]) -> None:
        """A district the list does not know is imported as written, with a warning
        (places.district_slip), once per file at its first row."""
        for column in self.importer.columns:
            rule = self.importer.schema.fields.get(column.field or "")
            written = data.get(column.field or "")
            if not isinstance(rule, District) or not written:
                continue
            if (column.name, written) in self._unlisted:
                continue  # said once per file, however many rows repeat it
            self._unlisted.add((column.name, written))
            slip = district_slip(written, data.get("state"))
            if slip is not None:
                template, values = slip
                self.warn(row.line, column.name, Message(template, **values))

    def add_errors(self, row: CsvRow, errors: dict[str, list[str]], refused: bool = False) -> None:
        for column, messages in errors.items():
            for message in dict.fromkeys(messages):
                self.report.errors.append(RowProblem(row.line, column, message, refused))


# --- Entry points ---------------------------------------------------------------------------------


def import_table(
    kind: str,
    table: CsvTable,
    *,
    source: str,
    user: User | None = None,
    dry_run: bool = False,
    consent_given_by: str = "import",
) -> ImportReport:
    """Import parsed rows of one kind. Nothing is written unless every row is valid; never commits.

    `consent_given_by` records who collected the consent of new workers outside the platform.
    """
    return ImportRun(kind, source, user, dry_run, consent_given_by).run(table)


def import_bytes(
    kind: str,
    data: bytes,
    *,
    source: str,
    user: User | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import an uploaded file's bytes; an unreadable file is a report with a file-level error."""
    try:
        table = read_csv(decode_csv(data))
    except CsvFileError as exc:
        report = ImportReport(kind=kind, source=source, dry_run=dry_run)
        report.errors.append(RowProblem(exc.line, "file", exc.message))
        return report
    return import_table(kind, table, source=source, user=user, dry_run=dry_run)


def import_file(
    kind: str, path: str | Path, *, user: User | None = None, dry_run: bool = False
) -> ImportReport:
    path = Path(path)
    return import_bytes(kind, path.read_bytes(), source=str(path), user=user, dry_run=dry_run)
