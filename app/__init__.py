"""KaushalSetu: the Flask application factory."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, current_app, request

from app import (
    assets,
    cli,
    errors,
    fair_use,
    i18n,
    models,  # noqa: F401  (every table on the metadata)
    security,
    transactions,
)
from app.api import register_api
from app.auth import login
from app.config import INSTANCE_DIR, PROJECT_ROOT, Config
from app.extensions import api, bootstrap, csrf, db, limiter, login_manager, migrate
from app.matchmaking import changes  # noqa: F401  (raises the matching data version on writes)
from app.notices import services as notices
from app.vectors import changes as _  # noqa: F401  (and the search texts version)
from app.views import register_views


def create_app(config: Config | Mapping[str, object] | None = None) -> Flask:
    """Build the app. No database work happens here: migrations and seeding are commands."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=False)
    if not isinstance(config, Config):
        config = Config(**dict(config or {}))
    app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        app.before_request(refuse_until_initialised)
    register_extensions(app)
    register_transactions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_security_headers(app)
    return app


def refuse_until_initialised() -> None:
    """Without a session key no login can work: say how to set up instead of failing later.
    /healthz still answers (the process lives); /readyz and every page say what is missing."""
    if request.endpoint != "main.liveness":
        current_app.logger.warning("No session key: run `flask --app wsgi instance init`.")
        raise errors.NotInitialised()


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(PROJECT_ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    login_manager.init_app(app)
    login.configure(login_manager)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    api.init_app(app)
    i18n.register(app)
    assets.register(app)


def register_transactions(app: Flask) -> None:
    transactions.register(app)
    notices.register(app)  # delivers a request's notices once it has committed


def register_blueprints(app: Flask) -> None:
    register_views(app)
    register_api(app)
    fair_use.register(app)


def register_errorhandlers(app: Flask) -> None:
    errors.register(app)


def register_commands(app: Flask) -> None:
    cli.register(app)


def register_security_headers(app: Flask) -> None:
    security.register(app)
