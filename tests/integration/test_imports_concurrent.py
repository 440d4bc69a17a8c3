"""Two imports of the same file at the same time: all or nothing, and idempotent.

They run in two threads with their own connections on a database of their own (each commits
for real, so the shared test database, with its rolled-back transactions, is not used).
"""

from __future__ import annotations

import threading

from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from tests.conftest import PROJECT_ROOT, reset_database
from tests.conftest import test_config as make_test_config

HEADER = "worker_id,name,gender,date_of_birth,district,state\n"
ROWS = 60


def test_same_file_imported_twice_at_once(own_database, tmp_path):
    from app.extensions import db
    from app.imports.services import import_file
    from app.workers.models import Worker

    reset_database(own_database)
    application = create_app(make_test_config(tmp_path, SQLALCHEMY_DATABASE_URI=own_database))
    with application.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    path = tmp_path / "workers.csv"
    path.write_text(
        HEADER
        + "".join(
            f"CW{n:04d},Worker {n},female,1999-01-{n % 28 + 1:02d},Pune,Maharashtra\n"
            for n in range(ROWS)
        )
    )
    reports, failures = [], []
    start = threading.Barrier(2)

    def run_import() -> None:
        with application.app_context():
            try:
                start.wait()
                report = import_file("workers", path)
                db.session.commit()
                reports.append(report)
            except Exception as exc:  # reported below
                db.session.rollback()
                failures.append(repr(exc))

    threads = [threading.Thread(target=run_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert all(report.ok for report in reports), [r.as_text() for r in reports]
    assert sorted((r.created, r.unchanged) for r in reports) == [(0, ROWS), (ROWS, 0)]
    with application.app_context():
        assert db.session.scalar(select(func.count(Worker.id))) == ROWS
        db.engine.dispose()
