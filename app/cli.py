"""Command-line entry points: each domain's click group, thin over the same services."""

from __future__ import annotations

from flask import Flask

from app.auth.cli import users
from app.demo.cli import seed
from app.imports.cli import import_command
from app.instance import instance
from app.jobs.cli import jobs
from app.matchmaking.cli import demand, gap, recommend
from app.matchmaking.recommend_all import recommend_all_command
from app.notices.cli import notices
from app.outcomes.cli import report
from app.skills.cli import skills, taxonomy
from app.vectors.cli import vectors


def register(app: Flask) -> None:
    recommend.add_command(recommend_all_command)
    for command in (
        instance,
        users,
        seed,
        import_command,
        taxonomy,
        skills,
        gap,
        recommend,
        demand,
        report,
        jobs,
        vectors,
        notices,
    ):
        app.cli.add_command(command)
