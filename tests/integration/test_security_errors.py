"""Generic error pages (ASVS V7.4.1): no stack trace or exception text for people or API clients;
404/403/405/413 pages say only what went wrong, in the same shapes as every other error."""

from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.audit.services import record_event
from app.extensions import db
from tests.helpers import bearer
from tests.integration.test_security_apps import extra_app

SECRET_DETAIL = "secret-detail-asha@example.com-9876543210"


@pytest.fixture
def failing_app(app, db_session, tmp_root):
    """A production-like app (TESTING off) with routes that fail after writing a row."""
    application = extra_app(tmp_root, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def write_then_fail():
        record_event("half_written", object_type="test", object_id="HALF")
        db.session.flush()
        raise RuntimeError(SECRET_DETAIL)

    application.add_url_rule("/boom", "boom", write_then_fail)
    application.add_url_rule("/api/v1/boom", "api_boom", write_then_fail)
    application.add_url_rule("/forbidden", "forbidden", lambda: abort(403))
    return application


def assert_no_details(body: str) -> None:
    for leak in ("Traceback", "RuntimeError", SECRET_DETAIL, "write_then_fail", 'File "'):
        assert leak not in body


def test_page_500_is_generic(failing_app, db_session, caplog):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "Something went wrong on our side" in body
    assert_no_details(body)
    assert response.headers["Cache-Control"] == "no-store"
    half = select(func.count()).where(AuditEvent.action == "half_written")
    assert db_session.scalar(half) == 0
    # The log keeps the traceback for operators (masked; see test_security_logging).
    assert any(record.exc_info for record in caplog.records)


def test_api_500_is_the_json_shape_without_details(failing_app, db_session):
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json == {
        "code": 500,
        "status": "Internal Server Error",
        "message": "Internal Server Error.",
    }
    assert_no_details(response.get_data(as_text=True))


def test_404_page_and_api(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Not found" in page.get_data(as_text=True)
    api = client.get("/api/v1/no/such/thing")
    assert api.status_code == 404 and api.json["code"] == 404 and api.json["status"] == "Not Found"


def test_403_page_is_generic(client, factories, login_as):
    login_as(factories.user("worker"))
    response = client.get("/admin")
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "Not allowed" in body
    assert_no_details(body)


def test_405_keeps_the_allow_header(client):
    page = client.get("/logout")
    assert page.status_code == 405
    assert set(page.headers["Allow"].split(", ")) <= {"POST", "OPTIONS"}
    assert "POST" in page.headers["Allow"]
    api = client.put("/api/v1/postings")
    assert api.status_code == 405 and api.json["code"] == 405
    assert "POST" in api.headers["Allow"]


def test_413_page_and_api(client, app, factories, monkeypatch):
    headers = bearer(factories.user("employer"))
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    page = client.post("/login", data={"login": "x" * 5000, "password": "y"})
    assert page.status_code == 413
    assert "File too large" in page.get_data(as_text=True)
    api = client.post(
        "/api/v1/postings", data="x" * 5000, content_type="application/json", headers=headers
    )
    assert api.status_code == 413 and api.json["code"] == 413


def test_abort_403_from_any_view_is_the_generic_page(failing_app):
    response = failing_app.test_client().get("/forbidden")
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)
