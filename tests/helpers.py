"""Small helpers the integration tests share: an API login and a row count."""

from __future__ import annotations

from sqlalchemy import func, select


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
