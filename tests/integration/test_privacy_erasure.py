"""Erasure on request: the worker is anonymised, scheme records are kept, the login is closed, and
the audit trail records the erasure without personal data."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.errors import ValidationFailed
from app.institutions.models import Enrolment
from app.placements.models import Placement
from app.privacy import services as privacy
from app.privacy.models import Consent, Grievance
from app.workers import services as worker_services
from app.workers.models import Worker, WorkerSkill
from tests.helpers import bearer


def placed_worker(factories):
    """A consenting, visible worker with skills, an enrolment, a placement and a grievance."""
    from app.extensions import db

    skill = factories.skill("CNC turning")
    worker = factories.worker(
        name="Kavita Shinde",
        date_of_birth=date(2002, 9, 23),
        phone="+919811122233",
        email="kavita@example.org",
        social_category="sc",
        disability=True,
        education="iti",
        languages=["Marathi"],
        profile_text="Operated a Fanuc lathe at Bhosari.",
        visible_to_employers=True,
        skills=[(skill, 3)],
    )
    worker_services.record_consent(
        worker, worker_services.CONSENT_NOTICE_VERSION, list(privacy.ALL_PURPOSES)
    )
    institution_user = factories.user("institution")
    factories.enrolment(
        worker,
        factories.course(institution_user.organisation),
        notes="Called her brother on 9811122233",
        status="completed",
        completed_on=date(2026, 2, 1),
        certified=True,
        certified_on=date(2026, 2, 5),
    )
    factories.placement(worker, factories.employer())
    user = factories.user("worker", worker=worker)
    privacy.file_grievance(worker, "Wrong district", "My district should be Khed, not Pune.", user)
    db.session.commit()
    return user, institution_user


def scheme_counts(db_session, worker_id: int) -> tuple[int, int]:
    return (
        db_session.scalar(select(func.count(Enrolment.id)).where(Enrolment.worker_id == worker_id)),
        db_session.scalar(select(func.count(Placement.id)).where(Placement.worker_id == worker_id)),
    )


def assert_anonymised(db_session, worker_id: int) -> Worker:
    db_session.expire_all()
    worker = db_session.get(Worker, worker_id)
    assert worker.name == privacy.ERASED_NAME
    assert (worker.phone, worker.email, worker.social_category, worker.disability) == (None,) * 4
    assert (worker.education, worker.languages, worker.profile_text) == (None, [], "")
    assert worker.date_of_birth == date(2002, 7, 1)  # birth year kept, for youth indicators
    assert worker.gender.value == "female" and worker.district == "Pune"
    assert worker.erased_at is not None and worker.visible_to_employers is False
    assert (
        db_session.scalar(
            select(func.count(WorkerSkill.id)).where(WorkerSkill.worker_id == worker_id)
        )
        == 0
    )
    assert worker_services.current_consent(worker) is None
    return worker


def test_worker_erases_from_the_page_and_scheme_records_stay(
    client, factories, login_as, db_session
):
    user, _ = placed_worker(factories)
    worker_id, user_id = user.worker.id, user.id
    assert scheme_counts(db_session, worker_id) == (1, 1)
    login_as(user)
    page = client.get("/worker/erase").get_data(as_text=True)
    assert "DDU-GKY" in page and "1 July" in page

    unconfirmed = client.post("/worker/erase", data={"confirm": "yes"})
    assert unconfirmed.status_code == 200
    db_session.expire_all()
    assert db_session.get(Worker, worker_id).erased_at is None

    response = client.post("/worker/erase", data={"confirm": "ERASE"})
    assert response.status_code == 302
    worker = assert_anonymised(db_session, worker_id)
    assert scheme_counts(db_session, worker_id) == (1, 1)
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.worker_id == worker_id))
    assert enrolment.certified and enrolment.completed_on == date(2026, 2, 1)
    assert enrolment.notes == ""
    grievance = db_session.scalar(select(Grievance).where(Grievance.worker_id == worker_id))
    assert "Khed" not in grievance.text

    login_user = db_session.get(User, user_id)
    assert login_user.active is False and login_user.email.endswith("@erased.invalid")
    assert client.get("/worker/profile").status_code == 302  # logged out
    relogin = client.post("/login", data={"login": "kavita@example.org", "password": "x" * 12})
    assert relogin.status_code != 302
    assert worker.external_id  # the id scheme records point to is kept


def test_erasure_audit_event_holds_no_personal_data(client, factories, db_session):
    user, _ = placed_worker(factories)
    worker_id, external_id = user.worker.id, user.worker.external_id
    response = client.delete(
        f"/api/v1/privacy/workers/{user.worker.external_id}/personal-data", headers=bearer(user)
    )
    assert response.status_code == 200, response.json
    assert response.json["kept"] == {"enrolments": 1, "placements": 1, "logins_disabled": 1}
    assert_anonymised(db_session, worker_id)
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "personal_data_erased"))
    assert event.object_type == "worker" and event.object_id == external_id
    every_event = json.dumps(
        [[e.object_id, e.detail] for e in db_session.scalars(select(AuditEvent))]
    )
    for personal in ("Kavita", "9811122233", "kavita@example.org", "2002-09-23", "Khed"):
        assert personal not in every_event


def test_an_erased_login_and_token_stop_working(app, factories, db_session):
    user, _ = placed_worker(factories)
    headers = bearer(user)
    client = app.test_client()
    assert client.get("/api/v1/privacy/grievances", headers=headers).status_code == 200
    privacy.erase_worker(user.worker, user)
    db_session.commit()
    assert client.get("/api/v1/privacy/grievances", headers=headers).status_code == 401


def test_only_the_worker_or_an_admin_can_erase_and_refusals_change_nothing(
    client, factories, db_session
):
    user, institution_user = placed_worker(factories)
    url = f"/api/v1/privacy/workers/{user.worker.external_id}/personal-data"
    for other in (factories.user("worker"), factories.user("employer"), institution_user):
        assert client.delete(url, headers=bearer(other)).status_code == 403
    db_session.expire_all()
    assert db_session.get(Worker, user.worker.id).name == "Kavita Shinde"
    assert client.delete(url, headers=bearer(factories.user("admin"))).status_code == 200
    again = client.delete(url, headers=bearer(factories.user("admin")))
    assert again.status_code == 422


def test_erased_worker_is_hidden_but_admins_keep_the_anonymised_record(app, factories, db_session):
    user, institution_user = placed_worker(factories)
    external_id = user.worker.external_id
    privacy.erase_worker(user.worker, None)
    db_session.commit()
    for viewer in (institution_user, factories.user("employer")):
        client = app.test_client()
        listed = client.get("/api/v1/workers?page_size=100", headers=bearer(viewer)).json
        assert external_id not in {row["id"] for row in listed}
        assert (
            client.get(f"/api/v1/workers/{external_id}", headers=bearer(viewer)).status_code == 404
        )
    shown = app.test_client().get(
        f"/api/v1/workers/{external_id}", headers=bearer(factories.user("admin"))
    )
    assert shown.status_code == 200 and shown.json["name"] == privacy.ERASED_NAME
    assert shown.json["erased_at"] and shown.json["phone"] is None


def test_a_reimport_cannot_bring_erased_data_back(factories, db_session):
    user, _ = placed_worker(factories)
    worker = user.worker
    privacy.erase_worker(worker, None)
    row = {
        "external_id": worker.external_id,
        "name": "Kavita Shinde",
        "gender": "female",
        "date_of_birth": date(2002, 9, 23),
        "district": "Pune",
        "state": "Maharashtra",
        "phone": "+919811122233",
    }
    with pytest.raises(ValidationFailed) as caught:
        worker_services.upsert_worker(row)
    assert "erased" in " ".join(caught.value.errors["external_id"])
    assert privacy.record_import_consent(worker) is None
    assert (
        db_session.scalar(select(func.count(Consent.id)).where(Consent.worker_id == worker.id)) == 1
    )


def test_privacy_forms_need_the_csrf_token(
    app, client, factories, login_as, db_session, monkeypatch
):
    user, _ = placed_worker(factories)
    login_as(user)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    forged = [
        ("/worker/erase", {"confirm": "ERASE"}),
        ("/worker/grievances", {"subject": "Forged", "text": "A forged grievance text."}),
        ("/worker/guardian-consent", {"guardian_name": "X Y", "relation": "mother"}),
    ]
    for url, data in forged:
        assert client.post(url, data=data).status_code in (200, 400), url
    db_session.expire_all()
    assert db_session.get(Worker, user.worker.id).erased_at is None
    subjects = db_session.scalars(select(Grievance.subject)).all()
    assert "Forged" not in subjects


def test_a_marathi_reader_confirms_erasure_with_the_word_in_marathi(
    client, factories, login_as, db_session
):
    user = factories.user("worker", worker=factories.worker(name="Sunita Pawar"))
    worker_id = user.worker.id
    login_as(user)
    client.set_cookie("lang", "mr")
    page = client.get("/worker/erase").get_data(as_text=True)
    assert "हटवा" in page
    response = client.post("/worker/erase", data={"confirm": "हटवा"})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Worker, worker_id).erased_at is not None
