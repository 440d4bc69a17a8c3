"""Bulk imports of workers, courses, postings, enrolments and placements from CSV files.

Each row is turned into the dict the API takes, loaded through the same marshmallow input schema,
and written by the same domain service, so a rule lives in one place. The whole file runs inside
one SAVEPOINT and every row inside its own: a bad row is rolled back alone so that the rows after it
are still checked, and at the end the file's SAVEPOINT is released only when no row failed (and
this is not a dry run). The caller commits once, as with any request or command.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from marshmallow import Schema, ValidationError
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError

from app.auth import policy
from app.auth.models import Role, User
from app.employers.models import JobPosting
from app.employers.schemas import PostingIn
from app.employers.services import add_new_postings, upsert_posting
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.imports.rows import (
    CellError,
    CsvFileError,
    CsvRow,
    CsvTable,
    Message,
    clean,
    decode_csv,
    read_csv,
    skill_items,
    split_list,
    yes_no,
)
from app.institutions.models import Batch, Course, Enrolment, Module
from app.institutions.schemas import BatchIn, CourseIn, EnrolmentIn, ModuleIn
from app.institutions.services import (
    course_by_external_id,
    upsert_batch,
    upsert_course,
    upsert_enrolment,
    upsert_module,
)
from app.organisations.models import Organisation, OrganisationKind
from app.organisations.schemas import OrganisationIn
from app.organisations.services import organisation_by_external_id, upsert_organisation
from app.outcomes.models import Placement
from app.outcomes.schemas import PlacementIn
from app.outcomes.services import upsert_placement
from app.privacy.services import record_import_consent, record_import_consents_for_new
from app.skills.models import Skill
from app.skills.services import resolve_skill_ref
from app.workers.models import Worker
from app.workers.schemas import WorkerIn
from app.workers.services import add_new_workers, upsert_worker

KINDS = ("workers", "courses", "postings", "enrolments", "placements")
# Also read by the demo loader, through the same machinery; not offered to users.
SEED_KINDS = ("modules", "batches")
ROLE_KINDS: dict[Role, tuple[str, ...]] = {
    Role.admin: KINDS,
    Role.institution: ("courses", "enrolments", "placements"),
    Role.employer: ("postings",),
}
REQUIRED = N_("Missing data for required field.")
STATE_IGNORED = {"id", "created_at", "updated_at"}
# "X is an institution, not an employer": by the kind the row needs.
WRONG_KIND = {
    OrganisationKind.employer: N_("%(id)s is an institution, not an employer."),
    OrganisationKind.institution: N_("%(id)s is an employer, not an institution."),
}
# Rows checked, looked up and (when new) written together: one SELECT and a few INSERTs each.
ROWS_AT_ONCE = 500
UNREADABLE = object()  # stands in for a cell that could not be read


def kinds_for(user: User | None) -> tuple[str, ...]:
    """The kinds of file a user may import; None is the command line, which may import all."""
    if user is None:
        return KINDS
    return ROLE_KINDS.get(user.role, ())


# --- The report ---------------------------------------------------------------------------------


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


class RowInvalid(Exception):
    """The row breaks rules; `errors` maps a column to its messages."""

    def __init__(self, errors: dict[str, list[str]], refused: bool = False) -> None:
        super().__init__("row invalid")
        self.errors = errors
        self.refused = refused


# --- Importers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A CSV column: which schema field it feeds and how its cell is read.

    `cell` is text (passed to the schema as written), bool (yes|no), list (`;`), skills or ref (an
    id read by the importer itself, not by the schema).
    """

    name: str
    field: str | None
    cell: str = "text"
    required: bool = False  # the column must be in the header
    required_cell: bool = False  # and its cell must not be empty


