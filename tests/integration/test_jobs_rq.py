"""Background jobs through RQ: queued on the machine's Redis (127.0.0.1:6379, a queue of the test's
own), run by an in-process SimpleWorker in burst mode. Skipped only if Redis cannot be reached."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs import services
from app.jobs.models import JobStatus
from app.skills.models import Skill

HEADER = "conceptUri,preferredLabel,altLabels,description\n"


def work_off(queue) -> None:
    from rq import SimpleWorker

    worker = SimpleWorker([queue], connection=queue.connection)
    worker.work(burst=True)


def test_a_queued_job_waits_then_a_worker_finishes_it(db_session, redis_queue, tmp_path):
    path = tmp_path / "skills.csv"
    path.write_text(HEADER + "urn:test:rq-1,rq skill,,Done by a worker.\n", encoding="utf-8")
    job_run = services.enqueue("taxonomy-import", path=str(path), embed=False)
    assert job_run.status is JobStatus.queued and job_run.rq_job_id
    assert redis_queue.job_ids == [job_run.rq_job_id]
    assert db.session.scalar(select(func.count(Skill.id)).where(Skill.uri == "urn:test:rq-1")) == 0

    work_off(redis_queue)

    row = services.job_run_by_id(job_run.id)
    assert (row.status, row.progress, row.error) == (JobStatus.finished, 100, None)
    assert row.result.startswith("1 skills: 1 new")
    assert db.session.scalar(select(func.count(Skill.id)).where(Skill.uri == "urn:test:rq-1")) == 1
    rq_job = redis_queue.fetch_job(job_run.rq_job_id)
    assert rq_job.get_status() == "finished" and rq_job.return_value() == "finished"


def test_a_failing_job_on_the_queue_records_why(db_session, redis_queue, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("conceptUri,preferredLabel\nurn:test:rq-2,x\n", encoding="utf-8")
    job_run = services.enqueue("taxonomy-import", path=str(path), embed=False)
    work_off(redis_queue)
    row = services.job_run_by_id(job_run.id)
    assert row.status is JobStatus.failed
    assert "line 1: missing required column(s) altLabels, description" in row.error
    assert db.session.scalar(select(func.count(Skill.id)).where(Skill.uri == "urn:test:rq-2")) == 0


def test_an_unreachable_redis_fails_the_job_run_with_the_reason(db_session, app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    with pytest.raises(services.JobQueueError, match="could not queue the job"):
        services.enqueue("taxonomy-import", path="/nonexistent.csv", embed=False)
    latest = services.recent_job_runs(1)[0]
    assert latest.status is JobStatus.failed
    assert latest.error.startswith("could not queue the job: ")
