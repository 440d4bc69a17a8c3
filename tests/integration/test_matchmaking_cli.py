"""`flask gap`, `flask recommend`, `flask demand`: output shape and errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from app.matchmaking.cli import demand, gap, recommend


@pytest.fixture
def world(factories):
    mig = factories.skill("perform metal inert gas welding")
    tig = factories.skill("perform tungsten inert gas welding")
    drawings = factories.skill("read engineering drawings")
    forklift = factories.skill("operate forklift")
    course = factories.course(skills=[tig, drawings], hours=300, fee_inr=3000)
    factories.module(course, external_id="M-TIG", skills=[tig], hours=40)
    factories.batch(course, start_date=date(2026, 12, 1), seats=10)
    employer = factories.employer(sector="forging")
    posting = factories.posting(
        employer,
        external_id="P-TIG",
        title="TIG Welder",
        skills=[(tig, True, 2), (drawings, True, 1), (forklift, False, 1)],
        wage_min_inr=16000,
        wage_max_inr=22000,
    )
    welder = factories.consenting_worker(external_id="W-MIG", skills=[(mig, 3), (drawings, 2)])
    hidden = factories.consenting_worker(
        external_id="W-HIDDEN", visible_to_employers=False, skills=[(tig, 3), (drawings, 3)]
    )
    return {"posting": posting, "welder": welder, "hidden": hidden, "course": course}


def run(app, command, args):
    return app.test_cli_runner().invoke(command, args)


def test_gap_prints_the_contract(app, world):
    result = run(app, gap, ["--worker", "W-MIG", "--posting", "P-TIG", "--today", "2026-11-01"])
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == {"fit", "covered", "partial", "missing", "plan", "uncovered"}
    assert isinstance(body["fit"], int)
    assert 0 <= body["fit"] < 100
    # The API's shape (label_en added to the first CLI's fields; labels in English here).
    for entry in body["covered"] + body["missing"]:
        assert set(entry) == {"uri", "label", "label_en", "essential"}
        assert entry["label"] == entry["label_en"]
    for entry in body["partial"]:
        assert set(entry) == {
            "uri",
            "label",
            "label_en",
            "essential",
            "via_uri",
            "via_label",
            "via_label_en",
            "similarity",
        }
    assert body["plan"], "TIG is taught: the plan has an item"
    for item in body["plan"]:
        assert set(item) == {"course", "module", "closes", "hours", "fee_inr", "next_batch_start"}
    assert body["plan"][0]["course"] == world["course"].external_id
    assert body["plan"][0]["module"] == "M-TIG"
    assert body["plan"][0]["next_batch_start"] == "2026-12-01"
    forklift = next(m["uri"] for m in body["missing"] if m["label"] == "operate forklift")
    assert body["uncovered"] == [forklift]


def test_gap_with_unknown_ids_fails_clearly(app, world):
    result = run(app, gap, ["--worker", "W-NOBODY", "--posting", "P-TIG"])
    assert result.exit_code == 1
    assert "W-NOBODY" in result.stderr
    result = run(app, gap, ["--worker", "W-MIG", "--posting", "P-NONE"])
    assert result.exit_code == 1
    assert "P-NONE" in result.stderr
    result = run(app, gap, ["--worker", "W-MIG", "--posting", "P-TIG", "--today", "1 Nov"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.stderr


def test_recommend_jobs_lists_postings_with_fit(app, world):
    result = run(app, recommend, ["jobs", "--worker", "W-MIG", "--top-k", "5"])
    assert result.exit_code == 0, result.stderr
    jobs = json.loads(result.stdout)
    assert [job["posting_id"] for job in jobs] == ["P-TIG"]
    job = jobs[0]
    assert job["title"] == "TIG Welder"
    assert (job["wage_min_inr"], job["wage_max_inr"], job["openings"]) == (16000, 22000, 2)
    assert job["gap"]["covered"] == 1
    assert "operate forklift" in job["gap"]["missing"]


def test_recommend_candidates_shows_only_visible_workers_and_no_personal_data(app, world):
    result = run(app, recommend, ["candidates", "--posting", "P-TIG"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["worker_id"] for row in rows] == ["W-MIG"]
    assert set(rows[0]) == {"worker_id", "district", "fit", "gap"}
    result = run(
        app,
        recommend,
        ["candidates", "--posting", "P-TIG", "--trainable-hours", "60", "--today", "2026-11-01"],
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows == []  # the optional forklift skill is taught nowhere: no plan closes the gap
    result = run(app, recommend, ["candidates", "--posting", "P-NONE"])
    assert result.exit_code == 1


def test_demand_prints_json_and_csv(app, world):
    result = run(app, demand, ["--today", "2026-11-01"])
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == {"rows", "untaught", "suggestions"}
    by_label = {row["label"]: row for row in body["rows"]}
    assert by_label["perform tungsten inert gas welding"]["demand"] == 2.0  # 2 openings
    assert by_label["operate forklift"]["demand"] == 1.0  # optional: half per opening
    assert by_label["perform tungsten inert gas welding"]["capacity"] == 10
    assert [row["label"] for row in body["untaught"]] == ["operate forklift"]
    result = run(app, demand, ["--format", "csv", "--sector", "forging", "--today", "2026-11-01"])
    assert result.exit_code == 0, result.stderr
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == ["uri", "label", "demand", "supply", "capacity", "gap", "postings", "taught"]
    assert len(table) == 4
    result = run(app, demand, ["--sector", "textiles", "--format", "csv"])
    assert list(csv.reader(io.StringIO(result.stdout)))[1:] == []
