"""Bearer-token reads at the same time, on a database that commits for real.

Noting a token's last use once turned every API read into a write that GET requests never
committed; on SQLite, concurrent reads then failed with "database is locked" (HTTP 503 under load:
bench/http_load.py). Reads must all succeed, and the last use must be kept.
"""

from __future__ import annotations

import threading

from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from tests.conftest import PROJECT_ROOT, reset_database
from tests.conftest import test_config as make_test_config
from tests.helpers import bearer

READERS = 12


def test_concurrent_bearer_reads_all_succeed_and_last_use_is_kept(own_database, tmp_path):
    from app.auth.models import ApiToken
    from app.extensions import db
    from tests import factories

    reset_database(own_database)
    application = create_app(make_test_config(tmp_path, SQLALCHEMY_DATABASE_URI=own_database))
    with application.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        factories.course()
        headers = bearer(factories.user("admin"))

    def burst() -> list[int]:
        statuses: list[int] = []
        start = threading.Barrier(READERS)

        def read() -> None:
            client = application.test_client()
            start.wait()
            response = client.get("/api/v1/courses", headers=headers)
            statuses.append(response.status_code)

        threads = [threading.Thread(target=read) for _ in range(READERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return statuses

    def last_use():
        with application.app_context():
            value = db.session.scalar(select(ApiToken.last_used_at))
            db.session.remove()
            return value

    assert burst() == [200] * READERS
    first = last_use()
    assert first is not None  # committed, though GET requests commit nothing of their own
    assert burst() == [200] * READERS
    assert last_use() == first  # within five minutes: not written again
    with application.app_context():
        db.engine.dispose()
