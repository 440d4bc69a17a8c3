"""Extra app instances for security tests (rate limiting on, secure cookies, a failing route).

`extra_app(...)` builds a second app in the same process, configured like the test app plus
overrides. It shares the extensions (and, inside a test using `db_session`, the rolled-back
connection), so its requests see the test's rows.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app import create_app
from tests.conftest import FreshContextClient
from tests.conftest import test_config as make_test_config


def extra_app(tmp_root: Path, **overrides: object) -> Flask:
    """A second app instance with the test config plus `overrides`."""
    application = create_app(make_test_config(tmp_root, **overrides))
    application.test_client_class = FreshContextClient
    return application


def test_create_app_twice_in_one_process(app, tmp_root):
    second = create_app(make_test_config(tmp_root))
    assert second is not app
