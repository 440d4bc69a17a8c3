"""Factories for test data: each builds a valid row with sensible defaults, through the services
where a rule applies, and commits it, as data exists before a request in real life. The commit only
releases a SAVEPOINT: the test's outer transaction is rolled back afterwards."""

from __future__ import annotations

import itertools
from datetime import date

from app.auth.models import Role
from app.auth.services import create_user
from app.employers.models import JobPosting, PostingSkill
from app.extensions import db
from app.institutions.models import Batch, Course, Enrolment, Module
from app.organisations.models import Organisation, OrganisationKind
from app.placements.models import Placement
from app.skills.models import Skill
from app.workers.models import Worker, WorkerSkill

PASSWORD = "correct-horse-battery"
_sequence = itertools.count(1)


def _next() -> int:
    return next(_sequence)


def skill(label: str | None = None, uri: str | None = None, **kwargs) -> Skill:
    n = _next()
    row = Skill(
        uri=uri or f"http://data.europa.eu/esco/skill/test-{n}",
        label=label or f"test skill {n}",
        alt_labels=kwargs.pop("alt_labels", []),
        description=kwargs.pop("description", ""),
        **kwargs,
    )
    db.session.add(row)
    db.session.commit()
    return row


def organisation(kind: str = "employer", **kwargs) -> Organisation:
    n = _next()
    row = Organisation(
        external_id=kwargs.pop("external_id", f"ORG-{n}"),
        kind=OrganisationKind(kind),
        name=kwargs.pop("name", f"Organisation {n}"),
        district=kwargs.pop("district", "Pune"),
        state=kwargs.pop("state", "Maharashtra"),
        **kwargs,
    )
    db.session.add(row)
    db.session.commit()
    return row


def employer(**kwargs) -> Organisation:
    return organisation("employer", **kwargs)


def institution(**kwargs) -> Organisation:
    return organisation("institution", **kwargs)


def worker(**kwargs) -> Worker:
    n = _next()
    skills = kwargs.pop("skills", [])
    row = Worker(
        external_id=kwargs.pop("external_id", f"W-{n}"),
        name=kwargs.pop("name", f"Worker {n}"),
        gender=kwargs.pop("gender", "female"),
        date_of_birth=kwargs.pop("date_of_birth", date(2000, 1, 15)),
        district=kwargs.pop("district", "Pune"),
        state=kwargs.pop("state", "Maharashtra"),
        visible_to_employers=kwargs.pop("visible_to_employers", True),
        **kwargs,
    )
    for item in skills:
        held, level = item if isinstance(item, tuple) else (item, 2)
        row.skills.append(WorkerSkill(skill=held, proficiency=level))
    db.session.add(row)
    db.session.commit()
    return row


def user(role: str = "worker", **kwargs):
    n = _next()
    role = Role(role)
    organisation_row = kwargs.pop("organisation", None)
    worker_row = kwargs.pop("worker", None)
    if role is Role.employer and organisation_row is None:
        organisation_row = employer()
    if role is Role.institution and organisation_row is None:
        organisation_row = institution()
    if role is Role.worker and worker_row is None:
        worker_row = worker()
    row = create_user(
        email=kwargs.pop("email", f"{role.value}{n}@test.example"),
        password=kwargs.pop("password", PASSWORD),
        role=role,
        organisation=organisation_row,
        worker=worker_row,
    )
    db.session.commit()
    return row


def posting(employer_row: Organisation | None = None, skills=(), **kwargs) -> JobPosting:
    n = _next()
    row = JobPosting(
        external_id=kwargs.pop("external_id", f"P-{n}"),
        employer=employer_row or employer(),
        title=kwargs.pop("title", f"Posting {n}"),
        district=kwargs.pop("district", "Pune"),
        openings=kwargs.pop("openings", 2),
        **kwargs,
    )
    for item in skills:
        required, essential, level = (
            (*item, True, 1)[:3] if isinstance(item, tuple) else (item, True, 1)
        )
        row.skills.append(PostingSkill(skill=required, essential=essential, min_proficiency=level))
    db.session.add(row)
    db.session.commit()
    return row


def course(institution_row: Organisation | None = None, skills=(), **kwargs) -> Course:
    n = _next()
    row = Course(
        external_id=kwargs.pop("external_id", f"C-{n}"),
        institution=institution_row or institution(),
        title=kwargs.pop("title", f"Course {n}"),
        hours=kwargs.pop("hours", 120),
        fee_inr=kwargs.pop("fee_inr", 0),
        **kwargs,
    )
    row.skills.extend(skills)
    db.session.add(row)
    db.session.commit()
    return row


def module(course_row: Course, skills=(), **kwargs) -> Module:
    n = _next()
    row = Module(
        external_id=kwargs.pop("external_id", f"M-{n}"),
        course=course_row,
        title=kwargs.pop("title", f"Module {n}"),
        hours=kwargs.pop("hours", 40),
        **kwargs,
    )
    row.skills.extend(skills)
    db.session.add(row)
    db.session.commit()
    return row


def batch(course_row: Course, **kwargs) -> Batch:
    n = _next()
    row = Batch(
        external_id=kwargs.pop("external_id", f"B-{n}"),
        course=course_row,
        start_date=kwargs.pop("start_date", date(2026, 12, 1)),
        seats=kwargs.pop("seats", 30),
        **kwargs,
    )
    db.session.add(row)
    db.session.commit()
    return row


