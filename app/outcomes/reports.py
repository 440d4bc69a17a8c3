"""Outcome reports from the database: rows → indicator records → indicators.py / schemes.py.

The indicator modules are pure; this module only reads the database (three column queries, no
per-worker queries) and, for an institution's own view, scopes the figures to that institution.

Scoping to one institution
--------------------------
An institution's figures are its group in the by-institution table: enrolled and certified
count its own enrolments; placement, retention and wage figures (and WIOA exits) count the
workers whose first certified enrolment (first completion for WIOA) is with it. A breakdown
within the institution (by gender, course, ...) is computed exactly the same way, by
relabelling each enrolment's institution field with a label that encodes (institution, group)
and reading the labels of this institution; the pure modules then do all the counting. The
breakdown and the institution total are suppressed together as one table, so no hidden cell
follows from the total the institution sees.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.institutions.models import Batch, Course, Enrolment, EnrolmentStatus
from app.organisations.models import Organisation
from app.outcomes.disclosure import TableSpec
from app.outcomes.indicators import (
    GROUPINGS,
    INDICATOR_TABLE,
    EnrolmentRecord,
    PlacementRecord,
    WorkerRecord,
    check_grouping,
    finish_report,
    month_end,
    outcome_report,
    outcome_series,
    worker_group_key,
    worker_histories,
)
from app.outcomes.schemes import DDUGKY_TABLE, WIOA_TABLE, ddugky_report, wioa_report
from app.placements.models import Placement
from app.workers.models import Worker

REPORT_KINDS = ("outcomes", "ddugky", "wioa")
SERIES_MONTHS = 18

# The fields of `flask report outcomes` (the CLI contract), in output order.
CLI_OUTCOME_FIELDS = (
    "enrolled",
    "certified",
    "placement_cohort",
    "placed",
    "placement_rate",
    "retention_cohort_3m",
    "retained_3m",
    "retention_rate_3m",
    "median_monthly_wage",
)

_REPORTS: dict[str, Callable[..., dict[str, Any]]] = {
    "outcomes": outcome_report,
    "ddugky": ddugky_report,
    "wioa": wioa_report,
}
_TABLES: dict[str, TableSpec] = {
    "outcomes": INDICATOR_TABLE,
    "ddugky": DDUGKY_TABLE,
    "wioa": WIOA_TABLE,
}
_OTHER = "\x1fother"  # label of enrolments at other institutions (never an external id)
_GENDER_HELPERS = (("female", "_placed_women"), ("male", "_placed_men"))


@dataclass(frozen=True)
class OutcomeRecords:
    """Everything the indicators read, as plain records."""

    workers: list[WorkerRecord]
    enrolments: list[EnrolmentRecord]
    placements: list[PlacementRecord]


def load_outcome_records(institution_id: int | None = None) -> OutcomeRecords:
    """Read workers, enrolments and placements in three queries.

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
    return OutcomeRecords(workers, enrolments, placements)


def institution_id_for(external_id: str) -> int | None:
    return db.session.scalar(select(Organisation.id).where(Organisation.external_id == external_id))


def check_kind(kind: str) -> None:
    if kind not in REPORT_KINDS:
        raise ValueError(f"kind must be one of {list(REPORT_KINDS)}, got {kind!r}")


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
        records = load_outcome_records(
            None if institution is None else _require_institution_id(institution)
        )
    if institution is None:
        report = _REPORTS[kind](
            records.workers,
            records.enrolments,
            records.placements,
            as_of,
            by,
            suppress,
            protect_differences=protect_differences,
        )
    else:
        report = _institution_report(
            kind, records, as_of, by, institution, suppress, protect_differences=protect_differences
        )
    if kind == "ddugky" and suppress:
        women_hidden = _women_enrolled_hidden(
            as_of, institution, records, protect_differences=protect_differences
        )
        if women_hidden:
            _hide_fields(report, ("enrolled_women", "women_share"))
    return report


