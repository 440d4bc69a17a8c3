"""No personal data or secrets in application logs (ASVS V7.1.1, V7.1.2; DPDP data minimisation).

Values are planted in logins, tokens, form dumps, exception messages, SQL parameters and access
log lines; none may appear in what the log handlers receive (caplog, and a handler on the app
logger and on the root logger)."""

from __future__ import annotations

import io
import logging

import pytest
from flask import request
from sqlalchemy import text

from app.auth import services
from app.extensions import db
from app.logging_setup import PersonalDataFilter, mask_personal_data
from tests.integration.test_security_apps import extra_app

EMAIL = "asha.kulkarni+planted@example.co.in"
PASSWORD = "Planted-Passw0rd-xyz"
PHONE = "+91 98765 43210"
PHONE_PLAIN = "9876543210"
NAME = "Asha Planted-Kulkarni"
AADHAAR = "4321 8765 2109"


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        (f"login for {EMAIL} failed", EMAIL),
        ("GET /x?login=asha%40example.com HTTP/1.1", "asha%40example.com"),
        (f"call me on {PHONE}", "98765 43210"),
        (f"phone={PHONE_PLAIN}&x=1", PHONE_PLAIN),
        ("GET /x?phone=%2B919876543210 HTTP/1.1", "919876543210"),
        ("mobile 09876543210", "9876543210"),
        (f"aadhaar {AADHAAR}", AADHAAR),
        ("Authorization: Bearer ks_abcdefghijklmnopqrstuvwxyz0123", "ks_abcdefghijklmnop"),
        ("token ks_abcdefghijklmnopqrstuvwxyz0123 issued", "ks_abcdefghijklmnop"),
        (f"form={{'login': 'x', 'password': '{PASSWORD}'}}", PASSWORD),
        (f"ImmutableMultiDict([('password', '{PASSWORD}')])", PASSWORD),
        (f"password={PASSWORD}&login=x", PASSWORD),
        (f'{{"new_password": "{PASSWORD}"}}', PASSWORD),
        (f"csrf_token={PASSWORD}", PASSWORD),
        (f"[SQL: INSERT ...]\n[parameters: {{'name': '{NAME}'}}]\n(Background ...)", NAME),
        (f"DETAIL:  Failing row contains (12, null, {NAME}, ok, {{}}).\n[SQL: ...]", NAME),
        (f"DETAIL:  Key (email)=({EMAIL}) already exists.", "asha.kulkarni"),
        (f"DETAIL:  Key (name, district)=({NAME}, Pune) already exists.", NAME),
    ],
)
def test_mask_personal_data(line, secret):
    masked = mask_personal_data(line)
    assert secret not in masked
    assert masked != line


@pytest.mark.parametrize(
    "line",
    [
        "GET /employer/postings/P-3F9A1C22 HTTP/1.1 200",
        "Matched 12 workers to posting 42 in 0.35 s",
        "upgrade 0001 -> 0002, personal data",
        "2026-03-01 10:15:00,123 INFO started",
    ],
)
def test_ordinary_lines_are_left_alone(line):
    assert mask_personal_data(line) == line


@pytest.fixture
def captured(app, caplog):
    """Everything logged, as the app logger's and the root logger's handlers receive it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    app_logger, root = logging.getLogger("app"), logging.getLogger()
    app_logger.addHandler(handler)
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    try:
        yield lambda: stream.getvalue() + "\n" + caplog.text
    finally:
        app_logger.removeHandler(handler)
        root.removeHandler(handler)


@pytest.fixture
def noisy_app(app, db_session, tmp_root):
    """An app whose routes log the request and fail with personal data in hand."""
    application = extra_app(tmp_root, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def log_form_then_fail():
        application.logger.info("Form received: %s", request.form)
        application.logger.info("Headers: %s", dict(request.headers))
        raise ValueError(
            f"could not match {request.form.get('email')} / {request.form.get('phone')}"
        )

    def fail_in_sql():
        db.session.execute(
            text(
                "INSERT INTO audit_event (at, action, object_id, outcome, detail) "
                "VALUES (CURRENT_TIMESTAMP, NULL, :name, 'ok', '{}')"
            ),
            {"name": NAME},
        )

    application.add_url_rule("/noisy", "noisy", log_form_then_fail, methods=["POST"])
    application.add_url_rule("/noisy-sql", "noisy_sql", fail_in_sql)
    return application


def assert_clean(output: str, *planted: str) -> None:
    for value in planted:
        assert value not in output, f"{value!r} leaked into the logs"


def test_logins_and_tokens_leave_no_personal_data_in_logs(
    app, client, factories, db_session, captured
):
    user = factories.user("employer", email=EMAIL, password=PASSWORD)
    token = services.issue_token(user)
    db.session.commit()
    # A password is masked next to its field name; nothing can recognise one logged bare, so
    # the code never logs one (the login view logs no form data at all).
    logging.getLogger("app.test").info("login attempt %s with password=%s", EMAIL, PASSWORD)

    assert client.post("/login", data={"login": EMAIL, "password": "wrong-" + PASSWORD}).status_code
    assert client.post("/login", data={"login": EMAIL, "password": PASSWORD}).status_code == 302
    logging.getLogger("app.test").warning("token %s used", token)
    api = app.test_client().get("/api/v1/postings", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200

    output = captured()
    assert (
        "login attempt [email] with password=[redacted]" in output
    )  # the planted line was logged, masked
    assert_clean(output, EMAIL, PASSWORD, token)


def test_a_failing_request_logs_its_traceback_without_personal_data(noisy_app, captured):
    response = noisy_app.test_client().post(
        "/noisy",
        data={"email": EMAIL, "phone": PHONE, "password": PASSWORD},
        headers={"Authorization": "Bearer ks_planted_token_value_0123456789"},
    )
    assert response.status_code == 500

    output = captured()
    assert "Traceback" in output and "ValueError" in output  # operators still get the trace
    assert_clean(output, EMAIL, PASSWORD, "98765 43210", "ks_planted_token_value_0123456789")


def test_sql_errors_log_no_parameters(noisy_app, captured):
    response = noisy_app.test_client().get("/noisy-sql")
    assert response.status_code == 500
    output = captured()
    assert "IntegrityError" in output
    assert "[parameters: hidden]" in output
    assert_clean(output, NAME)


def test_access_log_lines_are_masked(app, captured):
    """werkzeug's and gunicorn's request lines go through the same masking."""
    logging.getLogger("werkzeug").info(
        '%s - - "%s" %s -', "127.0.0.1", f"GET /x?login={EMAIL}&phone={PHONE_PLAIN} HTTP/1.1", 200
    )
    logging.getLogger("gunicorn.access").info(
        '%(h)s "%(r)s" %(s)s', {"h": "127.0.0.1", "r": f"GET /y?email={EMAIL} HTTP/1.1", "s": 200}
    )
    output = captured()
    assert "GET /x?login=[email]&phone=[phone]" in output
    assert_clean(output, EMAIL, PHONE_PLAIN)


def test_handler_filter_masks_records_made_elsewhere():
    """For handlers fed records that bypassed the factory (e.g. unpickled from another process)."""
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "user %s", (EMAIL,), None)
    assert PersonalDataFilter().filter(record)
    assert record.getMessage() == "user [email]"
