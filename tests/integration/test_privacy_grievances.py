"""Grievances: a worker files one and follows its status; administrators see and answer all;
nobody else sees or changes them."""

from __future__ import annotations

from sqlalchemy import func, select

from app.privacy.models import Grievance, GrievanceStatus
from tests.helpers import bearer

BODY = {"subject": "Wrong phone number", "text": "My phone number on the profile is my father's."}


def test_grievance_lifecycle_through_the_api(client, factories, db_session):
    worker_user = factories.user("worker")
    admin = factories.user("admin")
    filed = client.post("/api/v1/privacy/grievances", json=BODY, headers=bearer(worker_user))
    assert filed.status_code == 201, filed.json
    grievance_id = filed.json["id"]
    assert filed.json["status"] == "open" and filed.json["worker"] == worker_user.worker.external_id

    url = f"/api/v1/privacy/grievances/{grievance_id}"
    started = client.patch(url, json={"status": "in_progress"}, headers=bearer(admin))
    assert started.status_code == 200 and started.json["status"] == "in_progress"

    unexplained = client.patch(url, json={"status": "resolved"}, headers=bearer(admin))
    assert unexplained.status_code == 422
    assert "response" in unexplained.json["errors"]["json"]

    resolved = client.patch(
        url,
        json={"status": "resolved", "response": "Corrected: the number is removed."},
        headers=bearer(admin),
    )
    assert resolved.status_code == 200 and resolved.json["status"] == "resolved"
    mine = client.get("/api/v1/privacy/grievances", headers=bearer(worker_user)).json
    assert [(g["id"], g["status"], g["response"]) for g in mine] == [
        (grievance_id, "resolved", "Corrected: the number is removed.")
    ]
    assert mine[0]["updated_at"] >= mine[0]["created_at"]


def test_grievance_access_is_own_or_admin_and_refusals_change_nothing(
    client, factories, db_session
):
    owner = factories.user("worker")
    grievance_id = client.post("/api/v1/privacy/grievances", json=BODY, headers=bearer(owner)).json[
        "id"
    ]
    url = f"/api/v1/privacy/grievances/{grievance_id}"
    other_worker = factories.user("worker")
    for outsider in (other_worker, factories.user("employer"), factories.user("institution")):
        assert client.get(url, headers=bearer(outsider)).status_code == 403
        listed = client.get("/api/v1/privacy/grievances", headers=bearer(outsider)).json
        assert grievance_id not in {g["id"] for g in listed}
    for not_admin in (owner, other_worker, factories.user("institution")):
        patched = client.patch(
            url, json={"status": "rejected", "response": "no"}, headers=bearer(not_admin)
        )
        assert patched.status_code == 403
    stored = db_session.scalar(select(Grievance).where(Grievance.external_id == grievance_id))
    db_session.refresh(stored)
    assert stored.status is GrievanceStatus.open and stored.response == ""
    everyone = client.get("/api/v1/privacy/grievances", headers=bearer(factories.user("admin")))
    assert grievance_id in {g["id"] for g in everyone.json}
    employer_filing = client.post(
        "/api/v1/privacy/grievances", json=BODY, headers=bearer(factories.user("employer"))
    )
    assert employer_filing.status_code == 403


def test_grievance_input_is_checked(client, factories, db_session):
    before = db_session.scalar(select(func.count(Grievance.id)))
    response = client.post(
        "/api/v1/privacy/grievances",
        json={"subject": "x", "text": "short"},
        headers=bearer(factories.user("worker")),
    )
    assert response.status_code == 422
    assert {"subject", "text"} <= set(response.json["errors"]["json"])
    assert db_session.scalar(select(func.count(Grievance.id))) == before


def test_grievance_pages_for_worker_and_admin(app, client, factories, login_as, db_session):
    worker_user = factories.user("worker")
    login_as(worker_user)
    assert client.post("/worker/grievances", data=BODY).status_code == 302
    page = client.get("/worker/grievances").get_data(as_text=True)
    assert "Wrong phone number" in page and "Open" in page
    grievance = db_session.scalar(
        select(Grievance).where(Grievance.worker_id == worker_user.worker.id)
    )

    admin_client = app.test_client()
    admin = factories.user("admin")
    admin_client.post("/login", data={"login": admin.email, "password": "correct-horse-battery"})
    listing = admin_client.get("/admin/grievances?status=open").get_data(as_text=True)
    assert grievance.external_id in listing
    assert grievance.external_id not in admin_client.get(
        "/admin/grievances?status=resolved"
    ).get_data(as_text=True)
    refused = admin_client.post(
        f"/admin/grievances/{grievance.external_id}", data={"status": "rejected", "response": ""}
    )
    assert refused.status_code == 200 and "why it was rejected" in refused.get_data(as_text=True)
    answered = admin_client.post(
        f"/admin/grievances/{grievance.external_id}",
        data={"status": "rejected", "response": "That number is yours per your form."},
    )
    assert answered.status_code == 302
    page = client.get("/worker/grievances").get_data(as_text=True)
    assert "Rejected" in page and "That number is yours per your form." in page
    assert client.get("/admin/grievances").status_code == 403
