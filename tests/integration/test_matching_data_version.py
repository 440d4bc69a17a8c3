"""The matching data version (app/matchmaking/changes.py) moves with every committed write matching
depends on, and only then; each process's match data follows it (app/matchmaking/services.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, update

from app.audit.services import record_event
from app.institutions.models import course_skill
from app.matchmaking import match_inputs
from app.matchmaking.changes import has_uncommitted_changes, matching_version
from app.workers.models import Worker
from app.workers.services import add_new_workers, add_worker_skill


def version(db_session) -> int:
    return matching_version(db_session)


def test_a_commit_with_an_orm_change_raises_the_version_once(db_session, factories):
    worker = factories.worker()
    db_session.commit()
    before = version(db_session)
    worker.district = "Satara"
    factories.worker()
    db_session.flush()
    db_session.commit()  # two changes, one transaction
    assert version(db_session) == before + 1


def test_statements_raise_it_too(db_session, factories):
    skill = factories.skill()
    course = factories.course()
    db_session.commit()
    before = version(db_session)
    db_session.execute(insert(course_skill).values(course_id=course.id, skill_id=skill.id))
    db_session.commit()
    assert version(db_session) == before + 1
    db_session.execute(update(Worker).values(district="Pune"))
    db_session.commit()
    assert version(db_session) == before + 2
    ids, errors = add_new_workers(
        [
            {
                "external_id": "NEW1",
                "name": "Asha",
                "gender": "female",
                "date_of_birth": date(1999, 1, 1),
                "district": "Pune",
                "state": "Maharashtra",
            }
        ]
    )
    assert not errors and ids[0] is not None
    db_session.commit()
    assert version(db_session) == before + 3


def test_unrelated_writes_and_rollbacks_leave_it(db_session, factories):
    worker = factories.worker()
    db_session.commit()
    before = version(db_session)
    record_event("test_event")
    db_session.commit()
    assert version(db_session) == before

    worker.district = "Satara"
    db_session.flush()
    assert has_uncommitted_changes(db_session)
    db_session.rollback()
    assert not has_uncommitted_changes(db_session)
    db_session.commit()
    assert version(db_session) == before


def test_match_data_is_kept_until_a_committed_change(app, db_session, factories):
    skills = [factories.skill(), factories.skill()]
    worker = factories.consenting_worker()
    add_worker_skill(worker, skills[0].uri)
    db_session.commit()
    first = match_inputs.match_data()
    assert match_inputs.match_data() is first  # nothing changed: the same data, not rebuilt
    add_worker_skill(worker, skills[1].uri)
    assert has_uncommitted_changes(db_session)
    own = match_inputs.match_data()  # this session's uncommitted write: built, not cached
    assert set(own.index.workers[worker.external_id].held_map) == {s.uri for s in skills}
    assert match_inputs.kept_match_data.peek() is first
    db_session.commit()
    after = match_inputs.match_data()
    assert after is not first and after.stamp[0] == first.stamp[0] + 1
    assert set(after.index.workers[worker.external_id].held_map) == {s.uri for s in skills}


def test_a_rebuild_in_progress_serves_the_data_it_replaces(app, db_session, factories):
    worker = factories.consenting_worker()
    db_session.commit()
    first = match_inputs.match_data()
    worker.district = "Satara"
    db_session.commit()
    assert match_inputs.kept_match_data.lock.acquire(
        blocking=False
    )  # as if another request rebuilt now
    try:
        assert match_inputs.match_data() is first
    finally:
        match_inputs.kept_match_data.lock.release()
    assert match_inputs.match_data().index.workers[worker.external_id].district == "Satara"


@pytest.mark.parametrize("model_change", ["consent_withdrawn", "posting_closed"])
def test_privacy_and_status_changes_reach_matching(db_session, factories, model_change):
    from app.employers.models import PostingStatus
    from app.workers.services import withdraw_consent

    worker = factories.consenting_worker()
    posting = factories.posting()
    db_session.commit()
    data = match_inputs.match_data()
    assert worker.external_id in data.index.workers
    assert posting.external_id in data.index.postings
    if model_change == "consent_withdrawn":
        withdraw_consent(worker)
    else:
        posting.status = PostingStatus.closed
    db_session.commit()
    data = match_inputs.match_data()
    if model_change == "consent_withdrawn":
        assert worker.external_id not in data.index.workers
    else:
        assert posting.external_id not in data.index.postings
