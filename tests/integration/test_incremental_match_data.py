"""The match data brought up to date from the change log (app/matchmaking/changes.py) equals a fresh
build after any sequence of committed writes: the same profiles, the same jobs, candidates, gaps
and fits in the same order, the same offerings. Hypothesis draws the writes; each runs through
the services (or as a bulk statement) and commits, as a request would."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from app.employers.models import PostingStatus
from app.employers.services import add_new_postings, set_posting_skills, update_posting
from app.extensions import db
from app.institutions.models import Batch, Enrolment, EnrolmentStatus
from app.institutions.services import set_course_skills
from app.matchmaking import match_inputs, snapshots
from app.matchmaking.changes import ALL, BATCH, COURSES, POSTING, TAXONOMY, WORKER
from app.matchmaking.models import MatchChange
from app.privacy.notice import NOTICE_VERSION, PURPOSES
from app.workers.models import Worker
from app.workers.services import (
    add_new_workers,
    add_worker_skill,
    record_consent,
    record_consents,
    remove_worker_skill,
    set_worker_skills,
    withdraw_consent,
)
from matching.ranking import rank_candidates, rank_jobs

DISTRICTS = ["Pune", "Satara", "Nashik"]
LABELS = ["TIG welding", "MIG welding", "arc welding", "CNC turning", "CNC milling", "forklift"]


@pytest.fixture
def world(db_session, factories):
    skills = [factories.skill(label) for label in LABELS]
    employers = [factories.employer(), factories.employer()]
    institution = factories.institution()
    workers = [
        factories.consenting_worker(
            district=DISTRICTS[i % 3],
            skills=[(skills[(i + j) % len(skills)], 1 + (i + j) % 4) for j in range(i % 3 + 1)],
        )
        for i in range(6)
    ]
    postings = [
        factories.posting(
            employers[i % 2],
            skills=[(skills[(2 * i + j) % len(skills)], j == 0, 1 + j) for j in range(i % 3)],
            district=DISTRICTS[i % 3],
            wage_min_inr=10000 + 1000 * i,
        )
        for i in range(5)
    ]
    course = factories.course(institution, skills=skills[:2])
    factories.batch(course, start_date=date(2030, 1, 1))
    return {
        "skills": skills,
        "employers": employers,
        "institution": institution,
        "workers": workers,
        "postings": postings,
        "course": course,
    }


def picture(data: match_inputs.MatchData) -> tuple:
    """Everything a request can read from the match data, in a comparable form."""
    index = data.index
    workers = {
        key: (
            worker.district,
            worker.visible,
            worker.women_only_ok,
            sorted((h.uri, h.level) for h in worker.held),
        )
        for key, worker in sorted(index.workers.items())
    }
    jobs = {
        key: [(m.posting.posting_id, m.fit, m.commute, m.gap) for m in rank_jobs(worker, index)]
        for key, worker in sorted(index.workers.items())
    }
    matrix = data.candidate_matrix()
    candidates = {
        key: (
            [(m.worker.worker_id, m.fit, m.gap) for m in rank_candidates(posting, index)],
            [tuple(found) for found in matrix.rank(posting, None)],
        )
        for key, posting in sorted(index.postings.items())
    }
    return (
        workers,
        dict(sorted(index.postings.items())),
        jobs,
        candidates,
        len(matrix),
        data.templates,
        data.batches,
        dict(sorted(data.posting_wages.items())),
        dict(sorted(data.worker_ids.items())),
        dict(sorted(data.posting_ids.items())),
        data.labels,
        data.catalogue(date(2029, 6, 1)).offerings,
    )


def course_batches(course) -> list[Batch]:
    return list(db.session.scalars(select(Batch).where(Batch.course_id == course.id)))


def write(world, db_session, factories, what: str, a: int, b: int) -> None:
    """One request's worth of writing, committed."""
    skills, workers, postings = world["skills"], world["workers"], world["postings"]
    worker = workers[a % len(workers)]
    posting = postings[a % len(postings)]
    skill = skills[b % len(skills)]
    if what == "add_skill":
        add_worker_skill(worker, skill.uri, proficiency=1 + b % 4)
    elif what == "remove_skill":
        remove_worker_skill(worker, skill.uri)
    elif what == "set_skills":
        set_worker_skills(
            worker,
            [
                {"uri": skills[(b + i) % len(skills)].uri, "proficiency": 1 + i}
                for i in range(b % 4)
            ],
        )
    elif what == "district":
        worker.district = DISTRICTS[b % 3]
    elif what == "visibility":
        worker.visible_to_employers = not worker.visible_to_employers
    elif what == "consent":
        if b % 2:
            withdraw_consent(worker)
        else:
            record_consent(worker, NOTICE_VERSION, list(PURPOSES["en"]))
    elif what == "posting_skills":
        set_posting_skills(
            posting,
            [
                {
                    "uri": skills[(b + i) % len(skills)].uri,
                    "essential": i % 2 == 0,
                    "proficiency": 1 + i,
                }
                for i in range(b % 4)
            ],
        )
    elif what == "posting_status":
        open_now = posting.status is PostingStatus.open
        posting.status = PostingStatus.closed if open_now else PostingStatus.open
    elif what == "wage":
        update_posting(posting, {"wage_min_inr": 9000 + 500 * b, "wage_max_inr": 20000})
    elif what == "employer":
        world["employers"][b % 2].sector = ["auto", "textiles", None][a % 3]
    elif what == "course":
        set_course_skills(world["course"], [s.uri for s in skills[b % 3 : b % 3 + 2]])
    elif what == "batch":
        factories.batch(world["course"], start_date=date(2029, 1 + b % 12, 1), seats=1 + b % 3)
    elif what in ("enrol", "enrol_without_batch"):
        batches = course_batches(world["course"])
        batch = batches[b % len(batches)] if what == "enrol" else None
        factories.enrolment(worker, world["course"], batch=batch)
    elif what == "release_seat":  # an enrolment dropped: its seat is free again
        held = db_session.scalars(
            select(Enrolment).where(Enrolment.batch_id.is_not(None)).order_by(Enrolment.id)
        ).all()
        if held:
            held[b % len(held)].status = EnrolmentStatus.dropped
    elif what == "new_workers":
        ids, errors = add_new_workers(
            [
                {
                    "name": f"New {b} {i}",
                    "gender": "male",
                    "date_of_birth": date(1995, 1, 1),
                    "district": DISTRICTS[i % 3],
                    "state": "Maharashtra",
                    "skills": [{"uri": skill.uri, "proficiency": 1 + i % 4}],
                }
                for i in range(1 + b % 3)
            ]
        )
        assert not errors
        record_consents(ids, NOTICE_VERSION, list(PURPOSES["en"]), "self")
    elif what == "new_posting":
        ids, errors = add_new_postings(
            [
                (
                    world["employers"][b % 2],
                    {"title": f"New {b}", "district": DISTRICTS[b % 3], "openings": 1,
                     "skills": [{"uri": skill.uri, "essential": True, "proficiency": 2}]},
                )
            ]
        )  # fmt: skip
        assert not errors
    elif what == "bulk_update":  # a statement whose rows the log cannot tell: a full build
        db_session.execute(
            update(Worker).where(Worker.id == worker.id).values(district=DISTRICTS[b % 3])
        )
    elif what == "new_skill":  # a taxonomy change: a full build
        factories.skill(f"welding {a} {b}")
    db_session.commit()


