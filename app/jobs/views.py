"""/admin/jobs: background jobs with their status, progress and, for a failure, the reason."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.access import role_required
from app.auth.models import Role
from app.jobs import services
from app.jobs.cli import attach_commands

bp = Blueprint("jobs", __name__, cli_group="jobs")
attach_commands(bp.cli)


def _register_vector_commands() -> None:
    """`flask vectors ...` comes with this blueprint (a commands-only child), so the app registers
    both with one line."""
    from app.vectors.cli import bp as vectors

    bp.register_blueprint(vectors)


_register_vector_commands()


@bp.get("/admin/jobs")
@role_required(Role.admin)
def job_list():
    return render_template(
        "jobs/list.html",
        job_runs=services.recent_job_runs(),
        queued_on_redis=services.uses_redis(),
    )
