"""Pages of the skills domain: the skill search that every skill picker asks, live (JSON) and,
without JavaScript, through the picker's own form."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from app.auth.access import role_required
from app.auth.models import ANY_ROLE
from app.skills.labels import skill_matches
from app.skills.models import Skill
from app.skills.services import MIN_QUERY_LENGTH, skills_found

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


def find_skills(field) -> list[Skill]:
    """What a picker's "Find skills" lists without JavaScript (the live search's skills), or
    nothing, with the query field's error saying why."""
    query = " ".join((field.data or "").split())
    if len(query) < MIN_QUERY_LENGTH:
        field.errors = [_("Type at least two letters.")]
        return []
    found = skills_found(query)
    if not found:
        field.errors = [_("No skill matches “%(query)s”.", query=query)]
    return found