WRITES = st.tuples(
    st.sampled_from(
        [
            "add_skill",
            "remove_skill",
            "set_skills",
            "district",
            "visibility",
            "consent",
            "posting_skills",
            "posting_status",
            "wage",
            "employer",
            "course",
            "batch",
            "enrol",
            "enrol_without_batch",
            "release_seat",
            "new_workers",
            "new_posting",
            "bulk_update",
            "new_skill",
        ]
    ),
    st.integers(0, 20),
    st.integers(0, 20),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.lists(WRITES, min_size=1, max_size=3), min_size=1, max_size=6))
def test_brought_up_to_date_equals_a_fresh_build(app, db_session, factories, world, steps):
    match_inputs.kept_match_data.forget()
    match_inputs.match_data().candidate_matrix()  # built, so it is updated too
    for writes in steps:
        for what, a, b in writes:
            write(world, db_session, factories, what, a, b)
        kept = match_inputs.match_data()
        fresh = match_inputs.build_match_data(kept.stamp)
        assert picture(kept) == picture(fresh)


def test_a_write_logs_its_records_and_is_applied_not_rebuilt(app, db_session, world):
    worker, posting = world["workers"][0], world["postings"][1]
    first = match_inputs.match_data()
    first.candidate_matrix()
    add_worker_skill(worker, world["skills"][5].uri, proficiency=3)
    set_posting_skills(posting, [{"uri": world["skills"][5].uri, "essential": True}])
    db_session.commit()
    logged = db_session.execute(
        select(MatchChange.kind, MatchChange.entity_id).where(
            MatchChange.version == match_inputs.matching_version(db_session)
        )
    ).all()
    assert sorted(logged) == sorted([(WORKER, worker.id), (POSTING, posting.id)])
    after = match_inputs.match_data()
    assert after.stamp[0] == first.stamp[0] + 1
    assert after.closeness is first.closeness and after.labels is first.labels  # not rebuilt
    assert after.templates is first.templates  # no course changed
    held = after.index.workers[worker.external_id].held_map
    assert held[world["skills"][5].uri].level == 3
    found = [
        c.worker_id
        for c in after.candidate_matrix().rank(after.index.postings[posting.external_id])
    ]
    assert worker.external_id in found
    assert worker.external_id not in [
        c.worker_id
        for c in first.candidate_matrix().rank(first.index.postings[posting.external_id])
    ]  # the data a request may still hold is left as it was


