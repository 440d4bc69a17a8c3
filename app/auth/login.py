"""Flask-Login wiring: sessions carry the user's session version; the API also takes bearer tokens."""

from __future__ import annotations

from flask import Request, g
from flask_login import LoginManager

from app.auth.models import User
from app.auth.services import user_for_token
from app.extensions import db
from app.i18n import N_


def load_session_user(user_id: str) -> User | None:
    """Load the user behind a session, unless the session's version is out of date."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        user = db.session.get(User, int(raw_id))
        version = int(raw_version)
    except (ValueError, TypeError):
        return None
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def load_bearer_user(request: Request) -> User | None:

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    user = user_for_token(token.strip())
    if user is not None:
        g.authenticated_by_token = True
    return user


# Said on the login page to whoever came to a page that needs a login, in their language.
LOG_IN_TO_SEE = N_("Please log in to see this page.")


def unauthorized():
    """The API answers 401 in its JSON shape; pages send people to the login page."""
    from flask import abort, flash, redirect, request, url_for
    from flask_babel import gettext

    if request.path.startswith("/api/"):
        abort(401, description="Log in, or send Authorization: Bearer <token>.")
    flash(gettext(LOG_IN_TO_SEE), "info")
    # Back to the page asked for once logged in (a page, not a form's post).
    wanted = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=wanted))


def ignore_remember_cookie(manager: LoginManager) -> None:
    """Never log anyone in from a remember-me cookie: sessions end with the browser or logout.

    Flask-Login would otherwise accept a signed `remember_token` cookie, and would skip the bearer
    loader whenever one is present; this keeps bearer tokens working and the cookie ignored.
    """

    def load_without_remember_cookie(_cookie: str) -> User | None:
        from flask import request

        return manager._load_user_from_request(request)

    manager._load_user_from_remember_cookie = load_without_remember_cookie  # type: ignore[method-assign]


def configure(manager: LoginManager) -> None:
    ignore_remember_cookie(manager)
    manager.user_loader(load_session_user)
    manager.request_loader(load_bearer_user)
    manager.unauthorized_handler(unauthorized)
    manager.login_view = "auth.login"
    manager.login_message = LOG_IN_TO_SEE
    manager.login_message_category = "info"
    manager.session_protection = "strong"
