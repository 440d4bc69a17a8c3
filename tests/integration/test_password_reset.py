"""Forgot password: a one-time code, issued by an administrator or the worker's institution (or
sent by SMS), sets a new password once, within its lifetime, with few tries; other sessions and
tokens end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth import reset
from app.auth.models import PasswordResetCode
from app.auth.passwords import verify_password
from app.extensions import db

NEW_PASSWORD = "a-new-long-password"


@pytest.fixture
def world(factories):
    institution = factories.user("institution")
    course = factories.course(institution.organisation)
    worker = factories.consenting_worker(name="Sunita Patil")
    factories.enrolment(worker, course)
    worker_user = factories.user("worker", worker=worker)
    return {"institution": institution, "worker": worker, "worker_user": worker_user}


def issue(browser, worker) -> str:
    response = browser.post(f"/worker/{worker.external_id}/reset-code")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = html.split('id="reset-code">')[1].split("</p>")[0]
    return shown.replace(" ", "")


def test_institution_issues_a_code_and_the_worker_sets_a_new_password(app, client, login_as, world):
    browser = login_as(world["institution"])
    page = browser.get(f"/worker/{world['worker'].external_id}").get_data(as_text=True)
    assert f"/worker/{world['worker'].external_id}/reset-code" in page
    code = issue(browser, world["worker"])
    assert len(code) == 8 and code.isdigit()
    stored = db.session.scalar(select(PasswordResetCode))
    assert code not in stored.code_hash  # only a hash is kept
    visitor = app.test_client()
    assert "Forgot your password?" in visitor.get("/login").get_data(as_text=True)
    response = visitor.post(
        "/forgot-password",
        data={"login": world["worker_user"].email, "code": code, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(type(world["worker_user"]), world["worker_user"].id)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    again = visitor.post(
        "/forgot-password",
        data={"login": user.email, "code": code, "new_password": "another-long-password"},
    )
    assert "wrong or has expired" in again.get_data(as_text=True)  # used once only


def test_wrong_codes_spend_the_code_and_unknown_logins_get_the_same_answer(
    app, client, login_as, world
):
    code = issue(login_as(world["institution"]), world["worker"])
    visitor = app.test_client()
    email = world["worker_user"].email
    for _ in range(reset.MAX_ATTEMPTS):
        page = visitor.post(
            "/forgot-password",
            data={"login": email, "code": "00000000", "new_password": NEW_PASSWORD},
        ).get_data(as_text=True)
        assert "wrong or has expired" in page
    page = visitor.post(
        "/forgot-password", data={"login": email, "code": code, "new_password": NEW_PASSWORD}
    ).get_data(as_text=True)
    assert "wrong or has expired" in page  # too many tries: even the right code is refused
    page = visitor.post(
        "/forgot-password",
        data={"login": "nobody@example.com", "code": code, "new_password": NEW_PASSWORD},
    ).get_data(as_text=True)
    assert "wrong or has expired" in page


def test_an_expired_code_is_refused(app, client, login_as, world):
    code = issue(login_as(world["institution"]), world["worker"])
    stored = db.session.scalar(select(PasswordResetCode))
    stored.expires_at = stored.created_at - timedelta(minutes=1)
    db.session.commit()
    page = (
        app.test_client()
        .post(
            "/forgot-password",
            data={"login": world["worker_user"].email, "code": code, "new_password": NEW_PASSWORD},
        )
        .get_data(as_text=True)
    )
    assert "wrong or has expired" in page


def test_only_admins_and_the_workers_institution_issue_codes(client, login_as, world, factories):
    url = f"/worker/{world['worker'].external_id}/reset-code"
    assert login_as(factories.user("institution")).post(url).status_code == 403
    assert login_as(factories.user("employer")).post(url).status_code == 403
    assert db.session.scalar(select(PasswordResetCode)) is None
    assert issue(login_as(factories.user("admin")), world["worker"])


def test_an_administrator_prints_a_code_at_the_command_line(app, world):
    result = app.test_cli_runner().invoke(args=["users", "reset-code", world["worker_user"].email])
    assert result.exit_code == 0, result.output
    code = result.output.strip()
    assert len(code) == 8 and code.isdigit()
    reset.reset_password(world["worker_user"].email, code, NEW_PASSWORD)
    assert verify_password(world["worker_user"].password_hash, NEW_PASSWORD)


def test_a_code_sent_by_sms_sets_a_new_password_and_says_nothing_of_unknown_logins(
    app, client, factories, monkeypatch
):
    """Where the site sends SMS, the code goes to the account's phone (in its language), lives
    10 minutes, is not sent twice within a minute, and an unknown login reads the same."""
    import re

    from app.auth.passwords import verify_password as check
    from tests.integration.test_notices import FakeGateway

    gateway = FakeGateway()
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", gateway.url)
    try:
        worker = factories.consenting_worker(name="Rekha Jadhav", phone="+919800012345")
        user = factories.user("worker", worker=worker)
        user.preferred_language = "hi"
        db.session.commit()
        page = client.get("/forgot-password").get_data(as_text=True)
        assert "/forgot-password/send" in page
        sent = client.post("/forgot-password/send", data={"login": user.email})
        unknown = client.post("/forgot-password/send", data={"login": "nobody@example.org"})
        assert sent.status_code == unknown.status_code == 302
        client.post("/forgot-password/send", data={"login": user.email})  # within the minute
        assert len(gateway.received) == 1
        message = gateway.received[0]
        assert message["to"] == "+919800012345" and "कौशलसेतु" in message["message"]  # in Hindi
        code = re.search(r"\b\d{8}\b", message["message"]).group(0)
        stored = db.session.scalars(
            select(PasswordResetCode).where(PasswordResetCode.user_id == user.id)
        ).one()
        assert stored.expires_at - stored.created_at == timedelta(minutes=10)
        done = client.post(
            "/forgot-password",
            data={"login": user.email, "code": code, "new_password": NEW_PASSWORD},
        )
        assert done.status_code == 302
        db.session.refresh(user)
        assert check(user.password_hash, NEW_PASSWORD)
    finally:
        gateway.close()


def test_without_an_sms_gateway_no_code_is_made(client, factories):
    """The log is no channel for a secret: without a gateway nothing is issued or written."""
    worker = factories.consenting_worker(phone="+919800012346")
    user = factories.user("worker", worker=worker)
    response = client.post("/forgot-password/send", data={"login": user.email})
    assert response.status_code == 302
    assert db.session.scalars(select(PasswordResetCode)).all() == []


def test_the_worker_page_offers_a_code_only_to_who_may_give_one(client, factories, login_as, world):
    """Administrators and the worker's institution see the button; an employer does not, and its
    page does not look up the worker's login to find that out."""
    from tests.statements import statements_sent

    page = f"/worker/{world['worker'].external_id}"
    button = f"{page}/reset-code"
    for user, offered in (
        (factories.user("admin"), True),
        (world["institution"], True),
        (factories.user("institution"), False),  # another institution
        (factories.user("employer"), False),
    ):
        response = login_as(user).get(page)
        assert (button in response.get_data(as_text=True)) is offered
    with statements_sent() as sent:
        assert client.get(page).status_code == 200  # still the employer
    logins = [s for s in sent if "FROM user_account" in s]
    assert len(logins) == 1  # the employer's own session, not the worker's login


def test_the_page_names_the_help_desk_where_one_is_set(app, client, monkeypatch):
    """A worker who registered herself has no institution to ask for a code: the page gives her
    the cluster help desk, as a number to tap and an address to write to."""
    assert 'id="help-desk"' not in client.get("/forgot-password").get_data(as_text=True)
    monkeypatch.setitem(app.config, "HELP_DESK_PHONE", "+91 20 2745 0000")
    monkeypatch.setitem(app.config, "HELP_DESK_EMAIL", "help@cluster.example")
    html = client.get("/forgot-password").get_data(as_text=True)
    desk = html[html.index('id="help-desk"') :].split("</p>")[0]
    assert 'href="tel:+912027450000"' in desk and "+91 20 2745 0000" in desk
    assert 'href="mailto:help@cluster.example"' in desk
