"""Encryption at rest of sensitive worker fields (phone, social category, disability).

Fernet (AES-128-CBC with HMAC-SHA256) from the `cryptography` package. The key comes from the
DATA_ENCRYPTION_KEY setting or environment variable; if neither is set, from `data_key` in the
instance folder, created on first use (as app/config.py does for SECRET_KEY). Several keys may be
given, comma-separated: the first encrypts, all decrypt, so a key can be rotated.

The migrations use the same lookup without an app context, so `flask db upgrade` and the app
always agree on the key.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from app.config import INSTANCE_DIR
from app.instance import DATA_KEY_FILE, write_once

KEY_ENV = "DATA_ENCRYPTION_KEY"
KEY_FILE_NAME = DATA_KEY_FILE


class DecryptionFailed(RuntimeError):
    """A stored value could not be decrypted: the key is wrong or the value is not ciphertext."""


def _instance_dir() -> Path:
    from flask import current_app, has_app_context

    if has_app_context() and current_app.config.get("INSTANCE_DIR"):
        return Path(current_app.config["INSTANCE_DIR"])

    return INSTANCE_DIR


def _key_from_file(path: Path) -> str:
    """Read the key file, creating it first if `flask instance init` has not (a key made by
    another process at the same moment wins: only one is ever written)."""
    write_once(path, Fernet.generate_key().decode())
    return path.read_text().strip()


def configured_keys() -> str:
    """The key text in force: app setting, then environment, then the instance key file."""
    from flask import current_app, has_app_context

    if has_app_context() and current_app.config.get(KEY_ENV):
        return str(current_app.config[KEY_ENV])
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV]
    return _key_from_file(_instance_dir() / KEY_FILE_NAME)


@lru_cache(maxsize=8)
def _fernet_for(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])
    except ValueError as exc:
        raise ValueError(
            f"{KEY_ENV} must be one or more comma-separated Fernet keys "
            "(generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet_for(configured_keys())


def encrypt_text(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise DecryptionFailed(
            f"A stored value could not be decrypted: check {KEY_ENV} / instance/{KEY_FILE_NAME}."
        ) from exc


class EncryptedString(TypeDecorator):
    """A string stored as Fernet ciphertext (TEXT). Not searchable or sortable in SQL: the same
    value encrypts differently each time, which is what keeps it unreadable."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return encrypt_text(str(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decrypt_text(value)


class EncryptedBoolean(TypeDecorator):
    """A yes/no/unknown answer stored as the ciphertext of "true" or "false"."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, bool):
            raise TypeError(f"Expected True, False or None, got {value!r}.")
        return encrypt_text("true" if value else "false")

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decrypt_text(value) == "true"
