"""Liveness (/healthz) and readiness (/readyz) for the process manager and load balancer, and the
gunicorn settings they are served with."""

from __future__ import annotations

import runpy

from sqlalchemy.exc import OperationalError

from tests.conftest import PROJECT_ROOT


def test_liveness_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readiness_is_200_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready"}


def test_readiness_is_503_with_retry_after_when_the_database_does_not(client, monkeypatch):
    from app.extensions import db

    def refuse(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json() == {"status": "unavailable"}
    # liveness does not depend on the database
    assert client.get("/healthz").status_code == 200


def test_gunicorn_runs_two_threaded_workers_by_default(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert settings["workers"] == 2
    assert settings["worker_class"] == "gthread"
    assert settings["threads"] >= 2
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))["workers"] == 3
