"""A worker downloads all their data (JSON and CSV), and only theirs; and can correct or remove
every field they gave."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.privacy import services as privacy
from app.workers import services as worker_services
from app.workers.models import Worker
from tests.helpers import bearer


def full_worker_user(factories, name: str, phone: str, email: str):
    """A worker with something in every section of the download."""
    from app.extensions import db

    skill = factories.skill(f"MIG welding for {name}")
    worker = factories.worker(
        name=name,
        date_of_birth=date(1999, 4, 12),
        phone=phone,
        email=email,
        social_category="obc",
        disability=False,
        education="diploma",
        languages=["Hindi", "Marathi"],
        profile_text=f"{name} welds chassis frames.",
        skills=[(skill, 3)],
    )
    worker_services.record_consent(worker, worker_services.CONSENT_NOTICE_VERSION, ["matching"])
    institution_user = factories.user("institution")
    course = factories.course(institution_user.organisation, title=f"Welding for {name}")
    factories.enrolment(worker, course)
    placement = factories.placement(worker, factories.employer(name=f"Employer of {name}"))
    from app.placements.models import RetentionCheck

    placement.retention_checks.append(RetentionCheck(months=3, employed=True, salary_slip=True))
    user = factories.user("worker", worker=worker, email=email)
    privacy.file_grievance(worker, f"Grievance of {name}", "Please fix my wage record.", user)
    db.session.commit()
    return user


def test_json_download_holds_every_section_of_the_workers_data(client, factories):
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    other = full_worker_user(factories, "Rekha More", "+919800022222", "rekha@example.org")
    response = client.get(
        f"/api/v1/privacy/workers/{me.worker.external_id}/data", headers=bearer(me)
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.json
    record = data["worker"]
    assert set(worker_services.WORKER_FIELDS) <= set(record)
    assert (record["name"], record["phone"], record["email"]) == (
        "Asha Kamble",
        "+919800011111",
        "asha@example.org",
    )
    assert (record["social_category"], record["disability"], record["date_of_birth"]) == (
        "obc",
        False,
        "1999-04-12",
    )
    assert data["skills"][0]["label"] == "MIG welding for Asha Kamble"
    assert data["consents"][0]["purposes"] == ["matching"]
    assert data["enrolments"][0]["course"] == "Welding for Asha Kamble"
    assert data["placements"][0]["employer"] == "Employer of Asha Kamble"
    assert data["retention_checks"][0] == {
        "placement": data["placements"][0]["id"],
        "months": 3,
        "employed": True,
        "appointment_letter": False,
        "salary_slip": True,
        "bank_credit": False,
        "verified_on": None,
    }
    assert data["grievances"][0]["subject"] == "Grievance of Asha Kamble"
    assert data["accounts"] == [
        {
            "email": "asha@example.org",
            "phone": None,
            "role": "worker",
            "active": True,
            "created_at": data["accounts"][0]["created_at"],
            "last_login_at": None,
        }
    ]
    raw = response.get_data(as_text=True)
    for foreign in ("Rekha", "9800022222", "rekha@example.org", other.worker.external_id):
        assert foreign not in raw


def test_csv_download_has_the_same_data_one_value_per_row(client, factories):
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    full_worker_user(factories, "Rekha More", "+919800022222", "rekha@example.org")
    response = client.get(
        f"/api/v1/privacy/workers/{me.worker.external_id}/data.csv", headers=bearer(me)
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    values = {(r["section"], r["field"]): r["value"] for r in rows if r["record"] in ("1", "")}
    assert values[("worker", "name")] == "Asha Kamble"
    assert values[("worker", "phone")] == "'+919800011111"  # neutralised for spreadsheets
    assert values[("worker", "languages")] == "Hindi; Marathi"
    assert values[("skills", "label")] == "MIG welding for Asha Kamble"
    assert values[("placements", "employer")] == "Employer of Asha Kamble"
    assert values[("grievances", "subject")] == "Grievance of Asha Kamble"
    assert "Rekha" not in response.get_data(as_text=True)


def test_another_workers_download_is_refused(client, factories, db_session):
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    other = full_worker_user(factories, "Rekha More", "+919800022222", "rekha@example.org")
    for suffix in ("data", "data.csv"):
        url = f"/api/v1/privacy/workers/{other.worker.external_id}/{suffix}"
        assert client.get(url, headers=bearer(me)).status_code == 403
        assert client.get(url, headers=bearer(factories.user("employer"))).status_code == 403
        assert client.get(url, headers=bearer(factories.user("institution"))).status_code == 403
    admin = client.get(
        f"/api/v1/privacy/workers/{other.worker.external_id}/data",
        headers=bearer(factories.user("admin")),
    )
    assert admin.status_code == 200 and admin.json["worker"]["name"] == "Rekha More"
    refused = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "access_denied")
    ).all()
    assert len(refused) == 6


def test_download_links_on_the_my_data_page(client, factories, login_as):
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    login_as(me)
    page = client.get("/worker/my-data").get_data(as_text=True)
    assert "/worker/my-data.json" in page and "/worker/my-data.csv" in page
    assert "Welding for Asha Kamble" in page
    downloaded = client.get("/worker/my-data.json").json
    assert downloaded["worker"]["email"] == "asha@example.org"
    assert "Asha Kamble" in client.get("/worker/my-data.csv").get_data(as_text=True)
    assert client.get("/worker/my-data.xml").status_code == 404


def test_every_field_given_can_be_corrected_or_removed(client, factories, login_as, db_session):
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    login_as(me)
    corrected = {
        "name": "Asha Kamble-Patil",
        "gender": "female",
        "date_of_birth": "1999-04-21",
        "district": "Khed",
        "state": "Maharashtra",
        "education": "",
        "languages": "",
        "phone": "",
        "email": "",
        "social_category": "",
        "disability": "",
        "profile_text": "",
    }
    response = client.post("/worker/profile/edit", data=corrected)
    assert response.status_code == 302
    db_session.expire_all()
    worker = db_session.get(Worker, me.worker.id)
    assert (worker.name, worker.date_of_birth, worker.district) == (
        "Asha Kamble-Patil",
        date(1999, 4, 21),
        "Khed",
    )
    removed = (
        worker.education,
        worker.languages,
        worker.phone,
        worker.email,
        worker.social_category,
        worker.disability,
        worker.profile_text,
    )
    assert removed == (None, [], None, None, None, None, "")
    # skills are corrected on their own page; a guardian's consent is recorded again if wrong
    client.post("/worker/skills/remove", data={"uri": worker.skills[0].skill.uri})
    db_session.expire_all()
    assert db_session.get(Worker, me.worker.id).skills == []


def test_minor_downloads_leave_no_behavioural_detail_in_the_audit_trail(client, factories):
    today = date.today()
    minor = factories.user(
        "worker", worker=factories.worker(date_of_birth=today.replace(year=today.year - 16))
    )
    adult = factories.user("worker")
    client.get(f"/api/v1/privacy/workers/{minor.worker.external_id}/data", headers=bearer(minor))
    client.get(f"/api/v1/privacy/workers/{adult.worker.external_id}/data", headers=bearer(adult))
    from app.extensions import db

    events = {
        event.object_id: event.detail
        for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "personal_data_exported")
        )
    }
    assert events[minor.worker.external_id] == {}
    assert events[adult.worker.external_id] == {"format": "json"}


def test_the_my_data_page_names_codes_and_dates_in_the_workers_language(
    client, factories, login_as
):
    """The page is for reading: stored codes (gender, education, purposes, enrolment status, skill
    source, role) and ISO timestamps appear as the worker reads them; the download keeps codes."""
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    login_as(me)
    client.set_cookie("lang", "mr")
    page = client.get("/worker/my-data").get_data(as_text=True)
    for code in (
        "diploma",
        "self_declared",
        ">matching<",
        ">enrolled<",
        ">worker<",
        "1999-04-12",
    ):
        assert code not in page, code
    # No ISO timestamp (a random CSRF token may hold "T0", so look for the date in front of it).
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d", page)
    for marathi in ("डिप्लोमा", "स्वतः सांगितलेले", "प्रवेश घेतला", "मराठी", "पुणे", "महाराष्ट्र"):
        assert marathi in page, marathi
    client.set_cookie("lang", "en")
    page = client.get("/worker/my-data").get_data(as_text=True)
    assert "Diploma" in page and "self-declared" in page and "12 Apr 1999" in page
    downloaded = client.get("/worker/my-data.json").json
    assert downloaded["worker"]["education"] == "diploma"


def test_the_download_holds_the_workers_applications_and_their_steps(client, factories, login_as):
    """A walk found "everything we hold about you" without her job applications, her note to the
    employer or the employer's answer; the CSV also lacked the byte-order mark Excel needs for
    Devanagari. Who moved a step is said by side, never by the employer's staff member."""
    from app.applications import services as applications
    from app.applications.services import Move
    from app.applications.states import Actor, ApplicationStatus

    worker = factories.consenting_worker(name="सुनीता पाटील")
    account = factories.user("worker", worker=worker)
    posting = factories.posting(title="CNC turner")
    staff = factories.user("employer", organisation=posting.employer, email="hr@forge.example")
    application = applications.apply(worker, posting, None, note="Available from Monday")
    applications.move(
        application,
        Move(ApplicationStatus.shortlisted, note="Come on Friday at 10"),
        Actor.employer,
        staff,
    )
    login_as(account)
    data = client.get("/worker/my-data.json").json
    (held,) = data["applications"]
    assert (held["job"], held["status"], held["note"]) == (
        "CNC turner",
        "shortlisted",
        "Available from Monday",
    )
    steps = [(s["to_status"], s["by"], s["note"]) for s in data["application_steps"]]
    assert steps == [
        ("applied", "worker", "Available from Monday"),
        ("shortlisted", "employer", "Come on Friday at 10"),
    ]
    assert "hr@forge.example" not in str(data["application_steps"])
    # And what KaushalSetu told her about it, as her inbox says it.
    assert any("CNC turner" in n["text"] for n in data["notices"])
    download = client.get("/worker/my-data.csv").get_data(as_text=True)
    assert download.startswith("\ufeff") and "सुनीता पाटील" in download
    client.set_cookie("lang", "mr")
    page = client.get("/worker/my-data").get_data(as_text=True)
    assert "नोकरीचे अर्ज" in page and "Come on Friday at 10" in page
