"""Access-control matrix: every role x every route x (own object, someone else's), GET and writes.

Routes are read from app.url_map at test time, so a new route without a row in EXPECTED fails the
suite instead of escaping review. Each request runs inside a SAVEPOINT that is rolled back, so one
cell cannot change the world another cell sees; a refused write must also leave every table
(except the audit trail and token bookkeeping) exactly as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from tests.helpers import bearer

ROLES = ("anonymous", "worker", "employer", "institution", "admin")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# Outcome of one request, as a class:
#   I  let in: 2xx, a redirect that is not to the login page, or 400/409/422 (input refused after
#      the access check passed)
#   L  sent to log in: 401 (API) or a redirect to /login (pages)
#   D  refused: 403
#   H  hidden: 404
# A cell "X/Y" means X for the role's own object (side A of the world) and Y for someone else's
# (side B); a single letter applies to both, or to routes without an object.
#
# Own/other per role, for the object in the URL:
#   worker      own = their worker record (and what hangs off it); other = another worker's
#   employer    own = their posting / organisation; for workers, own = a visible consenting worker,
#               other = a worker hidden from employers
#   institution own = their course, batch, enrolment, placement, organisation, and a worker enrolled
#               with them; other = another institution's, and a worker never enrolled with them
#   admin       own = A side, other = B side (both allowed)
# Columns: anonymous, worker, employer, institution, admin.
EXPECTED: dict[tuple[str, str], str] = {
    ("admin.overview", "GET"): "L D D D I",
    ("admin.activity", "GET"): "L D D D I",
    ("api-docs.openapi_json", "GET"): "I I I I I",
    ("applications.apply", "POST"): "L I D D D",
    ("applications.funnel", "GET"): "L D D D I",
    ("applications.inbox", "GET"): "L I I I I",
    ("applications.invite", "POST"): "L D I/D D D",
    ("applications.mine", "GET"): "L I D D D",
    ("applications.move", "POST"): "L D I/D D D",
    ("applications.pipeline", "GET"): "L D I/D D I",
    ("applications.reject_many", "POST"): "L D I/D D D",
    ("applications.respond", "POST"): "L I/D D D D",
    ("applications_api.ApplicationItem", "GET"): "L I/D I/D I/D I",
    ("applications_api.ApplicationItem", "PATCH"): "L I/D I/D D D",
    ("applications_api.PostingApplications", "GET"): "L D I/D D I",
    ("applications_api.PostingApplications", "POST"): "L I D D D",
    ("applications_api.PostingInvitations", "POST"): "L D I/D D D",
    ("applications_api.WorkerApplications", "GET"): "L I/D D I/D I",
    ("auth.send_reset_code", "POST"): "I I I I I",
    ("auth.change_password", "GET"): "L I I I I",
    ("auth.change_password", "POST"): "L I I I I",
    ("auth.forgot_password", "GET"): "I I I I I",
    ("auth.forgot_password", "POST"): "I I I I I",
    ("auth.issue_reset_code", "POST"): "L D D I/D I",
    ("auth.login", "GET"): "I I I I I",
    ("auth.login", "POST"): "I I I I I",
    ("auth.logout", "POST"): "L I I I I",
    ("bootstrap.static", "GET"): "I I I I I",
    ("i18n.choose_language", "POST"): "I I I I I",
    ("i18n.language_link", "GET"): "I I I I I",
    ("corrections.enrolment", "GET"): "L D D I/D I",
    ("corrections.enrolment", "POST"): "L D D I/D I",
    ("corrections.placement", "GET"): "L D D I/D I",
    ("corrections.placement", "POST"): "L D D I/D I",
    ("organisations.new_organisation", "GET"): "L D D D I",
    ("organisations.new_organisation", "POST"): "L D D D I",
    ("organisations.organisation", "GET"): "L D D D I",
    ("organisations.organisation", "POST"): "L D D D I",
    ("organisations.add_login", "POST"): "L D D D I",
    ("organisations.login_code", "POST"): "L D D D I",
    ("organisations.disable_login", "POST"): "L D D D I",
    ("organisations.enable_login", "POST"): "L D D D I",
    ("organisations.logins", "GET"): "L D D D I",
    ("course_modules.edit_module", "GET"): "L D D I/D I",
    ("course_modules.edit_module", "POST"): "L D D I/D I",
    ("course_modules.new_module", "GET"): "L D D I/D I",
    ("course_modules.new_module", "POST"): "L D D I/D I",
    ("employers.edit_posting", "GET"): "L D I/D D I",
    ("employers.edit_posting", "POST"): "L D I/D D I",
    ("employers.new_posting", "GET"): "L D I D I",
    ("employers.new_posting", "POST"): "L D I D I",
    ("employers.posting", "GET"): "L D I/D D I",
    ("employers.postings", "GET"): "L D I D I",
    ("imports.admin_upload", "GET"): "L D D D I",
    ("imports.csv_template", "GET"): "L D I D I",
    ("imports.admin_upload", "POST"): "L D D D I",
    ("imports.employer_upload", "GET"): "L D I D D",
    ("imports.employer_upload", "POST"): "L D I D D",
    ("imports.institution_upload", "GET"): "L D D I D",
    ("imports.institution_upload", "POST"): "L D D I D",
    ("institutions.add_retention_check", "POST"): "L D D I/D I",
    ("institutions.batch", "GET"): "L D D I/D I",
    ("institutions.course", "GET"): "L D D I/D I",
    ("institutions.courses", "GET"): "L D D I I",
    ("institutions.archive_course", "GET"): "L D D I/D I",
    ("institutions.archive_course", "POST"): "L D D I/D I",
    ("institutions.delete_course", "GET"): "L D D I/D I",
    ("institutions.delete_course", "POST"): "L D D I/D I",
    ("institutions.restore_course", "POST"): "L D D I/D I",
    ("institutions.edit_course", "GET"): "L D D I/D I",
    ("institutions.edit_course", "POST"): "L D D I/D I",
    ("institutions.enrol", "POST"): "L D D I/D I",
    ("institutions.enrolment_progress", "POST"): "L D D I/D I",
    ("institutions.new_batch", "GET"): "L D D I I",
    ("institutions.new_batch", "POST"): "L D D I I",
    ("institutions.new_course", "GET"): "L D D I I",
    ("institutions.new_course", "POST"): "L D D I I",
    ("institutions.placements", "GET"): "L D D I I",
    ("institutions.placements", "POST"): "L D D I I",
    ("institutions_api.BatchCollection", "GET"): "L I I I I",
    ("institutions_api.BatchCollection", "POST"): "L D D I/D I",
    ("institutions_api.BatchItem", "GET"): "L I I I I",
    ("institutions_api.BatchItem", "PATCH"): "L D D I/D I",
    ("institutions_api.CourseArchive", "POST"): "L D D I/D I",
    ("institutions_api.CourseCollection", "GET"): "L I I I I",
    ("institutions_api.CourseCollection", "POST"): "L D D I I",
    ("institutions_api.CourseItem", "DELETE"): "L D D I/D I",
    ("institutions_api.CourseItem", "GET"): "L I I I I",
    ("institutions_api.CourseItem", "PATCH"): "L D D I/D I",
    ("institutions_api.CourseRestore", "POST"): "L D D I/D I",
    ("institutions_api.CourseSearch", "GET"): "L I I I I",
    ("institutions_api.EnrolmentCollection", "GET"): "L I D I I",
    ("institutions_api.EnrolmentCollection", "POST"): "L D D I/D I",
    ("institutions_api.EnrolmentCancel", "POST"): "L I/D D D I",
    ("institutions_api.EnrolmentItem", "GET"): "L I/D D I/D I",
    ("institutions_api.EnrolmentItem", "PATCH"): "L D D I/D I",
    ("institutions_api.ModuleCollection", "GET"): "L I I I I",
    ("institutions_api.ModuleCollection", "POST"): "L D D I/D I",
    ("jobs.job_list", "GET"): "L D D D I",
    ("main.favicon", "GET"): "I I I I I",
    ("main.index", "GET"): "I I I I I",
    ("main.liveness", "GET"): "I I I I I",
    ("main.readiness", "GET"): "I I I I I",
    ("matchmaking.candidates", "GET"): "L D I/D D I",
    ("matchmaking.demand", "GET"): "L D D I I",
    ("matchmaking.demand_csv", "GET"): "L D D I I",
    ("matchmaking.cancel_enrolment", "GET"): "L I/D D D D",
    ("matchmaking.cancel_enrolment", "POST"): "L I/D D D D",
    ("matchmaking.enrol", "GET"): "L I D D D",
    ("matchmaking.enrol", "POST"): "L I D D D",
    ("matchmaking.job_gap", "GET"): "L I D D D",
    ("matchmaking.jobs_for_me", "GET"): "L I D D D",
    ("matchmaking_api.ClusterDemand", "GET"): "L D D I I",
    ("matchmaking_api.PostingCandidates", "GET"): "L D I/D D I",
    ("matchmaking_api.PostingTrainable", "GET"): "L D I/D D I",
    ("matchmaking_api.WorkerGap", "GET"): "L I/D D I/D I",
    ("matchmaking_api.WorkerJobs", "GET"): "L I/D D I/D I",
    ("organisations_api.employer", "GET"): "L I I I I",
    ("organisations_api.employer", "PATCH"): "L D D D I",
    ("organisations_api.employers", "GET"): "L I I I I",
    ("organisations_api.employers", "POST"): "L D D D I",
    ("organisations_api.institution", "GET"): "L I I I I",
    ("organisations_api.institution", "PATCH"): "L D D D I",
    ("organisations_api.institutions", "GET"): "L I I I I",
    ("organisations_api.institutions", "POST"): "L D D D I",
    ("outcomes.dashboard", "GET"): "L D D D I",
    ("outcomes.export", "GET"): "L D D D I",
    ("outcomes.institution_dashboard", "GET"): "L D D I I",
    ("outcomes.institution_export", "GET"): "L D D I I",
    ("outcomes.worker_history", "GET"): "L I D D D",
    ("placements_api.PlacementCollection", "GET"): "L I I I I",
    ("placements_api.PlacementCollection", "POST"): "L D D I/D I",
    ("placements_api.PlacementItem", "GET"): "L I/D I/D I/D I",
    ("placements_api.PlacementItem", "PATCH"): "L D D I/D I",
    ("placements_api.RetentionChecks", "POST"): "L D D I/D I",
    ("postings_api.PostingCollection", "GET"): "L I I I I",
    ("postings_api.PostingCollection", "POST"): "L D I D I",
    ("postings_api.PostingItem", "DELETE"): "L D I/D D I",
    ("postings_api.PostingItem", "GET"): "L I I/D I I",
    ("postings_api.PostingItem", "PATCH"): "L D I/D D I",
    ("postings_api.PostingSearch", "GET"): "L I I I I",
    ("privacy.admin_grievance", "GET"): "L D D D I",
    ("privacy.admin_grievance", "POST"): "L D D D I",
    ("privacy.admin_grievances", "GET"): "L D D D I",
    ("privacy.erase", "GET"): "L I D D D",
    ("privacy.erase", "POST"): "L I D D D",
    ("privacy.guardian_consents", "GET"): "L D D I I",
    ("privacy.my_data", "GET"): "L I D D D",
    ("privacy.my_data_download", "GET"): "L I D D D",
    ("privacy.notice_page", "GET"): "I I I I I",
    ("privacy.record_guardian_consent", "POST"): "L I D D D",
    ("privacy.register", "GET"): "I I I I I",
    ("privacy.register", "POST"): "I I I I I",
    ("privacy.verify_guardian_consent", "POST"): "L D D H/D H",
    ("privacy.worker_grievances", "GET"): "L I D D D",
    ("privacy.worker_grievances", "POST"): "L I D D D",
    ("privacy_api.Erasure", "DELETE"): "L I/D D D I",
    ("privacy_api.GrievanceItem", "GET"): "L I/D D D I",
    ("privacy_api.GrievanceItem", "PATCH"): "L D D D I",
    ("privacy_api.Grievances", "GET"): "L I I I I",
    ("privacy_api.Grievances", "POST"): "L I D D D",
    ("privacy_api.GuardianConsentVerification", "POST"): "L D D H/D H",
    ("privacy_api.GuardianConsents", "GET"): "L I/D D I/D I",
    ("privacy_api.GuardianConsents", "POST"): "L I/D D I/D I",
    ("privacy_api.Notice", "GET"): "I I I I I",
    ("privacy_api.PersonalData", "GET"): "L I/D D D I",
    ("privacy_api.PersonalDataCsv", "GET"): "L I/D D D I",
    ("skills.search", "GET"): "L I I I I",
    ("skills_api.SkillByUri", "GET"): "L I I I I",
    ("skills_api.SkillCollection", "GET"): "L I I I I",
    ("skills_api.SkillLinking", "POST"): "L I I I I",
    ("static", "GET"): "I I I I I",
    ("workers.add_skill", "POST"): "L I D D D",
    ("workers.add_suggested_skills", "POST"): "L I D D D",
    ("workers.describe_work", "POST"): "L I D D D",
    ("workers.detail", "GET"): "L I/D I/D I/D I",
    ("workers.edit_profile", "GET"): "L I D D D",
    ("workers.edit_profile", "POST"): "L I D D D",
    ("workers.give_consent", "POST"): "L I D D D",
    ("workers.profile", "GET"): "L I D D D",
    ("workers.remove_skill", "POST"): "L I D D D",
    ("workers.skills", "GET"): "L I D D D",
    ("workers.withdraw_consent", "POST"): "L I D D D",
    ("workers_api.WorkerCollection", "GET"): "L I I I I",
    ("workers_api.WorkerCollection", "POST"): "L D D I I",
    ("workers_api.WorkerConsent", "DELETE"): "L I/D D D I",
    ("workers_api.WorkerConsent", "POST"): "L I/D D I/D I",
    ("workers_api.WorkerItem", "GET"): "L I/D I/D I/D I",
    ("workers_api.WorkerItem", "PATCH"): "L I/D D D I",
    ("workers_api.WorkerSkills", "GET"): "L I/D I/D I/D I",
    ("workers_api.WorkerSkills", "POST"): "L I/D D I/D I",
    ("workers_api.WorkerSkills", "PUT"): "L I/D D D I",
}


@dataclass
class Side:
    """One half of the world: a worker, an employer, an institution and their records."""

    worker: str
    worker_user: object
    employer: str
    employer_user: object
    institution: str
    institution_user: object
    posting: str
    course: str
    module: str
    batch: str
    enrolment: str
    placement: str
    grievance: str
    application: str


@dataclass
class World:
    a: Side
    b: Side
    admin: object
    skill_uri: str
    planted: dict = field(default_factory=dict)


PLANTED = {
    "social_category": "st",
    "disability": True,
    "date_of_birth": date(1987, 3, 29),
    "phone": "+919812345671",
    "email": "planted.sensitive@caste-check.example",
}


def build_world(factories) -> World:
    """Two complete sides (A, B) and an admin. A's worker is visible, consenting, enrolled with A's
    institution, placed with A's employer, holds the skill A's posting needs, and carries the
    planted sensitive values; B's worker is hidden from employers."""
    from app.applications.models import Application, ApplicationEvent
    from app.applications.states import Actor, ApplicationStatus
    from app.placements.models import Placement  # noqa: F401
    from app.privacy.models import Grievance

    skill = factories.skill("CNC turning planted")
    sides = []
    for name in ("A", "B"):
        org_e = factories.employer(external_id=f"EMP-{name}", name=f"Employer {name}")
        org_i = factories.institution(external_id=f"INS-{name}", name=f"Institute {name}")
        extra = PLANTED if name == "A" else {"visible_to_employers": False}
        worker = factories.consenting_worker(
            external_id=f"WK-{name}", name=f"Worker {name}", skills=[(skill, 3)], **extra
        )
        worker_user = factories.user("worker", worker=worker)
        employer_user = factories.user("employer", organisation=org_e)
        institution_user = factories.user("institution", organisation=org_i)
        posting = factories.posting(org_e, skills=[skill], external_id=f"PO-{name}")
        course = factories.course(org_i, skills=[skill], external_id=f"CO-{name}")
        module = factories.module(course, skills=[skill], external_id=f"MO-{name}")
        batch = factories.batch(course, external_id=f"BA-{name}")
        enrolment = factories.enrolment(worker, course, batch=batch, external_id=f"EN-{name}")
        placement = factories.placement(worker, org_e, external_id=f"PL-{name}")
        grievance = Grievance(
            external_id=f"GR-{name}", worker=worker, subject="Wrong district", text="Please fix."
        )
        db.session.add(grievance)
        # The employer invited the worker: no contact details shared yet (only on applying).
        application = Application(
            external_id=f"AP-{name}",
            posting=posting,
            worker=worker,
            status=ApplicationStatus.invited,
            invited=True,
            events=[ApplicationEvent(to_status=ApplicationStatus.invited, actor=Actor.employer)],
        )
        db.session.add(application)
        db.session.commit()
        sides.append(
            Side(
                worker=worker.external_id,
                worker_user=worker_user,
                employer=org_e.external_id,
                employer_user=employer_user,
                institution=org_i.external_id,
                institution_user=institution_user,
                posting=posting.external_id,
                course=course.external_id,
                module=module.external_id,
                batch=batch.external_id,
                enrolment=enrolment.external_id,
                placement=placement.external_id,
                grievance=grievance.external_id,
                application=application.external_id,
            )
        )
    admin = factories.user("admin")
    return World(a=sides[0], b=sides[1], admin=admin, skill_uri=skill.uri)


