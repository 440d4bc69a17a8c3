"""The home page: what the platform is, and each role's way in."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.auth.models import Role
from app.extensions import db
from app.transactions import discard_quietly

bp = Blueprint("main", __name__)

ROLE_HOME = {
    Role.worker: "workers.profile",
    Role.employer: "employers.postings",
    Role.institution: "institutions.courses",
    Role.admin: "admin.overview",
}


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for(ROLE_HOME[current_user.role]))
    return render_template("main/index.html")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; answer with the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/healthz")
def liveness():
    """Liveness: the process answers. Readiness (database reachable) is /readyz."""
    return {"status": "ok"}


@bp.get("/readyz")
def readiness():
    from sqlalchemy import text

    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        discard_quietly()
        return {"status": "unavailable"}, 503, {"Retry-After": "5"}
    return {"status": "ready"}
