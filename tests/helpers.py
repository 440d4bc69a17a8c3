"""Small helpers the integration tests share: an API login, a row count, the SQL statements of
one GET."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from tests.statements import statements_sent


def bearer(user) -> dict:
    """The Authorization header of a new API token of ``user`` (committed, as a login is)."""
    from app.auth.services import issue_token
    from app.extensions import db

    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def count(db_session, model) -> int:
    """How many rows the table of ``model`` holds."""
    return db_session.scalar(select(func.count(model.id)))


def statements_of_get(
    client: FlaskClient, path: str, headers: dict | None = None
) -> tuple[TestResponse, int]:
    """The response to a GET of ``path`` and how many SQL statements it sent. The same GET is sent
    once before and not counted: the first fills caches (skill labels, match data), so only what
    every request costs is counted."""
    client.get(path, headers=headers)
    with statements_sent() as sent:
        response = client.get(path, headers=headers)
    return response, len(sent)