class Importer:
    """Turns one kind of CSV row into a service call. Subclasses name the columns and the service."""

    kind: ClassVar[str]
    model: ClassVar[type]
    schema: ClassVar[Schema]
    id_column: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    # The big files (a state's workers and postings) write new rows with `add_new`.
    adds_in_bulk: ClassVar[bool] = False

    def __init__(self, run: ImportRun) -> None:
        self.run = run

    @classmethod
    def column_names(cls) -> list[str]:
        return [column.name for column in cls.columns]

    @classmethod
    def required_columns(cls) -> list[str]:
        return [column.name for column in cls.columns if column.required]

    @classmethod
    def column_of(cls, field_name: str) -> str:
        """The CSV column a schema field or service key comes from, for messages."""
        if field_name == "external_id":
            return cls.id_column
        for column in cls.columns:
            if column.field == field_name or column.name == field_name:
                return column.name
        return field_name

    # Row → payload ------------------------------------------------------------------------

    def payload(self, row: CsvRow, errors: dict[str, list[str]]) -> dict[str, Any]:
        """The row as the input schema reads it; cell format problems go to `errors`."""
        payload: dict[str, Any] = {"external_id": clean(row.cells.get(self.id_column))}
        for column in self.columns:
            if column.name not in row.cells:
                continue
            text = clean(row.cells[column.name])
            if column.required_cell and not text:
                errors.setdefault(column.name, []).append(REQUIRED)
                continue
            if column.field in (None, "external_id"):
                continue  # read by the importer itself
            schema_field = self.schema.fields.get(column.field)
            if not text:
                if column.cell == "skills":
                    payload.setdefault(column.field, [])
                elif schema_field is not None and schema_field.allow_none:
                    payload[column.field] = None
                continue
            try:
                if column.cell == "bool":
                    payload[column.field] = yes_no(text)
                elif column.cell == "list":
                    payload[column.field] = split_list(text)
                elif column.cell == "skills":
                    items = self.skill_values(column, skill_items(text), errors)
                    payload.setdefault(column.field, []).extend(items)
                else:
                    payload[column.field] = text
            except CellError as exc:
                errors.setdefault(column.name, []).append(exc.message)
                if column.cell != "skills":
                    # A value the schema rejects too: the field stays out of the loaded data, so
                    # rules across fields do not report a second, misleading error.
                    payload[column.field] = UNREADABLE
        return payload

    def skill_values(
        self, column: Column, items: list[tuple[str, int | None]], errors: dict[str, list[str]]
    ) -> list:
        """The schema's shape of a skills cell; references that match no skill are errors."""
        raise NotImplementedError

    def resolve(self, column: Column, reference: str, errors: dict[str, list[str]]) -> str | None:
        uri = self.run.skill_uri(reference)
        if uri is None:
            errors.setdefault(column.name, []).append(
                Message(
                    N_(
                        "No skill matches “%(reference)s”: use a skill URI, a skill's label or "
                        "alias, or words the skill linker recognises."
                    ),
                    reference=reference,
                )
            )
        return uri

    # Writing ----------------------------------------------------------------------------------

    def existing(self, external_id: str):
        return db.session.scalar(select(self.model).where(self.model.external_id == external_id))

    def check_access(self, row: CsvRow, data: dict, existing) -> None:
        """Refuse (RowInvalid with refused=True) a row the importing user may not write."""

    def write(self, row: CsvRow, data: dict) -> tuple[Any, bool]:
        raise NotImplementedError

    def add_new(self, rows: list[tuple[CsvRow, dict]]) -> dict[int, RowInvalid]:
        """Write rows whose ids are new in a few statements (kinds with `adds_in_bulk`); the
        errors of the rows that failed, by position."""
        raise NotImplementedError

    def row_errors(self, errors: Mapping[int, Mapping]) -> dict[int, RowInvalid]:
        """A service's errors by position (field names) as the report's (column names)."""
        return {
            position: RowInvalid(flatten_messages(found, self.column_of))
            for position, found in errors.items()
        }

    def state(self, record) -> tuple:
        """The record's stored values, to tell an update from a row that changed nothing."""
        mapper = sa_inspect(type(record))
        values = tuple(
            (attr.key, getattr(record, attr.key))
            for attr in mapper.column_attrs
            if attr.key not in STATE_IGNORED
        )
        return copy.deepcopy(values + self.extra_state(record))

    def extra_state(self, record) -> tuple:
        return ()

    # Organisations named by id and name ---------------------------------------------------------

    def organisation(
        self, row: CsvRow, kind: OrganisationKind, id_column: str, name_column: str
    ) -> Organisation:
        """The employer or institution the row names; created from the name column if unknown.

        A known one keeps its name (a warning says when the file differs): a file must not
        rename an organisation that other records and logins point at.
        """
        external_id = clean(row.cells.get(id_column))
        name = " ".join(clean(row.cells.get(name_column)).split())
        organisation = organisation_by_external_id(external_id)
        if organisation is None:
            try:
                values = OrganisationIn().load({"external_id": external_id, "name": name})
            except ValidationError as exc:
                columns = {"external_id": id_column, "name": name_column}
                raise RowInvalid(flatten_messages(exc.messages, columns.get)) from None
            organisation, _created = upsert_organisation({**values, "kind": kind})
            self.run.row_organisations.append(external_id)
            return organisation
        if organisation.kind is not kind:
            raise RowInvalid({id_column: [Message(WRONG_KIND[kind], id=external_id)]})
        if name and name != organisation.name and external_id not in self.run.name_warned:
            self.run.name_warned.add(external_id)
            self.run.warn(
                row.line,
                name_column,
                Message(
                    N_(
                        "%(id)s is already known as “%(known)s”; "
                        "the name “%(name)s” in the file was not applied."
                    ),
                    id=external_id,
                    known=organisation.name,
                    name=name,
                ),
            )
        return organisation

    def own_organisation_id(self) -> str | None:
        """The importing institution's or employer's id; None for admins and the command line."""
        user = self.run.user
        if user is None or user.role is Role.admin or user.organisation is None:
            return None
        return user.organisation.external_id


def refuse(column: str, message: str) -> RowInvalid:
    return RowInvalid({column: [message]}, refused=True)


class WorkerImporter(Importer):
    kind = "workers"
    model = Worker
    schema = WorkerIn()
    id_column = "worker_id"
    columns = (
        Column("worker_id", "external_id", "ref", required=True, required_cell=True),
        Column("name", "name", required=True, required_cell=True),
        Column("gender", "gender", required=True, required_cell=True),
        Column("date_of_birth", "date_of_birth", required=True, required_cell=True),
        Column("district", "district", required=True, required_cell=True),
        Column("state", "state", required=True, required_cell=True),
        Column("skills", "skills", "skills"),
        Column("education", "education"),
        Column("languages", "languages", "list"),
        Column("phone", "phone"),
        Column("email", "email"),
        Column("visible_to_employers", "visible_to_employers", "bool"),
        Column("social_category", "social_category"),
        Column("disability", "disability", "bool"),
        Column("profile_text", "profile_text"),
    )

    def skill_values(self, column, items, errors):
        values = []
        for reference, level in items:
            uri = self.resolve(column, reference, errors)
            if uri is not None:
                item = {"uri": uri}
                if level is not None:
                    item["proficiency"] = level
                values.append(item)
        return values

    def write(self, row, data):
        """Upsert the worker; a new worker's consent, collected offline by whoever sends the
        file, is recorded once (never restored after a withdrawal, never for an erased worker)."""
        worker, created = upsert_worker(data)
        record_import_consent(worker, given_by=self.run.consent_given_by)
        return worker, created

    adds_in_bulk = True

    def add_new(self, rows):
        """`write` for many new workers at once: the same checks, and the same one consent."""
        ids, errors = add_new_workers([data for _, data in rows])
        record_import_consents_for_new(
            [worker_id for worker_id in ids if worker_id is not None],
            given_by=self.run.consent_given_by,
        )
        return self.row_errors(errors)

    def extra_state(self, record) -> tuple:
        return (tuple(sorted((s.skill.uri, s.proficiency, s.source.value) for s in record.skills)),)


class CourseImporter(Importer):
    kind = "courses"
    model = Course
    schema = CourseIn()
    id_column = "course_id"
    columns = (
        Column("course_id", "external_id", "ref", required=True, required_cell=True),
        Column("institution_id", None, "ref", required=True, required_cell=True),
        Column("institution_name", None, required=True, required_cell=True),
        Column("title", "title", required=True, required_cell=True),
        Column("hours", "hours", required=True, required_cell=True),
        Column("fee_inr", "fee_inr", required=True, required_cell=True),
        Column("skills", "skills", "skills", required=True, required_cell=True),
        Column("syllabus", "syllabus"),
        Column("nsqf_level", "nsqf_level"),
        Column("qp_code", "qp_code"),
        Column("mode", "mode"),
        Column("women_only", "women_only", "bool"),
        Column("residential", "residential", "bool"),
        Column("max_batch_size", "max_batch_size"),
        Column("duration_months", "duration_months"),
    )

    def skill_values(self, column, items, errors):
        uris = []
        for reference, level in items:
            if level is not None:
                self.run.warn_once(
                    column.name,
                    Message(
                        N_("A “|N” level on a course skill is ignored (courses teach a skill).")
                    ),
                )
            uri = self.resolve(column, reference, errors)
            if uri is not None:
                uris.append(uri)
        return uris

    def check_access(self, row, data, existing):
        own = self.own_organisation_id()
        if own is None:
            return
        if clean(row.cells["institution_id"]) != own:
            raise refuse(
                "institution_id",
                Message(N_("You may import courses of your institution (%(id)s) only."), id=own),
            )
        if existing is not None and existing.institution.external_id != own:
            raise refuse(
                "course_id",
                Message(N_("Course %(id)s is another institution's."), id=existing.external_id),
            )

    def write(self, row, data):
        institution = self.organisation(
            row, OrganisationKind.institution, "institution_id", "institution_name"
        )
        return upsert_course(institution, data)

    def extra_state(self, record) -> tuple:
        return (tuple(sorted(skill.uri for skill in record.skills)),)


