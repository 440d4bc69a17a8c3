"""Account use cases: create users, check passwords, issue and resolve API tokens."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta

from marshmallow import ValidationError, validate
from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError

from app import transactions
from app.audit.services import record_event
from app.auth.models import ApiToken, Role, User
from app.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    TOO_EASY,
    TOO_SHORT,
    guessable,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.database import utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.organisations.models import Organisation, OrganisationKind
from app.workers.models import Worker
from app.workers.services import normalise_phone

# Verifying against a real hash when the account is unknown keeps the timing the same.
_DUMMY_HASH: dict[str, str] = {}

ROLE_ORGANISATION_KIND = {
    Role.employer: OrganisationKind.employer,
    Role.institution: OrganisationKind.institution,
}

# A login is found by one of them; a worker may have only a phone (many have no email).
EMAIL_OR_PHONE = N_("An email or a phone number is required.")
NOT_AN_EMAIL = "Not a valid email address."  # marshmallow's words: pages say them their way


def looks_like_email(email: str) -> bool:
    """Whether a login's email is written as one (marshmallow's rule, as the API's): a login
    "not-an-email" was made, and its owner could never be told anything."""
    try:
        validate.Email()(email)
    except ValidationError:
        return False
    return True


def normalise_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


def password_problems(password: str, known: Iterable[str] = ()) -> dict[str, list[str]]:
    """What is wrong with a new password (too short, or easily guessed, also from the account's
    own login or name in `known`), for a login made or changed; empty if nothing is."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return {"password": [TOO_SHORT % {"count": MIN_PASSWORD_LENGTH}]}
    if guessable(password, known):
        return {"password": [TOO_EASY]}
    return {}


EMAIL_TAKEN = N_("This email already has an account.")
PHONE_TAKEN = N_("This phone number already has an account.")


def logins_taken(email: str | None, phone: str | None) -> dict[str, list[str]]:
    """The email or phone number, as typed, that another account already logs in with."""
    email, phone = normalise_email(email), normalise_phone_login(phone)
    errors: dict[str, list[str]] = {}
    if email and db.session.scalar(select(User.id).where(User.email == email)):
        errors["email"] = [EMAIL_TAKEN]
    if phone and db.session.scalar(select(User.id).where(User.phone == phone)):
        errors["phone"] = [PHONE_TAKEN]
    return errors


