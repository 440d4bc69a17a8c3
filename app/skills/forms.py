"""Form helpers of the skills domain: a skill picker's "Find skills" without JavaScript."""

from __future__ import annotations

from flask_babel import gettext as _

from app.skills.models import Skill
from app.skills.services import MIN_QUERY_LENGTH, skills_found


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