@pytest.mark.parametrize(
    ("what", "kind"), [("batch", COURSES), ("new_skill", TAXONOMY), ("bulk_update", ALL)]
)
def test_whole_parts_are_logged_once(app, db_session, factories, world, what, kind):
    write(world, db_session, factories, what, 1, 2)
    logged = db_session.execute(
        select(MatchChange.kind, MatchChange.entity_id).where(
            MatchChange.version == match_inputs.matching_version(db_session)
        )
    ).all()
    assert logged == [(kind, 0)]


def test_too_many_changes_build_it_all_again(app, db_session, world):
    first = match_inputs.match_data()
    app.config["MATCH_CHANGES_MAX"] = 1
    try:
        add_worker_skill(world["workers"][0], world["skills"][4].uri)
        add_worker_skill(world["workers"][1], world["skills"][4].uri)
        db_session.commit()
        after = match_inputs.match_data()
    finally:
        app.config["MATCH_CHANGES_MAX"] = 10_000
    assert after.closeness is not first.closeness  # a full build
    assert picture(after) == picture(match_inputs.build_match_data(after.stamp))


def test_a_new_process_starts_from_the_snapshot_and_catches_up(
    app, db_session, world, tmp_path, monkeypatch
):
    monkeypatch.setattr(snapshots, "MAPPED_BYTES", 1)  # map every array, however small
    app.config["MATCH_SNAPSHOT_DIR"] = str(tmp_path)
    try:
        match_inputs.kept_match_data.forget()
        built = match_inputs.match_data()  # a full build: its snapshot is written in a thread
        match_inputs._saving.join()
        assert len(list(tmp_path.glob("match-*"))) == 1

        match_inputs.kept_match_data.forget()  # as a new process
        builds = match_inputs.full_builds
        loaded = match_inputs.match_data()
        assert match_inputs.full_builds == builds  # loaded, not built
        assert loaded is not built and loaded.stamp == built.stamp
        assert loaded._matrix is not None  # the candidate matrix came with it
        table = loaded.index.workers
        assert table.rows == len(built.index.workers)  # every worker in the shared arrays
        for array in table.base.values():  # mapped from the snapshot's files, read-only
            assert isinstance(array, np.memmap) and not array.flags.writeable
        assert loaded._matrix._table is table  # the matrix shares the index's arrays
        assert picture(loaded) == picture(built)

        worker = world["workers"][2]
        held = built.index.workers[worker.external_id].held_map
        new_skill = next(skill for skill in world["skills"] if skill.uri not in held)
        add_worker_skill(worker, new_skill.uri, proficiency=4)
        db_session.commit()
        match_inputs.kept_match_data.forget()  # a new process, one write after the snapshot
        caught_up = match_inputs.match_data()
        assert caught_up.stamp[0] == built.stamp[0] + 1
        assert caught_up.labels is not built.labels  # from the snapshot, not from this process
        # The changed worker is outside the mapped arrays, in the process's own overlay.
        assert new_skill.uri in caught_up.index.workers.overlay[worker.external_id].held_map
        assert picture(caught_up) == picture(match_inputs.build_match_data(caught_up.stamp))
    finally:
        app.config["MATCH_SNAPSHOT_DIR"] = ""


def test_a_row_set_to_the_values_it_had_logs_nothing(app, db_session, world):
    worker = world["workers"][0]
    first = match_inputs.match_data()
    before = db_session.scalar(select(func.count(MatchChange.id)))
    worker.district = worker.district  # touched, not changed
    db_session.commit()
    assert db_session.scalar(select(func.count(MatchChange.id))) == before
    after = match_inputs.match_data()
    assert after.index.workers is not None and after.closeness is first.closeness


