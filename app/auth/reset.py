"""Forgotten passwords: a one-time code, given by someone who knows the person, sets a new one.

Many workers have no email and the platform sends no messages, so the code is issued by an
administrator, or by an institution for a worker enrolled with it, and handed over in person or
by phone. Only the code's hash is stored; it works once, for CODE_LIFETIME, and MAX_ATTEMPTS
wrong tries spend it. A new code replaces any earlier one. Setting the password signs out every
other session and token (change_password).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from app.audit.services import record_event
from app.auth.models import PasswordResetCode, User
from app.auth.passwords import hash_password, verify_password
from app.auth.services import change_password, find_login
from app.database import utcnow
from app.errors import ValidationFailed
from app.extensions import db

CODE_DIGITS = 8
CODE_LIFETIME = timedelta(minutes=30)
MAX_ATTEMPTS = 5
# One answer for an unknown login, a wrong, used or expired code: it tells a guesser nothing.
CODE_REFUSED = "The code is wrong or has expired. Ask for a new one."


def issue_reset_code(user: User, issued_by: User | None = None) -> str:
    """A new one-time code for `user` (shown once to whoever issued it: a user, or None for an
    administrator at the command line); earlier codes stop working."""
    now = utcnow()
    for earlier in open_codes(user):
        earlier.used_at = now
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    db.session.add(
        PasswordResetCode(
            user=user,
            code_hash=hash_password(code),
            issued_by_id=issued_by.id if issued_by else None,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    )
    record_event(
        "password_reset_code_issued",
        actor_id=issued_by.id if issued_by else None,
        object_type="user",
        object_id=user.id,
    )
    db.session.flush()
    return code


def open_codes(user: User) -> list[PasswordResetCode]:
    return list(
        db.session.scalars(
            select(PasswordResetCode).where(
                PasswordResetCode.user_id == user.id, PasswordResetCode.used_at.is_(None)
            )
        )
    )


def reset_password(login: str, code: str, new_password: str) -> User:
    """Set a new password with a one-time code; ValidationFailed (CODE_REFUSED) otherwise.

    A wrong code counts against the code's tries: the caller must keep that change (answer
    without rolling back), or the tries would never run out.
    """
    user = find_login(login)
    now = utcnow()
    current = None
    if user is not None and user.active:
        current = next(
            (c for c in open_codes(user) if c.expires_at > now and c.attempts < MAX_ATTEMPTS),
            None,
        )
    code = "".join(code.split())
    if current is None or not verify_password(current.code_hash, code):
        if current is not None:
            current.attempts += 1
        record_event(
            "password_reset",
            actor_id=user.id if user is not None else None,
            outcome="refused",
            detail={"reason": "code"},
        )
        db.session.flush()
        raise ValidationFailed({"code": [CODE_REFUSED]})
    change_password(user, new_password)  # refuses a short password before the code is spent
    current.used_at = now
    record_event("password_reset", actor_id=user.id, object_type="user", object_id=user.id)
    db.session.flush()
    return user
