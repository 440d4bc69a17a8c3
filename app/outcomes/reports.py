"""Outcome reports from the database: rows → plain records → the pure package indicators/.

This module only reads the database (four column queries, no per-worker queries); every figure,
the scoping to one institution and disclosure control are computed by indicators/.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select

from app.extensions import db
from app.institutions.models import Batch, Course, Enrolment, EnrolmentStatus
from app.organisations.models import Organisation
from app.placements.models import Placement, RetentionCheck
from app.placements.services import EVIDENCE_DOCUMENTS
from app.workers.models import Worker
from indicators.records import (
    EnrolmentRecord,
    PlacementRecord,
    RetentionCheckRecord,
    WorkerRecord,
    check_grouping,
)
from indicators.reports import (
    SERIES_MONTHS,
    OutcomeRecords,
    check_kind,
    records_report,
    records_series,
    series_months,
)


def load_outcome_records(institution_id: int | None = None) -> OutcomeRecords:
    """Read workers, enrolments, placements and retention checks in four queries.

    With institution_id, only the workers with an enrolment there are read, but with all of
    their enrolments and placements: whether a placement counts for the institution depends on
    where the worker was first certified, which may be elsewhere.
    """
    worker_query = select(Worker.id, Worker.gender, Worker.district, Worker.date_of_birth)
    enrolment_query = (
        select(
            Enrolment.id,
            Enrolment.worker_id,
            Organisation.external_id,
            Course.external_id,
            Enrolment.enrolled_on,
            Enrolment.status,
            Enrolment.completed_on,
            Enrolment.certified,
            Enrolment.certified_on,
            Course.duration_months,
            Batch.external_id,
        )
        .join(Course, Enrolment.course_id == Course.id)
        .join(Organisation, Course.institution_id == Organisation.id)
        .outerjoin(Batch, Enrolment.batch_id == Batch.id)
        # Cancelled before the batch started: no training happened, so no outcome to count.
        .where(Enrolment.status != EnrolmentStatus.cancelled)
    )
    placement_query = select(
        Placement.id,
        Placement.worker_id,
        Placement.placed_on,
        Placement.ended_on,
        Placement.monthly_wage_inr,
        Placement.employment_type,
    )
    check_query = select(
        RetentionCheck.placement_id,
        RetentionCheck.months,
        RetentionCheck.employed,
        or_(*(getattr(RetentionCheck, name) for name in EVIDENCE_DOCUMENTS)),
        RetentionCheck.verified_on,
    ).join(Placement, RetentionCheck.placement_id == Placement.id)
    if institution_id is not None:
        enrolled_here = (
            select(Enrolment.worker_id)
            .join(Course, Enrolment.course_id == Course.id)
            .where(
                Course.institution_id == institution_id,
                Enrolment.status != EnrolmentStatus.cancelled,
            )
        )
        worker_query = worker_query.where(Worker.id.in_(enrolled_here))
        enrolment_query = enrolment_query.where(Enrolment.worker_id.in_(enrolled_here))
        placement_query = placement_query.where(Placement.worker_id.in_(enrolled_here))
        check_query = check_query.where(Placement.worker_id.in_(enrolled_here))
    session = db.session
    workers = [
        WorkerRecord(worker_id, str(gender), district, born)
        for worker_id, gender, district, born in session.execute(worker_query.order_by(Worker.id))
    ]
    enrolments = [
        EnrolmentRecord(
            enrolment_id=row[0],
            worker_id=row[1],
            institution=row[2],
            course=row[3],
            enrolled_on=row[4],
            status=str(row[5]),
            completed_on=row[6],
            certified=bool(row[7]),
            certified_on=row[8],
            course_months=row[9],
            batch=row[10],
        )
        for row in session.execute(enrolment_query.order_by(Enrolment.id))
    ]
    placements = [
        PlacementRecord(
            placement_id=row[0],
            worker_id=row[1],
            placed_on=row[2],
            ended_on=row[3],
            monthly_wage=row[4],
            employment_type=str(row[5]),
        )
        for row in session.execute(placement_query.order_by(Placement.id))
    ]
    checks = [
        RetentionCheckRecord(
            placement_id=placement_id,
            months=months,
            employed=bool(employed),
            evidence=bool(evidence),
            verified_on=verified_on,
        )
        for placement_id, months, employed, evidence, verified_on in session.execute(
            check_query.order_by(RetentionCheck.placement_id, RetentionCheck.months)
        )
    ]
    return OutcomeRecords(workers, enrolments, placements, checks)


def institution_id_for(external_id: str) -> int | None:
    return db.session.scalar(select(Organisation.id).where(Organisation.external_id == external_id))


def build_report(
    kind: str,
    as_of: date,
    by: str | None = None,
    *,
    suppress: bool,
    institution: str | None = None,
    records: OutcomeRecords | None = None,
    protect_differences: bool = False,
) -> dict[str, Any]:
    """One report ("outcomes", "ddugky" or "wioa") in the shape of indicators.outcome_report.

    institution (an external id) scopes every figure to that institution; records default to
    a fresh read of the database (scoped to the institution's workers when one is given).
    """
    check_kind(kind)
    check_grouping(by)
    if records is None:
        records = records_for(institution)
    return records_report(
        kind,
        records,
        as_of,
        by,
        suppress=suppress,
        institution=institution,
        protect_differences=protect_differences,
    )


def build_series(
    as_of: date,
    *,
    suppress: bool,
    months: int = SERIES_MONTHS,
    institution: str | None = None,
    records: OutcomeRecords | None = None,
) -> list[dict[str, Any]]:
    """Total outcome figures at the end of each of the last `months` complete months (a month
    counts when its last day is on or before as_of, so no point lies in the future of the report
    date)."""
    if records is None:
        records = records_for(institution)
    return records_series(
        records, series_months(as_of, months), suppress=suppress, institution=institution
    )


def records_for(institution: str | None) -> OutcomeRecords:
    """Every record, or those of the workers enrolled with the institution (an external id)."""
    if institution is None:
        return load_outcome_records()
    found = institution_id_for(institution)
    if found is None:
        raise ValueError(f"no institution with id {institution!r}")
    return load_outcome_records(found)
