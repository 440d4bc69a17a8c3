"""Background jobs run inline (no REDIS_URL): status queued -> running -> finished or failed, a
failure writes nothing and says why, the CLI and the admin page show the jobs."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs import services
from app.jobs.models import JobRun, JobStatus
from app.matchmaking.recommend_all import recommend_all
from app.skills import linking
from app.skills.models import Skill, TaxonomyImport

HEADER = "conceptUri,preferredLabel,altLabels,description\n"


def write_taxonomy(tmp_path, rows: list[str], name: str = "skills.csv") -> str:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return str(path)


def good_rows(count: int) -> list[str]:
    return [
        f"urn:test:job-skill-{n},job skill {n},,Do task number {n} on the shop floor.\n"
        for n in range(count)
    ]


def skill_count() -> int:
    return db.session.scalar(select(func.count(Skill.id)).where(Skill.uri.like("urn:test:job-%")))


def fresh(job_run_id: int) -> JobRun:
    return services.job_run_by_id(job_run_id)


def test_taxonomy_import_job_goes_queued_running_finished(db_session, tmp_path, monkeypatch):
    path = write_taxonomy(tmp_path, good_rows(5))
    job_run_id = services.create_job_run("taxonomy-import", path=path, embed=False)
    assert fresh(job_run_id).status is JobStatus.queued
    assert fresh(job_run_id).progress == 0

    seen_while_running: list[tuple[JobStatus, int]] = []
    real_import = services.taxonomy_import_job

    def watching(progress, **params):
        result = real_import(progress, **params)
        row = fresh(job_run_id)
        seen_while_running.append((row.status, row.progress))
        return result

    monkeypatch.setitem(services.KINDS, "taxonomy-import", watching)
    assert services.run_inline(job_run_id) == "finished"

    row = fresh(job_run_id)
    assert seen_while_running == [(JobStatus.running, 99)]  # 100 only once committed
    assert (row.status, row.progress, row.error) == (JobStatus.finished, 100, None)
    assert row.result.startswith("5 skills: 5 new, 0 updated, 0 unchanged")
    assert row.started_at is not None and row.finished_at >= row.started_at
    assert skill_count() == 5


def test_enqueue_without_redis_runs_inline_with_embedding(db_session, tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.extensions, "skill_linker", {})  # leave no linker to later tests
    path = write_taxonomy(tmp_path, good_rows(3))
    job_run = services.enqueue("taxonomy-import", path=path)
    assert (job_run.status, job_run.progress, job_run.rq_job_id) == (JobStatus.finished, 100, None)
    assert skill_count() == 3
    assert "urn:test:job-skill-2" in linking.linkers.peek().records


def test_a_malformed_file_fails_the_job_with_its_line_and_writes_nothing(db_session, tmp_path):
    imports_before = db.session.scalar(select(func.count(TaxonomyImport.id)))
    path = write_taxonomy(tmp_path, [*good_rows(3), "urn:test:job-bad,,,no label\n"])
    job_run = services.enqueue("taxonomy-import", path=path, embed=False)
    assert job_run.status is JobStatus.failed
    assert job_run.error == f"{path}: line 5: empty preferredLabel for urn:test:job-bad"
    assert job_run.progress == 0 and job_run.finished_at is not None
    assert skill_count() == 0
    assert db.session.scalar(select(func.count(TaxonomyImport.id))) == imports_before


def test_a_body_failing_after_writing_rolls_its_rows_back(db_session, monkeypatch):
    def writes_then_fails(progress):
        db.session.add(Skill(uri="urn:test:job-half", label="half written"))
        db.session.flush()
        raise RuntimeError("disk full")

    monkeypatch.setitem(services.KINDS, "half", writes_then_fails)
    job_run = services.enqueue("half")
    assert (job_run.status, job_run.error) == (JobStatus.failed, "RuntimeError: disk full")
    assert skill_count() == 0


def test_bulk_import_job_fails_with_the_report_of_bad_rows(db_session, tmp_path):
    path = tmp_path / "workers.csv"
    path.write_text("external_id,name\nW-1,\n", encoding="utf-8")
    job_run = services.enqueue("import", kind="workers", path=str(path))
    assert job_run.status is JobStatus.failed
    assert "nothing was written" in job_run.error


def test_recommend_all_job_writes_what_recommend_all_writes(db_session, factories, tmp_path):
    tig = factories.skill("perform tungsten inert gas welding")
    drawings = factories.skill("read engineering drawings")
    employer = factories.employer()
    factories.posting(employer, external_id="P-JOB-TIG", skills=[tig, drawings])
    factories.posting(employer, external_id="P-JOB-DRAW", skills=[drawings])
    factories.consenting_worker(external_id="W-JOB-1", skills=[(tig, 3)])
    factories.consenting_worker(external_id="W-JOB-2", skills=[(drawings, 2)])
    expected = io.StringIO()
    recommend_all(expected, top_k=2)

    output = tmp_path / "recs.jsonl"
    job_run = services.enqueue("recommend-all", output=str(output), top_k=2)
    assert (job_run.status, job_run.progress) == (JobStatus.finished, 100), job_run.error
    assert output.read_text(encoding="utf-8") == expected.getvalue()
    lines = [json.loads(line) for line in expected.getvalue().splitlines()]
    assert {"W-JOB-1", "W-JOB-2"} <= {line["worker"] for line in lines}
    assert job_run.result.startswith(f"{len(lines)} workers written to {output}")


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("nope", {}, "unknown job kind 'nope'"),
        ("taxonomy-import", {}, "missing a required argument: 'path'"),
        ("import", {"kind": "workers", "path": "x", "extra": 1}, "unexpected keyword"),
    ],
)
def test_bad_kinds_and_parameters_are_refused_before_anything_is_queued(
    db_session, kind, params, message
):
    before = db.session.scalar(select(func.count(JobRun.id)))
    with pytest.raises(ValueError, match=message):
        services.enqueue(kind, **params)
    assert db.session.scalar(select(func.count(JobRun.id))) == before


def test_cli_runs_a_job_inline_and_lists_it(app, db_session, tmp_path):
    path = write_taxonomy(tmp_path, good_rows(2))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run", "taxonomy-import", path, "--no-embed"])
    assert result.exit_code == 0, result.output
    assert "finished: 2 skills: 2 new" in result.output
    listing = runner.invoke(args=["jobs", "list", "--limit", "1"])
    assert listing.exit_code == 0
    assert "\ttaxonomy-import\tfinished\t100%\t2 skills" in listing.output

    bad = write_taxonomy(tmp_path, ["only,three,columns\n"], name="bad.csv")
    failed = runner.invoke(args=["jobs", "run", "taxonomy-import", bad, "--no-embed"])
    assert failed.exit_code == 1
    assert "failed: " in failed.output and "line 2: expected 4 columns, found 3" in failed.output


def test_jobs_page_lists_jobs_for_admins_and_refuses_others(
    db_session, tmp_path, factories, login_as, client
):
    services.enqueue("taxonomy-import", path=write_taxonomy(tmp_path, good_rows(1)), embed=False)
    bad = write_taxonomy(tmp_path, ["x\n"], name="bad.csv")
    services.enqueue("taxonomy-import", path=bad, embed=False)
    assert client.get("/admin/jobs").status_code == 302  # anonymous: to the login page

    login_as(factories.user("employer"))
    assert client.get("/admin/jobs").status_code == 403
    client.post("/logout")

    login_as(factories.user("admin"))
    response = client.get("/admin/jobs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "1 skills: 1 new" in page
    assert f"{bad}: line 2: expected 4 columns, found 1" in page
    assert 'aria-valuenow="100"' in page and ">failed<" in page and ">finished<" in page


def test_job_params_are_json(db_session, tmp_path):
    job_run = services.enqueue("taxonomy-import", path=write_taxonomy(tmp_path, []), embed=False)
    assert json.loads(json.dumps(job_run.params)) == {
        "path": job_run.params["path"],
        "embed": False,
    }
    assert job_run.status is JobStatus.finished and job_run.result.startswith("0 skills")
