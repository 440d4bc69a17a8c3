"""New workers and postings are written many rows at a time (`Importer.add_new`): the records,
skills and consents must be exactly those the one-row-at-a-time path writes, a bad row must
still be named and stop the file, and a batch that fails as a whole must fall back to single rows.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from app.employers.models import JobPosting
from app.employers.services import add_new_postings
from app.imports import services as imports
from app.imports.kinds import PostingImporter, WorkerImporter
from app.privacy.models import Consent
from app.workers.models import Worker
from app.workers.services import add_new_workers
from tests.helpers import count
from tests.integration.test_imports import (
    POSTING_HEADER,
    WORKER_HEADER,
    errors_of,
    posting_row,
    run_import,
    worker_row,
    write_csv,
)
from tests.integration.test_imports import skills as skills


def stored(db_session, importer_class, external_id: str) -> tuple:
    """A record's stored values and skills as the importers compare them, without its id."""
    record = db_session.scalar(
        select(importer_class.model).where(importer_class.model.external_id == external_id)
    )
    assert record is not None, external_id
    return tuple(
        item for item in importer_class(run=None).state(record) if item[:1] != ("external_id",)
    )


def consent_of(db_session, external_id: str) -> list[tuple]:
    return [
        (c.notice_version, c.purposes, c.given_by, c.withdrawn_at)
        for c in db_session.scalars(
            select(Consent).join(Worker).where(Worker.external_id == external_id)
        )
    ]


WORKER_VARIANTS = [
    {},
    {"skills": "TIG|3;read engineering drawings;VMC|4", "languages": ""},
    {"gender": "male", "education": "", "phone": "", "visible_to_employers": "no"},
    {"skills": "TIG|2;gas tungsten arc welding|4", "profile_text": ""},  # one skill twice
]


def test_workers_written_together_equal_workers_written_one_by_one(
    app, db_session, tmp_path, skills, monkeypatch
):
    rows = [worker_row(f"B{n}", **cells) for n, cells in enumerate(WORKER_VARIANTS)]
    code, report = run_import(app, "workers", write_csv(tmp_path, "b.csv", WORKER_HEADER, rows))
    assert code == 0 and report["created"] == len(rows)

    monkeypatch.setattr(WorkerImporter, "adds_in_bulk", False)
    rows = [worker_row(f"S{n}", **cells) for n, cells in enumerate(WORKER_VARIANTS)]
    code, report = run_import(app, "workers", write_csv(tmp_path, "s.csv", WORKER_HEADER, rows))
    assert code == 0 and report["created"] == len(rows)

    for n in range(len(WORKER_VARIANTS)):
        together = stored(db_session, WorkerImporter, f"B{n}")
        alone = stored(db_session, WorkerImporter, f"S{n}")
        assert together == alone
        assert consent_of(db_session, f"B{n}") == consent_of(db_session, f"S{n}")
        assert len(consent_of(db_session, f"B{n}")) == 1
    # Encrypted at rest on both paths: the stored phone is not the plain number.
    for external_id in ("B0", "S0"):
        raw = db_session.execute(
            text("SELECT phone FROM worker WHERE external_id = :id"), {"id": external_id}
        ).scalar_one()
        assert raw is not None and "9876543210" not in raw


POSTING_VARIANTS = [
    {},
    {"optional_skills": "", "wage_min_inr": "", "wage_max_inr": ""},
    {"essential_skills": "TIG|2;TIG|4", "optional_skills": "TIG"},  # stricter one wins
]


def test_postings_written_together_equal_postings_written_one_by_one(
    app, db_session, tmp_path, skills, monkeypatch
):
    rows = [posting_row(f"B{n}", **cells) for n, cells in enumerate(POSTING_VARIANTS)]
    code, report = run_import(app, "postings", write_csv(tmp_path, "b.csv", POSTING_HEADER, rows))
    assert code == 0 and report["created"] == len(rows), report
    assert report["organisations_created"] == ["EMP1"]

    monkeypatch.setattr(PostingImporter, "adds_in_bulk", False)
    rows = [posting_row(f"S{n}", **cells) for n, cells in enumerate(POSTING_VARIANTS)]
    code, report = run_import(app, "postings", write_csv(tmp_path, "s.csv", POSTING_HEADER, rows))
    assert code == 0 and report["created"] == len(rows)

    for n in range(len(POSTING_VARIANTS)):
        assert stored(db_session, PostingImporter, f"B{n}") == stored(
            db_session, PostingImporter, f"S{n}"
        )


def test_bad_row_in_a_later_batch_is_named_and_nothing_is_written(
    app, db_session, tmp_path, skills, monkeypatch
):
    monkeypatch.setattr(imports, "ROWS_AT_ONCE", 2)
    run_import(app, "workers", write_csv(tmp_path, "a.csv", WORKER_HEADER, [worker_row("W2")]))
    rows = [
        worker_row("W1"),
        worker_row("W2", district="Nashik"),  # known: an update, in the first batch
        worker_row("W3"),
        worker_row("W4", date_of_birth="2031-01-01"),  # line 5, second batch
        worker_row("W5"),
    ]
    code, report = run_import(app, "workers", write_csv(tmp_path, "b.csv", WORKER_HEADER, rows))
    assert code == 1 and errors_of(report) == {(5, "date_of_birth")}
    assert count(db_session, Worker) == 1
    assert db_session.scalar(select(Worker.district).where(Worker.external_id == "W2")) == "Pune"

    rows[3] = worker_row("W4")
    code, report = run_import(app, "workers", write_csv(tmp_path, "c.csv", WORKER_HEADER, rows))
    assert code == 0
    assert (report["created"], report["updated"], report["unchanged"]) == (4, 1, 0)
    assert db_session.scalar(select(func.count(Consent.id))) == 5


