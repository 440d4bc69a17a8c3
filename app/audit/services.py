"""Record audit events; called by services and views, flushed with the rest of the unit of work.

Events hold ids, counts and reasons only, never names, contact data or secrets, so the audit
trail itself holds no personal data beyond who (a user id) did what to which record (an id).
"""

from __future__ import annotations

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