class PostingImporter(Importer):
    kind = "postings"
    model = JobPosting
    schema = PostingIn()
    id_column = "posting_id"
    columns = (
        Column("posting_id", "external_id", "ref", required=True, required_cell=True),
        Column("employer_id", None, "ref", required=True, required_cell=True),
        Column("employer_name", None, required=True, required_cell=True),
        Column("title", "title", required=True, required_cell=True),
        Column("district", "district", required=True, required_cell=True),
        Column("openings", "openings", required=True, required_cell=True),
        Column("essential_skills", "skills", "skills", required=True, required_cell=True),
        Column("optional_skills", "skills", "skills", required=True),
        Column("description", "description"),
        Column("wage_min_inr", "wage_min_inr"),
        Column("wage_max_inr", "wage_max_inr"),
        Column("shift", "shift"),
        Column("status", "status"),
        Column("posted_on", "posted_on"),
    )

    def skill_values(self, column, items, errors):
        essential = column.name == "essential_skills"
        values = []
        for reference, level in items:
            uri = self.resolve(column, reference, errors)
            if uri is not None:
                values.append({"uri": uri, "essential": essential, "min_proficiency": level or 1})
        return values

    def check_access(self, row, data, existing):
        own = self.own_organisation_id()
        if own is None:
            return
        if clean(row.cells["employer_id"]) != own:
            raise refuse(
                "employer_id",
                Message(N_("You may import your own postings (%(id)s) only."), id=own),
            )
        if existing is not None and existing.employer.external_id != own:
            raise refuse(
                "posting_id",
                Message(N_("Posting %(id)s is another employer's."), id=existing.external_id),
            )

    def write(self, row, data):
        employer = self.organisation(row, OrganisationKind.employer, "employer_id", "employer_name")
        return upsert_posting(employer, data)

    adds_in_bulk = True

    def add_new(self, rows):
        """`write` for many new postings at once; a row whose employer cannot be used or may not
        be written by this user fails alone."""
        errors: dict[int, RowInvalid] = {}
        items, positions = [], []
        for position, (row, data) in enumerate(rows):
            try:
                self.check_access(row, data, None)
                employer = self.organisation(
                    row, OrganisationKind.employer, "employer_id", "employer_name"
                )
            except RowInvalid as exc:
                errors[position] = exc
                continue
            items.append((employer, data))
            positions.append(position)
        _ids, failed = add_new_postings(items)
        errors.update((positions[index], found) for index, found in self.row_errors(failed).items())
        return errors

    def extra_state(self, record) -> tuple:
        return (
            tuple(sorted((s.skill.uri, s.essential, s.min_proficiency) for s in record.skills)),
        )


class EnrolmentImporter(Importer):
    kind = "enrolments"
    model = Enrolment
    schema = EnrolmentIn()
    id_column = "enrolment_id"
    columns = (
        Column("enrolment_id", "external_id", "ref", required=True, required_cell=True),
        Column("worker_id", "worker", required=True, required_cell=True),
        Column("course_id", "course", required=True, required_cell=True),
        Column("enrolled_on", "enrolled_on", required=True, required_cell=True),
        Column("status", "status", required=True, required_cell=True),
        Column("completed_on", "completed_on", required=True),
        Column("certified", "certified", "bool", required=True, required_cell=True),
        Column("certified_on", "certified_on", required=True),
        Column("batch_id", "batch"),
    )

    def check_access(self, row, data, existing):
        user = self.run.user
        if user is None or user.role is Role.admin:
            return
        course = course_by_external_id(data["course"])
        if course is not None and course.institution_id != user.organisation_id:
            raise refuse(
                "course_id",
                Message(N_("Course %(id)s is another institution's."), id=course.external_id),
            )
        if existing is not None and existing.course.institution_id != user.organisation_id:
            raise refuse(
                "enrolment_id",
                Message(N_("Enrolment %(id)s is another institution's."), id=existing.external_id),
            )

    def write(self, row, data):
        return upsert_enrolment(data)