def _women_enrolled_hidden(
    as_of: date, institution: str | None, records: OutcomeRecords, *, protect_differences: bool
) -> bool:
    """Whether the suppressed by-gender table hides the number of women enrolled.

    The DDU-GKY tables count enrolled women too. Shown beside a gender table whose women's cell
    is hidden (because, say, 2 transgender workers are), the women count would give that cell
    back, and with it the small one: total - men - women. Such tables sit side by side on the
    dashboards and in the workbook, so the women count follows the gender table's decision.
    """
    genders = build_report(
        "outcomes",
        as_of,
        "gender",
        suppress=True,
        institution=institution,
        records=records,
        protect_differences=protect_differences,
    )
    women = next((row for row in genders["groups"] if row["key"] == "female"), None)
    return women is not None and "enrolled" in women["suppressed"]


def _hide_fields(report: dict[str, Any], fields: Sequence[str]) -> None:
    """Hide whole columns of a suppressed report, keeping each row's suppressed list in order."""
    for row in [*report["groups"], report["total"]]:
        for name in fields:
            row[name] = None
        hidden = set(row["suppressed"]) | set(fields)
        row["suppressed"] = [name for name in row if name in hidden]


def build_series(
    as_of: date,
    *,
    suppress: bool,
    months: int = SERIES_MONTHS,
    institution: str | None = None,
    records: OutcomeRecords | None = None,
) -> list[dict[str, Any]]:
    """Total outcome figures at the end of each of the last `months` complete months.

    A month counts when its last day is on or before as_of, so no point lies in the future of
    the report date.
    """
    if records is None:
        records = load_outcome_records(
            None if institution is None else _require_institution_id(institution)
        )
    month_days = series_months(as_of, months)
    if institution is None:
        return outcome_series(
            records.workers, records.enrolments, records.placements, month_days, suppress
        )
    series = []
    for day in month_days:
        end = month_end(day)
        report = _institution_report("outcomes", records, end, None, institution, suppress)
        series.append({"as_of": report["as_of"], **report["total"]})
    return series


def series_months(as_of: date, months: int = SERIES_MONTHS) -> list[date]:
    """First days of the `months` complete months ending on or before as_of, oldest first."""
    if months < 1:
        raise ValueError("months must be at least 1")
    last = as_of if month_end(as_of) == as_of else as_of.replace(day=1) - timedelta(days=1)
    firsts = [last.replace(day=1)]
    while len(firsts) < months:
        firsts.append((firsts[-1] - timedelta(days=1)).replace(day=1))
    return firsts[::-1]


def cli_view(report: dict[str, Any], fields: Sequence[str] = CLI_OUTCOME_FIELDS) -> dict[str, Any]:
    """The report with only `fields` in each row (and `suppressed` limited to them)."""

    def project(row: dict[str, Any], keyed: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"key": row["key"]} if keyed else {}
        out.update((name, row[name]) for name in fields)
        out["suppressed"] = [name for name in row["suppressed"] if name in fields]
        return out

    return {
        "as_of": report["as_of"],
        "by": report["by"],
        "groups": [project(row, True) for row in report["groups"]],
        "total": project(report["total"], False),
    }


def _require_institution_id(external_id: str) -> int:
    found = institution_id_for(external_id)
    if found is None:
        raise ValueError(f"no institution with id {external_id!r}")
    return found


# Scoping to one institution ----------------------------------------------------------------------


def _relabelled(
    enrolments: Sequence[EnrolmentRecord], label: Callable[[EnrolmentRecord], str]
) -> list[EnrolmentRecord]:
    return [dataclasses.replace(e, institution=label(e)) for e in enrolments]


def _rows_by_label(
    kind: str,
    records: OutcomeRecords,
    as_of: date,
    label: Callable[[EnrolmentRecord], str],
) -> dict[Hashable, dict[str, Any]]:
    """Unsuppressed rows grouped by label(enrolment), through the pure report's own grouping."""
    report = _REPORTS[kind](
        records.workers,
        _relabelled(records.enrolments, label),
        records.placements,
        as_of,
        "institution",
        False,
    )
    return {
        row["key"]: {k: v for k, v in row.items() if k not in ("key", "suppressed")}
        for row in report["groups"]
    }


