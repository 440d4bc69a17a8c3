"""Outcome dashboards (administrators; an institution's own), their exports, and a worker's own
training and job history.

Administrators see exact figures unless they ask for a public export; an institution always sees
its own figures with disclosure control. Every view and export of outcome data is audited with
ids and counts only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit.services import record_event
from app.auth import policy
from app.auth.access import deny, role_required
from app.auth.models import Role
from app.errors import ValidationFailed
from app.extensions import db
from app.institutions.models import Course, Enrolment
from app.institutions.trainees import may_cancel
from app.organisations.models import Organisation, OrganisationKind
from app.outcomes.charts import chart_data
from app.outcomes.exports import (
    CSV_MIMETYPE,
    XLSX_MIMETYPE,
    neutralise_cell,
    report_rows,
    to_csv,
    to_xlsx,
)
from app.outcomes.services import (
    alert_names,
    dashboard_figures,
    export_reports,
    group_labels,
)
from app.placements.models import Placement
from app.vocabulary import (
    EMPLOYMENT_TYPE_LABELS,
    ENROLMENT_STATUS_LABELS,
    VERIFICATION_LABELS,
)
from indicators.disclosure import needs_suppression
from indicators.reports import GROUPINGS, REPORT_KINDS, OutcomeRecords

bp = Blueprint("outcomes", __name__)

DEFAULT_BY = "gender"
INSTITUTION_GROUPINGS = tuple(g for g in GROUPINGS if g != "institution")

# (field, heading, format) per table; format: count, rate (fraction), money (INR).
OUTCOME_COLUMNS = (
    ("enrolled", _l("Enrolled"), "count"),
    ("certified", _l("Certified"), "count"),
    ("placement_cohort", _l("Placement cohort"), "count"),
    ("placed", _l("Placed ≤90 days"), "count"),
    ("placement_rate", _l("Placement rate"), "rate"),
    ("retention_cohort_3m", _l("Retention cohort 3m"), "count"),
    ("retained_3m", _l("Retained 3m"), "count"),
    ("retention_rate_3m", _l("Retention 3m"), "rate"),
    ("verified_retained_3m", _l("Verified 3m"), "count"),
    ("verified_retention_rate_3m", _l("Verified retention 3m"), "rate"),
    ("retention_rate_6m", _l("Retention 6m"), "rate"),
    ("verified_retention_rate_6m", _l("Verified retention 6m"), "rate"),
    ("retention_rate_12m", _l("Retention 12m"), "rate"),
    ("verified_retention_rate_12m", _l("Verified retention 12m"), "rate"),
    ("median_monthly_wage", _l("Median wage"), "money"),
    ("women_men_wage_gap", _l("Women–men gap"), "rate"),
)
# The figures a phone shows of each group at first; the others open with the group's "All
# figures" (phone.js): 16 figures for each of 39 courses made a page too long to scroll.
OUTCOME_HEADLINE = (
    "enrolled",
    "placed",
    "placement_rate",
    "retention_rate_3m",
    "median_monthly_wage",
    "women_men_wage_gap",
)
DDUGKY_COLUMNS = (
    ("enrolled", _l("Enrolled"), "count"),
    ("enrolled_women", _l("Women"), "count"),
    ("women_share", _l("Women share"), "rate"),
    ("placement_cohort", _l("Placement cohort"), "count"),
    ("placed", _l("Placed (90 days, ≥ floor)"), "count"),
    ("placement_rate", _l("Placement rate"), "rate"),
    ("median_monthly_wage", _l("Median wage"), "money"),
)
WIOA_COLUMNS = (
    ("completed", _l("Exited"), "count"),
    ("employment_cohort_q2", _l("Cohort Q2"), "count"),
    ("employed_q2", _l("Employed Q2"), "count"),
    ("employment_rate_q2", _l("Employment Q2"), "rate"),
    ("median_earnings_q2", _l("Median earnings Q2"), "money"),
    ("employment_cohort_q4", _l("Cohort Q4"), "count"),
    ("employed_q4", _l("Employed Q4"), "count"),
    ("employment_rate_q4", _l("Employment Q4"), "rate"),
    ("credential_cohort", _l("Credential cohort"), "count"),
    ("credentialed", _l("Credentialed"), "count"),
    ("credential_rate", _l("Credential rate"), "rate"),
)
ALERT_FIELDS = ("institution", "course", "batch", "enrolled", "women", "women_share", "suppressed")

# Names people read for the values of a breakdown and of a worker's records.
GROUPING_LABELS = {
    "gender": _l("Gender"),
    "youth": _l("Youth (15–29)"),
    "district": _l("District"),
    "institution": _l("Institution"),
    "course": _l("Course"),
}


# Parameters ------------------------------------------------------------------------------------


def report_params(allowed_by: tuple[str, ...]) -> tuple[date, str | None]:
    """as_of (default today) and by from the query string; a bad value is a 422 naming it."""
    errors: dict[str, list[str]] = {}
    raw_as_of = (request.args.get("as_of") or "").strip()
    as_of = date.today()
    if raw_as_of:
        try:
            as_of = date.fromisoformat(raw_as_of)
        except ValueError:
            errors["as_of"] = [_("Not a valid date (YYYY-MM-DD).")]
        else:
            # Figures for a day to come would count jobs not yet ended as kept: a projection
            # that reads like a measured result.
            if as_of > date.today():
                errors["as_of"] = [_("Figures are measured up to today: give today or a past day.")]
    by = request.args.get("by", DEFAULT_BY).strip() or None
    if by is not None and by not in allowed_by:
        names = ", ".join(str(GROUPING_LABELS.get(name, name)) for name in allowed_by)
        errors["by"] = [_("Must be one of: %(choices)s.", choices=names)]
    if errors:
        labels = {"as_of": _("As of"), "by": _("Break down by")}
        message = " ".join(f"{labels[field]}: {' '.join(texts)}" for field, texts in errors.items())
        raise ValidationFailed(errors, message=message)
    return as_of, by


def export_format() -> str:
    chosen = request.args.get("format", "csv").strip().lower()
    if chosen not in ("csv", "xlsx"):
        raise ValidationFailed(
            {"format": [_("Must be csv or xlsx.")]}, message=_("format: csv or xlsx.")
        )
    return chosen


def flag(name: str) -> bool:
    return request.args.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def viewed_institution() -> Organisation:
    """The institution whose figures an institution page shows: one's own; any for an admin."""
    if current_user.role is Role.institution:
        organisation = current_user.organisation
        if organisation is None:
            deny("no_organisation", "organisation", None)
        return organisation
    external_id = (request.args.get("institution") or "").strip()
    if not external_id:
        raise ValidationFailed(
            {"institution": [_("Choose an institution.")]},
            message=_("institution: give the institution's id (?institution=...)."),
        )
    organisation = db.session.scalar(
        select(Organisation).where(
            Organisation.external_id == external_id,
            Organisation.kind == OrganisationKind.institution,
        )
    )
    if organisation is None:
        abort(404, description=_("No institution with id %(id)s.", id=repr(external_id)))
    return organisation