def test_a_snapshot_serves_only_its_encoder_threshold_and_database(tmp_path):
    day = date(2026, 12, 4)
    stamp = (7, day, "hashing", 0.75)
    fields = {name: name for name in snapshots.FIELDS}
    snapshots.save(tmp_path, stamp, "sqlite:///a.db", fields)
    assert snapshots.load(tmp_path, stamp, "sqlite:///a.db") == (7, day, fields)
    assert snapshots.load(tmp_path, (9, *stamp[1:]), "sqlite:///a.db") == (7, day, fields)
    later = (7, date(2026, 12, 5), *stamp[2:])  # a later day: caught up from the snapshot
    assert snapshots.load(tmp_path, later, "sqlite:///a.db") == (7, day, fields)
    assert snapshots.load(tmp_path, (6, *stamp[1:]), "sqlite:///a.db") is None  # newer
    assert snapshots.load(tmp_path, (7, date(2026, 12, 3), *stamp[2:]), "sqlite:///a.db") is None
    assert snapshots.load(tmp_path, (7, day, "minilm", 0.75), "sqlite:///a.db") is None
    assert snapshots.load(tmp_path, stamp, "sqlite:///b.db") is None
    for version in (8, 9, 10):
        snapshots.save(tmp_path, (version, *stamp[1:]), "sqlite:///a.db", fields)
    assert len(list(tmp_path.glob("match-*"))) == 2  # the newest two are kept


def test_a_transaction_changing_very_many_records_logs_all(db_session, world, monkeypatch):
    from app.matchmaking import changes

    monkeypatch.setattr(changes, "_LOGGED_AT_MOST", 1)
    add_worker_skill(world["workers"][0], world["skills"][4].uri)
    add_worker_skill(world["workers"][1], world["skills"][4].uri)
    db_session.commit()
    logged = db_session.execute(
        select(MatchChange.kind, MatchChange.entity_id).where(
            MatchChange.version == match_inputs.matching_version(db_session)
        )
    ).all()
    assert logged == [(ALL, 0)]


def test_a_new_day_applies_the_workers_who_came_of_age(
    app, db_session, factories, world, monkeypatch
):
    from app.auth import policy

    day = {"today": date(2026, 12, 4)}

    class Day(date):
        @classmethod
        def today(cls):
            return day["today"]

    monkeypatch.setattr(policy, "date", Day)
    monkeypatch.setattr(match_inputs, "date", Day)
    turning = factories.consenting_worker(
        date_of_birth=date(2008, 12, 5), skills=[(world["skills"][0], 3)]
    )
    match_inputs.kept_match_data.forget()
    first = match_inputs.match_data()
    assert not first.index.workers[turning.external_id].visible  # a minor today
    day["today"] = date(2026, 12, 5)
    after = match_inputs.match_data()
    assert after.stamp[1] == date(2026, 12, 5) and after.stamp[0] == first.stamp[0]
    assert after.closeness is first.closeness  # brought up to date, not built again
    assert after.index.workers[turning.external_id].visible  # 18 today
    assert picture(after) == picture(match_inputs.build_match_data(after.stamp))


def test_a_process_writes_a_new_snapshot_every_so_many_versions(
    app, db_session, world, tmp_path, monkeypatch
):
    monkeypatch.setattr(match_inputs, "SNAPSHOT_EVERY", 2)
    app.config["MATCH_SNAPSHOT_DIR"] = str(tmp_path)
    try:
        match_inputs.kept_match_data.forget()
        built = match_inputs.match_data()
        match_inputs._saving.join()
        for n in range(2):
            add_worker_skill(world["workers"][n], world["skills"][5].uri)
            db_session.commit()
            match_inputs.match_data()
        match_inputs._saving.join()
        versions = sorted(int(path.name.rsplit("-", 1)[1]) for path in tmp_path.glob("match-*"))
        assert versions == [built.stamp[0], built.stamp[0] + 2]  # not after the first write
    finally:
        app.config["MATCH_SNAPSHOT_DIR"] = ""


def test_an_enrolment_changes_only_its_batch_seats(app, db_session, factories, world):
    match_inputs.kept_match_data.forget()
    first = match_inputs.match_data()
    batch = course_batches(world["course"])[0]
    before = db_session.scalar(select(func.max(MatchChange.version))) or 0
    factories.enrolment(world["workers"][0], world["course"], batch=batch)
    factories.enrolment(world["workers"][1], world["course"])  # no batch: no seat, no change
    logged = db_session.execute(
        select(MatchChange.kind, MatchChange.entity_id).where(MatchChange.version > before)
    ).all()
    assert [tuple(row) for row in logged] == [(BATCH, batch.id)]
    after = match_inputs.match_data()
    assert after.templates is first.templates  # the courses were not read again
    course = world["course"].external_id
    seats = {found.external_id: found.free_seats for found in after.batches[course]}
    assert seats[batch.external_id] == batch.seats - 1
    assert after.catalogues is not first.catalogues  # offerings with the new free seats
    assert picture(after) == picture(match_inputs.build_match_data(after.stamp))
