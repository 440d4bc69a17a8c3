"""Personal-data use cases (DPDP Act 2023, DPDP Rules 2025): who may be processed, consent at
registration, guardians of minors, erasure, data download and grievances.

Like every service, these flush and never commit. The filter functions at the top are what other
domains call so that matching, employers' candidate lists and enrolments respect consent,
withdrawal, erasure and the rules for minors.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import false, select

from app.applications import services as applications
from app.audit.services import record_event
from app.auth import policy
from app.auth.models import ApiToken, Role, User
from app.common import new_external_id
from app.database import utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.institutions.models import Course, Enrolment
from app.notices.messages import notice_text
from app.notices.models import Notice
from app.placements.models import Placement
from app.privacy.models import (
    Consent,
    Grievance,
    GrievanceStatus,
    GuardianConsent,
    GuardianRelation,
)
from app.privacy.notice import NOTICE_VERSION, PURPOSES
from app.workers import services as worker_services
from app.workers.models import Worker

NO_REFERRALS = N_(
    "This worker has not agreed to training institutions offering them courses: ask them to agree "
    "on their profile (My consent) first."
)
ADULT_AGE = 18
ERASED_NAME = "Erased worker"
ERASED_TEXT = "[erased]"
# Erasure keeps the birth year only: 1 July is mid-year, so an age computed from it is off by at
# most six months and youth indicators (15–29, under 18) stay right for scheme reports.
COARSE_BIRTH_MONTH, COARSE_BIRTH_DAY = 7, 1
ALL_PURPOSES = tuple(PURPOSES["en"])


# --- Who may be processed (SQL filters and per-worker checks) ---------------------------------


def processable_worker_ids(purpose: str | None = "matching") -> set[int]:
    """Ids of the workers that may be processed for `purpose` (None: any standing consent)."""
    return set(
        db.session.scalars(
            select(Worker.id).where(
                policy.not_erased_clause(), policy.standing_consent_clause(purpose)
            )
        )
    )


def enrolment_refusal(worker: Worker, *, by_the_worker: bool = False) -> str | None:
    """Why this worker may not be newly enrolled, or None if they may. Enrolling makes the
    institution one of the few who see the worker's whole record (phone, date of birth), so an
    institution enrolling them needs their consent to training institutions reaching them
    ("training_referrals"), the same consent that lets institutions find the worker: an id typed
    in (ids are easy to guess) opens no record the search keeps closed. A worker enrolling
    themselves (`by_the_worker`, from their training plan) chooses the institution by doing so."""
    if worker.erased_at is not None:
        return "This worker's personal data was erased at their request."
    consent = worker_services.current_consent(worker)
    if consent is None:
        return "This worker has not given (or has withdrawn) consent to processing."
    if not by_the_worker and "training_referrals" not in consent.purposes:
        return NO_REFERRALS
    return None


def guardian_verified(worker: Worker) -> bool:
    return policy._worker_passes(worker, policy.guardian_verified_clause())


# --- Audit without behavioural tracking of minors ----------------------------------------------


def record_privacy_event(
    action: str, worker: Worker, actor: User | None, detail: dict | None = None
) -> None:
    """Audit a personal-data action on a worker, named by the id every page and import uses (an
    administrator searching the trail for W0024 missed her grievance, kept under "24"). For a
    worker under 18 the detail is dropped: the event says what happened to the record, not what
    the child did (DPDP Act s.9(3))."""
    if policy.is_minor(worker):
        detail = None
    record_event(
        action,
        actor_id=getattr(actor, "id", None),
        object_type="worker",
        object_id=worker.external_id,
        detail=detail,
    )


def actor_label(user: User) -> str:
    """How a consent record names who gave it: "self", or "<role>:<user id>" for assisted entry."""
    return "self" if user.role is Role.worker else f"{user.role.value}:{user.id}"


# --- Consent at registration and import ---------------------------------------------------------


def consent_errors(notice_version: str | None, purposes: Iterable[str] | None) -> dict:
    """Problems with a consent given at registration: it must be to the current notice."""
    errors: dict[str, list[str]] = {}
    if (notice_version or "") != NOTICE_VERSION:
        errors["notice_version"] = [
            f"Consent must be to the current notice, version {NOTICE_VERSION}."
        ]
    purposes = list(purposes or [])
    if not purposes:
        errors["purposes"] = [N_("Choose at least one purpose.")]
    elif unknown := [p for p in purposes if p not in ALL_PURPOSES]:
        errors["purposes"] = [f"Unknown purpose {p!r}." for p in unknown]
    return errors


def create_worker_with_consent(
    data: Mapping, *, notice_version: str, purposes: Iterable[str], given_by: str
) -> Worker:
    """Create a worker only together with their consent: no profile exists without one."""
    purposes = list(dict.fromkeys(purposes or []))
    errors = {f"consent.{k}": v for k, v in consent_errors(notice_version, purposes).items()}
    if errors:
        raise ValidationFailed(errors)
    worker = worker_services.create_worker(data)
    worker_services.record_consent(worker, notice_version, purposes, given_by=given_by)
    return worker


def record_import_consent(
    worker: Worker, given_by: str = "import", purposes: Iterable[str] | None = None
) -> Consent | None:
    """Consent collected outside the platform (an institution's signed form for a bulk import, or
    the demo seed): recorded once, for a worker with no consent history. A worker who withdrew is
    never given consent back by a re-import, and an erased worker never gets one."""
    if worker.erased_at is not None:
        return None
    has_history = db.session.scalar(select(Consent.id).where(Consent.worker_id == worker.id))
    if has_history is not None:
        return None
    return worker_services.record_consent(
        worker, NOTICE_VERSION, list(purposes or ALL_PURPOSES), given_by=given_by
    )


def record_import_consents_for_new(worker_ids: Iterable[int], given_by: str = "import") -> None:
    """`record_import_consent` for workers just added by a bulk import: new workers have no
    consent history and no erasure, so each gets the one consent at once, in one INSERT."""
    worker_services.record_consents(list(worker_ids), NOTICE_VERSION, ALL_PURPOSES, given_by)


# --- Guardians of minors -----------------------------------------------------------------------


def record_guardian_consent(
    worker: Worker, guardian_name: str, relation: str, given_on: date, recorded_by: User | None
) -> GuardianConsent:
    """Record a parent's or guardian's consent for a worker under 18; it counts once verified."""
    errors: dict[str, list[str]] = {}
    if worker.erased_at is not None:
        errors["worker"] = [N_("This worker's personal data was erased.")]
    elif not policy.is_minor(worker):
        errors["worker"] = [N_("A guardian's consent is needed only for workers under 18.")]
    guardian_name = " ".join(str(guardian_name or "").split())
    if not 2 <= len(guardian_name) <= 200:
        errors["guardian_name"] = [N_("Give the parent's or guardian's name (2–200 characters).")]
    try:
        relation = GuardianRelation(relation)
    except ValueError:
        choices = ", ".join(member.value for member in GuardianRelation)
        errors["relation"] = [f"Must be one of: {choices}."]
    if not isinstance(given_on, date):
        errors["given_on"] = [N_("Not a valid date.")]
    elif given_on > date.today():
        errors["given_on"] = [N_("The date is in the future.")]
    if errors:
        raise ValidationFailed(errors)
    record = GuardianConsent(
        worker=worker,
        guardian_name=guardian_name,
        relation=relation,
        given_on=given_on,
        recorded_by=recorded_by,
        recorded_at=utcnow(),
    )
    db.session.add(record)
    db.session.flush()
    record_privacy_event("guardian_consent_recorded", worker, recorded_by)
    return record


def latest_guardian_consent(worker: Worker) -> GuardianConsent | None:
    """The guardian consent recorded last for `worker`: the one an officer verifies."""
    return db.session.scalar(
        select(GuardianConsent)
        .where(GuardianConsent.worker_id == worker.id)
        .order_by(GuardianConsent.id.desc())
        .limit(1)
    )


def verify_guardian_consent(record: GuardianConsent, verifier: User) -> GuardianConsent:
    """Mark a guardian's consent verified. Refuses the worker themselves and anyone who may not
    verify for this worker (the views check this first, with an audited 403)."""
    if not policy.can_verify_guardian_consent(verifier, record.worker):
        raise ValidationFailed(
            {"verified_by": [N_("Only the worker's institution or an administrator can verify.")]}
        )
    if record.verified_on is None:
        record.verified_by = verifier
        record.verified_on = utcnow()
        db.session.flush()
        record_privacy_event("guardian_consent_verified", record.worker, verifier)
    return record


def guardian_consents_for(user: User) -> list[GuardianConsent]:
    """Guardian consents an officer may verify: of workers enrolled with their institution (all,
    for administrators); unverified first."""

    statement = select(GuardianConsent).join(Worker).where(policy.not_erased_clause())
    if user.role is Role.institution and user.organisation_id is not None:
        enrolled = (
            select(Enrolment.worker_id)
            .join(Course, Enrolment.course_id == Course.id)
            .where(Course.institution_id == user.organisation_id)
        )
        statement = statement.where(GuardianConsent.worker_id.in_(enrolled))
    elif user.role is not Role.admin:
        statement = statement.where(false())
    statement = statement.order_by(
        GuardianConsent.verified_on.is_not(None), GuardianConsent.recorded_at.desc()
    )
    return list(db.session.scalars(statement))


# --- Erasure -----------------------------------------------------------------------------------


def erase_worker(worker: Worker, actor: User | None) -> dict[str, int]:
    """Erase a worker's personal data on request, keeping what scheme audits need.

    Enrolment and placement records stay (DDU-GKY/PMKVY keep placement evidence) on an anonymised
    worker: name, contact details, social category, disability, education, languages, description
    and skills are removed; the date of birth becomes 1 July of the birth year; gender and district
    stay for scheme indicators. Consent ends, the login is disabled, and the audit event holds
    counts only.
    """

    if worker.erased_at is not None:
        raise ValidationFailed({"worker": [N_("This worker's personal data was already erased.")]})
    worker_services.withdraw_consent(worker)
    worker.name = ERASED_NAME
    worker.phone = None
    worker.email = None
    worker.social_category = None
    worker.disability = None
    worker.education = None
    worker.languages = []
    worker.profile_text = ""
    worker.visible_to_employers = False
    worker.date_of_birth = date(worker.date_of_birth.year, COARSE_BIRTH_MONTH, COARSE_BIRTH_DAY)
    worker.skills.clear()
    worker.erased_at = utcnow()
    for guardian in db.session.scalars(
        select(GuardianConsent).where(GuardianConsent.worker_id == worker.id)
    ):
        guardian.guardian_name = ERASED_TEXT
    for grievance in db.session.scalars(select(Grievance).where(Grievance.worker_id == worker.id)):
        grievance.subject, grievance.text, grievance.response = ERASED_TEXT, ERASED_TEXT, ""
    applications.forget_worker(worker)
    enrolments = list(db.session.scalars(select(Enrolment).where(Enrolment.worker_id == worker.id)))
    for enrolment in enrolments:
        enrolment.notes = ""  # free text about the person; the evidence fields stay
    placements = db.session.scalars(
        select(Placement.id).where(Placement.worker_id == worker.id)
    ).all()
    logins = 0
    for user in db.session.scalars(select(User).where(User.worker_id == worker.id)):
        logins += 1
        user.active = False
        user.session_version += 1
        user.email = f"erased-{user.id}@erased.invalid"
        user.phone = None
        for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)):
            token.revoked_at = token.revoked_at or utcnow()
    db.session.flush()
    kept = {"enrolments": len(enrolments), "placements": len(placements), "logins_disabled": logins}
    record_event(
        "personal_data_erased",
        actor_id=getattr(actor, "id", None),
        object_type="worker",
        object_id=worker.external_id,
        detail=kept,
    )
    return kept


# --- Data download -----------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, bool | int | float | str):
        return value.value
    return value


def personal_data(worker: Worker) -> dict[str, Any]:
    """Everything KaushalSetu holds about one worker, and nothing about anyone else."""

    record = {
        field: _iso(getattr(worker, field))
        for field in (
            "external_id",
            *worker_services.WORKER_FIELDS,
            "created_at",
            "updated_at",
            "erased_at",
        )
    }
    skills = [
        {
            "uri": row.skill.uri,
            "label": row.skill.label,
            "proficiency": row.proficiency,
            "source": row.source.value,
        }
        for row in sorted(worker.skills, key=lambda row: row.skill.label.lower())
    ]
    consents = [
        {
            "notice_version": c.notice_version,
            "purposes": list(c.purposes),
            "given_at": _iso(c.given_at),
            "given_by": c.given_by,
            "withdrawn_at": _iso(c.withdrawn_at),
        }
        for c in db.session.scalars(
            select(Consent).where(Consent.worker_id == worker.id).order_by(Consent.id)
        )
    ]
    guardians = [
        {
            "guardian_name": g.guardian_name,
            "relation": g.relation.value,
            "given_on": _iso(g.given_on),
            "recorded_at": _iso(g.recorded_at),
            "verified": g.verified_on is not None,
            "verified_on": _iso(g.verified_on),
        }
        for g in db.session.scalars(
            select(GuardianConsent)
            .where(GuardianConsent.worker_id == worker.id)
            .order_by(GuardianConsent.id)
        )
    ]
    enrolments = [
        {
            "id": e.external_id,
            "course": e.course.title,
            "institution": e.course.institution.name,
            "batch": e.batch.external_id if e.batch else None,
            "status": e.status.value,
            "enrolled_on": _iso(e.enrolled_on),
            "completed_on": _iso(e.completed_on),
            "certified": e.certified,
            "certified_on": _iso(e.certified_on),
            "notes": e.notes,
        }
        for e in db.session.scalars(
            select(Enrolment).where(Enrolment.worker_id == worker.id).order_by(Enrolment.id)
        )
    ]
    placements, retention_checks = [], []
    for p in db.session.scalars(
        select(Placement).where(Placement.worker_id == worker.id).order_by(Placement.id)
    ):
        placements.append(
            {
                "id": p.external_id,
                "employer": p.employer.name if p.employer else None,
                "posting": p.posting.external_id if p.posting else None,
                "placed_on": _iso(p.placed_on),
                "monthly_wage_inr": p.monthly_wage_inr,
                "employment_type": p.employment_type.value,
                "ended_on": _iso(p.ended_on),
                "verification": p.verification.value,
                "verified_on": _iso(p.verified_on),
            }
        )
        retention_checks.extend(
            {
                "placement": p.external_id,
                "months": check.months,
                "employed": check.employed,
                "appointment_letter": check.appointment_letter,
                "salary_slip": check.salary_slip,
                "bank_credit": check.bank_credit,
                "verified_on": _iso(check.verified_on),
            }
            for check in p.retention_checks
        )
    grievances = [
        {
            "id": g.external_id,
            "subject": g.subject,
            "text": g.text,
            "status": g.status.value,
            "response": g.response,
            "created_at": _iso(g.created_at),
            "updated_at": _iso(g.updated_at),
        }
        for g in db.session.scalars(
            select(Grievance).where(Grievance.worker_id == worker.id).order_by(Grievance.id)
        )
    ]
    # The worker's applications and each step of them: the job, the employer, what was said;
    # who moved a step is given by side (worker, employer, system), never by person.
    applications_held, application_steps = [], []
    for a in applications.applications_of_worker(worker):
        applications_held.append(
            {
                "id": a.external_id,
                "job": a.posting.title,
                "employer": a.posting.employer.name,
                "status": a.status.value,
                "note": a.note,
                "interview_on": _iso(a.interview_on),
                "interview_place": a.interview_place,
                "offered_wage_inr": a.offered_wage_inr,
                "created_at": _iso(a.created_at),
            }
        )
        application_steps.extend(
            {
                "application": a.external_id,
                "at": _iso(event.at),
                "to_status": event.to_status.value,
                "by": event.actor.value,
                "note": event.note,
            }
            for event in a.events
        )
    logins = list(
        db.session.scalars(select(User).where(User.worker_id == worker.id).order_by(User.id))
    )
    accounts = [
        {
            "email": u.email,
            "phone": u.phone,
            "role": u.role.value,
            "active": u.active,
            "created_at": _iso(u.created_at),
            "last_login_at": _iso(u.last_login_at),
        }
        for u in logins
    ]
    # What KaushalSetu told the worker (the inbox), in the reader's language.
    notices_held = [
        {
            "at": _iso(n.created_at),
            "text": notice_text(n.kind, n.params or {}),
            "read_at": _iso(n.read_at),
        }
        for n in db.session.scalars(
            select(Notice).where(Notice.user_id.in_([u.id for u in logins])).order_by(Notice.id)
        )
    ]
    return {
        "exported_at": utcnow().isoformat(),
        "notice_version": NOTICE_VERSION,
        "worker": record,
        "skills": skills,
        "consents": consents,
        "guardian_consents": guardians,
        "enrolments": enrolments,
        "placements": placements,
        "retention_checks": retention_checks,
        "grievances": grievances,
        "applications": applications_held,
        "application_steps": application_steps,
        "notices": notices_held,
        "accounts": accounts,
    }


def _csv_cell(value: Any) -> str:
    """Text for one CSV cell; text a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def personal_data_csv(data: Mapping[str, Any]) -> str:
    """The download as one long CSV: section, record number, field, value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "record", "field", "value"])
    for section, content in data.items():
        if not isinstance(content, dict | list):
            writer.writerow([section, "", "", _csv_cell(content)])
            continue
        records = [content] if isinstance(content, dict) else content
        for number, record in enumerate(records, start=1):
            for field, value in record.items():
                writer.writerow([section, number, field, _csv_cell(value)])
    return buffer.getvalue()


# --- Grievances --------------------------------------------------------------------------------


def file_grievance(worker: Worker, subject: str, text: str, filed_by: User | None) -> Grievance:
    errors: dict[str, list[str]] = {}
    subject = " ".join(str(subject or "").split())
    text = str(text or "").strip()
    if not 3 <= len(subject) <= 200:
        errors["subject"] = [N_("Give a short subject (3–200 characters).")]
    if not 10 <= len(text) <= 5000:
        errors["text"] = [N_("Describe the problem (10–5000 characters).")]
    if worker.erased_at is not None:
        errors["worker"] = [N_("This worker's personal data was erased.")]
    if errors:
        raise ValidationFailed(errors)
    grievance = Grievance(
        external_id=new_external_id("G"),
        worker=worker,
        subject=subject,
        text=text,
        status=GrievanceStatus.open,
        response="",
    )
    db.session.add(grievance)
    db.session.flush()
    record_privacy_event("grievance_filed", worker, filed_by, {"grievance": grievance.external_id})
    return grievance


def update_grievance(
    grievance: Grievance, status: str, response: str | None, handled_by: User
) -> Grievance:
    """An administrator's answer: a resolved or rejected grievance must say why."""
    errors: dict[str, list[str]] = {}
    try:
        status = GrievanceStatus(status)
    except ValueError:
        choices = ", ".join(member.value for member in GrievanceStatus)
        errors["status"] = [f"Must be one of: {choices}."]
    response = grievance.response if response is None else str(response).strip()
    if len(response) > 5000:
        errors["response"] = [N_("At most 5000 characters.")]
    if (
        not errors
        and status in (GrievanceStatus.resolved, GrievanceStatus.rejected)
        and not response
    ):
        errors["response"] = [N_("Say how it was resolved, or why it was rejected.")]
    if errors:
        raise ValidationFailed(errors)
    grievance.status = status
    grievance.response = response
    grievance.handled_by = handled_by
    db.session.flush()
    record_event(
        "grievance_updated",
        actor_id=handled_by.id,
        object_type="grievance",
        object_id=grievance.external_id,
        detail={"status": status.value},
    )
    return grievance
