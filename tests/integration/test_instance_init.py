"""`flask instance init` makes the instance folder's keys once; building the app writes nothing,
and an app without a session key says how to set it up instead of failing on the first login."""

from __future__ import annotations

import stat

from app import create_app
from app.instance import init_instance, read_secret_key
from tests import conftest


def test_init_creates_the_keys_once(tmp_path):
    assert sorted(init_instance(tmp_path)) == ["data_key", "secret_key"]
    key = read_secret_key(tmp_path)
    assert key and len(key) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert init_instance(tmp_path) == []  # kept, not replaced
    assert read_secret_key(tmp_path) == key


def test_building_the_app_writes_no_file(tmp_path, tmp_root):
    config = conftest.test_config(tmp_root, SECRET_KEY=None, INSTANCE_DIR=str(tmp_path))
    app = create_app(config)
    assert list(tmp_path.iterdir()) == []
    assert app.test_client().get("/login").status_code == 503
    assert app.test_client().get("/healthz").status_code == 200  # the process lives
    response = app.test_client().get("/api/v1/skills")
    assert response.status_code == 503
    assert "instance init" in response.json["message"]
    result = app.test_cli_runner().invoke(args=["instance", "init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "secret_key").exists() and (tmp_path / "data_key").exists()
