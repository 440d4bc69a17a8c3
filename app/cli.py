"""Command-line entry points: each domain's click group, thin over the same services."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    for command in ():
        app.cli.add_command(command)