# What each URL variable names, per endpoint (default: by the variable's name).
OBJECT_OF: dict[str, str] = {
    "applications.move": "application",
    "applications.respond": "application",
    "applications_api.ApplicationItem": "application",
    "institutions_api.BatchItem": "batch",
    "institutions_api.CourseItem": "course",
    "institutions_api.CourseArchive": "course",
    "institutions_api.CourseRestore": "course",
    "institutions_api.ModuleCollection": "course",
    "organisations_api.employer": "employer",
    "institutions_api.EnrolmentItem": "enrolment",
    "institutions_api.EnrolmentCancel": "enrolment",
    "matchmaking.cancel_enrolment": "enrolment",
    "organisations_api.institution": "institution",
    "placements_api.PlacementItem": "placement",
    "placements_api.RetentionChecks": "placement",
    "postings_api.PostingItem": "posting",
    "matchmaking_api.PostingCandidates": "posting",
    "matchmaking_api.PostingTrainable": "posting",
    "privacy_api.GrievanceItem": "grievance",
    "privacy.admin_grievance": "grievance",
    "employers.posting": "posting",
    "employers.edit_posting": "posting",
    "institutions.batch": "batch",
    "institutions.enrol": "batch",
    "institutions.course": "course",
    "institutions.delete_course": "course",
    "institutions.archive_course": "course",
    "institutions.restore_course": "course",
    "institutions.edit_course": "course",
    "institutions.enrolment_progress": "enrolment",
    "institutions.add_retention_check": "placement",
    "corrections.enrolment": "enrolment",
    "corrections.placement": "placement",
    "course_modules.new_module": "course",
    "organisations.organisation": "employer",
    "organisations.add_login": "employer",
    "organisations.logins": "employer",
    "course_modules.edit_module": "module",
}
FIXED_ARGS = {
    "filename": {"static": "css/app.css", "bootstrap.static": "css/bootstrap.min.css"},
    "fmt": "json",
}


