"""What the outcome pages and exports ask for: figures from one read of the database, and the
names people read for the codes in them. Views render these; they compute no figure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.institutions.models import Batch, Course
from app.organisations.models import Organisation
from app.outcomes.reports import build_report, build_series, load_outcome_records
from app.places import place_label
from app.vocabulary import GENDER_LABELS
from indicators.dashboard import enrolment_shares
from indicators.reports import OutcomeRecords


@dataclass(frozen=True)
class Name:
    """A name people read, with the code it stands for as secondary text (None: no code)."""

    name: str
    code: str | None = None

    def __str__(self) -> str:
        return self.name if self.code is None else f"{self.name} ({self.code})"


def scoped_records(organisation: Organisation | None) -> tuple[OutcomeRecords, str | None]:
    """All records, or those of the institution's workers, and the institution's external id
    (read by the organisation's row id it already has, not looked up again by external id as
    reports.records_for must)."""
    if organisation is None:
        return load_outcome_records(), None
    return load_outcome_records(organisation.id), organisation.external_id


def dashboard_figures(
    as_of: date, by: str | None, *, suppress: bool, organisation: Organisation | None
) -> dict[str, Any]:
    """Every table, share and chart series of a dashboard, from one read of the database."""
    records, institution = scoped_records(organisation)

    def report(kind: str, grouping: str | None) -> dict[str, Any]:
        return build_report(
            kind, as_of, grouping, suppress=suppress, institution=institution, records=records
        )

    outcomes = report("outcomes", by)
    ddugky = report("ddugky", by)
    wioa = report("wioa", by)
    youth = report("outcomes", "youth")
    series = build_series(as_of, suppress=suppress, institution=institution, records=records)
    # The months before anyone enrolled say nothing (a walk scrolled past five of "0 / n/a").
    while len(series) > 1 and series[0].get("enrolled") == 0:
        series = series[1:]
    return {
        "outcomes": outcomes,
        "ddugky": ddugky,
        "wioa": wioa,
        "shares": enrolment_shares(ddugky, youth),
        "series": series,
        "records": records,
    }


def export_reports(
    as_of: date,
    by: str | None,
    kinds: Iterable[str],
    *,
    suppress: bool,
    organisation: Organisation | None,
) -> dict[str, dict[str, Any]]:
    """The reports of the given kinds, from one read of the database."""
    records, institution = scoped_records(organisation)
    return {
        kind: build_report(
            kind, as_of, by, suppress=suppress, institution=institution, records=records
        )
        for kind in kinds
    }


def group_labels(by: str | None, reports: list[dict[str, Any]]) -> dict[Any, Name]:
    """Readable names for group keys: institution and course names with their codes, youth as
    words, districts in the reader's language."""
    keys = {row["key"] for report in reports for row in report["groups"]}
    if by == "youth":
        return {True: Name(_("Youth (15–29)")), False: Name(_("30 and older"))}
    if by == "gender":
        return {key: Name(str(GENDER_LABELS.get(key, str(key).capitalize()))) for key in keys}
    if by == "district":
        return {key: Name(place_label(key)) for key in keys if key}
    if by == "institution":
        return institution_names(keys)
    if by == "course":
        return course_names(keys)
    return {key: Name(str(key)) for key in keys}


def _by_code(model: Any, value: Any, codes: Iterable[Any]) -> dict[str, Any]:
    """`value` of each `model` row whose external id is one of `codes`, by that id."""
    wanted = [str(code) for code in codes]
    if not wanted:
        return {}
    return dict(
        db.session.execute(
            select(model.external_id, value).where(model.external_id.in_(wanted))
        ).all()
    )


def institution_names(codes: Iterable[Any]) -> dict[Any, Name]:
    return {
        code: Name(name, code)
        for code, name in _by_code(Organisation, Organisation.name, codes).items()
    }


def course_names(codes: Iterable[Any]) -> dict[Any, Name]:
    return {
        code: Name(title, code) for code, title in _by_code(Course, Course.title, codes).items()
    }


def batch_starts(codes: Iterable[Any]) -> dict[Any, date]:
    """The start date of each batch (a batch has no name of its own: its course and start)."""
    return _by_code(Batch, Batch.start_date, codes)


def alert_names(alerts: list[dict[str, Any]]) -> dict[str, dict[Any, Any]]:
    """Names of the institutions and courses, and start dates of the batches, of quota alerts."""
    return {
        "institution": institution_names({alert["institution"] for alert in alerts}),
        "course": course_names({alert["course"] for alert in alerts}),
        "batch": batch_starts({alert["batch"] for alert in alerts}),
    }