# Figures ---------------------------------------------------------------------------------------


def audit(action: str, *, institution: str | None, detail: dict[str, Any]) -> None:
    """One audit event for a view or export of outcome figures (ids and counts only)."""
    record_event(
        action,
        actor_id=current_user.id,
        object_type="outcome_report",
        object_id=institution,
        detail=detail,
    )


def render_dashboard(
    *, as_of: date, by: str | None, suppress: bool, institution: Organisation | None
) -> str:
    external_id = None if institution is None else institution.external_id
    figures = dashboard_figures(as_of, by, suppress=suppress, organisation=institution)
    reports = [figures["outcomes"], figures["ddugky"], figures["wioa"]]
    labels = group_labels(by, reports)
    records: OutcomeRecords = figures["records"]
    alerts = figures["ddugky"]["batch_alerts"]
    audit(
        "outcomes_viewed",
        institution=external_id,
        detail={
            "as_of": as_of.isoformat(),
            "by": by,
            "suppressed": suppress,
            "groups": len(figures["outcomes"]["groups"]),
            "workers": len(records.workers),
        },
    )
    export_args: dict[str, Any] = {"as_of": as_of.isoformat(), "by": by or ""}
    if institution is not None and current_user.role is Role.admin:
        export_args["institution"] = institution.external_id
    return render_template(
        "outcomes/dashboard.html",
        as_of=as_of,
        by=by,
        groupings=INSTITUTION_GROUPINGS if institution is not None else GROUPINGS,
        suppress=suppress,
        institution=institution,
        outcomes=figures["outcomes"],
        ddugky=figures["ddugky"],
        wioa=figures["wioa"],
        shares=figures["shares"],
        series=figures["series"],
        month_ends=[date.fromisoformat(point["as_of"]) for point in figures["series"]],
        grouping_labels=GROUPING_LABELS,
        today=date.today(),
        labels=labels,
        chart=chart_data(figures, labels),
        alert_names=alert_names(alerts),
        outcome_columns=OUTCOME_COLUMNS,
        outcome_headline=OUTCOME_HEADLINE,
        ddugky_columns=DDUGKY_COLUMNS,
        wioa_columns=WIOA_COLUMNS,
        export_endpoint=(
            "outcomes.institution_export" if institution is not None else "outcomes.export"
        ),
        export_args=export_args,
    )