def url_arguments(world: World, endpoint: str, arguments: set[str], side: Side) -> dict:
    values = {}
    for name in arguments:
        if name == "filename":
            values[name] = FIXED_ARGS["filename"][endpoint]
        elif name == "fmt":
            values[name] = FIXED_ARGS["fmt"]
        elif name == "kind":
            values[name] = "postings"
        elif name == "code":
            values[name] = "mr"
        elif name == "posting_id":
            values[name] = side.posting
        elif name == "worker_id":
            values[name] = side.worker
        elif name == "user_id":
            values[name] = side.institution_user.id
        elif name == "external_id":
            kind = OBJECT_OF.get(endpoint, "worker")
            values[name] = getattr(side, kind)
        else:
            raise AssertionError(f"No value for URL variable {name!r} of {endpoint}")
    return values


def classify(response) -> str:
    status = response.status_code
    if status == 401 or (300 <= status < 400 and "/login" in response.headers.get("Location", "")):
        return "L"
    if status == 403:
        return "D"
    if status == 404:
        return "H"
    if status < 400 or status in (400, 409, 422):
        return "I"
    return f"?{status}"


NOT_SNAPSHOTTED = {"audit_event", "api_token"}


def snapshot() -> dict[str, list[str]]:
    """Every row of every table but the audit trail and token bookkeeping, as sortable text."""
    connection = db.session.get_bind()
    rows = {}
    for table in db.metadata.sorted_tables:
        if table.name in NOT_SNAPSHOTTED:
            continue
        rows[table.name] = sorted(repr(tuple(r)) for r in connection.execute(select(table)))
    return rows


