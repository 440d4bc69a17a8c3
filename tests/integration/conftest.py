"""Fixtures shared by the integration tests that need more than the suite's own database."""

from __future__ import annotations

import shutil
import tempfile
import uuid
import warnings
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tests.conftest import PROJECT_ROOT, database_of_its_own


@pytest.fixture
def alembic_config():
    """pytest-alembic's configuration: the project's migrations."""
    return {
        "file": str(PROJECT_ROOT / "migrations" / "alembic.ini"),
        "script_location": str(PROJECT_ROOT / "migrations"),
    }


@pytest.fixture
def alembic_engine(tmp_path, tmp_root):
    """pytest-alembic's engine, on a database of the test's own (database_of_its_own): migrating
    down never touches the suite's shared database under the other tests."""
    with database_of_its_own(tmp_root, tmp_path, "migrations") as url:
        engine = create_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def pgvector_url():
    """A private PostgreSQL with pgvector (the `pgserver` package), one per test module."""
    # Not under pytest's tmp dir: PostgreSQL may run as another system user (see the outage tests).
    workdir = Path(tempfile.mkdtemp(prefix="kaushalsetu-pgvector-"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        try:
            import pgserver
        except ImportError:
            pytest.skip("pgserver is not installed: pip install pgserver")
        try:
            server = pgserver.get_server(workdir / "data", cleanup_mode="delete")
        except Exception as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            pytest.skip(f"pgserver could not start a PostgreSQL here: {exc!r}")
    url = make_url(server.get_uri()).set(drivername="postgresql+psycopg", password=None)
    yield url.render_as_string(hide_password=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server.cleanup()
    shutil.rmtree(workdir, ignore_errors=True)


REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_queue(app, monkeypatch):
    """The app set to queue on Redis, on a queue name no one else uses; emptied afterwards."""
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    name = f"kaushalsetu-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", name)
    queue = Queue(name, connection=connection)
    yield queue
    for registry in (queue.finished_job_registry, queue.failed_job_registry):
        for job_id in registry.get_job_ids():
            job = queue.fetch_job(job_id)
            if job is not None:
                job.delete()
    queue.delete(delete_jobs=True)
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)
    connection.close()
