"""Administrators' pages: the cluster at a glance."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.admin import services
from app.auth.access import role_required
from app.auth.models import Role

bp = Blueprint("admin", __name__)


@bp.get("/admin")
@role_required(Role.admin)
def overview():
    return render_template(
        "admin/overview.html",
        overview=services.cluster_overview(),
        organisations=services.organisations_with_counts(),
        events=services.recent_audit_events(),
    )
