"""Login throttling (ASVS V2.2.1): failures answer 429 with Retry-After, keyed by the client's
address, so an attacker hammering an account cannot lock its owner out from elsewhere."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import limiter
from tests.factories import PASSWORD
from tests.integration.test_security_apps import extra_app

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.23"
PER_ADDRESS = 10  # LOGIN_RATE_LIMIT, "10 per minute"
PER_ACCOUNT_AND_ADDRESS = 5  # LOGIN_ACCOUNT_RATE_LIMIT, "5 per minute"


@pytest.fixture
def throttled_app(app, db_session, tmp_root):
    """An app with rate limiting on (the test app has it off), with a clean counter store."""
    was_enabled = limiter.enabled
    application = extra_app(
        tmp_root,
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT=f"{PER_ADDRESS} per minute",
        LOGIN_ACCOUNT_RATE_LIMIT=f"{PER_ACCOUNT_AND_ADDRESS} per minute",
    )
    limiter.reset()
    yield application
    limiter.reset()
    limiter.enabled = was_enabled  # the limiter is a process-wide extension object


def client_at(application, address: str):
    client = application.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(client, login: str, password: str):
    return client.post("/login", data={"login": login, "password": password})


def test_hammering_an_account_is_throttled_but_its_owner_still_logs_in(throttled_app, factories):
    victim = factories.user("employer")
    attacker = client_at(throttled_app, ATTACKER)
    statuses = [attempt(attacker, victim.email, f"guess-{n}").status_code for n in range(8)]

    assert statuses[:PER_ACCOUNT_AND_ADDRESS] == [200] * PER_ACCOUNT_AND_ADDRESS
    assert set(statuses[PER_ACCOUNT_AND_ADDRESS:]) == {429}
    throttled = attempt(attacker, victim.email, PASSWORD)
    assert throttled.status_code == 429  # even the right password, from the throttled address
    assert 1 <= int(throttled.headers["Retry-After"]) <= 61  # the window, rounded up
    page = throttled.get_data(as_text=True)
    assert "Too many attempts" in page and "Traceback" not in page
    assert throttled.headers["Cache-Control"] == "no-store"

    owner = client_at(throttled_app, OWNER)
    assert attempt(owner, victim.email, PASSWORD).status_code == 302


def test_spraying_many_accounts_from_one_address_hits_the_per_address_limit(
    throttled_app, factories, db_session
):
    users = [factories.user("employer") for _ in range(4)]
    attacker = client_at(throttled_app, ATTACKER)
    audited_before = db_session.scalar(select(func.count(AuditEvent.id)))
    statuses = [
        attempt(attacker, users[n % len(users)].email, f"guess-{n}").status_code
        for n in range(PER_ADDRESS + 2)
    ]

    assert statuses[:PER_ADDRESS] == [200] * PER_ADDRESS
    assert statuses[PER_ADDRESS:] == [429, 429]
    # Throttled attempts never reach the password check, so they add no audit rows.
    audited = db_session.scalar(select(func.count(AuditEvent.id))) - audited_before
    assert audited == PER_ADDRESS
    # Another address is unaffected.
    assert attempt(client_at(throttled_app, OWNER), users[0].email, PASSWORD).status_code == 302


def test_successful_logins_do_not_count(throttled_app, factories):
    user = factories.user("employer")
    client = client_at(throttled_app, ATTACKER)
    for _ in range(PER_ADDRESS + 2):
        assert attempt(client, user.email, PASSWORD).status_code == 302
        client.post("/logout")


def test_the_account_key_ignores_case_and_spaces_of_the_login(throttled_app, factories):
    victim = factories.user("employer")
    attacker = client_at(throttled_app, ATTACKER)
    spellings = [victim.email, victim.email.upper(), f"  {victim.email} ", victim.email.title()]
    statuses = [
        attempt(attacker, spellings[n % len(spellings)], "wrong-guess").status_code
        for n in range(PER_ACCOUNT_AND_ADDRESS + 1)
    ]
    assert statuses[-1] == 429


def test_login_page_views_are_not_limited(throttled_app):
    client = client_at(throttled_app, ATTACKER)
    assert {client.get("/login").status_code for _ in range(PER_ADDRESS + 2)} == {200}


def test_a_spoofed_forwarded_for_does_not_escape_the_limit(throttled_app, factories):
    """With no trusted proxy configured, X-Forwarded-For is ignored: a new value per attempt
    does not make a new address."""
    victim = factories.user("employer")
    attacker = client_at(throttled_app, ATTACKER)
    statuses = [
        attacker.post(
            "/login",
            data={"login": victim.email, "password": "wrong-guess"},
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        ).status_code
        for n in range(PER_ACCOUNT_AND_ADDRESS + 1)
    ]
    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_key(app, db_session, tmp_root):
    was_enabled = limiter.enabled
    proxied = extra_app(
        tmp_root,
        RATELIMIT_ENABLED=True,
        LOGIN_ACCOUNT_RATE_LIMIT="2 per minute",
        TRUSTED_PROXY_COUNT=1,
    )
    limiter.reset()
    try:
        proxy = client_at(proxied, "127.0.0.1")  # every request arrives from the proxy

        def attempt_from(address: str) -> int:
            return proxy.post(
                "/login",
                data={"login": "someone@example.com", "password": "wrong-guess"},
                headers={"X-Forwarded-For": address},
            ).status_code

        assert [attempt_from(ATTACKER) for _ in range(3)] == [200, 200, 429]
        assert attempt_from(OWNER) == 200
    finally:
        limiter.reset()
        limiter.enabled = was_enabled


def test_a_bad_proxy_count_is_refused(app, tmp_root):
    with pytest.raises(ValueError, match="TRUSTED_PROXY_COUNT"):
        extra_app(tmp_root, TRUSTED_PROXY_COUNT="two")
