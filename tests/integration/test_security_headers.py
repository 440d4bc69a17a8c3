"""Security headers (ASVS V14.4) on pages, API responses, error pages and static files; no caching
of anything but static assets (V8.2.1); no personal data in URLs (V8.3.1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import bearer
from tests.integration.test_security_apps import extra_app

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
PERSONAL_FIELDS = {
    "name",
    "email",
    "phone",
    "mobile",
    "login",
    "password",
    "aadhaar",
    "dob",
    "date_of_birth",
    "caste",
    "disability",
    "guardian",
}


def assert_security_headers(response, *, cacheable: bool = False) -> None:
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    if cacheable:
        assert "no-store" not in headers.get("Cache-Control", "")
    else:
        assert headers["Cache-Control"] == "no-store"


def test_public_page(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "Strict-Transport-Security" not in response.headers  # plain-HTTP config


def test_personal_page_of_a_logged_in_user(client, factories, login_as):
    login_as(factories.user("employer"))
    response = client.get("/employer/postings")
    assert response.status_code == 200
    assert_security_headers(response)


def test_api_response(client, factories):
    response = client.get("/api/v1/postings", headers=bearer(factories.user("employer")))
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/no-such-page", "/api/v1/no-such-thing"])
def test_error_responses(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert_security_headers(response)


def test_static_file_may_be_cached(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert_security_headers(response, cacheable=True)
    response.close()


def test_vendored_bootstrap_may_be_cached(client):
    page = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/bootstrap/static/[^"]+\.css\?v=[0-9a-f]{12})"', page)
    assert css, "Bootstrap CSS is served locally"
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert_security_headers(response, cacheable=True)
    assert "immutable" in response.headers["Cache-Control"]  # one URL per version
    response.close()


def test_hsts_when_secure(app, db_session, tmp_root):
    secure_app = extra_app(tmp_root, SESSION_COOKIE_SECURE=True)
    response = secure_app.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert_security_headers(response)


def test_no_url_rule_takes_personal_data(app):
    """URLs carry external ids only, never a name, phone or email (they end up in logs)."""
    for rule in app.url_map.iter_rules():
        assert not set(rule.arguments) & PERSONAL_FIELDS, rule.rule


def _get_forms(template: str) -> list[str]:
    return re.findall(r"<form\b[^>]*method=\"get\"[^>]*>.*?</form>", template, re.S | re.I)


def test_no_get_form_sends_personal_fields():
    """GET forms put their fields in the query string; none may be a personal field."""
    checked = 0
    for path in TEMPLATES.rglob("*.html"):
        for form in _get_forms(path.read_text()):
            checked += 1
            names = set(re.findall(r'name="([^"]+)"', form))
            names |= set(re.findall(r"\{\{\s*\w+\.(\w+)\(", form))  # WTForms fields
            assert not names & PERSONAL_FIELDS, (path.name, names)
    assert checked >= 1  # the scan found the search forms, so it looks in the right place