# Pages -----------------------------------------------------------------------------------------


def dashboard_params(allowed_by: tuple[str, ...]):
    """report_params for a dashboard: a bad value is said above the dashboard, which comes back
    without it (a 422 page left nothing to correct it with). ((as_of, by), None), or (None, the
    redirect)."""
    try:
        return report_params(allowed_by), None
    except ValidationFailed as refused:
        flash(refused.message, "error")
        kept = {name: value for name, value in request.args.items() if name not in refused.errors}
        return None, redirect(url_for(request.endpoint, **kept))


@bp.get("/admin/outcomes")
@role_required(Role.admin)
def dashboard():
    params, back = dashboard_params(GROUPINGS)
    if back is not None:
        return back
    as_of, by = params
    # "As published": the figures a report passed on would carry (a screenshot of the exact
    # dashboard for the collector would show a row of 2 people).
    suppress = needs_suppression(viewer_is_admin=True, public_export=flag("public"))
    return render_dashboard(as_of=as_of, by=by, suppress=suppress, institution=None)


@bp.get("/institution/outcomes")
@role_required(Role.institution, Role.admin)
def institution_dashboard():
    if current_user.role is Role.admin and not (request.args.get("institution") or "").strip():
        # An administrator with no institution chosen gets the table to choose from, not a
        # message about a URL parameter.
        flash(_("Choose an institution: its name in the table opens its figures."), "info")
        kept = {name: request.args[name] for name in ("as_of",) if request.args.get(name)}
        return redirect(url_for("outcomes.dashboard", by="institution", **kept))
    institution = viewed_institution()
    params, back = dashboard_params(INSTITUTION_GROUPINGS)
    if back is not None:
        return back
    as_of, by = params
    # Exact for the institution itself (its own trainees) and for administrators; its exports,
    # what it passes on, stay suppressed.
    suppress = needs_suppression(
        viewer_is_admin=policy.is_admin(current_user),
        own_records=policy.owns_organisation(current_user, institution.id),
    )
    return render_dashboard(as_of=as_of, by=by, suppress=suppress, institution=institution)


@bp.get("/admin/outcomes/export")
@role_required(Role.admin)
def export():
    as_of, by = report_params(GROUPINGS)
    fmt = export_format()
    public = flag("public")
    suppress = needs_suppression(viewer_is_admin=True, public_export=public)
    return export_response(as_of, by, fmt, suppress=suppress, organisation=None)


@bp.get("/institution/outcomes/export")
@role_required(Role.institution, Role.admin)
def institution_export():
    institution = viewed_institution()
    as_of, by = report_params(INSTITUTION_GROUPINGS)
    fmt = export_format()
    suppress = needs_suppression(viewer_is_admin=False, public_export=True)
    return export_response(as_of, by, fmt, suppress=suppress, organisation=institution)