def routes(app: Flask) -> list[tuple[str, str, str, set[str]]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule, set(rule.arguments)))
    return sorted(found)


def parse(cell: str) -> tuple[str, str]:
    own, _, other = cell.partition("/")
    return own, other or own


def api_body(world: World, endpoint: str, method: str, side: Side) -> dict:
    """A valid body, so the answer shows the access decision and not a validation error (the API
    validates input before the view checks ownership)."""
    bodies = {
        ("institutions_api.ModuleCollection", "POST"): {"title": "Safety module", "hours": 10},
        ("placements_api.RetentionChecks", "POST"): {"months": 3, "employed": True},
        ("postings_api.PostingCollection", "POST"): {"title": "Fitter", "district": "Pune"},
        ("privacy_api.GrievanceItem", "PATCH"): {"status": "in_progress"},
        ("privacy_api.Grievances", "POST"): {"subject": "Wrong name", "text": "Please fix it."},
        ("privacy_api.GuardianConsents", "POST"): {
            "guardian_name": "Meena Pawar",
            "relation": "mother",
            "given_on": "2026-01-05",
        },
        ("skills_api.SkillLinking", "POST"): {"text": "CNC turning"},
        ("applications_api.ApplicationItem", "PATCH"): {"status": "declined"},
        ("applications_api.PostingInvitations", "POST"): {"worker_id": side.worker},
        ("workers_api.WorkerCollection", "POST"): {
            "external_id": "WK-NEW",
            "name": "New Worker",
            "gender": "male",
            "date_of_birth": "1999-02-02",
            "district": "Pune",
            "state": "Maharashtra",
            "consent": {"purposes": ["matching"]},
        },
        ("workers_api.WorkerConsent", "POST"): {"purposes": ["matching"]},
        ("workers_api.WorkerSkills", "POST"): {"uri": world.skill_uri, "proficiency": 2},
        ("workers_api.WorkerSkills", "PUT"): {"skills": [{"uri": world.skill_uri}]},
        ("institutions_api.BatchCollection", "POST"): {
            "course": side.course,
            "start_date": "2026-12-01",
            "seats": 10,
        },
        ("institutions_api.CourseCollection", "POST"): {"title": "Welding basics", "hours": 60},
        ("institutions_api.EnrolmentCollection", "POST"): {
            "worker": side.worker,
            "course": side.course,
            "enrolled_on": "2026-02-01",
        },
        ("outcomes_api.PlacementCollection", "POST"): {},
        ("placements_api.PlacementCollection", "POST"): {
            "worker": side.worker,
            "placed_on": "2026-03-01",
            "monthly_wage_inr": 15000,
        },
    }
    return bodies.get((endpoint, method), {})


