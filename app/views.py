"""Server-rendered pages: every domain's blueprint."""

from __future__ import annotations

from flask import Flask


def register_views(app: Flask) -> None:
    from app.admin.views import bp as admin
    from app.auth.views import bp as auth
    from app.employers.views import bp as employers
    from app.imports.views import bp as imports
    from app.institutions.views import bp as institutions
    from app.jobs.views import bp as jobs
    from app.main.views import bp as main
    from app.matches.views import bp as matches
    from app.outcomes.views import bp as outcomes
    from app.privacy.views import bp as privacy
    from app.skills.views import bp as skills
    from app.workers.views import bp as workers

    for blueprint in (
        main,
        auth,
        skills,
        workers,
        employers,
        institutions,
        outcomes,
        admin,
        imports,
        matches,
        privacy,
        jobs,
    ):
        app.register_blueprint(blueprint)
    app.context_processor(navigation)


NAV_LINKS = {
    "worker": [
        ("workers.profile", "My profile"),
        ("matches.jobs_for_me", "Jobs for me"),
        ("outcomes.worker_history", "My training and jobs"),
        ("privacy.my_data", "My data"),
        ("privacy.worker_grievances", "Grievances"),
    ],
    "employer": [("employers.postings", "Postings"), ("imports.employer_upload", "Import")],
    "institution": [
        ("institutions.courses", "Courses"),
        ("institutions.placements", "Placements"),
        ("matches.demand", "Cluster demand"),
        ("outcomes.institution_dashboard", "Outcomes"),
        ("privacy.guardian_consents", "Guardian consents"),
        ("imports.institution_upload", "Import"),
    ],
    "admin": [
        ("admin.overview", "Overview"),
        ("outcomes.dashboard", "Outcomes"),
        ("employers.postings", "Postings"),
        ("institutions.courses", "Courses"),
        ("matches.demand", "Cluster demand"),
        ("privacy.admin_grievances", "Grievances"),
        ("imports.admin_upload", "Import"),
        ("jobs.job_list", "Jobs"),
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

    return {"nav_links": nav_links, "has_endpoint": has_endpoint}
