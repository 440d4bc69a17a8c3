"""Sessions (ASVS V3): a new session at login; logout, password change and disabling an account end
every old session cookie and API token; cookie attributes; no remember-me cookie."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth import services
from app.extensions import db
from tests.factories import PASSWORD
from tests.helpers import bearer
from tests.integration.test_security_apps import extra_app

EMPLOYER_PAGE = "/employer/postings"


def log_in(client, user, password: str = PASSWORD):
    response = client.post("/login", data={"login": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app, cookie_value: str):
    """A new browser presenting a stolen or old session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie_value)
    return other


def is_logged_in(client) -> bool:
    response = client.get(EMPLOYER_PAGE)
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    return False


def test_login_starts_a_new_session(client, factories):
    user = factories.user("employer")
    client.get("/login")
    with client.session_transaction() as before:
        before["planted"] = "from-before-login"
    cookie_before = session_cookie(client)

    log_in(client, user)

    assert session_cookie(client) != cookie_before
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_user_id"] == user.get_id()
    assert is_logged_in(client)


def test_logout_ends_the_session_even_for_a_replayed_cookie_and_ends_tokens(app, client, factories):
    user = factories.user("employer")
    headers = bearer(user)
    log_in(client, user)
    stolen = session_cookie(client)
    assert replay(app, stolen).get(EMPLOYER_PAGE).status_code == 200
    assert client.get("/api/v1/postings", headers=headers).status_code == 200

    assert client.post("/logout").status_code == 302

    assert not is_logged_in(client)
    assert not is_logged_in(replay(app, stolen))
    assert replay(app, stolen).get("/api/v1/postings").status_code == 401
    assert app.test_client().get("/api/v1/postings", headers=headers).status_code == 401


def test_password_change_ends_other_sessions_and_tokens_but_keeps_this_one(app, client, factories):
    user = factories.user("employer")
    headers = bearer(user)
    elsewhere = app.test_client()
    log_in(elsewhere, user)
    log_in(client, user)
    cookie_before = session_cookie(client)

    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a-brand-new-passphrase"},
    )

    assert response.status_code == 302
    assert session_cookie(client) != cookie_before
    assert is_logged_in(client)
    assert not is_logged_in(elsewhere)
    assert not is_logged_in(replay(app, cookie_before))
    assert app.test_client().get("/api/v1/postings", headers=headers).status_code == 401
    fresh = app.test_client()
    assert fresh.post("/login", data={"login": user.email, "password": PASSWORD}).status_code == 200
    log_in(fresh, user, "a-brand-new-passphrase")


def test_wrong_current_password_changes_nothing(app, client, factories, db_session):
    user = factories.user("employer")
    headers = bearer(user)
    log_in(client, user)
    version = user.session_version

    response = client.post(
        "/account/password",
        data={"current_password": "not-the-password", "new_password": "a-brand-new-passphrase"},
    )

    assert response.status_code == 200
    # Said beside the box it is about.
    box = response.get_data(as_text=True).split('name="current_password"')[1][:400]
    assert "The current password is wrong." in box
    db_session.refresh(user)
    assert user.session_version == version
    assert is_logged_in(client)
    assert app.test_client().get("/api/v1/postings", headers=headers).status_code == 200
    refused = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "password_changed", AuditEvent.actor_id == user.id
        )
    ).all()
    assert [event.outcome for event in refused] == ["refused"]


@pytest.mark.parametrize("how", ["service", "cli"])
def test_disabling_an_account_ends_sessions_and_tokens_and_refuses_login(
    app, client, factories, db_session, how
):
    user = factories.user("employer")
    headers = bearer(user)
    log_in(client, user)
    cookie = session_cookie(client)

    if how == "service":
        services.disable_user(user)
        db.session.commit()
    else:
        result = app.test_cli_runner().invoke(args=["users", "disable", user.email])
        assert result.exit_code == 0, result.output

    assert not is_logged_in(client)
    assert not is_logged_in(replay(app, cookie))
    assert app.test_client().get("/api/v1/postings", headers=headers).status_code == 401
    response = app.test_client().post("/login", data={"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    reasons = db_session.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.action == "login", AuditEvent.actor_id == user.id
        )
    ).all()
    assert {"reason": "disabled"} in reasons