class PlacementImporter(Importer):
    kind = "placements"
    model = Placement
    schema = PlacementIn()
    id_column = "placement_id"
    columns = (
        Column("placement_id", "external_id", "ref", required=True, required_cell=True),
        Column("worker_id", "worker", required=True, required_cell=True),
        Column("employer_id", "employer", required=True),
        Column("employer_name", None, required=True, required_cell=True),
        Column("placed_on", "placed_on", required=True, required_cell=True),
        Column("monthly_wage_inr", "monthly_wage_inr", required=True, required_cell=True),
        Column("employment_type", "employment_type", required=True, required_cell=True),
        Column("ended_on", "ended_on", required=True),
        Column("posting_id", "posting"),
        Column("verification", "verification"),
    )

    def check_access(self, row, data, existing):
        user = self.run.user
        if user is None or user.role is Role.admin:
            return
        worker = db.session.scalar(select(Worker).where(Worker.external_id == data["worker"]))
        if worker is not None and not policy.can_record_placement_for(user, worker):
            raise refuse(
                "worker_id",
                Message(
                    N_("Worker %(id)s has no enrolment with your institution."),
                    id=worker.external_id,
                ),
            )
        if existing is not None and not policy.can_record_placement_for(user, existing.worker):
            raise refuse(
                "placement_id",
                Message(
                    N_("Placement %(id)s is of a worker not enrolled with you."),
                    id=existing.external_id,
                ),
            )

    def write(self, row, data):
        if data.get("employer"):
            self.organisation(row, OrganisationKind.employer, "employer_id", "employer_name")
        return upsert_placement(data)


class ModuleImporter(Importer):
    kind = "modules"
    model = Module
    schema = ModuleIn()
    id_column = "module_id"
    columns = (
        Column("module_id", "external_id", "ref", required=True, required_cell=True),
        Column("course_id", None, "ref", required=True, required_cell=True),
        Column("title", "title", required=True, required_cell=True),
        Column("hours", "hours", required=True, required_cell=True),
        Column("skills", "skills", "skills", required=True),
        Column("is_bridge", "is_bridge", "bool"),
    )
    skill_values = CourseImporter.skill_values

    def write(self, row, data):
        return upsert_module(course_of(row), data)

    def extra_state(self, record) -> tuple:
        return (tuple(sorted(skill.uri for skill in record.skills)),)


class BatchImporter(Importer):
    kind = "batches"
    model = Batch
    schema = BatchIn()
    id_column = "batch_id"
    columns = (
        Column("batch_id", "external_id", "ref", required=True, required_cell=True),
        Column("course_id", "course", required=True, required_cell=True),
        Column("start_date", "start_date", required=True, required_cell=True),
        Column("seats", "seats", required=True, required_cell=True),
        Column("district", "district"),
    )

    def write(self, row, data):
        return upsert_batch(course_of(row), data)


def course_of(row: CsvRow) -> Course:
    external_id = clean(row.cells["course_id"])
    course = course_by_external_id(external_id)
    if course is None:
        raise RowInvalid({"course_id": [Message(N_("Unknown course: %(id)s"), id=external_id)]})
    return course


IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        WorkerImporter,
        CourseImporter,
        PostingImporter,
        EnrolmentImporter,
        PlacementImporter,
        ModuleImporter,
        BatchImporter,
    )
}


def flatten_messages(
    messages: Mapping | list | str, column_of: Callable[[str], str | None]
) -> dict[str, list[str]]:
    """Marshmallow's (possibly nested) messages as {column: [text]}.

    Nested list items (`skills.2.uri`) are reported on the list's column with the item number.
    """
    flat: dict[str, list[str]] = {}
    if not isinstance(messages, Mapping):
        messages = {"_schema": messages}
    for key, value in messages.items():
        column = column_of(str(key)) or str(key)
        for text in _texts(value):
            flat.setdefault(column, []).append(text)
    return flat


def _texts(value) -> list[str]:
    if isinstance(value, str):  # a Message, so that a page can show it translated
        return [value if isinstance(value, Message) else Message(value)]
    if isinstance(value, Mapping):
        texts = []
        for key, inner in value.items():
            for text in _texts(inner):
                if isinstance(key, int):
                    texts.append(
                        Message(N_("item %(number)s: %(message)s"), number=key + 1, message=text)
                    )
                else:
                    texts.append(Message("%(field)s: %(message)s", field=key, message=text))
        return texts
    return [text for inner in value for text in _texts(inner)]


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
        self._line = 1

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
            self.report.errors.append(RowProblem(1, name, Message(N_("Missing required column."))))
        extra = [name for name in table.columns if name and name not in known]
        if extra:
            self.warn(1, ", ".join(extra), Message(N_("Unknown column(s), ignored.")))
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
            raise RowInvalid(errors)
        return {key: value for key, value in data.items() if key in fields_in_file}

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