# Collection writes whose body names an object: they get an own and an other case too.
SIDED_BODIES = {
    "institutions_api.BatchCollection",
    "institutions_api.EnrolmentCollection",
    "placements_api.PlacementCollection",
}


@dataclass
class Observed:
    cells: dict[tuple[str, str], str]
    changed_by_refused_write: list[str]
    bodies: dict[str, str]
    statuses: dict[str, int]


def user_for(world: World, role: str):
    return {
        "anonymous": None,
        "worker": world.a.worker_user,
        "employer": world.a.employer_user,
        "institution": world.a.institution_user,
        "admin": world.admin,
    }[role]


def observe(app: Flask, world: World, role: str) -> Observed:
    """Request every route as `role`, on the A object and the B object, each inside a savepoint
    rolled back afterwards; a refused write is compared with the world as it was."""
    from tests.conftest import login

    user = user_for(world, role)
    page_client = app.test_client()
    api_client = app.test_client()
    headers = {}
    if user is not None:
        login(page_client, user.email)
        headers = bearer(user)
    connection = db.session.get_bind()
    baseline = snapshot()
    observed = Observed({}, [], {}, {})
    for endpoint, method, rule, arguments in routes(app):
        results = []
        for side in (world.a, world.b):
            path = rule
            for name, value in url_arguments(world, endpoint, arguments, side).items():
                path = re.sub(rf"<(?:[a-z]+:)?{name}>", str(value), path)
            is_api = path.startswith("/api/")
            client = api_client if is_api else page_client
            kwargs: dict = {"headers": headers} if is_api else {}
            if method in WRITE_METHODS:
                if is_api:
                    kwargs["json"] = api_body(world, endpoint, method, side)
                else:
                    kwargs["data"] = {}
            savepoint = connection.begin_nested()
            try:
                response = client.open(path, method=method, **kwargs)
                outcome = classify(response)
                observed.statuses[f"{method} {path}"] = response.status_code
                if method in WRITE_METHODS and outcome in "LDH":
                    after = snapshot()
                    if after != baseline:
                        tables = sorted(t for t in baseline if baseline[t] != after[t])
                        observed.changed_by_refused_write.append(
                            f"{role} {method} {path} -> {outcome}, changed {tables}"
                        )
                if (
                    method == "GET"
                    and response.status_code < 300
                    and not response.direct_passthrough
                ):
                    observed.bodies[f"GET {path}"] = response.get_data(as_text=True)
                response.close()
            finally:
                savepoint.rollback()
            if endpoint == "auth.logout" and user is not None:
                login(page_client, user.email)
                baseline = snapshot()  # the new login stamped last_login_at
            results.append(outcome)
            if not (arguments - {"filename", "fmt"}) and endpoint not in SIDED_BODIES:
                break
        own, other = results[0], results[-1]
        observed.cells[(endpoint, method)] = own if own == other else f"{own}/{other}"
    return observed


