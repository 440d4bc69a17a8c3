"""Small helpers shared by the domains' services and views."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from flask import abort
from sqlalchemy import Select, func, insert, select

from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import N_

T = TypeVar("T")

# marshmallow's own words, so a field missing from a service's input reads as one the schema missed.
REQUIRED = N_("Missing data for required field.")


def missing_fields(data: Mapping, fields: Iterable[str]) -> dict[str, list[str]]:
    """The REQUIRED error of each of ``fields`` that ``data`` leaves out or empty."""
    return {field: [REQUIRED] for field in fields if data.get(field) in (None, "")}


def require_fields(
    data: Mapping, fields: Iterable[str], found: Mapping[str, list[str]] | None = None
) -> None:
    """Refuse ``data`` (ValidationFailed) when it leaves one of ``fields`` out or empty, or when
    ``found`` holds errors found before (a new record's id in use), all reported together."""
    if errors := {**missing_fields(data, fields), **(found or {})}:
        raise ValidationFailed(errors)


def contains_text(column, text: str):
    """The condition "``column`` contains ``text``", any case. The LIKE wildcards and escape
    typed in are escaped, so a search box's "50%" or "_" finds what it says, not everything."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def same_text(column, text: str):
    """The condition "``column`` is ``text``", any case: an id typed as read off a paper list
    ("pl0095" is PL0095)."""
    return func.upper(column) == text.upper()


def new_external_id(prefix: str) -> str:
    """An id for a record created here rather than imported, e.g. `P-3F9A1C22`."""
    return f"{prefix}-{secrets.token_hex(4).upper()}"


def find_by_external_id(model: type[T], external_id: str | None) -> T | None:
    """The row with this external id; None when there is none (or no id was given)."""
    if not external_id:
        return None
    return db.session.scalar(select(model).where(model.external_id == external_id))


def stored_external_id(model: type[T], typed: str | None) -> str | None:
    """The id as stored of the one row whose id is ``typed`` in any case ("w0102" → "W0102"),
    for a box where people type an id from a paper list; else ``typed`` as it is."""
    if not typed or find_by_external_id(model, typed) is not None:
        return typed
    found = db.session.scalars(
        select(model.external_id).where(same_text(model.external_id, typed)).limit(2)
    ).all()
    return found[0] if len(found) == 1 else typed


def row_named_in(
    data: Mapping,
    field: str,
    model: type[T],
    errors: dict[str, list[str]],
    current: T | None,
    *,
    optional: bool = False,
    accept: Callable[[T], bool] | None = None,
) -> T | None:
    """The row whose external id ``data[field]`` names, for a write that links to it: ``current``
    when ``data`` does not name one, None for an empty value of an ``optional`` link, and else,
    when there is no such row (or ``accept`` refuses it), errors[field] = "Unknown <field>: <id>"
    (the row, or None, is still returned: the caller raises once it has every field's error)."""
    if field not in data:
        return current
    if optional and not data[field]:
        return None
    row = find_by_external_id(model, data[field])
    if row is None or (accept is not None and not accept(row)):
        errors[field] = [unknown_record(field, data[field])]
    return row


def unknown_record(field: str, external_id: object) -> str:
    """The refusal of a link to a record that does not exist ("Unknown course: C99"), worded
    once for the services and the importers (pages translate it by its pattern, app/forms.py)."""
    return f"Unknown {field}: {external_id}"


def id_in_use(model: type, external_id: str | None, noun: str) -> dict[str, list[str]]:
    """The error of a new record whose id a record of ``model`` already has ("A course with id
    C-1 exists."); empty when the id is free. Every create asks this one rule."""
    if find_by_external_id(model, external_id) is None:
        return {}
    article = "An" if noun[:1] in ("a", "e", "i", "o", "u") else "A"
    return {"external_id": [f"{article} {noun} with id {external_id} exists."]}


def new_record_id(
    model: type, data: Mapping, prefix: str, noun: str
) -> tuple[str, dict[str, list[str]]]:
    """The id of a new record of ``model``: ``data``'s, or one made up (new_external_id); and the
    error of its being in use already (id_in_use; empty when free), for a create that reports it
    with its other fields' errors."""
    external_id = data.get("external_id") or new_external_id(prefix)
    return external_id, id_in_use(model, external_id, noun)


def free_record_id(model: type, data: Mapping, prefix: str, noun: str) -> str:
    """The id of a new record of ``model`` (new_record_id), refused (ValidationFailed) when a
    record of ``model`` has it already."""
    external_id, in_use = new_record_id(model, data, prefix, noun)
    if in_use:
        raise ValidationFailed(in_use)
    return external_id


def get_by_external_id(model: type[T], external_id: str) -> T:
    """The row with this external id, or 404."""
    row = find_by_external_id(model, external_id)
    if row is None:
        abort(404, description=f"No {model.__name__} with id {external_id!r}.")
    return row


# Past this many rows no page can hold anything; a larger OFFSET overflows SQLite's INTEGER.
MAX_OFFSET = 2**31


def paginated(statement: Select, pagination_parameters) -> list:
    """One page of `statement` for a flask-smorest `@blp.paginate()` view, which it tells the total.

    A page far past the end is empty, as any page past the end is, rather than an error.
    """
    offset = (pagination_parameters.page - 1) * pagination_parameters.page_size
    if offset > MAX_OFFSET:
        pagination_parameters.item_count = db.session.scalar(
            select(func.count()).select_from(statement.order_by(None).subquery())
        )
        return []
    rows = db.paginate(
        statement,
        page=pagination_parameters.page,
        per_page=pagination_parameters.page_size,
        error_out=False,
    )
    pagination_parameters.item_count = rows.total
    return rows.items


def insert_rows(model: type, rows: list[dict]) -> None:
    """INSERT many rows (all with the same keys) in multi-row statements.

    A plain executemany runs one statement per row on psycopg (pipelined), which made a bulk
    import of 100,000 workers four times slower on PostgreSQL than on SQLite. With RETURNING,
    SQLAlchemy's "insertmanyvalues" sends the rows in batches of one statement each, compiled
    once; the returned ids are not needed.
    """
    if rows:
        db.session.execute(insert(model).returning(model.id), rows)


def insert_returning_ids(model: type, rows: list[dict]) -> list[int]:
    """INSERT many rows of `model` (insertmanyvalues batches); their new ids, in the rows' order."""
    return list(
        db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    )
