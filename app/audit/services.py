"""Record audit events; called by services and views, flushed with the rest of the unit of work.

Events hold ids, counts and reasons only, never names, contact data or secrets, so the audit
trail itself holds no personal data beyond who (a user id) did what to which record (an id).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select

from app.audit.models import AuditEvent
from app.extensions import db

PERSONAL_DATA_VIEW = "personal_data_view"
PERSONAL_DATA_EXPORT = "personal_data_export"


def record_event(
    action: str,
    *,
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    outcome: str = "ok",
    detail: dict | None = None,
) -> AuditEvent:
    """Add one audit event. `detail` must hold ids and counts only, never names or contact data."""
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        outcome=outcome,
        detail=detail or {},
    )
    db.session.add(event)
    return event


def audit_personal_data_views(
    object_type: str, object_ids: Iterable[str], *, detail: dict | None = None
) -> None:
    """`audit_personal_data_view` for every record a list page shows personal data of, in one
    INSERT: a page of 30 applicants costs one statement, not 30."""
    actor_id = _current_actor_id()
    rows = [
        {
            "action": PERSONAL_DATA_VIEW,
            "actor_id": actor_id,
            "object_type": object_type,
            "object_id": str(object_id),
            "outcome": "ok",
            "detail": detail or {},
        }
        for object_id in object_ids
    ]
    if rows:
        db.session.execute(insert(AuditEvent), rows)


def _current_actor_id() -> int | None:
    from flask_login import current_user

    return current_user.id if current_user and current_user.is_authenticated else None


def audit_personal_data_view(
    object_type: str,
    object_id: str | int | None,
    *,
    detail: dict | None = None,
) -> AuditEvent:
    """Record that the logged-in user viewed personal data of one record (e.g. a worker).

    Call it from a read-only (GET) view once access has been granted, with the record's external
    id. The request's commit keeps it with the rest of the request's work.
    """
    event = record_event(
        PERSONAL_DATA_VIEW,
        actor_id=_current_actor_id(),
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    return event


def audit_personal_data_export(
    object_type: str,
    *,
    rows: int,
    object_id: str | int | None = None,
    export_format: str | None = None,
) -> AuditEvent:
    """Record that the logged-in user exported personal data: what kind, how many rows, in which
    format (csv, xlsx, json)."""
    detail: dict = {"rows": rows}
    if export_format:
        detail["format"] = export_format
    event = record_event(
        PERSONAL_DATA_EXPORT,
        actor_id=_current_actor_id(),
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    return event


RECORD_CORRECTED = "record_corrected"
# Fields whose values may name a person: the trail says that they changed, not what to.
UNSHOWN_VALUES = frozenset({"verified_by", "notes"})


def _plain(value: Any) -> Any:
    """A value as JSON holds it: dates in ISO form, enum members as their code."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict]:
    """Per field that differs: its old and new values (only that it changed, for free text)."""
    changes: dict[str, dict] = {}
    for field, old in before.items():
        new = after.get(field)
        if _plain(old) == _plain(new):
            continue
        if field in UNSHOWN_VALUES:
            changes[field] = {"changed": True}
        else:
            changes[field] = {"old": _plain(old), "new": _plain(new)}
    return changes


def audit_correction(
    object_type: str,
    object_id: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    actor_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent | None:
    """Record a correction of a record with each changed field's old and new values; nothing
    when nothing changed."""
    changes = changed_fields(before, after)
    if not changes:
        return None
    return record_event(
        RECORD_CORRECTED,
        actor_id=actor_id if actor_id is not None else _current_actor_id(),
        object_type=object_type,
        object_id=object_id,
        detail={**(detail or {}), "changes": changes},
    )


def corrections_of(object_type: str, object_id: str) -> list[AuditEvent]:
    """The corrections recorded for one record, newest first (for the page that corrects it)."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.action == RECORD_CORRECTED,
                AuditEvent.object_type == object_type,
                AuditEvent.object_id == object_id,
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )
