"""Placement and retention-check use cases. Services flush; the request or command commits once.

Placements are upserted by external id, so an import can be re-run; rules that span fields
(dates in order, an employer for wage jobs, a posting of that employer) are checked here on the
final state of the record, so the API, the pages and imports share them.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from sqlalchemy import Select, or_, select

from app.audit.services import audit_correction
from app.common import (
    contains_text,
    find_by_external_id,
    free_record_id,
    new_record_id,
    require_fields,
    row_named_in,
    same_text,
)
from app.employers.models import JobPosting
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.organisations.models import Organisation, OrganisationKind
from app.placements.models import EmploymentType, Placement, RetentionCheck, Verification
from app.workers.models import Worker
from app.workers.names import workers_sounding_like
from indicators.records import RETENTION_CHECK_MONTHS, RetentionCheckRecord
from matching.posting_text import MIN_MONTHLY_WAGE

PLACEMENT_FIELDS = (
    "placed_on",
    "monthly_wage_inr",
    "employment_type",
    "ended_on",
    "verification",
    "verified_on",
)
# A wage job's monthly wage below this is a slip of the keyboard (₹1,900 for ₹19,000), not a
# month's pay; reading a job ad ignores such figures too (matching.posting_text). Self-employment
# earnings have no floor.
MIN_MONTHLY_WAGE_INR = MIN_MONTHLY_WAGE
WAGE_TOO_LOW = N_("Write the whole monthly wage: at least ₹%(min)s.")
WAGE_JOB_EMPLOYER = N_("A wage job needs the employer.")
CHECK_NOT_DUE = N_("A %(months)s-month check can be verified from %(day)s on.")
# The months after placement a retention check may be for: those the indicators verify.
RETENTION_MONTHS = tuple(RETENTION_CHECK_MONTHS.values())


def placement_by_external_id(external_id: str) -> Placement | None:
    return find_by_external_id(Placement, external_id)


def upsert_placement(data: Mapping) -> tuple[Placement, bool]:
    """Create or update the placement `data["external_id"]`; says whether it was created.

    Keys: external_id, worker (worker id), employer (employer id, or None for self-employment),
    posting (posting id or None), placed_on, monthly_wage_inr, employment_type (wage|self),
    ended_on, verification (none|appointment_letter|salary_slip|bank_credit), verified_on.
    """
    require_fields(data, ["external_id"])
    placement = placement_by_external_id(data["external_id"])
    if placement is None:
        return _add_placement(data["external_id"], {}, data), True
    return update_placement(placement, data), False


def create_placement(data: Mapping) -> Placement:
    """A new placement; worker, placed_on and monthly_wage_inr are required."""
    return _add_placement(*new_record_id(Placement, data, "PL", "placement"), data)


def _add_placement(
    external_id: str, id_errors: Mapping[str, list[str]], data: Mapping
) -> Placement:
    """The placement of `create_placement`, whose id has been looked up once already (by it, or
    by `upsert_placement`); `id_errors` are that look-up's, reported with the fields' own."""
    require_fields(data, ("worker", "placed_on", "monthly_wage_inr"), found=id_errors)
    placement = _new_placement(external_id)
    errors: dict[str, list[str]] = {}
    linked = _linked_rows(placement, data, errors)
    hired = None if errors else _hire_of_same_job(*linked[:2], data.get("placed_on"))
    if hired is not None:  # the employer's hire came first: one placement, both sources
        hired.recorded_by_institution = True
        fields = {key: value for key, value in data.items() if key not in ("external_id", "worker")}
        return update_placement(hired, fields)
    return _apply_placement(placement, data, new=True, linked=(linked, errors))


def create_placement_of_hire(
    worker: Worker, posting: JobPosting, placed_on: date, monthly_wage_inr: int
) -> Placement:
    """The placement an employer's hire creates, under the same rules as any placement. The hire
    holds its worker, posting and employer and has asked `same_job` already, so neither the rows
    nor that rule are asked again (as `create_placement`, fed external ids, would)."""
    placement = _new_placement(
        free_record_id(Placement, {}, "PL", "placement"),
        recorded_by_institution=False,
        worker=worker,
        employer=posting.employer,
        posting=posting,
    )
    data = {"placed_on": placed_on, "monthly_wage_inr": monthly_wage_inr}
    return _apply_placement(placement, data, new=True)


def _new_placement(external_id: str, **fields: object) -> Placement:
    """A placement not yet flushed, with the defaults every new one starts from (wage work,
    unverified); _apply_placement then checks and sets the rest."""
    return Placement(
        external_id=external_id,
        employment_type=EmploymentType.wage,
        verification=Verification.none,
        **fields,
    )


SAME_JOB_WITHIN = timedelta(days=30)


def current_jobs_at(employer_id: int, worker_ids: Iterable[int], today: date) -> dict[int, date]:
    """worker id → start day of their job at this employer that has not ended by ``today``
    (started or about to start): an employer's candidate list says whom it employs already."""
    ids = list(worker_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Placement.worker_id, Placement.placed_on)
        .where(
            Placement.employer_id == employer_id,
            Placement.worker_id.in_(ids),
            (Placement.ended_on.is_(None)) | (Placement.ended_on >= today),
        )
        .order_by(Placement.placed_on)
    )
    return dict(rows.all())


