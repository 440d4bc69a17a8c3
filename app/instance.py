"""The instance folder's secrets, made once by `flask instance init` (make run does it), never as
a side effect of building the app: a process that only starts reads them.

secret_key signs sessions (SECRET_KEY in the environment wins); data_key encrypts phone numbers
and other sensitive fields (DATA_ENCRYPTION_KEY wins). Each is written atomically with mode 0600,
so two processes initialising at once keep one key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from cryptography.fernet import Fernet
from flask.cli import AppGroup

SECRET_KEY_FILE = "secret_key"
DATA_KEY_FILE = "data_key"

instance = AppGroup("instance", help="The instance folder: keys made once, kept on disk.")


def read_secret_key(instance_dir: Path) -> str | None:
    path = Path(instance_dir) / SECRET_KEY_FILE
    return path.read_text().strip() if path.exists() else None


def write_once(path: Path, value: str) -> bool:
    """Create `path` holding `value` unless it exists; says whether it was created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value)
    return True


def init_instance(instance_dir: Path) -> list[str]:
    """The keys the instance folder lacks, created; names what was created."""
    instance_dir = Path(instance_dir)
    created = []
    if write_once(instance_dir / SECRET_KEY_FILE, secrets.token_hex(32)):
        created.append(SECRET_KEY_FILE)
    if write_once(instance_dir / DATA_KEY_FILE, Fernet.generate_key().decode()):
        created.append(DATA_KEY_FILE)
    return created


@instance.command("init")
def init_command() -> None:
    """Create the instance folder's keys if they are missing (existing ones are kept)."""
    from flask import current_app

    folder = Path(current_app.config["INSTANCE_DIR"])
    created = init_instance(folder)
    click.echo(f"{folder}: created {', '.join(created)}" if created else f"{folder}: ready")