def test_errors_are_reported_in_line_order(app, db_session, tmp_path, skills, monkeypatch):
    monkeypatch.setattr(imports, "ROWS_AT_ONCE", 3)
    rows = [
        worker_row("W1", gender="woman"),
        worker_row("W2"),
        worker_row("W3", phone="123"),
        worker_row("W4", skills="urn:kaushalsetu:skill:nope"),
    ]
    code, report = run_import(app, "workers", write_csv(tmp_path, "e.csv", WORKER_HEADER, rows))
    assert code == 1
    assert [error["line"] for error in report["errors"]] == [2, 4, 5]


def test_a_batch_failing_as_a_whole_is_written_row_by_row(
    app, db_session, tmp_path, skills, monkeypatch
):
    """A constraint the checks did not foresee: the batch's SAVEPOINT is rolled back (its partial
    INSERT too) and every row goes through the one-row path, which names the row."""

    def add_then_fail(self, rows):
        db_session.execute(insert(Worker.__table__).values(
            external_id="PARTIAL", name="x", gender="male", date_of_birth=date(1990, 1, 1),
            district="Pune", state="Maharashtra", visible_to_employers=False,
            languages=[], profile_text="",
        ))  # fmt: skip
        raise IntegrityError("INSERT", {}, Exception("unforeseen"))

    monkeypatch.setattr(WorkerImporter, "add_new", add_then_fail)
    rows = [worker_row("W1", skills="TIG|3"), worker_row("W2")]
    code, report = run_import(app, "workers", write_csv(tmp_path, "f.csv", WORKER_HEADER, rows))
    assert code == 0 and report["created"] == 2
    ids = set(db_session.scalars(select(Worker.external_id)))
    assert ids == {"W1", "W2"}
    assert db_session.scalar(select(func.count(Consent.id))) == 2


def test_add_new_workers_leaves_out_failing_items_and_says_why(app, db_session, skills):
    base = {
        "name": "Asha",
        "gender": "female",
        "date_of_birth": "1999-01-01",
        "district": "Pune",
        "state": "Maharashtra",
    }
    ids, errors = add_new_workers(
        [
            {**base, "external_id": "A1", "skills": [{"uri": skills["lathe"].uri}]},
            {**base, "external_id": "A2", "skills": [{"uri": "urn:kaushalsetu:skill:nope"}]},
            {**base, "external_id": "A3", "name": ""},
            {**base, "external_id": "A4", "skills": [{"uri": skills["vmc"].uri, "proficiency": 9}]},
        ]
    )
    assert ids[0] is not None and ids[1:] == [None, None, None]
    assert set(errors) == {1, 2, 3}
    assert errors[1] == {"skills": ["Unknown skill: urn:kaushalsetu:skill:nope"]}
    assert "name" in errors[2] and "skills" in errors[3]
    assert list(db_session.scalars(select(Worker.external_id))) == ["A1"]


def test_add_new_postings_checks_wages_and_skills(app, db_session, skills, factories):
    employer = factories.employer()
    ids, errors = add_new_postings(
        [
            (employer, {"external_id": "P1", "title": "Welder", "district": "Pune",
                        "skills": [{"uri": skills["welding"].uri, "essential": True}]}),
            (employer, {"external_id": "P2", "title": "Welder", "district": "Pune",
                        "wage_min_inr": 30000, "wage_max_inr": 20000, "skills": []}),
            (employer, {"external_id": "P3", "title": "Welder", "district": "Pune",
                        "skills": [{"uri": "urn:kaushalsetu:skill:nope"}]}),
        ]
    )  # fmt: skip
    assert ids[0] is not None and ids[1:] == [None, None]
    assert errors == {
        1: {"wage_max_inr": ["Must not be below wage_min_inr."]},
        2: {"skills": ["Unknown skill: urn:kaushalsetu:skill:nope"]},
    }
    posting = db_session.scalar(select(JobPosting).where(JobPosting.external_id == "P1"))
    assert posting.posted_on is not None and posting.status.value == "open"
    assert [(s.skill.uri, s.essential) for s in posting.skills] == [(skills["welding"].uri, True)]


@pytest.mark.parametrize("kind", ["workers", "postings"])
def test_dry_run_of_new_rows_writes_nothing(app, db_session, tmp_path, skills, kind):
    header, row = (
        (WORKER_HEADER, worker_row) if kind == "workers" else (POSTING_HEADER, posting_row)
    )
    path = write_csv(tmp_path, "d.csv", header, [row("N1"), row("N2")])
    code, report = run_import(app, kind, path, "--dry-run")
    assert code == 0 and report["created"] == 2 and report["written"] is False
    model = Worker if kind == "workers" else JobPosting
    assert count(db_session, model) == 0 and db_session.scalar(select(func.count(Consent.id))) == 0