def create_user(
    *,
    email: str | None,
    password: str,
    role: Role | str,
    phone: str | None = None,
    organisation: Organisation | None = None,
    worker: Worker | None = None,
) -> User:
    """Create a login, checking that its role and its link to an organisation or worker agree."""
    role = Role(role)
    email = normalise_email(email)
    errors: dict[str, list[str]] = {}
    try:  # a new login's phone is a mobile that can receive its codes ("98765 4321" was taken)
        phone = normalise_phone(phone)
    except ValueError as exc:
        errors["phone"] = [str(exc)]
        phone = None
    if not email and "phone" not in errors and not phone:
        errors["email"] = [EMAIL_OR_PHONE]
    elif email and not looks_like_email(email):
        errors["email"] = [NOT_AN_EMAIL]
    own_words = [email or "", phone or "", worker.name if worker is not None else ""]
    errors.update(password_problems(password, own_words))
    expected_kind = ROLE_ORGANISATION_KIND.get(role)
    if expected_kind and (organisation is None or organisation.kind != expected_kind):
        errors["organisation"] = [f"A {role.value} login needs an {expected_kind.value}."]
    if role is Role.worker and worker is None:
        errors["worker"] = ["A worker login needs a worker record."]
    for field, messages in logins_taken(email, phone).items():
        errors.setdefault(field, messages)
    if errors:
        raise ValidationFailed(errors)
    user = User(
        email=email,
        phone=phone,
        password_hash=hash_password(password),
        role=role,
        organisation=organisation if expected_kind else None,
        worker=worker if role is Role.worker else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def normalise_phone_login(phone: str | None) -> str | None:
    """A phone login in its stored form (+91XXXXXXXXXX), or as typed if it is no Indian mobile."""

    phone = (phone or "").strip() or None
    try:
        return normalise_phone(phone) or phone
    except ValueError:
        return phone


def normalise_login(login: str | None) -> str:
    """The form in which a login (email or phone) is stored and compared."""
    login = (login or "").strip()
    if "@" in login:
        return normalise_email(login) or ""
    return normalise_phone_login(login) or ""


def find_login(login: str) -> User | None:
    login = normalise_login(login)
    if "@" in login:
        return db.session.scalar(select(User).where(User.email == login))
    return db.session.scalar(select(User).where(User.phone == login))


def authenticate(login: str, password: str) -> User | None:
    """The user if the password is right and the account active, else None (and an audit event)."""
    user = find_login(login)
    if user is None:
        if "hash" not in _DUMMY_HASH:
            _DUMMY_HASH["hash"] = hash_password(secrets.token_hex(8))
        verify_password(_DUMMY_HASH["hash"], password)
        record_event("login", outcome="refused", detail={"reason": "unknown"})
        return None
    if not verify_password(user.password_hash, password):
        record_event("login", actor_id=user.id, outcome="refused", detail={"reason": "password"})
        return None
    if not user.active:
        record_event("login", actor_id=user.id, outcome="refused", detail={"reason": "disabled"})
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record_login(user)
    return user


def record_login(user: User) -> None:
    """A session starts for this user: by their password, or at once on registering (a new
    worker's data said "last log in: —" while she was using her account)."""
    user.last_login_at = utcnow()
    record_event("login", actor_id=user.id)


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session and token of this user."""
    own_words = [user.email or "", user.phone or "", user.worker.name if user.worker else ""]
    if problems := password_problems(new_password, own_words):
        raise ValidationFailed(problems)
    user.password_hash = hash_password(new_password)
    record_event("password_changed", actor_id=user.id, object_type="user", object_id=user.id)
    end_all_sessions(user, reason="password_changed")


def record_password_change_refused(user: User) -> None:
    """Audit a password change refused because the current password was wrong."""
    record_event(
        "password_changed",
        actor_id=user.id,
        object_type="user",
        object_id=user.id,
        outcome="refused",
        detail={"reason": "current_password"},
    )


def end_all_sessions(
    user: User, reason: str = "logout_everywhere", actor_id: int | None = None
) -> None:
    """Bump the session version: every session cookie and API token issued before stops working.

    Sessions carry the version in their user id (User.get_id) and tokens store the version they
    were issued under, so one integer invalidates both, on every server, without a session store.
    The trail names who ended them: the user, or ``actor_id`` (an administrator disabling them).
    """
    user.session_version += 1
    record_event(
        "sessions_ended",
        actor_id=user.id if actor_id is None else actor_id,
        object_type="user",
        object_id=user.id,
        detail={"reason": reason},
    )


def disable_user(user: User, actor_id: int | None = None) -> None:
    """Disable an account: it cannot log in, and its sessions and tokens stop working at once."""
    user.active = False
    record_event("user_disabled", actor_id=actor_id, object_type="user", object_id=user.id)
    end_all_sessions(user, reason="disabled", actor_id=actor_id)


def enable_user(user: User, actor_id: int | None = None) -> None:
    """Let a disabled account log in again (taken away by mistake); its old sessions stay ended,
    and it sets a new password with a one-time code if it needs one."""
    user.active = True
    record_event("user_enabled", actor_id=actor_id, object_type="user", object_id=user.id)


def set_fair_use_exempt(user: User, exempt: bool, actor_id: int | None = None) -> None:
    """Lift (or restore) an account's request limits; audited, as it changes what one account may
    ask of the platform."""
    user.fair_use_exempt = exempt
    record_event(
        "fair_use_lifted" if exempt else "fair_use_restored",
        actor_id=actor_id,
        object_type="user",
        object_id=user.id,
    )
    db.session.flush()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> str:
    """A new random bearer token; only its digest is kept, so it is shown once."""
    token = "ks_" + secrets.token_urlsafe(32)
    # The version as stored now (after autoflush), not a possibly stale copy in memory: a token
    # tagged with an older version would be dead on arrival.
    version = db.session.scalar(select(User.session_version).where(User.id == user.id))
    db.session.add(ApiToken(user=user, digest=_digest(token), session_version=version))
    db.session.flush()
    record_event("token_issued", actor_id=user.id, object_type="user", object_id=user.id)
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.digest == _digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = row.user
    if not user.active or row.session_version != user.session_version:
        return None
    note_token_use(row)
    return user


log = logging.getLogger(__name__)
TOKEN_USE_RESOLUTION = timedelta(minutes=5)


def note_token_use(token: ApiToken) -> None:
    """Keep `last_used_at` to within a few minutes, written in a short transaction of its own.

    GET requests never commit, so a stamp written in the request's transaction was rolled back
    each time, and every bearer read tried again to write: on SQLite, concurrent reads then
    failed with "database is locked" (a transaction that has read cannot start writing while
    another one writes). So at most once per TOKEN_USE_RESOLUTION the request's read transaction
    is ended (this runs while the request authenticates, before its view writes anything), and
    the stamp is written and committed alone; the database's busy timeout queues it behind other
    writers. If it still cannot be written, a later request will write it: the request goes on.
    """
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_RESOLUTION:
        return
    session = db.session
    if session.new or session.dirty or session.deleted:
        token.last_used_at = now  # never commit a caller's pending changes: ride on their commit
        return
    stamp = (
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at <= now - TOKEN_USE_RESOLUTION,
            ),
        )
        .values(last_used_at=now)
    )
    if not transactions.write_alone(lambda: session.execute(stamp), may_fail=OperationalError):
        log.info("API token %s: last use not noted now (database busy)", token.id)
