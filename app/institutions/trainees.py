"""A trainee's enrolment from the worker's side and the desk's: the worker cancels before the
batch starts; staff find the worker to enrol. Apart from the course and batch records
(app/institutions/services.py) because both answer one person at a time."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from app.audit.services import record_event
from app.auth import policy
from app.auth.models import User
from app.common import contains_text, same_text
from app.errors import ValidationFailed
from app.extensions import db
from app.institutions.models import Enrolment, EnrolmentStatus
from app.workers.models import Worker
from app.workers.names import workers_sounding_like
from app.workers.services import normalise_phone

CANCEL_NOT_ENROLLED = "Only a current enrolment can be cancelled."
CANCEL_NO_BATCH = "This enrolment has no batch date: ask the institution to change it."
CANCEL_STARTED = (
    "The batch started on %(day)s: it can no longer be cancelled. "
    "Ask the institution to record that you left."
)


def cancel_refusal(enrolment: Enrolment, today: date) -> dict[str, list[str]] | None:
    """Why the worker may not cancel the enrolment today, or None when they may."""
    if enrolment.status is not EnrolmentStatus.enrolled:
        return {"status": [CANCEL_NOT_ENROLLED]}
    if enrolment.batch is None:
        return {"batch": [CANCEL_NO_BATCH]}
    if enrolment.batch.start_date <= today:
        return {"batch": [CANCEL_STARTED % {"day": enrolment.batch.start_date.isoformat()}]}
    return None


def cancel_enrolment(
    enrolment: Enrolment, today: date | None = None, actor_id: int | None = None
) -> Enrolment:
    """The worker's cancellation of an enrolment before its batch starts: it frees the seat and
    is kept (status cancelled), never deleted, and audited. On or after the start day it is
    refused: leaving a batch that has begun is a dropout the institution records."""
    refusal = cancel_refusal(enrolment, today or date.today())
    if refusal:
        raise ValidationFailed(refusal)
    enrolment.status = EnrolmentStatus.cancelled
    record_event(
        "enrolment_cancelled",
        actor_id=actor_id,
        object_type="enrolment",
        object_id=enrolment.external_id,
        detail={"batch": enrolment.batch.external_id},
    )
    db.session.flush()
    return enrolment


def may_cancel(enrolment: Enrolment, today: date | None = None) -> bool:
    """Whether the worker may cancel the enrolment today (to offer the button)."""
    return cancel_refusal(enrolment, today or date.today()) is None


FIND_MIN_LETTERS = 3
FIND_LIMIT = 20


def find_workers_to_enrol(text: str) -> list[Worker]:
    """Workers an institution may look up to enrol, by id, by the phone they log in with, or by
    part of their name (at least three letters); at most FIND_LIMIT, by name. Phone numbers on
    profiles are encrypted and cannot be searched; a login's phone can."""
    text = " ".join((text or "").split())
    if not text:
        return []
    statement = select(Worker).where(policy.findable_by_institutions_clause())
    try:
        phone = normalise_phone(text)
    except ValueError:
        phone = None
    if phone:
        login_workers = select(User.worker_id).where(User.phone == phone)
        statement = statement.where(Worker.id.in_(login_workers))
    elif len(text) >= FIND_MIN_LETTERS:
        named = [contains_text(Worker.name, text)]
        sounding = workers_sounding_like(text, statement, FIND_LIMIT)
        if sounding is not None:  # typed in Devanagari: "सुतार" is Sutar
            named.append(Worker.id.in_(sounding))
        statement = statement.where(or_(same_text(Worker.external_id, text), *named))
    else:
        statement = statement.where(same_text(Worker.external_id, text))
    return list(db.session.scalars(statement.order_by(Worker.name).limit(FIND_LIMIT)))
