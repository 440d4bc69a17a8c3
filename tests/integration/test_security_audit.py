"""Audit trail (ASVS V7.1.3, V7.2.1, V7.2.2): logins ok and refused, access refusals, views and
exports of personal data; events hold ids and reasons, never contact data or secrets."""

from __future__ import annotations

import json

from flask_login import login_user
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.audit.services import audit_personal_data_export, audit_personal_data_view
from tests.factories import PASSWORD
from tests.helpers import bearer


def events(session, action: str) -> list[AuditEvent]:
    return list(
        session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by("id"))
    )


def as_text(event: AuditEvent) -> str:
    return json.dumps([event.object_type, event.object_id, event.detail])


def test_logins_are_audited_ok_and_refused_without_the_login_name(client, factories, db_session):
    user = factories.user("employer", email="planted.audit@example.com")
    client.post("/login", data={"login": "nobody.planted@example.com", "password": PASSWORD})
    client.post("/login", data={"login": user.email, "password": "wrong-password!"})
    client.post("/login", data={"login": user.email, "password": PASSWORD})

    logins = events(db_session, "login")
    assert [(e.actor_id, e.outcome, e.detail.get("reason")) for e in logins] == [
        (None, "refused", "unknown"),
        (user.id, "refused", "password"),
        (user.id, "ok", None),
    ]
    for event in logins:
        assert "planted" not in as_text(event) and PASSWORD not in as_text(event)


def test_access_refusals_are_audited(client, factories, login_as, db_session):
    worker = factories.user("worker")
    login_as(worker)
    assert client.get("/admin").status_code == 403
    refusals = events(db_session, "access_denied")
    assert [(e.actor_id, e.outcome, e.detail) for e in refusals] == [
        (worker.id, "refused", {"reason": "role"})
    ]


def test_personal_data_view_helper_records_who_saw_which_record(app, factories, db_session):
    viewer = factories.user("employer")
    seen = factories.worker()
    with app.test_request_context("/worker/" + seen.external_id):
        login_user(viewer)
        audit_personal_data_view("worker", seen.external_id, detail={"fields": 3})

    [event] = events(db_session, "personal_data_view")
    assert (event.actor_id, event.object_type, event.object_id, event.detail) == (
        viewer.id,
        "worker",
        seen.external_id,
        {"fields": 3},
    )
    assert seen.name not in as_text(event)


def test_personal_data_view_goes_with_the_caller_s_transaction(app, factories, db_session):
    viewer = factories.user("admin")
    with app.test_request_context("/"):
        login_user(viewer)
        audit_personal_data_view("worker", "W-1")
        db_session.rollback()
    assert events(db_session, "personal_data_view") == []


def test_personal_data_export_helper_records_rows_and_format(app, factories, db_session):
    viewer = factories.user("institution")
    with app.test_request_context("/institution/outcomes/export"):
        login_user(viewer)
        audit_personal_data_export("placement", rows=17, export_format="xlsx")
    [event] = events(db_session, "personal_data_export")
    assert (event.actor_id, event.object_type, event.detail) == (
        viewer.id,
        "placement",
        {"rows": 17, "format": "xlsx"},
    )


def test_session_ends_are_audited_with_their_reason(client, factories, login_as, db_session):
    user = factories.user("employer")
    login_as(user)
    client.post("/logout")
    [event] = events(db_session, "sessions_ended")
    assert (event.actor_id, event.object_id, event.detail) == (
        user.id,
        str(user.id),
        {"reason": "logout"},
    )


def test_worker_detail_page_view_is_audited(client, factories, login_as, db_session):
    admin = factories.user("admin")
    seen = factories.worker()
    login_as(admin)
    assert client.get(f"/worker/{seen.external_id}").status_code == 200
    views = events(db_session, "personal_data_view")
    assert [(e.actor_id, e.object_type, e.object_id) for e in views] == [
        (admin.id, "worker", seen.external_id)
    ]


def test_worker_api_read_is_audited(app, factories, db_session):
    admin = factories.user("admin")
    seen = factories.worker()
    response = app.test_client().get(f"/api/v1/workers/{seen.external_id}", headers=bearer(admin))
    assert response.status_code == 200
    views = events(db_session, "personal_data_view")
    assert [(e.actor_id, e.object_id) for e in views] == [(admin.id, seen.external_id)]
