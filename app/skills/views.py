"""Pages of the skills domain: the live skill search (JSON) that every skill picker asks."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from app.auth.access import role_required
from app.auth.models import ANY_ROLE
from app.skills.labels import skill_matches

bp = Blueprint("skills", __name__)


# The old address first, so that the one registered first, which url_for builds, is the new one
# (decorators apply from the bottom up).
@bp.get("/worker/skills/search")  # where it lived first; pages already open still ask there
@bp.get("/skills/search")
@role_required(*ANY_ROLE)
def search():
    """JSON for the live search (skill_search.js) of the worker's skills editor and of the course
    and posting forms' skill picker: skill_matches of the query ``q`` (at most 100 characters)."""
    return jsonify(skill_matches(request.args.get("q", "")[:100]))
