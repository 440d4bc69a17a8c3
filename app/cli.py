"""Command-line entry points: each domain's click group, thin over the same services."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from app.skills.cli import skills, taxonomy

    for command in (taxonomy, skills):
        app.cli.add_command(command)
