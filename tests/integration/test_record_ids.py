"""Records and the ids they carry: every create refuses an id another record of its kind already
has (app/common.py: id_in_use), an upsert of a new record looks its id up once, and a record linking to another by an id that names none is told
which, in the same words (app/common.py: row_named_in); neither writes anything."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from app.employers.services import create_posting, upsert_posting
from app.errors import ValidationFailed
from app.institutions.services import (
    create_batch,
    create_course,
    create_enrolment,
    create_module,
    upsert_batch,
    upsert_course,
    upsert_enrolment,
    upsert_module,
)
from app.organisations.services import create_organisation, update_organisation
from app.placements.services import create_placement, upsert_placement
from app.workers.services import create_worker, upsert_worker
from tests.helpers import count

# What a new worker needs besides an id.
NEW_WORKER = {
    "name": "Asha",
    "gender": "female",
    "date_of_birth": date(2000, 1, 1),
    "district": "Pune",
    "state": "Maharashtra",
}


def creations(factories) -> dict:
    """For each kind: a record that exists, and a create asked again for its id."""
    employer = factories.employer()
    institution = factories.institution()
    course = factories.course(institution)
    worker = factories.worker()
    posting = factories.posting(employer)
    module = factories.module(course)
    batch = factories.batch(course)
    enrolment = factories.enrolment(worker, course)
    placement = factories.placement(worker, employer)
    return {
        "organisation": (
            employer,
            lambda i: create_organisation({"kind": "employer", "name": "Forge", "external_id": i}),
        ),
        "worker": (
            worker,
            lambda i: create_worker({**NEW_WORKER, "external_id": i}),
        ),
        "posting": (posting, lambda i: create_posting(employer, {"external_id": i, "title": "x"})),
        "course": (
            course,
            lambda i: create_course(institution, {"external_id": i, "title": "x", "hours": 10}),
        ),
        "module": (module, lambda i: create_module(course, {"external_id": i, "title": "x"})),
        "batch": (batch, lambda i: create_batch(course, {"external_id": i})),
        "enrolment": (
            enrolment,
            lambda i: create_enrolment(
                {
                    "external_id": i,
                    "worker": worker.external_id,
                    "course": course.external_id,
                    "enrolled_on": date(2026, 1, 5),
                }
            ),
        ),
        "placement": (
            placement,
            lambda i: create_placement(
                {
                    "external_id": i,
                    "worker": worker.external_id,
                    "placed_on": date(2026, 3, 1),
                    "monthly_wage_inr": 15000,
                }
            ),
        ),
    }


@pytest.mark.parametrize(
    "kind",
    ["organisation", "worker", "posting", "course", "module", "batch", "enrolment", "placement"],
)
def test_a_create_refuses_an_id_in_use(factories, db_session, kind):
    existing, create = creations(factories)[kind]
    db_session.flush()
    rows_before = count(db_session, type(existing))
    with pytest.raises(ValidationFailed) as refused:
        create(existing.external_id)
    article = "An" if kind[0] in "aeiou" else "A"
    expected = f"{article} {kind} with id {existing.external_id} exists."
    assert refused.value.errors["external_id"] == [expected]
    db_session.flush()
    assert count(db_session, type(existing)) == rows_before


@pytest.mark.parametrize("kind", ["worker", "course", "module", "batch"])
def test_an_id_in_use_is_reported_with_the_missing_fields(factories, db_session, kind):
    """One refusal names everything wrong with the create, as a form reports its fields."""
    existing, _ = creations(factories)[kind]
    institution = factories.institution()
    course = factories.course(institution)
    create = {
        "worker": lambda i: create_worker({"external_id": i, "name": "Asha"}),
        "course": lambda i: create_course(institution, {"external_id": i, "title": "Welding"}),
        "module": lambda i: create_module(course, {"external_id": i, "hours": 10}),
        "batch": lambda i: create_batch(course, {"external_id": i, "seats": 20}),
    }[kind]
    missing = {"worker": "gender", "course": "hours", "module": "title", "batch": "start_date"}
    db_session.flush()
    with pytest.raises(ValidationFailed) as refused:
        create(existing.external_id)
    assert "exists" in refused.value.errors["external_id"][0]
    assert missing[kind] in refused.value.errors


def test_a_link_to_an_id_that_names_nothing_is_refused_by_field(factories, db_session):
    institution = factories.institution()
    course = factories.course(institution)
    worker = factories.consenting_worker()
    enrolment = {
        "worker": "W-NONE",
        "course": "C-NONE",
        "batch": "B-NONE",
        "enrolled_on": date(2026, 1, 5),
    }
    with pytest.raises(ValidationFailed) as refused:
        create_enrolment(enrolment)
    assert refused.value.errors == {
        "worker": ["Unknown worker: W-NONE"],
        "course": ["Unknown course: C-NONE"],
        "batch": ["Unknown batch: B-NONE"],
    }
    # An institution is not an employer; a posting must exist.
    placement = {
        "worker": worker.external_id,
        "employer": institution.external_id,
        "posting": "P-NONE",
        "placed_on": date(2026, 3, 1),
        "monthly_wage_inr": 15000,
    }
    with pytest.raises(ValidationFailed) as refused:
        create_placement(placement)
    assert refused.value.errors == {
        "employer": [f"Unknown employer: {institution.external_id}"],
        "posting": ["Unknown posting: P-NONE"],
    }
    # An empty optional link is no link: self-employment, an enrolment without a batch.
    made = create_placement(
        {**placement, "employer": "", "posting": None, "employment_type": "self"}
    )
    assert made.employer is None and made.posting is None
    listed = create_enrolment(
        {**enrolment, "worker": worker.external_id, "course": course.external_id, "batch": ""}
    )
    assert listed.batch is None and listed.course is course


def test_an_organisation_names_its_cluster_by_an_id_that_exists(factories, db_session):
    organisation = factories.employer()
    with pytest.raises(ValidationFailed) as refused:
        update_organisation(organisation, {"cluster": "CL-NONE"})
    assert refused.value.errors == {"cluster": ["Unknown cluster: CL-NONE"]}
    assert update_organisation(organisation, {"cluster": ""}).cluster is None


def upserts(factories) -> dict:
    """For each kind the importers write one row at a time, an upsert of a record not yet there
    (and the pages' creates of the two kinds whose create went through their upsert): each gives
    (record, created)."""
    employer = factories.employer()
    institution = factories.institution()
    course = factories.course(institution)
    worker = factories.consenting_worker()
    return {
        "worker": lambda i: upsert_worker({**NEW_WORKER, "external_id": i}),
        "posting": lambda i: upsert_posting(
            employer, {"external_id": i, "title": "x", "openings": 1, "district": "Pune"}
        ),
        "course": lambda i: upsert_course(
            institution, {"external_id": i, "title": "x", "hours": 1}
        ),
        "module": lambda i: upsert_module(course, {"external_id": i, "title": "x", "hours": 1}),
        "batch": lambda i: upsert_batch(
            course, {"external_id": i, "start_date": date(2026, 2, 1), "seats": 10}
        ),
        "module (page)": lambda i: (
            create_module(course, {"external_id": i, "title": "x", "hours": 1}),
            True,
        ),
        "batch (page)": lambda i: (
            create_batch(course, {"external_id": i, "start_date": date(2026, 2, 1), "seats": 10}),
            True,
        ),
        "enrolment": lambda i: upsert_enrolment(
            {
                "external_id": i,
                "worker": worker.external_id,
                "course": course.external_id,
                "enrolled_on": date(2026, 1, 5),
            }
        ),
        "placement": lambda i: upsert_placement(
            {
                "external_id": i,
                "worker": worker.external_id,
                "employer": employer.external_id,
                "placed_on": date(2026, 3, 1),
                "monthly_wage_inr": 15000,
            }
        ),
    }


@contextmanager
def external_id_lookups(session):
    """The tables looked up by external id while the block runs, one entry per look-up."""
    looked_up: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if found := re.search(r"\bFROM (\w+)\s+WHERE \1\.external_id = ", statement):
            looked_up.append(found[1])

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield looked_up
    finally:
        event.remove(engine, "before_cursor_execute", note)


@pytest.mark.parametrize(
    "kind",
    [
        "worker",
        "posting",
        "course",
        "module",
        "batch",
        "module (page)",
        "batch (page)",
        "enrolment",
        "placement",
    ],
)
def test_a_new_record_looks_its_id_up_once(factories, db_session, kind):
    upsert = upserts(factories)[kind]
    db_session.flush()
    with external_id_lookups(db_session) as looked_up:
        record, created = upsert("NEW-1")
    assert created and record.external_id == "NEW-1"
    table = type(record).__table__.name
    assert looked_up.count(table) == 1, looked_up


def test_a_new_placement_looks_up_each_record_it_names_once(factories, db_session):
    employer = factories.employer()
    posting = factories.posting(employer)
    worker = factories.consenting_worker()
    db_session.flush()
    with external_id_lookups(db_session) as looked_up:
        placement = create_placement(
            {
                "worker": worker.external_id,
                "employer": employer.external_id,
                "posting": posting.external_id,
                "placed_on": date(2026, 3, 1),
                "monthly_wage_inr": 15000,
            }
        )
    assert (placement.worker, placement.employer, placement.posting) == (worker, employer, posting)
    assert sorted(looked_up) == ["job_posting", "organisation", "placement", "worker"]
