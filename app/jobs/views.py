"""/admin/jobs: background jobs with their status, progress and, for a failure, the reason."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.access import role_required
from app.auth.models import Role
from app.jobs import services

bp = Blueprint("jobs", __name__)


@bp.get("/admin/jobs")
@role_required(Role.admin)
def job_list():
    return render_template(
        "jobs/list.html",
        job_runs=services.recent_job_runs(),
        queued_on_redis=services.uses_redis(),
    )
