"""The database-outage answer on every run, without a server to stop: an app whose database
address refuses connections answers 503 + Retry-After, a generic page or the API's JSON shape."""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa_exc

from app.errors import is_disconnect
from tests.integration.test_security_apps import extra_app

# Port 1 on the loopback interface: nothing listens, the connection is refused at once.
REFUSING_DATABASE = "postgresql+psycopg://kaushalsetu@127.0.0.1:1/kaushalsetu?connect_timeout=2"


@pytest.fixture
def unreachable_app(app, tmp_root):
    return extra_app(
        tmp_root,
        SQLALCHEMY_DATABASE_URI=REFUSING_DATABASE,
        TESTING=False,
        PROPAGATE_EXCEPTIONS=False,
    )


def assert_503(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    body = response.get_data(as_text=True)
    for leak in ("Traceback", "OperationalError", "psycopg", "127.0.0.1", "refused"):
        assert leak not in body


def test_logged_in_page_gets_the_generic_503_page(unreachable_app):
    from flask_login.utils import _create_identifier

    client = unreachable_app.test_client()
    with unreachable_app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()  # as the same browser (address and user agent)
    with client.session_transaction() as session:
        session["_user_id"] = "1:1"  # a logged-in browser: loading the user needs the database
        session["_id"] = identifier
    response = client.get("/employer/postings")
    assert_503(response)
    assert response.mimetype == "text/html"
    assert "temporarily unavailable" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_api_gets_the_json_503(unreachable_app):
    response = unreachable_app.test_client().get(
        "/api/v1/postings", headers={"Authorization": "Bearer ks_whatever_token_value"}
    )
    assert_503(response)
    assert response.json["code"] == 503 and set(response.json) == {"code", "status", "message"}


def test_pages_without_the_database_still_work(unreachable_app):
    assert unreachable_app.test_client().get("/login").status_code == 200
    assert unreachable_app.test_client().get("/healthz").status_code == 200
    assert unreachable_app.test_client().get("/readyz").status_code == 503


def test_only_connection_errors_count_as_an_outage():
    orig = Exception("boom")
    assert is_disconnect(sa_exc.OperationalError("SELECT 1", {}, orig))
    assert is_disconnect(sa_exc.InterfaceError("SELECT 1", {}, orig))
    assert is_disconnect(sa_exc.DBAPIError("SELECT 1", {}, orig, connection_invalidated=True))
    assert not is_disconnect(sa_exc.IntegrityError("INSERT", {}, orig))
    assert not is_disconnect(sa_exc.DBAPIError("SELECT 1", {}, orig))