def same_job(worker_id: int, employer_id: int | None, start: date) -> Placement | None:
    """A placement already recorded for the same worker and employer starting within 30 days:
    the same job, whoever recorded it first (an institution, or an employer's hire)."""
    if employer_id is None:
        return None
    return db.session.scalar(
        select(Placement)
        .where(
            Placement.worker_id == worker_id,
            Placement.employer_id == employer_id,
            Placement.placed_on >= start - SAME_JOB_WITHIN,
            Placement.placed_on <= start + SAME_JOB_WITHIN,
        )
        .order_by(Placement.placed_on, Placement.id)
        .limit(1)
    )


def _hire_of_same_job(
    worker: Worker | None, employer: Organisation | None, placed_on: object
) -> Placement | None:
    """The placement an employer's hire created for the job an institution now records."""
    if worker is None or employer is None or not isinstance(placed_on, date):
        return None
    found = same_job(worker.id, employer.id, placed_on)
    return found if found is not None and not found.recorded_by_institution else None


def update_placement(placement: Placement, data: Mapping) -> Placement:
    """Change only the fields present in `data`, then check the whole record's rules."""
    return _apply_placement(placement, data, new=False)


LinkedRows = tuple[Worker | None, Organisation | None, JobPosting | None]


def _linked_rows(placement: Placement, data: Mapping, errors: dict[str, list[str]]) -> LinkedRows:
    """The worker, employer and posting ``data`` names (or the placement's own where it names
    none), each looked up once; a name that finds none goes into ``errors`` by field."""
    worker = row_named_in(data, "worker", Worker, errors, placement.worker)
    employer = row_named_in(
        data,
        "employer",
        Organisation,
        errors,
        placement.employer,
        optional=True,
        accept=lambda organisation: organisation.kind is OrganisationKind.employer,
    )
    posting = row_named_in(data, "posting", JobPosting, errors, placement.posting, optional=True)
    return worker, employer, posting


def _apply_placement(
    placement: Placement,
    data: Mapping,
    new: bool,
    linked: tuple[LinkedRows, dict[str, list[str]]] | None = None,
) -> Placement:
    """Check the whole record and write it; ``linked`` are the rows ``data`` names and the
    errors of finding them, when the caller has looked them up already."""
    if linked is None:
        errors: dict[str, list[str]] = {}
        worker, employer, posting = _linked_rows(placement, data, errors)
    else:
        (worker, employer, posting), errors = linked[0], dict(linked[1])
    values = {field: getattr(placement, field) for field in PLACEMENT_FIELDS}
    values.update({field: data[field] for field in PLACEMENT_FIELDS if field in data})
    for field, kind, default in (
        ("employment_type", EmploymentType, EmploymentType.wage),
        ("verification", Verification, Verification.none),
    ):
        try:
            values[field] = kind(values[field] or default)
        except ValueError:
            errors[field] = ["Must be one of: " + ", ".join(item.value for item in kind) + "."]
            values[field] = default
    if "employer" not in errors:
        if values["employment_type"] is EmploymentType.wage and employer is None:
            errors["employer"] = [WAGE_JOB_EMPLOYER]
        if values["employment_type"] is EmploymentType.self_employment and employer is not None:
            errors["employer"] = ["A self-employed worker has no employer; leave it empty."]
    posting_checkable = posting is not None and not {"posting", "employer"} & set(errors)
    if posting_checkable and (employer is None or posting.employer_id != employer.id):
        errors["posting"] = [f"Posting {posting.external_id} is not the employer's posting."]
    wage = values["monthly_wage_inr"]
    if wage is not None and wage < 0:
        errors["monthly_wage_inr"] = ["Must not be negative."]
    elif values["employment_type"] is EmploymentType.wage:
        errors.update(monthly_wage_problems(wage))
    placed_on, ended_on = values["placed_on"], values["ended_on"]
    if ended_on is not None and placed_on is not None and ended_on < placed_on:
        errors["ended_on"] = ["Must not be before placed_on."]
    verified_on = values["verified_on"]
    if verified_on is not None:
        if values["verification"] is Verification.none:
            errors["verified_on"] = ["Give verified_on only with a kind of verification."]
        elif placed_on is not None and verified_on < placed_on:
            errors["verified_on"] = ["Must not be before placed_on."]
    if errors:
        raise ValidationFailed(errors)
    placement.worker, placement.employer, placement.posting = worker, employer, posting
    for field, value in values.items():
        setattr(placement, field, value)
    if new:
        db.session.add(placement)
    db.session.flush()
    return placement


def monthly_wage_problems(
    wage: int | None, field: str = "monthly_wage_inr"
) -> dict[str, list[str]]:
    """The error of a wage job's monthly wage under MIN_MONTHLY_WAGE_INR (none for no wage): one
    rule for a placement, an employer's hire and offer, and a posting's wage range."""
    if wage is None or wage >= MIN_MONTHLY_WAGE_INR:
        return {}
    return {field: [WAGE_TOO_LOW % {"min": f"{MIN_MONTHLY_WAGE_INR:,}"}]}


