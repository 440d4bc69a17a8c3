"""A real database outage (ASVS V7.4.1, V11; reliability): a private PostgreSQL (the `pgserver`
package) is stopped and started under a running app.

While it is down, requests answer 503 with Retry-After and no stack trace (a generic page, or the
API's JSON shape); a write cut off mid-transaction leaves no rows; once it is back, the same app
object serves again without a restart (pool_pre_ping replaces the dead pooled connections).
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from app.employers.models import JobPosting, PostingSkill
from app.extensions import db
from tests import factories
from tests.factories import PASSWORD
from tests.helpers import bearer
from tests.integration.test_security_apps import extra_app

pytestmark = pytest.mark.postgres

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
LEAKS = ("Traceback", "OperationalError", "psycopg", "sqlalchemy", "terminating", "socket")
UNAVAILABLE = {
    "code": 503,
    "status": "Service Unavailable",
    "message": "The service is temporarily unavailable. Please try again in a moment.",
}


class PrivatePostgres:
    """A throw-away PostgreSQL cluster from pgserver that a test may stop and start."""

    def __init__(self, server) -> None:
        self.server = server
        url = make_url(server.get_uri())
        self.url = url.set(drivername="postgresql+psycopg", password=None).render_as_string(
            hide_password=False
        )

    def stop(self) -> None:
        from pgserver._commands import pg_ctl

        # fast: roll back open transactions and close every connection, as a crash or failover does
        pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user
        )

    def start(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            self.server.ensure_postgres_running()


@pytest.fixture(scope="module")
def private_pg():
    # Not under pytest's tmp dir: that is private to root (0700), and PostgreSQL, run by
    # pgserver as its own system user when the tests run as root, could not write there.
    workdir = Path(tempfile.mkdtemp(prefix="kaushalsetu-pg-"))
    pgdata = workdir / "data"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        try:
            import pgserver
        except ImportError:
            pytest.skip("pgserver is not installed: pip install pgserver")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            server = pgserver.get_server(pgdata, cleanup_mode="delete")
    except Exception as exc:  # no binary for this platform, no permission, ...
        shutil.rmtree(workdir, ignore_errors=True)
        pytest.skip(f"pgserver could not start a PostgreSQL here: {exc!r}")
    yield PrivatePostgres(server)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server.cleanup()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def outage_app(private_pg, tmp_root):
    """A production-like app on the private database, migrated by Alembic."""
    from flask_migrate import upgrade

    application = extra_app(
        tmp_root,
        SQLALCHEMY_DATABASE_URI=private_pg.url,
        TESTING=False,
        PROPAGATE_EXCEPTIONS=False,
    )
    with application.app_context():
        upgrade(directory=str(MIGRATIONS))
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def employer(outage_app):
    """An employer login with an API token, committed for real in the private database."""
    with outage_app.app_context():
        user = factories.user("employer")
        return {"email": user.email, "headers": bearer(user)}


def postings_titled(application, title: str) -> tuple[int, int]:
    """(postings, their skill rows) with this title, read after the fact."""
    with application.app_context():
        ids = select(JobPosting.id).where(JobPosting.title == title)
        return (
            db.session.scalar(select(func.count()).select_from(ids.subquery())),
            db.session.scalar(
                select(func.count(PostingSkill.id)).where(PostingSkill.posting_id.in_(ids))
            ),
        )


def assert_generic_503(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    body = response.get_data(as_text=True)
    for leak in LEAKS:
        assert leak not in body, leak


def test_the_pool_checks_connections_before_use(outage_app):
    with outage_app.app_context():
        assert db.engine.pool._pre_ping


def test_outage_between_requests_answers_503_then_the_same_app_recovers(
    outage_app, private_pg, employer
):
    browser = outage_app.test_client()
    login = browser.post("/login", data={"login": employer["email"], "password": PASSWORD})
    assert login.status_code == 302
    api = outage_app.test_client()
    assert browser.get("/employer/postings").status_code == 200
    assert api.get("/api/v1/postings", headers=employer["headers"]).status_code == 200
    posting = {"title": "Written during the outage", "district": "Pune", "openings": 1}

    private_pg.stop()
    try:
        page = browser.get("/employer/postings")
        assert_generic_503(page)
        assert page.mimetype == "text/html"
        assert "temporarily unavailable" in page.get_data(as_text=True)

        listing = api.get("/api/v1/postings", headers=employer["headers"])
        assert_generic_503(listing)
        assert listing.json == UNAVAILABLE

        write = api.post("/api/v1/postings", json=posting, headers=employer["headers"])
        assert_generic_503(write)
        assert write.json == UNAVAILABLE

        assert outage_app.test_client().get("/readyz").status_code == 503
        # A page that needs no database still works for an anonymous visitor.
        assert outage_app.test_client().get("/login").status_code == 200
    finally:
        private_pg.start()

    # Same app object, no restart: the first request after the outage succeeds.
    assert api.get("/api/v1/postings", headers=employer["headers"]).status_code == 200
    assert browser.get("/employer/postings").status_code == 200  # the session survived
    assert postings_titled(outage_app, posting["title"]) == (0, 0)
    created = api.post("/api/v1/postings", json=posting, headers=employer["headers"])
    assert created.status_code == 201, created.json
    assert postings_titled(outage_app, posting["title"]) == (1, 0)


def test_a_restart_nobody_noticed_does_not_fail_the_next_request(outage_app, private_pg, employer):
    """Pooled connections died with the server; the pre-ping swaps them for new ones."""
    api = outage_app.test_client()
    assert api.get("/api/v1/postings", headers=employer["headers"]).status_code == 200
    private_pg.stop()
    private_pg.start()
    assert api.get("/api/v1/postings", headers=employer["headers"]).status_code == 200


def test_a_write_cut_off_mid_transaction_leaves_no_partial_rows(outage_app, private_pg, employer):
    with outage_app.app_context():
        skill_uris = [factories.skill("CNC turning").uri, factories.skill("Gauging").uri]
        engine = db.engine
    title = "Cut off mid-write"
    posting = {
        "title": title,
        "district": "Pune",
        "openings": 2,
        "skills": [{"uri": uri} for uri in skill_uris],
    }
    statements: list[str] = []

    def stop_before_the_skill_rows(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement.split("(")[0].strip())
        if statement.startswith("INSERT INTO posting_skill") and private_pg.server.get_pid():
            private_pg.stop()  # the posting row is already inserted in this transaction

    client = outage_app.test_client()
    event.listen(engine, "before_cursor_execute", stop_before_the_skill_rows)
    try:
        response = client.post("/api/v1/postings", json=posting, headers=employer["headers"])
    finally:
        event.remove(engine, "before_cursor_execute", stop_before_the_skill_rows)
        private_pg.start()

    assert "INSERT INTO job_posting" in statements
    assert statements.index("INSERT INTO job_posting") < statements.index(
        "INSERT INTO posting_skill"
    )
    assert_generic_503(response)
    assert response.json == UNAVAILABLE
    assert postings_titled(outage_app, title) == (0, 0)

    retried = client.post("/api/v1/postings", json=posting, headers=employer["headers"])
    assert retried.status_code == 201, retried.json
    assert postings_titled(outage_app, title) == (1, 2)
