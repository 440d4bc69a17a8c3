"""Command-line entry points: each domain's click group, thin over the same services."""

from __future__ import annotations

from flask import Flask

from app.auth.cli import users
from app.demo.cli import seed
from app.imports.cli import import_command
from app.matches import bulk  # noqa: F401  (adds `recommend all` to the recommend group)
from app.matches.cli import demand, gap, recommend
from app.outcomes.cli import report
from app.skills.cli import skills, taxonomy


def register(app: Flask) -> None:
    for command in (users, seed, import_command, taxonomy, skills, gap, recommend, demand, report):
        app.cli.add_command(command)
