"""Reports by kind from one set of records: the whole cluster, or one institution's own figures.

Scoping to one institution
--------------------------
An institution's figures are its group in the by-institution table: enrolled and certified
count its own enrolments; placement, retention and wage figures (and WIOA exits) count the
workers whose first certified enrolment (first completion for WIOA) is with it. A breakdown
within the institution (by gender, course, ...) is computed exactly the same way, by
relabelling each enrolment's institution field with a label that encodes (institution, group)
and reading the labels of this institution; the scheme's own report then does all the counting.
The breakdown and the institution total are suppressed together as one table, so no hidden cell
follows from the total the institution sees.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from indicators.outcomes import OUTCOMES
from indicators.records import (
    GROUPINGS,
    EnrolmentRecord,
    PlacementRecord,
    RetentionCheckRecord,
    WorkerRecord,
    check_date,
    check_grouping,
    month_end,
    worker_group_key,
    worker_histories,
)
from indicators.schemes import DDUGKY, WIOA
from indicators.skeleton import Scheme, finish_report, scheme_report

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

_OTHER = "\x1fother"  # label of enrolments at other institutions (never an external id)


@dataclass(frozen=True)
class OutcomeRecords:
    """Everything the indicators read, as plain records."""

    workers: list[WorkerRecord]
    enrolments: list[EnrolmentRecord]
    placements: list[PlacementRecord]
    retention_checks: list[RetentionCheckRecord] = field(default_factory=list)


def scheme_of(kind: str) -> Scheme:
    """The scheme of a report kind: "outcomes", "ddugky" (default rules) or "wioa"."""
    check_kind(kind)
    return {"outcomes": OUTCOMES, "ddugky": DDUGKY, "wioa": WIOA}[kind]


def check_kind(kind: str) -> None:
    if kind not in REPORT_KINDS:
        raise ValueError(f"kind must be one of {list(REPORT_KINDS)}, got {kind!r}")


def records_report(
    kind: str,
    records: OutcomeRecords,
    as_of: date,
    by: str | None = None,
    *,
    suppress: bool,
    institution: str | None = None,
    protect_differences: bool = False,
) -> dict[str, Any]:
    """One report of `kind` over the records; institution (its id) scopes every figure to it."""
    scheme = scheme_of(kind)
    check_grouping(by)
    if institution is None:
        report = _report(scheme, records, as_of, by, suppress, protect_differences)
    else:
        report = _institution_report(
            scheme, records, as_of, by, institution, suppress, protect_differences
        )
    if kind == "ddugky" and suppress:
        women_hidden = _women_enrolled_hidden(
            as_of, institution, records, protect_differences=protect_differences
        )
        if women_hidden:
            _hide_fields(report, ("enrolled_women", "women_share"))
    return report


def _report(
    scheme: Scheme,
    records: OutcomeRecords,
    as_of: date,
    by: str | None,
    suppress: bool,
    protect_differences: bool = False,
    enrolments: Sequence[EnrolmentRecord] | None = None,
) -> dict[str, Any]:
    return scheme_report(
        scheme,
        records.workers,
        records.enrolments if enrolments is None else enrolments,
        records.placements,
        as_of,
        by,
        suppress,
        protect_differences=protect_differences,
        retention_checks=records.retention_checks,
    )


def _women_enrolled_hidden(
    as_of: date, institution: str | None, records: OutcomeRecords, *, protect_differences: bool
) -> bool:
    """Whether the suppressed by-gender table hides the number of women enrolled.

    The DDU-GKY tables count enrolled women too. Shown beside a gender table whose women's cell
    is hidden (because, say, 2 transgender workers are), the women count would give that cell
    back, and with it the small one: total - men - women. Such tables sit side by side on the
    dashboards and in the workbook, so the women count follows the gender table's decision.
    """
    genders = records_report(
        "outcomes",
        records,
        as_of,
        "gender",
        suppress=True,
        institution=institution,
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


def records_series(
    records: OutcomeRecords,
    months: Sequence[date],
    *,
    suppress: bool,
    institution: str | None = None,
) -> list[dict[str, Any]]:
    """The total outcome figures at the end of each given month (any day of the month names it).

    Each item is the report's total with its "as_of" (the month end) first. Note that the
    change between two month ends can itself be a small count; see disclosure.py.
    """
    series = []
    for month in months:
        check_date(month, "month")
        report = records_report(
            "outcomes", records, month_end(month), None, suppress=suppress, institution=institution
        )
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


# Scoping to one institution ----------------------------------------------------------------------


def _rows_by_label(
    scheme: Scheme,
    records: OutcomeRecords,
    as_of: date,
    label: Callable[[EnrolmentRecord], str],
) -> dict[Hashable, dict[str, Any]]:
    """Unsuppressed rows grouped by label(enrolment), through the scheme's own grouping."""
    relabelled = [dataclasses.replace(e, institution=label(e)) for e in records.enrolments]
    report = _report(scheme, records, as_of, "institution", False, enrolments=relabelled)
    return {
        row["key"]: {k: v for k, v in row.items() if k not in ("key", "suppressed")}
        for row in report["groups"]
    }


def _institution_report(
    scheme: Scheme,
    records: OutcomeRecords,
    as_of: date,
    by: str | None,
    institution: str,
    suppress: bool,
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
        rows = _rows_by_label(scheme, records, as_of, label)
        # The women's and men's medians are hidden when few women (men) were placed: the
        # disclosure rules need those private counts, which the public rows do not carry.
        for gender, helper in scheme.gender_helpers:
            split = _rows_by_label(
                scheme, records, as_of, _split_by_gender(label, gender_of, gender)
            )
            for key, row in rows.items():
                row[helper] = split.get(f"{key}\x1f{gender}", {}).get("placed", 0)
        tables[name] = rows
    total_row = tables["total"].get(institution) or _empty_row(scheme, as_of)
    found = tables.get("groups", {})
    group_rows = {key: found[encoded] for key, encoded in keys.items() if encoded in found}
    report = finish_report(
        as_of,
        by,
        group_rows,
        total_row,
        scheme.table,
        suppress=suppress,
        protect_differences=protect_differences,
    )
    if scheme.extras is not None:
        # A scheme's extras are lists of rows that each name one institution (batch alerts): the
        # whole cluster's, kept for this institution (no figures of the whole cluster needed).
        histories = worker_histories(
            records.workers, records.enrolments, records.placements, as_of, records.retention_checks
        )
        for name, rows in scheme.extras(histories, suppress).items():
            report[name] = [item for item in rows if item["institution"] == institution]
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


def _empty_row(scheme: Scheme, as_of: date) -> dict[str, Any]:
    """A row of zeros (a report on nobody), for an institution with no figures yet."""
    row = dict(_report(scheme, OutcomeRecords([], [], []), as_of, None, False)["total"])
    row.pop("suppressed", None)
    row.update({helper: 0 for _, helper in scheme.gender_helpers})
    return row


__all__ = [
    "CLI_OUTCOME_FIELDS",
    "GROUPINGS",
    "REPORT_KINDS",
    "OutcomeRecords",
    "cli_view",
    "records_report",
    "records_series",
    "series_months",
]
