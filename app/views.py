"""Server-rendered pages: every domain's blueprint."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.admin.views import bp as admin
from app.applications.states import REAPPLIABLE
from app.applications.views import bp as applications
from app.auth.views import bp as auth
from app.employers.views import bp as employers
from app.imports.views import bp as imports
from app.institutions.corrections import bp as corrections
from app.institutions.module_pages import bp as course_modules
from app.institutions.views import bp as institutions
from app.jobs.views import bp as jobs
from app.main.views import bp as main
from app.matchmaking.views import bp as matches
from app.notices import services as notices
from app.organisations.views import bp as organisations
from app.outcomes.views import bp as outcomes
from app.places import district_names, place_label, state_names
from app.privacy.views import bp as privacy
from app.skills.labels import skill_label, skill_name
from app.skills.views import bp as skills
from app.vocabulary import (
    APPLICATION_STATUS_LABELS,
    ROLE_LABELS,
    label_of,
    sector_label,
    spoken_languages,
)
from app.workers.views import bp as workers


def register_views(app: Flask) -> None:

    for blueprint in (
        main,
        auth,
        skills,
        workers,
        employers,
        institutions,
        corrections,
        course_modules,
        outcomes,
        admin,
        organisations,
        imports,
        matches,
        applications,
        privacy,
        jobs,
    ):
        app.register_blueprint(blueprint)
    app.context_processor(navigation)
    app.jinja_env.filters["place"] = place_label
    app.jinja_env.filters["sector"] = sector_label


NAV_LINKS = {
    "worker": [
        ("workers.profile", _l("My profile")),
        ("matchmaking.jobs_for_me", _l("Jobs for me")),
        ("applications.mine", _l("My applications")),
        ("outcomes.worker_history", _l("My training and jobs")),
        ("privacy.my_data", _l("My data")),
        ("privacy.worker_grievances", _l("Grievances")),
    ],
    "employer": [("employers.postings", _l("Postings")), ("imports.employer_upload", _l("Import"))],
    "institution": [
        ("institutions.courses", _l("Courses")),
        ("institutions.placements", _l("Placements")),
        ("matchmaking.demand", _l("Cluster demand")),
        ("outcomes.institution_dashboard", _l("Outcomes")),
        ("privacy.guardian_consents", _l("Guardian consents")),
        ("imports.institution_upload", _l("Import")),
    ],
    "admin": [
        ("admin.overview", _l("Overview")),
        ("outcomes.dashboard", _l("Outcomes")),
        ("applications.funnel", _l("Hiring funnel")),
        ("employers.postings", _l("Postings")),
        ("institutions.courses", _l("Courses")),
        ("matchmaking.demand", _l("Cluster demand")),
        ("privacy.admin_grievances", _l("Grievances")),
        ("admin.activity", _l("Activity")),
        ("imports.admin_upload", _l("Import")),
        ("jobs.job_list", _l("Background jobs")),
    ],
}


def navigation() -> dict:
    """The menu for the logged-in role, keeping only pages that exist in this build."""
    from flask import current_app
    from flask_login import current_user

    def nav_links() -> list[tuple[str, str]]:
        if not current_user.is_authenticated:
            return []
        endpoints = current_app.view_functions
        return [(e, label) for e, label in NAV_LINKS[current_user.role.value] if e in endpoints]

    def has_endpoint(endpoint: str) -> bool:
        return endpoint in current_app.view_functions

    def role_name(role) -> str:
        return str(label_of(ROLE_LABELS, role))

    def unread_notices() -> int:
        return notices.unread_count(current_user) if current_user.is_authenticated else 0

    return {
        "unread_notices": unread_notices,
        "application_status_labels": APPLICATION_STATUS_LABELS,
        # Ended applications the worker may make again (the apply button says "Apply again").
        "reappliable": REAPPLIABLE,
        "spoken_languages": spoken_languages,
        "district_names": district_names,
        "state_names": state_names,
        "nav_links": nav_links,
        "has_endpoint": has_endpoint,
        "role_name": role_name,
        "skill_label": skill_label,
        "skill_name": skill_name,
    }