def test_a_token_issued_after_logout_works(app, client, factories):
    """Bumping the version ends old credentials only; new ones work (the check is not 'always
    refuse')."""
    user = factories.user("employer")
    log_in(client, user)
    client.post("/logout")
    assert app.test_client().get("/api/v1/postings", headers=bearer(user)).status_code == 200
    log_in(client, user)
    assert is_logged_in(client)


def test_session_cookie_is_httponly_and_samesite_lax_but_not_secure_over_http(client, factories):
    user = factories.user("employer")
    cookie = log_in(client, user).headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_app_sets_secure_cookies_and_hsts(app, db_session, factories, tmp_root):
    secure_app = extra_app(tmp_root, SESSION_COOKIE_SECURE=True)
    user = factories.user("employer")
    client = secure_app.test_client()
    https = "https://localhost"

    response = client.post(
        "/login", data={"login": user.email, "password": PASSWORD}, base_url=https
    )

    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1
    assert all(attribute in cookies[0] for attribute in ("Secure", "HttpOnly", "SameSite=Lax"))
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert client.get(EMPLOYER_PAGE, base_url=https).status_code == 200


def test_no_remember_me_cookie_is_ever_set(app, client, factories):
    user = factories.user("employer")
    response = client.post(
        "/login", data={"login": user.email, "password": PASSWORD, "remember": "y"}
    )
    set_cookies = response.headers.getlist("Set-Cookie")
    assert set_cookies and not any(c.startswith("remember_token=") for c in set_cookies)
    assert client.get_cookie("remember_token") is None


def test_a_valid_remember_me_cookie_logs_nobody_in(app, client, factories):
    """Flask-Login would accept a correctly signed remember_token; this app ignores it."""
    from flask_login.utils import encode_cookie

    user = factories.user("employer")
    with app.test_request_context():
        forged = encode_cookie(user.get_id())
    visitor = app.test_client()
    visitor.set_cookie("remember_token", forged)
    assert visitor.get("/api/v1/postings").status_code == 401
    # Bearer tokens still work when such a cookie is present.
    assert visitor.get("/api/v1/postings", headers=bearer(user)).status_code == 200
    assert not is_logged_in(visitor)


@pytest.mark.parametrize(
    ("next_value", "lands_on"),
    [
        ("/admin/outcomes?by=district", "/admin/outcomes?by=district"),
        ("https://evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_logging_in_returns_to_the_page_asked_for_on_this_site_only(
    client, factories, next_value, lands_on
):
    """A walk opened outcomes by district while logged out and landed on the overview instead."""
    user = factories.user("admin", password=PASSWORD)
    asked = client.get("/admin/outcomes?by=district")
    assert asked.status_code == 302
    query = parse_qs(urlsplit(asked.headers["Location"]).query)
    assert query["next"] == ["/admin/outcomes?by=district"]
    response = client.post(
        "/login",
        query_string={"next": next_value},
        data={"login": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302 and response.headers["Location"] == lands_on


def test_an_easily_guessed_password_is_refused_however_long(client, factories, db_session):
    """A walk set "password123" (11 characters): long enough, and among the first guessed."""
    user = factories.user("employer")
    log_in(client, user)
    # The rule is said before the first try.
    assert "not a common word, name or year" in client.get("/account/password").get_data(
        as_text=True
    )
    for weak in ("password123", "1234567890", "qwertyuiop"):
        response = client.post(
            "/account/password", data={"current_password": PASSWORD, "new_password": weak}
        )
        assert response.status_code == 200, weak
        box = response.get_data(as_text=True).split('name="new_password"')[1][:600]
        assert "This password is easy to guess" in box
    done = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "tin roof monsoon ladder"},
    )
    assert done.status_code == 302
