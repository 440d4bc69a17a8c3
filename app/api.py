"""The JSON API under /api/v1: every domain's flask-smorest blueprint, one auth and CSRF rule."""

from __future__ import annotations

from flask import Flask, g, request
from flask_login import current_user

from app.applications.api import blp as applications
from app.employers.api import blp as postings
from app.extensions import api, csrf
from app.institutions.api import blp as institutions
from app.matchmaking.api import blp as matches
from app.organisations.api import blp as organisations
from app.placements.api import blp as placements
from app.privacy.api import blp as privacy
from app.skills.api import blp as skills
from app.workers.api import blp as workers

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def api_blueprints() -> list:

    return [
        skills,
        workers,
        organisations,
        postings,
        applications,
        institutions,
        placements,
        matches,
        privacy,
    ]


def register_api(app: Flask) -> None:
    names = set()
    for blueprint in api_blueprints():
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
        names.add(blueprint.name)
    app.extensions["api_blueprint_names"] = frozenset(names)
    # On the app, not on the shared blueprint objects: a second app in the process (tests, tools)
    # must not try to add the hook to blueprints already registered elsewhere.
    app.before_request(check_api_csrf)


def check_api_csrf() -> None:
    """Cookie-authenticated writes need the CSRF token; bearer-token calls cannot be forged."""
    from flask import current_app

    if request.blueprint not in current_app.extensions["api_blueprint_names"]:
        return
    if request.method not in STATE_CHANGING:
        return
    if not current_user.is_authenticated:
        return  # nothing to forge: the view answers 401
    if not g.get("authenticated_by_token"):
        csrf.protect()