def placement_record(placement: Placement) -> dict:
    """The fields of a placement a correction can change, as the audit trail shows them."""
    return {
        "employer": placement.employer.external_id if placement.employer else None,
        "posting": placement.posting.external_id if placement.posting else None,
        **{field: getattr(placement, field) for field in PLACEMENT_FIELDS},
    }


def correct_placement(placement: Placement, data: Mapping) -> Placement:
    """Change a placement under the same rules as any change, and audit each changed field with
    its old and new value."""
    before = placement_record(placement)
    update_placement(placement, data)
    audit_correction("placement", placement.external_id, before, placement_record(placement))
    return placement


RETENTION_FIELDS = (
    "employed",
    "appointment_letter",
    "salary_slip",
    "bank_credit",
    "verified_on",
    "verified_by",
)


def retention_check_id(placement: Placement, months: int) -> str:
    """How the audit trail names one retention check: its placement and period."""
    return f"{placement.external_id}/{months}"


def record_retention_check(
    placement: Placement,
    months: int,
    employed: bool,
    appointment_letter: bool = False,
    salary_slip: bool = False,
    bank_credit: bool = False,
    verified_on: date | None = None,
    verified_by: str | None = None,
) -> RetentionCheck:
    """Record (or correct) whether the worker was still employed `months` after placement.

    One check per placement and period: a second call for the same months replaces the evidence.
    The check cannot be verified before the period is over.
    """
    errors: dict[str, list[str]] = {}
    if months not in RETENTION_MONTHS:
        errors["months"] = ["Must be one of: 3, 6, 12."]
    elif verified_on is not None and verified_on < (due := check_due(placement, months)):
        errors["verified_on"] = [CHECK_NOT_DUE % {"months": months, "day": due.isoformat()}]
    if errors:
        raise ValidationFailed(errors)
    check = db.session.scalar(
        select(RetentionCheck).where(
            RetentionCheck.placement_id == placement.id, RetentionCheck.months == months
        )
    )
    before = None
    if check is None:
        check = RetentionCheck(placement=placement, months=months)
        db.session.add(check)
    else:
        before = {field: getattr(check, field) for field in RETENTION_FIELDS}
    check.employed = bool(employed)
    check.appointment_letter = bool(appointment_letter)
    check.salary_slip = bool(salary_slip)
    check.bank_credit = bool(bank_credit)
    check.verified_on = verified_on
    check.verified_by = (verified_by or "").strip() or None
    db.session.flush()
    if before is not None:  # a correction of the check recorded before
        after = {field: getattr(check, field) for field in RETENTION_FIELDS}
        audit_correction("retention_check", retention_check_id(placement, months), before, after)
    return check


# The documents that are evidence of employment at a retention check: any one of them will do.
EVIDENCE_DOCUMENTS = ("appointment_letter", "salary_slip", "bank_credit")


def retention_check_record(check: RetentionCheck) -> RetentionCheckRecord:
    """The check as the outcome indicators read it."""
    return RetentionCheckRecord(
        placement_id=check.placement_id,
        months=check.months,
        employed=bool(check.employed),
        evidence=any(getattr(check, name) for name in EVIDENCE_DOCUMENTS),
        verified_on=check.verified_on,
    )


def placements_found(statement: Select, text: str) -> Select:
    """The placements of ``statement`` whose worker or employer is named by ``text``: part of the
    name, or the worker's or the placement's id; all of them when ``text`` is blank. An
    institution with hundreds of placed trainees finds one by name before a retention call."""
    text = " ".join((text or "").split())
    if not text:
        return statement
    placed = select(Worker).where(Worker.id.in_(statement.with_only_columns(Placement.worker_id)))
    sounding = workers_sounding_like(text, placed, limit=1000)  # "सुतार" is Sutar
    return (
        statement.join(Worker, Placement.worker_id == Worker.id)
        .outerjoin(Organisation, Placement.employer_id == Organisation.id)
        .where(
            or_(
                contains_text(Worker.name, text),
                Worker.id.in_(sounding or []),
                same_text(Worker.external_id, text),
                same_text(Placement.external_id, text),
                contains_text(Organisation.name, text),
            )
        )
    )


def next_check(placement: Placement) -> tuple[int, date] | None:
    """The first retention check (3, 6 or 12 months) the placement has none of, and the day it
    is due; None when every one is recorded or the job ended before the next was due. The
    placements page flags each job's next check, so the ones due are not lost in a long list."""
    done = {check.months for check in placement.retention_checks}
    for months in RETENTION_MONTHS:
        if months in done:
            continue
        due = check_due(placement, months)
        if placement.ended_on is not None and placement.ended_on < due:
            return None
        return months, due
    return None


def check_due(placement: Placement, months: int) -> date:
    """The first day a retention check after `months` may be verified: that many months after
    the job started. Recording a check and flagging the next one ask this one rule."""
    return add_months(placement.placed_on, months)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
