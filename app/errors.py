"""One error shape for the whole API and plain error pages for people, from one place.

No response ever carries a stack trace or an exception's text: a 500 says only that something
went wrong, and a database outage answers 503 with Retry-After, after rolling the session back
so nothing half-done is kept, and without a restart once the database is back.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    default_exceptions,
)
from werkzeug.http import HTTP_STATUS_CODES

from app.extensions import limiter, login_manager
from app.i18n import DEFAULT_LANGUAGE, N_, current_language
from app.logging_setup import configure_logging
from app.transactions import discard_quietly

log = logging.getLogger(__name__)

# Seconds a client should wait before retrying after a database outage.
DATABASE_RETRY_AFTER = 30
# Seconds to wait after a rate limit, when the limiter cannot say exactly.
DEFAULT_RATE_LIMIT_RETRY_AFTER = 60
# The page shown when even the error template cannot be rendered.
FALLBACK_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Error {code} · KaushalSetu</title>"
    "<h1>{code}</h1><p>Something went wrong. Please try again in a moment.</p>"
    '<p><a href="/">Back to the start</a></p></html>'
)
# What an error page says instead of Werkzeug's default descriptions (the API keeps those); any
# other description is shown translated when the catalogues have it.
PAGE_MESSAGES = {
    BadRequest.description: _l("Something in the request was not right. Please try again."),
    Unauthorized.description: _l("Please log in to see this page."),
    Forbidden.description: _l("You do not have permission to see this page."),
    NotFound.description: _l(
        "We could not find this page. Check the address, or go back to the start."
    ),
    MethodNotAllowed.description: _l("This page cannot be used this way."),
    RequestEntityTooLarge.description: _l("The file or form is too large."),
    TooManyRequests.description: _l("Too many attempts. Please wait a little and try again."),
}


class ValidationFailed(Exception):
    """Input that breaks a rule; `errors` maps each field to its messages."""

    status_code = 422

    def __init__(self, errors: dict[str, list[str]], message: str = N_("Invalid input.")) -> None:
        super().__init__(message)
        self.errors = errors
        self.message = message


class CourseInUse(ValidationFailed):
    """A change refused because of records that depend on it (a course with enrolments)."""

    status_code = 409

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors, N_("The record is in use."))


class Busy(ServiceUnavailable):
    """A server error whose description is written for the user (say when to retry), unlike the
    generic 5xx text every other server error shows."""


class NotInitialised(Busy):
    """The instance folder has no session key yet: `flask instance init` was not run."""

    description = N_(
        "KaushalSetu is not set up yet: run `flask --app wsgi instance init` (make run does it) "
        "or set SECRET_KEY."
    )


class DatabaseUnavailable(Busy):
    """The database cannot be reached; the client should retry later."""

    description = N_("The service is temporarily unavailable. Please try again in a moment.")

    def get_headers(self, environ=None, scope=None) -> list[tuple[str, str]]:
        return [*super().get_headers(environ, scope), ("Retry-After", str(DATABASE_RETRY_AFTER))]


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_body(code: int, message: str, errors: dict | None = None) -> dict:
    body: dict = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"), "message": message}
    if errors:
        body["errors"] = errors
    return body


# Flask-WTF's refusals (a 400 page), for the catalogues.
CSRF_MESSAGES = (
    N_("The CSRF token is missing."),
    N_("The CSRF session token is missing."),
    N_("The CSRF token has expired."),
    N_("The CSRF token is invalid."),
    N_("The CSRF tokens do not match."),
)


def is_disconnect(exc: BaseException) -> bool:
    """True for errors meaning 'the database is unreachable', not 'this statement was wrong'."""
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError):
        return True
    return isinstance(exc, sa_exc.DBAPIError) and bool(exc.connection_invalidated)


def page_message(message: str, code: int | None = None) -> str:
    """An error's description as a person reads it, in the page's language; where it is still in
    English on a Marathi or Hindi page (a description naming a record, "No JobPosting with id
    'P999'.", which the catalogues cannot hold), what the page says for any error of that code.
    A description already said in the page's language (``_()`` at the abort) is kept."""
    message = str(message or "")
    known = PAGE_MESSAGES.get(message)
    if known is not None:
        return str(known)
    if not message:
        return ""
    translated = gettext(message)
    english_left = translated.isascii() and current_language() != DEFAULT_LANGUAGE
    if english_left and code in default_exceptions:
        return str(PAGE_MESSAGES.get(default_exceptions[code].description, translated))
    return translated


def render_error_page(code: int, message: str) -> str:
    """The generic error page; as an anonymous visitor if the user cannot be loaded (outage)."""
    try:
        message = page_message(message, code)
        return render_template("errors/error.html", code=code, message=message)
    except Exception:
        discard_quietly()

    g._login_user = login_manager.anonymous_user()
    try:
        return render_template("errors/error.html", code=code, message=message)
    except Exception:
        log.warning("The error page could not be rendered; sent the plain fallback.")
        return FALLBACK_PAGE.format(code=code)


def _retry_after_for_rate_limit() -> int:

    current = limiter.current_limit
    if current is None:
        return DEFAULT_RATE_LIMIT_RETRY_AFTER
    return max(1, math.ceil(current.reset_at - time.time()))


def http_error_response(exc: HTTPException) -> Response:
    """The JSON error shape for /api/ paths, the generic page otherwise; the exception's headers
    (Allow, Retry-After, WWW-Authenticate) are kept."""
    code = exc.code or 500
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    if code == 429 and not any(k.lower() == "retry-after" for k, _ in headers):
        headers.append(("Retry-After", str(_retry_after_for_rate_limit())))
    message = exc.description if code < 500 else HTTP_STATUS_CODES.get(code, "Error") + "."
    if isinstance(exc, Busy):
        message = exc.description
    if wants_json():
        errors = None
        data = getattr(exc, "data", None)
        if isinstance(data, dict) and "messages" in data:
            errors = data["messages"]
        response = jsonify(error_body(code, message, errors))
    else:
        response = Response(render_error_page(code, message), mimetype="text/html")
    response.status_code = code
    for header, value in headers:
        response.headers[header] = value
    return response


def register(app: Flask) -> None:

    configure_logging(app)

    @app.errorhandler(ValidationFailed)
    def handle_validation(exc: ValidationFailed):
        discard_quietly()
        code = exc.status_code
        if wants_json():
            return jsonify(error_body(code, exc.message, {"json": exc.errors})), code
        return render_error_page(code, exc.message), code

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        if (exc.code or 500) >= 500 or exc.code == 400:
            discard_quietly()  # e.g. a CSRF failure: nothing of the request is kept
        return http_error_response(exc)

    def handle_database_unavailable(exc: Exception):
        discard_quietly()
        reason = type(getattr(exc, "orig", None) or exc).__name__
        log.warning("Database unavailable on %s %s (%s)", request.method, request.path, reason)
        return http_error_response(DatabaseUnavailable())

    @app.errorhandler(sa_exc.DBAPIError)
    def handle_dbapi_error(exc: sa_exc.DBAPIError):
        if is_disconnect(exc):
            return handle_database_unavailable(exc)
        return handle_unexpected(exc)

    app.register_error_handler(sa_exc.OperationalError, handle_database_unavailable)
    app.register_error_handler(sa_exc.InterfaceError, handle_database_unavailable)
    app.register_error_handler(sa_exc.TimeoutError, handle_database_unavailable)

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        discard_quietly()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return http_error_response(InternalServerError())
