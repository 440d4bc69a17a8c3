"""Record audit events; called by services and views, flushed with the rest of the unit of work."""

from __future__ import annotations

from app.audit.models import AuditEvent
from app.extensions import db


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