@pytest.fixture
def world(factories) -> World:
    return build_world(factories)


# Records of side B that side A's worker, employer and institution must never be shown: B's
# worker is hidden from employers, never enrolled with A's institution, and not A's worker.
SIDE_B_PRIVATE = ("WK-B", "EN-B", "PL-B", "GR-B", "AP-B")
# Documents that describe the data (the notice, the API schema) rather than carry anyone's values.
DESCRIBES_DATA = ("GET /api/v1/openapi.json", "GET /privacy/notice", "GET /api/v1/privacy/notice")
SENSITIVE_KEYS = ("social_category", "disability", "date_of_birth", "phone", "email")
SENSITIVE_TEXT = (
    ">Social category</dt>",
    ">Disability</dt>",
    ">Date of birth</dt>",
    ">Phone</dt>",
    ">Email</dt>",
    "1987-03-29",
    "29/03/1987",
    "29-03-1987",
    "29 Mar 1987",
    "29 March 1987",
    "9812345671",
    PLANTED["email"],
)


def sensitive_in(body: str) -> list[str]:
    """What an employer must not see in a response body: the planted values and the field names."""
    found = [value for value in SENSITIVE_TEXT if value.lower() in body.lower()]
    try:
        document = json.loads(body)
    except ValueError:
        return found

    def keys(node) -> set[str]:
        if isinstance(node, dict):
            return set(node) | set().union(*(keys(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(keys(v) for v in node)) if node else set()
        return set()

    return found + sorted(keys(document) & set(SENSITIVE_KEYS))


def test_every_route_has_an_expectation(app):
    """A new route (or method) fails here until someone decides who may use it."""
    present = {(endpoint, method) for endpoint, method, _rule, _args in routes(app)}
    assert sorted(present - set(EXPECTED)) == [], "routes without a row in EXPECTED"
    assert sorted(set(EXPECTED) - present) == [], "rows in EXPECTED for routes that are gone"
    for key, cells in EXPECTED.items():
        assert len(cells.split()) == len(ROLES), key
        assert all(set(cell) <= set("ILDH/") for cell in cells.split()), key


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, world, db_session, role):
    """Every route answers `role` as EXPECTED, own and other; refused writes change nothing; what
    the role can read holds none of side B's private records (and, for employers, no sensitive
    field of the planted worker)."""
    column = ROLES.index(role)
    observed = observe(app, world, role)
    wrong = []
    for key, cell in sorted(observed.cells.items()):
        expected = EXPECTED[key].split()[column]
        if parse(cell) != parse(expected):
            wrong.append(f"{key}: expected {expected}, got {cell}")
    assert wrong == []
    assert observed.changed_by_refused_write == []
    assert observed.bodies, "nothing readable at all: the world or the logins are broken"
    if role in ("worker", "employer", "institution"):
        leaks = {
            where: [record for record in SIDE_B_PRIVATE if record in body]
            for where, body in observed.bodies.items()
        }
        assert {where: found for where, found in leaks.items() if found} == {}
    if role == "employer":
        assert any("WK-A" in body for body in observed.bodies.values()), "planted worker unseen"
        exposed = {
            where: sensitive_in(body)
            for where, body in observed.bodies.items()
            if where not in DESCRIBES_DATA
        }
        assert {where: found for where, found in exposed.items() if found} == {}


@pytest.mark.parametrize(
    "change",
    [{"role": "admin"}, {"verified": True}, {"role": "admin", "name": "Renamed Worker"}],
)
def test_worker_cannot_set_role_or_verified_flags(client, world, db_session, change):
    """PATCH of a worker's own record with a role or a verified flag is refused (422) or the field
    is ignored; it is never applied to the user account."""
    from app.auth.models import Role, User
    from app.workers.models import Worker

    user = world.a.worker_user
    headers = bearer(user)
    response = client.patch(f"/api/v1/workers/{world.a.worker}", json=change, headers=headers)
    assert response.status_code in (200, 422), response.get_data(as_text=True)
    if response.status_code == 422:
        assert set(change) - {"name"} <= set(response.json["errors"]["json"])
    else:
        assert not set(change) & {"role", "verified"} & set(response.json)
    db.session.expire_all()
    account = db.session.get(User, user.id)
    assert account.role is Role.worker
    worker = db.session.scalar(select(Worker).where(Worker.external_id == world.a.worker))
    assert not hasattr(worker, "verified") or not worker.verified
