"""`flask recommend all`: one JSON line per worker, equal to that worker's single recommendation."""

from __future__ import annotations

import io
import json

import pytest

from app.matchmaking import match_inputs, services
from app.matchmaking.cli import recommend
from app.matchmaking.recommend_all import recommend_all


@pytest.fixture
def world(factories):
    tig = factories.skill("perform tungsten inert gas welding", alt_labels=["TIG welding", "GTAW"])
    mig = factories.skill("perform metal inert gas welding")
    drawings = factories.skill("read engineering drawings")
    forklift = factories.skill("operate forklift")
    cnc = factories.skill("tend CNC lathe machine")
    employer = factories.employer(sector="forging")
    postings = [
        factories.posting(employer, external_id="P-TIG", skills=[(tig, True, 2), drawings]),
        factories.posting(employer, external_id="P-MIG", skills=[mig], district="Satara"),
        factories.posting(
            employer, external_id="P-WELD", skills=[tig, mig, (forklift, False, 1)], openings=5
        ),
        factories.posting(employer, external_id="P-LIFT", skills=[(forklift, True, 3)]),
        factories.posting(
            employer, external_id="P-CNC", skills=[cnc, drawings], wage_min_inr=20000
        ),
        factories.posting(employer, external_id="P-DRAW", skills=[(drawings, True, 4)]),
        factories.posting(employer, external_id="P-SHUT", skills=[tig], status="closed"),
    ]
    matchable = factories.consenting_worker
    workers = [
        matchable(external_id="W-TIG", skills=[(tig, 3), (drawings, 2)]),
        matchable(external_id="W-MIG", skills=[(mig, 1), (forklift, 2)], district="Satara"),
        matchable(external_id="W-HIDDEN", visible_to_employers=False, skills=[(tig, 4), (cnc, 1)]),
        matchable(external_id="W-NONE"),
        matchable(external_id="W-ALL", skills=[(s, 2) for s in (tig, mig, forklift, cnc)]),
    ]
    # No consent to matching: the engine may not use this worker, so no line (and no error).
    refused = factories.worker(external_id="W-NO-CONSENT", skills=[(tig, 4), (drawings, 4)])
    return {"postings": postings, "workers": workers, "refused": refused}


def read_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def single(worker, top_k: int) -> list[dict]:
    return [
        {"posting": job.posting_id, "fit": job.fit}
        for job in services.jobs_for_worker(worker, top_k=top_k)
    ]


@pytest.mark.parametrize("top_k", [1, 3, 10])
def test_each_line_equals_the_single_worker_recommendation(app, world, tmp_path, top_k):
    target = tmp_path / "jobs.jsonl"
    result = app.test_cli_runner().invoke(
        recommend, ["all", "--top-k", str(top_k), "--output", str(target), "--chunk-size", "2"]
    )
    assert result.exit_code == 0, result.output
    lines = read_lines(target.read_text(encoding="utf-8"))
    assert [line["worker"] for line in lines] == [w.external_id for w in world["workers"]]
    with pytest.raises(match_inputs.MatchingNotAllowed):
        services.jobs_for_worker(world["refused"])
    for worker, line in zip(world["workers"], lines, strict=True):
        assert line["jobs"] == single(worker, top_k), worker.external_id
    by_worker = {line["worker"]: line["jobs"] for line in lines}
    assert by_worker["W-HIDDEN"], "invisible workers get their own list"
    assert by_worker["W-NONE"] == []
    assert all(job["posting"] != "P-SHUT" for line in lines for job in line["jobs"])
    if top_k == 10:
        assert len(by_worker["W-ALL"]) == 5  # more than 3: the limit is really applied above
    assert "5 workers written" in result.stderr


def test_writes_to_stdout_and_reports_progress(app, world):
    result = app.test_cli_runner().invoke(recommend, ["all", "--output", "-"])
    assert result.exit_code == 0, result.output
    assert len(read_lines(result.stdout)) == len(world["workers"])
    assert "Ranking jobs" in result.stderr

    seen: list[int] = []
    out = io.StringIO()
    with app.app_context():
        run = recommend_all(out, top_k=2, chunk_size=2, on_progress=seen.append)
    assert seen == [2, 2, 1]
    assert (run.workers, run.with_jobs) == (5, 4)
    assert len(out.getvalue().splitlines()) == 5


def test_rejects_bad_options(app, world, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(recommend, ["all", "--top-k", "0", "--output", "-"])
    assert result.exit_code != 0 and "top-k" in result.stderr
    result = runner.invoke(recommend, ["all", "--top-k", "3"])
    assert result.exit_code != 0 and "--output" in result.stderr
    assert not list(tmp_path.iterdir())
