"""Fair use: limits per account on expensive requests (429 with Retry-After, in the reader's
language), one linking request at a time per account, a bounded pool of heavy work that cheap
reads never wait for, a per-request budget on the linker, and limits an administrator can lift."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import fair_use
from app.audit.models import AuditEvent
from app.extensions import db, limiter
from tests.helpers import bearer
from tests.integration.test_security_apps import extra_app

TEXT = "Need TIG welding on stainless parts. Must read engineering drawings."


@pytest.fixture
def limited_app(app, db_session, tmp_root, tmp_path):
    """An app with fair use on and small limits, with a clean counter store."""
    was_enabled = limiter.enabled
    application = extra_app(
        tmp_root,
        RATELIMIT_ENABLED=True,
        FAIR_USE_LIMITS={
            "linking": {"worker": "2 per minute", "*": "3 per minute"},
            "registration": "2 per hour",
            "matching": "100 per minute",
        },
        FAIR_USE_LOCK_DIR=str(tmp_path / "locks"),
        FAIR_USE_WAIT_SECONDS=0.2,
    )
    limiter.reset()
    yield application
    limiter.reset()
    limiter.enabled = was_enabled  # the limiter is a process-wide extension object


@pytest.fixture
def skills(factories):
    factories.skill("TIG welding")
    factories.skill("read engineering drawings")
    factories.skill("bookkeeping")
    db.session.commit()


def link(client, headers, text: str = TEXT):
    return client.post("/api/v1/skills/link", json={"text": text, "top_k": 3}, headers=headers)


def test_linking_is_limited_per_account_and_others_go_on(limited_app, factories, skills):
    client = limited_app.test_client()
    flooder = bearer(factories.user("employer"))
    other = bearer(factories.user("employer"))
    statuses = [link(client, flooder).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = link(client, flooder)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json["code"] == 429 and "try again in" in refused.json["message"]
    assert link(client, other).status_code == 200


def test_workers_have_their_own_smaller_limit_and_read_the_refusal_in_marathi(
    limited_app, factories, skills
):
    client = limited_app.test_client()
    worker = factories.user("worker")
    client.post("/login", data={"login": worker.email, "password": "correct-horse-battery"})
    client.set_cookie("lang", "mr")
    statuses = [
        client.post("/worker/skills/describe", data={"profile_text": "I weld"}).status_code
        for _ in range(3)
    ]
    assert statuses[2] == 429
    page = client.post("/worker/skills/describe", data={"profile_text": "I weld"})
    assert "पुन्हा प्रयत्न करा" in page.get_data(as_text=True)


def test_an_administrator_lifts_the_limits_of_an_integration_account(
    limited_app, factories, skills
):
    integration = factories.user("employer")
    headers = bearer(integration)
    client = limited_app.test_client()
    assert [link(client, headers).status_code for _ in range(4)][-1] == 429
    result = limited_app.test_cli_runner().invoke(
        args=["users", "fair-use", integration.email, "--lift"]
    )
    assert result.exit_code == 0, result.output
    assert all(link(client, headers).status_code == 200 for _ in range(5))
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == str(integration.id))
    ).all()
    assert "fair_use_lifted" in actions
    limited_app.test_cli_runner().invoke(args=["users", "fair-use", integration.email, "--restore"])
    assert link(client, headers).status_code == 429


def test_one_linking_request_at_a_time_per_account(limited_app, factories, skills):
    user = factories.user("employer")
    headers = bearer(user)
    client = limited_app.test_client()
    with limited_app.test_request_context():
        running = fair_use.one_at_a_time("linking", f"user:{user.id}")  # a request in flight
        try:
            refused = link(client, headers)
        finally:
            running.release()
    assert refused.status_code == 429
    assert "still running" in refused.json["message"]
    assert link(client, headers).status_code == 200


def test_heavy_work_waits_for_a_slot_and_cheap_reads_never_do(limited_app, factories, skills):
    employer = factories.user("employer")
    posting = factories.posting(employer.organisation)
    headers = bearer(employer)
    client = limited_app.test_client()
    with limited_app.test_request_context():
        busy = fair_use.heavy_work_slot("linking")  # the machine's only linking slot is taken
        try:
            refused = link(client, headers)
            candidates = client.get(
                f"/api/v1/postings/{posting.external_id}/candidates", headers=headers
            )
        finally:
            busy.release()
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "2"
    assert "busy" in refused.json["message"]
    assert candidates.status_code == 200
    assert link(client, headers).status_code == 200


def test_the_linker_refuses_a_text_beyond_its_budget_with_a_clear_error(
    client, factories, skills, app, monkeypatch
):
    headers = bearer(factories.user("employer"))
    monkeypatch.setitem(app.config, "LINK_MAX_UNITS", 5)
    long_text = "\n".join(f"Weld frame {n} with TIG." for n in range(8))
    refused = link(client, headers, long_text)
    assert refused.status_code == 422
    assert "8 sentences" in refused.json["message"] and "at most 5" in refused.json["message"]
    monkeypatch.setitem(app.config, "LINK_MAX_UNITS", 80)
    monkeypatch.setitem(app.config, "LINK_SECONDS", 0.0)
    slow = link(client, headers, "\n".join(f"Weld frame {n} with TIG." for n in range(40)))
    assert slow.status_code == 422 and "too long" in slow.json["message"]


def test_registration_is_limited_per_address(limited_app, db_session):
    visitor = limited_app.test_client()
    visitor.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    statuses = [visitor.post("/worker/register", data={}).status_code for _ in range(3)]
    assert statuses[:2] != [429, 429] and statuses[2] == 429
    other = limited_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.4"
    assert other.post("/worker/register", data={}).status_code != 429
