"""Administrators' pages: the cluster at a glance."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.admin import services
from app.auth.access import role_required
from app.auth.models import Role
from app.vocabulary import (
    AUDIT_ACTION_LABELS,
    AUDIT_OUTCOME_LABELS,
    ORGANISATION_KIND_LABELS,
    ORGANISATION_TYPE_LABELS,
    RECORD_TYPE_LABELS,
)

bp = Blueprint("admin", __name__)


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
        action_labels=AUDIT_ACTION_LABELS,
        outcome_labels=AUDIT_OUTCOME_LABELS,
        record_type_labels=RECORD_TYPE_LABELS,
    )
