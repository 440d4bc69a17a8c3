"""Administrators' pages: the cluster at a glance."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from app.admin import services
from app.admin.forms import ActivitySearchForm
from app.auth.access import role_required
from app.auth.models import Role
from app.extensions import db
from app.vocabulary import (
    AUDIT_ACTION_LABELS,
    AUDIT_OUTCOME_LABELS,
    ORGANISATION_KIND_LABELS,
    ORGANISATION_TYPE_LABELS,
    RECORD_TYPE_LABELS,
)

bp = Blueprint("admin", __name__)
EVENTS_PER_PAGE = 50
EVENT_LABELS = {
    "action_labels": AUDIT_ACTION_LABELS,
    "outcome_labels": AUDIT_OUTCOME_LABELS,
    "record_type_labels": RECORD_TYPE_LABELS,
}


@bp.get("/admin")
@role_required(Role.admin)
def overview():
    events = services.recent_audit_events()
    return render_template(
        "admin/overview.html",
        overview=services.cluster_overview(),
        organisations=services.organisations_with_counts(),
        events=events,
        accounts=services.accounts_of(events),
        organisation_kind_labels=ORGANISATION_KIND_LABELS,
        organisation_type_labels=ORGANISATION_TYPE_LABELS,
        **EVENT_LABELS,
    )


@bp.get("/admin/activity")
@role_required(Role.admin)
def activity():
    """The whole audit trail, searched and a page at a time (the overview shows the last 20)."""
    form = ActivitySearchForm(request.args)
    searched = form.validate()
    statement = (
        services.audit_events_found(
            form.actions(), form.outcome.data or "", form.who.data or "", form.record.data or ""
        )
        if searched
        else services.audit_events_found()
    )
    number = max(request.args.get("page", 1, type=int), 1)
    page = db.paginate(statement, page=number, per_page=EVENTS_PER_PAGE, error_out=False)
    if number > page.pages > 0:  # a page past the end (the trail was searched anew): the last
        page = db.paginate(statement, page=page.pages, per_page=EVENTS_PER_PAGE, error_out=False)
    events = list(page.items)
    filters = {
        name: value
        for name, value in request.args.items()
        if name in form._fields and value and searched
    }
    return render_template(
        "admin/activity.html",
        form=form,
        page=page,
        events=events,
        filters=filters,
        accounts=services.accounts_of(events),
        **EVENT_LABELS,
    )
