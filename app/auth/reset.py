"""Forgotten passwords: a one-time code sets a new one.

Where the site sends SMS (SMS_GATEWAY_URL), the person asks for a code on the forgotten-password
page and it goes to the phone number of their account, valid for SENT_CODE_LIFETIME; the page
says the same whether or not the login exists, and a code is sent at most once per RESEND_AFTER.
Everywhere, an administrator, or an institution for a worker enrolled with it, can issue a code
to hand over in person (valid for CODE_LIFETIME); the page names the cluster's help desk
(HELP_DESK_PHONE, HELP_DESK_EMAIL) to a worker with no institution to ask. Only the code's hash
is stored; it works once, and MAX_ATTEMPTS wrong tries spend it. A new code replaces any earlier
one. Setting the password signs out every other session and token (change_password). Codes never
go to the log.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.audit.services import record_event
from app.auth.models import PasswordResetCode, User
from app.auth.passwords import hash_password, verify_password
from app.auth.services import change_password, find_login
from app.database import utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.notices.messages import notice_text_in
from app.notices.senders import NoAddress, SendFailed, SmsGatewaySender, sender_from_config

logger = logging.getLogger("kaushalsetu.auth")

CODE_DIGITS = 8
CODE_LIFETIME = timedelta(minutes=30)
SENT_CODE_LIFETIME = timedelta(minutes=10)
RESEND_AFTER = timedelta(seconds=60)
MAX_ATTEMPTS = 5
# One answer for an unknown login, a wrong, used or expired code: it tells a guesser nothing.
CODE_REFUSED = "The code is wrong or has expired. Ask for a new one."


def issue_reset_code(
    user: User, issued_by: User | None = None, lifetime: timedelta = CODE_LIFETIME
) -> str:
    """A new one-time code for `user` (shown once to whoever issued it: a user, or None for an
    administrator at the command line or a code sent by SMS); earlier codes stop working."""
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
            expires_at=now + lifetime,
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


def send_reset_code(login: str) -> bool:
    """Send a new code to the phone of the account `login` names, if the site sends SMS, the
    account is active, has a phone and got no code in the last minute; says whether one went.
    The caller answers the same either way, so nobody learns which logins exist."""
    sender = sender_from_config(current_app.config)
    if not isinstance(sender, SmsGatewaySender):
        logger.warning("forgotten password: no SMS gateway configured, no code sent")
        return False
    user = find_login(login)
    phone = None
    if user is not None and user.active:
        phone = user.sms_phone
    recent = user is not None and any(
        code.created_at > utcnow() - RESEND_AFTER for code in open_codes(user)
    )
    if phone is None or recent:
        record_event(
            "password_reset_code_sent", outcome="refused", detail={"reason": "no phone or too soon"}
        )
        return False
    code = issue_reset_code(user, lifetime=SENT_CODE_LIFETIME)
    text = notice_text_in(user.preferred_language, "password.code", {"code": code})
    try:
        sender.send(phone, text, reference=f"reset-{user.id}")
    except (SendFailed, NoAddress) as exc:
        logger.warning("forgotten password: the code could not be sent (%s)", exc)
        return False
    return True