def enrolment(worker_row: Worker, course_row: Course, **kwargs) -> Enrolment:
    n = _next()
    row = Enrolment(
        external_id=kwargs.pop("external_id", f"E-{n}"),
        worker=worker_row,
        course=course_row,
        enrolled_on=kwargs.pop("enrolled_on", date(2026, 1, 10)),
        **kwargs,
    )
    db.session.add(row)
    db.session.commit()
    return row


def placement(worker_row: Worker, employer_row: Organisation | None = None, **kwargs) -> Placement:
    n = _next()
    row = Placement(
        external_id=kwargs.pop("external_id", f"PL-{n}"),
        worker=worker_row,
        employer=employer_row,
        placed_on=kwargs.pop("placed_on", date(2026, 3, 1)),
        monthly_wage_inr=kwargs.pop("monthly_wage_inr", 15000),
        **kwargs,
    )
    db.session.add(row)
    db.session.commit()
    return row


def outcome_cluster() -> dict:
    """A small, hand-countable outcome dataset (as of 2026-06-30) for the outcome report tests.

    Two institutions: INS-A (course CA1, 3 months, batch BA1) and INS-B (course CB1, 6 months,
    batches BB1, BB2). Eight workers; w7 was first certified at INS-A and later at INS-B; w8
    enrols after the report date. The expected figures are worked out in
    tests/integration/test_outcome_reports.py.
    """
    ins_a = institution(external_id="INS-A", name="Institute A")
    ins_b = institution(external_id="INS-B", name="Institute B")
    boss = employer(external_id="EMP-X", name="Employer X")
    ca1 = course(ins_a, external_id="CA1", title="CNC operator", duration_months=3)
    cb1 = course(ins_b, external_id="CB1", title="Welder", duration_months=6)
    ba1 = batch(ca1, external_id="BA1", start_date=date(2025, 7, 1))
    bb1 = batch(cb1, external_id="BB1", start_date=date(2025, 1, 10))
    bb2 = batch(cb1, external_id="BB2", start_date=date(2025, 9, 1))
    people = {
        "w1": worker(
            external_id="OW1", gender="female", district="Pune", date_of_birth=date(2000, 1, 15)
        ),
        "w2": worker(
            external_id="OW2", gender="male", district="Pune", date_of_birth=date(1990, 5, 1)
        ),
        "w3": worker(
            external_id="OW3", gender="female", district="Khed", date_of_birth=date(2001, 3, 3)
        ),
        "w4": worker(
            external_id="OW4", gender="male", district="Khed", date_of_birth=date(2002, 2, 2)
        ),
        "w5": worker(
            external_id="OW5", gender="female", district="Pune", date_of_birth=date(2003, 4, 4)
        ),
        "w6": worker(
            external_id="OW6", gender="male", district="Pune", date_of_birth=date(1999, 6, 6)
        ),
        "w7": worker(
            external_id="OW7", gender="female", district="Khed", date_of_birth=date(1995, 6, 30)
        ),
        "w8": worker(
            external_id="OW8", gender="male", district="Pune", date_of_birth=date(2000, 8, 8)
        ),
    }
    certified_a = {
        "enrolled_on": date(2025, 7, 1),
        "status": "completed",
        "completed_on": date(2025, 9, 30),
        "certified": True,
        "certified_on": date(2025, 10, 1),
        "batch": ba1,
    }
    for name in ("w1", "w2", "w3", "w7"):
        enrolment(people[name], ca1, **certified_a)
    enrolment(people["w8"], ca1, enrolled_on=date(2026, 8, 1), batch=ba1)
    enrolment(
        people["w4"],
        cb1,
        enrolled_on=date(2025, 9, 1),
        status="completed",
        completed_on=date(2026, 4, 30),
        certified=True,
        certified_on=date(2026, 5, 1),
        batch=bb1,
    )
    enrolment(people["w5"], cb1, enrolled_on=date(2025, 9, 1), status="dropped", batch=bb2)
    enrolment(
        people["w6"],
        cb1,
        enrolled_on=date(2025, 1, 10),
        status="completed",
        completed_on=date(2025, 3, 31),
        certified=True,
        certified_on=date(2025, 4, 10),
        batch=bb1,
    )
    enrolment(
        people["w7"],
        cb1,
        enrolled_on=date(2026, 1, 5),
        status="completed",
        completed_on=date(2026, 2, 28),
        certified=True,
        certified_on=date(2026, 3, 1),
    )
    placement(people["w1"], boss, placed_on=date(2025, 11, 1), monthly_wage_inr=12000)
    placement(
        people["w2"],
        boss,
        placed_on=date(2025, 12, 15),
        ended_on=date(2026, 1, 31),
        monthly_wage_inr=15000,
    )
    placement(people["w4"], boss, placed_on=date(2026, 5, 20), monthly_wage_inr=9000)
    placement(people["w6"], boss, placed_on=date(2025, 5, 1), monthly_wage_inr=10000)
    placement(people["w7"], boss, placed_on=date(2025, 10, 20), monthly_wage_inr=14000)
    return {"institutions": (ins_a, ins_b), "courses": (ca1, cb1), "workers": people}


def consenting_worker(purposes: list[str] | None = None, **kwargs) -> Worker:
    """A worker with a standing consent (to every purpose of the current notice unless `purposes`
    names some), as the privacy rules require before matching or showing them to employers."""
    from app.privacy.notice import NOTICE_VERSION, PURPOSES
    from app.workers.services import record_consent

    row = worker(**kwargs)
    record_consent(row, NOTICE_VERSION, list(purposes or PURPOSES["en"]))
    db.session.commit()
    return row
