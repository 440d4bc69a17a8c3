"""`flask seed demo`: the whole demo cluster through the importers, in one transaction; `--if-empty`
leaves a database with workers alone; the example import files then re-import as unchanged."""

from __future__ import annotations

import json
import re
import shutil

from sqlalchemy import func, select

from app.auth.models import User
from app.auth.services import authenticate
from app.demo.services import DEMO_PATH
from app.employers.models import JobPosting
from app.institutions.models import Batch, Course, Enrolment, Module
from app.organisations.models import Cluster, Organisation
from app.placements.models import Placement
from app.skills.models import Skill, SkillAlias, SkillKind
from app.workers.models import Worker

EXPECTED = {
    Cluster: 1,
    Skill: 711,
    SkillAlias: 152,
    Organisation: 22,
    Course: 40,
    Module: 157,
    Batch: 206,
    JobPosting: 60,
    Worker: 300,
    Enrolment: 293,
    Placement: 96,
    User: 18,
}


def counts(db_session) -> dict:
    return {model: db_session.scalar(select(func.count(model.id))) for model in EXPECTED}


def test_seed_demo_loads_everything_then_if_empty_is_a_no_op(app, db_session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert counts(db_session) == EXPECTED
    local = db_session.scalar(select(func.count(Skill.id)).where(Skill.kind == SkillKind.local))
    assert local == 43
    assert authenticate("iti@demo.kaushalsetu.in", "demo-pass-2026").organisation.external_id == (
        "INS01"
    )
    assert re.search(r"workers\s+300 new\s+0 updated\s+0 unchanged", result.output)
    check_demo_applications(db_session)

    again = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert again.exit_code == 0 and "already has workers" in again.output
    assert counts(db_session) == EXPECTED

    # The five example import files are the same data: importing them now changes nothing.
    for kind in ("workers", "courses", "postings", "enrolments", "placements"):
        path = DEMO_PATH / f"{kind}.csv"
        result = runner.invoke(args=["import", kind, str(path), "--format", "json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.output)
        assert report["rows"] == report["unchanged"] == EXPECTED_ROWS[kind], report
    assert counts(db_session) == EXPECTED


EXPECTED_ROWS = {"workers": 300, "courses": 40, "postings": 60, "enrolments": 293, "placements": 96}


def test_a_bad_row_in_a_late_file_leaves_nothing(app, db_session, tmp_path):
    demo = tmp_path / "demo"
    shutil.copytree(DEMO_PATH, demo)
    lines = (demo / "placements.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[50] = lines[50].replace(",wage,", ",salaried,", 1)
    (demo / "placements.csv").write_text("".join(lines), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--path", str(demo)])
    assert result.exit_code != 0
    assert "line 51, employment_type" in result.output and "nothing written" in result.output
    assert all(value == 0 for value in counts(db_session).values())


def check_demo_applications(db_session) -> None:
    """The demo's applications agree with its placements: each hire is a placement of the same
    worker for that posting's employer, no placement against a posting lacks its hire, every
    history replays to its status, and there are applicants at every step."""
    from app.applications.models import Application
    from app.applications.states import replay

    applications = db_session.scalars(select(Application)).all()
    statuses = {application.status.value for application in applications}
    assert {"applied", "shortlisted", "interview", "hired", "rejected", "withdrawn"} <= statuses
    for application in applications:
        steps = [(e.from_status, e.to_status, e.actor) for e in application.events]
        assert replay(steps) is application.status, application.external_id
        if application.status.value == "hired":
            placement = application.placement
            assert placement.worker_id == application.worker_id
            assert placement.posting_id == application.posting_id
            assert application.events[-1].at.date() <= placement.placed_on
        else:
            assert application.placement is None
    hired = {a.placement_id for a in applications if a.placement_id}
    against_postings = db_session.scalars(
        select(Placement.id).where(Placement.posting_id.is_not(None))
    ).all()
    assert set(against_postings) == hired