def _institution_report(
    kind: str,
    records: OutcomeRecords,
    as_of: date,
    by: str | None,
    institution: str,
    suppress: bool,
    *,
    protect_differences: bool = False,
) -> dict[str, Any]:
    """The institution's figures, broken down by `by` within it, suppressed as one table."""
    group_label, keys = _group_labels(records, as_of, by, institution)

    def total_label(enrolment: EnrolmentRecord) -> str:
        return institution if enrolment.institution == institution else _OTHER

    gender_of = {worker.worker_id: worker.gender for worker in records.workers}
    labels = [("total", total_label)]
    if group_label is not None:
        labels.append(("groups", group_label))
    tables: dict[str, dict[Hashable, dict[str, Any]]] = {}
    for name, label in labels:
        rows = _rows_by_label(kind, records, as_of, label)
        if kind == "outcomes":
            # The women's and men's medians are hidden when few women (men) were placed: the
            # disclosure rules need those private counts, which the public rows do not carry.
            for gender, helper in _GENDER_HELPERS:
                split = _rows_by_label(
                    kind, records, as_of, _split_by_gender(label, gender_of, gender)
                )
                for key, row in rows.items():
                    row[helper] = split.get(f"{key}\x1f{gender}", {}).get("placed", 0)
        tables[name] = rows
    total_row = tables["total"].get(institution) or _empty_row(kind, as_of)
    found = tables.get("groups", {})
    group_rows = {key: found[encoded] for key, encoded in keys.items() if encoded in found}
    report = finish_report(
        as_of,
        by,
        group_rows,
        total_row,
        _TABLES[kind],
        suppress=suppress,
        protect_differences=protect_differences,
    )
    if kind == "ddugky":
        alerts = ddugky_report(
            records.workers, records.enrolments, records.placements, as_of, None, suppress
        )["batch_alerts"]
        report["batch_alerts"] = [a for a in alerts if a["institution"] == institution]
    return report


def _split_by_gender(
    label: Callable[[EnrolmentRecord], str], gender_of: dict[Hashable, str], gender: str
) -> Callable[[EnrolmentRecord], str]:
    """label + the worker's gender (others: no label), to count placed women (men) per label."""

    def split(enrolment: EnrolmentRecord) -> str:
        base = label(enrolment)
        if base == _OTHER or gender_of[enrolment.worker_id] != gender:
            return _OTHER
        return f"{base}\x1f{gender}"

    return split


def _group_labels(
    records: OutcomeRecords, as_of: date, by: str | None, institution: str
) -> tuple[Callable[[EnrolmentRecord], str] | None, dict[Hashable, str]]:
    """A labelling of enrolments for the breakdown, and each group key's label."""
    if by is None:
        return None, {}
    if by == "institution":
        return (lambda e: e.institution if e.institution == institution else _OTHER), {
            institution: institution
        }
    if by == "course":
        courses = {e.course for e in records.enrolments if e.institution == institution}
        return (lambda e: e.course if e.institution == institution else _OTHER), {
            course: course for course in courses
        }
    # A worker grouping: the key is the worker's (youth depends on the as-of date).
    key_of = {
        history.worker.worker_id: worker_group_key(history, by)
        for history in worker_histories(
            records.workers, records.enrolments, records.placements, as_of
        )
    }
    encoded = {
        key: f"{institution}\x1f{index}" for index, key in enumerate(sorted(set(key_of.values())))
    }

    def label(enrolment: EnrolmentRecord) -> str:
        if enrolment.institution != institution or enrolment.worker_id not in key_of:
            return _OTHER
        return encoded[key_of[enrolment.worker_id]]

    return label, encoded


def _empty_row(kind: str, as_of: date) -> dict[str, Any]:
    """A row of zeros (a report on nobody), for an institution with no figures yet."""
    row = dict(_REPORTS[kind]([], [], [], as_of, None, False)["total"])
    row.pop("suppressed", None)
    if kind == "outcomes":
        row.update({helper: 0 for _, helper in _GENDER_HELPERS})
    return row


__all__ = [
    "CLI_OUTCOME_FIELDS",
    "GROUPINGS",
    "REPORT_KINDS",
    "OutcomeRecords",
    "build_report",
    "build_series",
    "cli_view",
    "load_outcome_records",
    "series_months",
]
