"""Anonymous visitors (ASVS V4.1.1, V4.1.5): every page and API endpoint not on the public list
refuses them (login page or 401) before touching any record. A new public endpoint must be added
to PUBLIC on purpose, with a reason."""

from __future__ import annotations

import re

import pytest

# endpoint -> why anyone may call it without logging in
PUBLIC = {
    "static": "the app's CSS and JavaScript",
    "bootstrap.static": "Bootstrap, served locally",
    "main.index": "the home page",
    "main.favicon": "the icon",
    "main.liveness": "health check",
    "main.readiness": "readiness check (no data)",
    "auth.login": "the login form",
    "auth.forgot_password": "setting a new password with a one-time code, when one cannot log in",
    "auth.send_reset_code": "asking for that code by SMS, when one cannot log in",
    "api-docs.openapi_json": "the API description",
    "privacy.notice_page": "the privacy notice must be readable before consenting (DPDP s.5)",
    "privacy_api.Notice": "the same notice for API clients",
    "privacy.register": "workers register themselves (consent is given there)",
    "i18n.language_link": "choosing the page language before logging in (sets a cookie only)",
    "i18n.choose_language": "the same choice by form; saved to a profile only when signed in",
}
ARGUMENT_VALUES = {"filename": "css/app.css"}


def request_for(rule) -> tuple[str, str]:
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", ARGUMENT_VALUES.get(name, "X-NOPE-1"), path)
    method = next(m for m in ("GET", "POST", "PATCH", "PUT", "DELETE") if m in rule.methods)
    return method, path


def test_every_non_public_endpoint_refuses_anonymous_visitors(app, client, db_session):
    answered = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        method, path = request_for(rule)
        response = client.open(path, method=method, json={} if path.startswith("/api/") else None)
        response.close()
        if path.startswith("/api/"):
            refused = response.status_code == 401
        else:
            location = response.headers.get("Location", "")
            refused = response.status_code == 302 and location.startswith("/login")
        if not refused:
            answered[rule.endpoint] = (method, path, response.status_code)
    assert answered == {}, "answered an anonymous visitor; add to PUBLIC only on purpose"


@pytest.mark.parametrize("endpoint", sorted(PUBLIC))
def test_public_list_names_real_endpoints(app, endpoint):
    """A stale entry would hide nothing, but it would make the list lie about the app."""
    assert endpoint in app.view_functions or endpoint == "bootstrap.static"
