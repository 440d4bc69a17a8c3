"""Fixtures shared by the integration tests that need more than the suite's own database."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url


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
