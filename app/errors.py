"""One error shape for the whole API and plain error pages for people, from one place."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

log = logging.getLogger(__name__)


class ValidationFailed(Exception):
    """Input that breaks a rule; `errors` maps each field to its messages."""

    status_code = 422

    def __init__(self, errors: dict[str, list[str]], message: str = "Invalid input.") -> None:
        super().__init__(message)
        self.errors = errors
        self.message = message


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_body(code: int, message: str, errors: dict | None = None) -> dict:
    body: dict = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"), "message": message}
    if errors:
        body["errors"] = errors
    return body


def register(app: Flask) -> None:
    @app.errorhandler(ValidationFailed)
    def handle_validation(exc: ValidationFailed):
        from app.extensions import db

        db.session.rollback()
        if wants_json():
            return jsonify(error_body(422, exc.message, {"json": exc.errors})), 422
        return render_template("errors/error.html", code=422, message=exc.message), 422

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        code = exc.code or 500
        if wants_json():
            errors = None
            data = getattr(exc, "data", None)
            if isinstance(data, dict) and "messages" in data:
                errors = data["messages"]
            message = exc.description if code != 500 else "Internal server error."
            response = jsonify(error_body(code, message, errors))
            response.status_code = code
            for header, value in exc.get_headers():
                if header.lower() != "content-type":
                    response.headers[header] = value
            return response
        return render_template("errors/error.html", code=code, message=exc.description), code

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        from app.extensions import db

        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return handle_http(InternalServerError())
