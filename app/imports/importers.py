"""One importer per kind of file: the columns it reads and how a row becomes the dict the API
takes, loaded through the same input schema and written by the same domain service.

A run over a whole file (savepoints, the report) is app/imports/services.py."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import inspect as sa_inspect

from app.auth.models import Role
from app.common import REQUIRED, find_by_external_id, unknown_record
from app.i18n import N_
from app.imports.rows import (
    CellError,
    CsvRow,
    Message,
    clean,
    skill_items,
    split_list,
    yes_no,
)
from app.organisations.models import Organisation, OrganisationKind
from app.organisations.schemas import OrganisationIn
from app.organisations.services import organisation_by_external_id, upsert_organisation

STATE_IGNORED = {"id", "created_at", "updated_at"}
# "X is an institution, not an employer": by the kind the row needs.
WRONG_KIND = {
    OrganisationKind.employer: N_("%(id)s is an institution, not an employer."),
    OrganisationKind.institution: N_("%(id)s is an employer, not an institution."),
}
UNREADABLE = object()  # stands in for a cell that could not be read


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
    # Columns naming a record the row links to, with that record's model: looked up as well when
    # the row's cells are refused, so one upload lists all of a row's problems (an unknown course
    # came out only after the dates were fixed and the file uploaded again).
    references: ClassVar[tuple[tuple[str, type], ...]] = ()

    def __init__(self, run: Any) -> None:  # the ImportRun (app/imports/services.py) it serves
        self.run = run

    @classmethod
    def column_names(cls) -> list[str]:
        return [column.name for column in cls.columns]

    @classmethod
    def required_columns(cls) -> list[str]:
        return [column.name for column in cls.columns if column.required]

    @classmethod
    def allowed_values(cls, column: Column) -> list[str]:
        """The values a column takes when they are few (a status, a gender, a mode), from its
        schema field: the upload page lists them (a walk learnt them only from an error)."""
        rule = cls.schema.fields.get(column.field or "")
        if isinstance(rule, fields.Enum):
            return [str(member.value) for member in rule.enum]
        for check in getattr(rule, "validators", ()):
            if isinstance(check, validate.OneOf):
                return [str(choice) for choice in check.choices]
        return []

    @classmethod
    def column_of(cls, field_name: str) -> str:
        """The CSV column a schema field or service key comes from, for messages."""
        if field_name == "external_id":
            return cls.id_column
        for column in cls.columns:
            if column.field == field_name or column.name == field_name:
                return column.name
        return field_name

    def unknown_references(self, row: CsvRow, errors: dict[str, list[str]]) -> None:
        """Add to ``errors`` each reference of the row that names no record, worded as the
        services word it when they write ("Unknown worker: W9"); cells already refused are
        left as they are."""
        for name, model in self.references:
            text = clean(row.cells.get(name))
            if name in errors or not text or find_by_external_id(model, text) is not None:
                continue
            field = next(column.field for column in self.columns if column.name == name)
            errors[name] = [unknown_record(field, text)]

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
        return find_by_external_id(self.model, external_id)

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


class OrganisationRows(Importer):
    """Rows of an organisation's own records (courses of an institution, postings of an
    employer): the row names its organisation in `organisation_column`; an institution or
    employer imports its own rows only, and never rewrites another organisation's record."""

    organisation_column: str
    own_rows_only: str  # N_ message, %(id)s = the importer's organisation
    others_record: str  # N_ message, %(id)s = the record's id

    def organisation_of(self, record) -> Any:
        raise NotImplementedError

    def check_access(self, row: CsvRow, data: dict, existing) -> None:
        own = self.own_organisation_id()
        if own is None:
            return
        if clean(row.cells[self.organisation_column]) != own:
            raise refuse(self.organisation_column, Message(self.own_rows_only, id=own))
        if existing is not None and self.organisation_of(existing).external_id != own:
            raise refuse(self.id_column, Message(self.others_record, id=existing.external_id))


def refuse(column: str, message: str) -> RowInvalid:
    return RowInvalid({column: [message]}, refused=True)


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
