"""CSRF (ASVS V4.2.2, V13.2.3): every state-changing form and every cookie-authenticated API write
needs the token; bearer-token API calls do not (a browser never sends them by itself)."""

from __future__ import annotations

import re

import pytest

from app.audit.models import AuditEvent
from app.employers.models import JobPosting
from app.institutions.models import Course
from tests.factories import PASSWORD
from tests.helpers import bearer, count

TOKEN_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def csrf_on(app, monkeypatch):
    """CSRF checks as in production (the test config turns them off)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def csrf_token_from(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    match = TOKEN_FIELD.search(page.get_data(as_text=True))
    assert match, f"no csrf_token field on {path}"
    return match.group(1)


def log_in_with_token(client, user) -> None:
    token = csrf_token_from(client, "/login")
    response = client.post(
        "/login", data={"login": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def assert_generic_400_page(response) -> None:
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "400" in body and "CSRF" in body
    assert "Traceback" not in body and "CSRFError" not in body


def test_login_without_token_is_refused_and_writes_nothing(csrf_on, client, factories, db_session):
    user = factories.user("employer")
    audited = count(db_session, AuditEvent)

    response = client.post("/login", data={"login": user.email, "password": PASSWORD})

    assert_generic_400_page(response)
    assert count(db_session, AuditEvent) == audited  # not even a refused-login event
    assert client.get("/employer/postings").status_code == 302


def test_login_with_token_works(csrf_on, client, factories):
    log_in_with_token(client, factories.user("employer"))
    assert client.get("/employer/postings").status_code == 200


def test_logout_without_token_is_refused(csrf_on, client, factories, db_session):
    user = factories.user("employer")
    log_in_with_token(client, user)
    version = user.session_version

    assert_generic_400_page(client.post("/logout"))

    db_session.refresh(user)
    assert user.session_version == version
    assert client.get("/employer/postings").status_code == 200
    token = csrf_token_from(client, "/employer/postings")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/employer/postings").status_code == 302


def test_new_posting_form_without_token_writes_nothing(csrf_on, client, factories, db_session):
    log_in_with_token(client, factories.user("employer"))
    before = count(db_session, JobPosting)

    response = client.post(
        "/employer/postings/new",
        data={"title": "Forged posting", "district": "Pune", "openings": "3"},
    )

    assert_generic_400_page(response)
    assert count(db_session, JobPosting) == before


def test_new_course_form_without_token_writes_nothing(csrf_on, client, factories, db_session):
    log_in_with_token(client, factories.user("institution"))
    before = count(db_session, Course)

    response = client.post(
        "/institution/courses/new",
        data={"title": "Forged course", "duration_hours": "40"},
    )

    assert_generic_400_page(response)
    assert count(db_session, Course) == before


POSTING = {"title": "CNC operator", "district": "Pune", "openings": 2}


def test_cookie_authenticated_api_write_needs_the_token(csrf_on, client, factories, db_session):
    log_in_with_token(client, factories.user("employer"))
    before = count(db_session, JobPosting)

    refused = client.post("/api/v1/postings", json=POSTING)

    assert refused.status_code == 400
    assert refused.json == {
        "code": 400,
        "status": "Bad Request",
        "message": "The CSRF token is missing.",
    }
    assert count(db_session, JobPosting) == before

    wrong = client.post("/api/v1/postings", json=POSTING, headers={"X-CSRFToken": "forged"})
    assert wrong.status_code == 400
    assert count(db_session, JobPosting) == before

    token = csrf_token_from(client, "/employer/postings")
    accepted = client.post("/api/v1/postings", json=POSTING, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.json
    assert count(db_session, JobPosting) == before + 1


def test_bearer_api_write_needs_no_token(csrf_on, app, factories, db_session):
    headers = bearer(factories.user("employer"))

    response = app.test_client().post("/api/v1/postings", json=POSTING, headers=headers)

    assert response.status_code == 201, response.json


def test_an_invalid_bearer_token_is_no_authentication(csrf_on, app, factories, db_session):
    """A made-up token neither exempts a call from the CSRF check nor authenticates it: 401 (an
    anonymous caller has no session to forge), nothing written."""
    before = count(db_session, JobPosting)
    response = app.test_client().post(
        "/api/v1/postings", json=POSTING, headers={"Authorization": "Bearer ks_not-a-real-token"}
    )
    assert response.status_code == 401
    assert response.json["code"] == 401
    assert count(db_session, JobPosting) == before