def export_response(
    as_of: date, by: str | None, fmt: str, *, suppress: bool, organisation: Organisation | None
) -> Response:
    """The outcome tables as CSV (one table: ?kind=outcomes|ddugky|wioa) or a workbook (all)."""
    kind = request.args.get("kind", "outcomes").strip()
    if kind not in REPORT_KINDS:
        raise ValidationFailed(
            {"kind": [_("Must be outcomes, ddugky or wioa.")]},
            message=_("kind: outcomes|ddugky|wioa."),
        )
    institution = None if organisation is None else organisation.external_id
    # The file says which it is: exact figures are for the people who may see them, and the
    # public one (small counts hidden) is the one to pass on; both once had the same name.
    stem = "-".join(
        part
        for part in (
            "outcomes",
            institution,
            as_of.isoformat(),
            by or "total",
            "public" if suppress else "exact",
        )
        if part
    )
    if fmt == "csv":
        chosen = export_reports(as_of, by, [kind], suppress=suppress, organisation=organisation)[
            kind
        ]
        body: bytes | str = to_csv(report_rows(chosen))
        mimetype, filename, groups = CSV_MIMETYPE, f"{stem}-{kind}.csv", len(chosen["groups"])
    else:
        reports = export_reports(
            as_of, by, REPORT_KINDS, suppress=suppress, organisation=organisation
        )
        outcomes, ddugky, wioa = reports["outcomes"], reports["ddugky"], reports["wioa"]
        body = to_xlsx(
            [
                ("About", about_rows(as_of, by, suppress, institution)),
                ("Outcomes", report_rows(outcomes)),
                ("DDU-GKY", report_rows(ddugky)),
                ("DDU-GKY batch alerts", alert_rows(ddugky["batch_alerts"])),
                ("WIOA", report_rows(wioa)),
            ]
        )
        mimetype, filename, groups = XLSX_MIMETYPE, f"{stem}.xlsx", len(outcomes["groups"])
    audit(
        "outcomes_exported",
        institution=institution,
        detail={
            "format": fmt,
            "kind": kind if fmt == "csv" else "all",
            "as_of": as_of.isoformat(),
            "by": by,
            "suppressed": suppress,
            "groups": groups,
        },
    )
    # The whole header as written (werkzeug would add a second charset to a mimetype with one).
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def about_rows(as_of: date, by: str | None, suppress: bool, institution: str | None) -> list:
    rows = [
        ["KaushalSetu outcome report"],
        ["as of", as_of.isoformat()],
        ["by", by or "(total only)"],
        ["institution", institution or "all"],
        [
            "disclosure control",
            "on: counts of 1-9 and cells that would reveal them are empty"
            if suppress
            else "off: exact figures, not for publication",
        ],
        ["rates", "fractions 0-1"],
        [
            "retention",
            "retained_*: reported, the placement was not recorded as ended before the period; "
            "verified_retained_*: a retention check found the worker employed, with evidence "
            "(an appointment letter, salary slip or bank credit), dated by the report date",
        ],
    ]
    return [[neutralise_cell(cell) for cell in row] for row in rows]


def alert_rows(alerts: list[dict[str, Any]]) -> list[list[Any]]:
    rows: list[list[Any]] = [list(ALERT_FIELDS)]
    for alert in alerts:
        rows.append(
            [
                " ".join(alert[name]) if name == "suppressed" else alert[name]
                for name in ALERT_FIELDS
            ]
        )
    return [[neutralise_cell(cell) for cell in row] for row in rows]


@bp.get("/worker/history")
@role_required(Role.worker)
def worker_history():
    """The worker's own enrolments, certificates, placements and retention checks."""
    worker_id = current_user.worker_id
    if worker_id is None:
        deny("no_worker_record", "worker", None)
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.worker_id == worker_id)
        .options(selectinload(Enrolment.course).selectinload(Course.institution))
        .options(selectinload(Enrolment.batch))
        .order_by(Enrolment.enrolled_on.desc(), Enrolment.id.desc())
    ).all()
    placements = db.session.scalars(
        select(Placement)
        .where(Placement.worker_id == worker_id)
        .options(selectinload(Placement.employer), selectinload(Placement.retention_checks))
        .order_by(Placement.placed_on.desc(), Placement.id.desc())
    ).all()
    record_event(
        "worker_history_viewed",
        actor_id=current_user.id,
        object_type="worker",
        object_id=current_user.worker.external_id,
        detail={"enrolments": len(enrolments), "placements": len(placements)},
    )
    return render_template(
        "outcomes/history.html",
        enrolments=enrolments,
        placements=placements,
        today=date.today(),
        cancellable={e.external_id for e in enrolments if may_cancel(e)},
        status_labels=ENROLMENT_STATUS_LABELS,
        verification_labels=VERIFICATION_LABELS,
        employment_type_labels=EMPLOYMENT_TYPE_LABELS,
    )
