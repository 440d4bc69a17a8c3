"""Password hashing with argon2id; the cost comes from the app config so tests can run fast."""

from __future__ import annotations

import re
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

from app.i18n import N_

MIN_PASSWORD_LENGTH = 10
# A new password shorter than that, as the API says it and pages translate it (app/forms.py).
TOO_SHORT = N_("Use at least %(count)s characters.")
# zxcvbn's score (0-4) below which a password is refused: 0 and 1 are guessed within about a
# million tries ("password123", "sunita1998", "1234567890"), however long they are.
MIN_PASSWORD_SCORE = 2
TOO_EASY = N_(
    "This password is easy to guess (a common word, name, year or keyboard row). Use a few words "
    "of your own, e.g. three words you will remember."
)


def guessable(password: str, known: Iterable[str] = ()) -> bool:
    """Whether a password is among the easily guessed (zxcvbn's dictionaries of common passwords,
    names, words and keyboard patterns, offline), or is built on the account's own login or
    name (`known`)."""
    inputs = {part for text in known if text for part in re.split(r"[\W_]+", text.lower()) if part}
    return zxcvbn(password[:100], user_inputs=sorted(inputs))["score"] < MIN_PASSWORD_SCORE


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["ARGON2_TIME_COST"],
        memory_cost=current_app.config["ARGON2_MEMORY_COST"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
