"""Cluster demand for institutions: demand/supply/capacity arithmetic, untaught skills, suggested
batches, filters and CSV output."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from matching.demand import CSV_HEADER, ScheduledBatch, cluster_demand
from matching.plans import Offering
from matching.ranking import PostingProfile, WorkerProfile
from matching.worker_table import WorkerTable
from tests.unit.matching.conftest_engine import held, required

TODAY = date(2025, 1, 6)
NO_WORKERS = WorkerTable.from_profiles([])


def offering(course_id, module_id, skills, hours, **fields) -> Offering:
    return Offering(
        course_id, module_id, f"{course_id}/{module_id}", frozenset(skills), hours, **fields
    )


def cluster():
    postings = [
        PostingProfile(
            "bharat-forge-welders",
            (required("tig-welding"), required("blueprint-reading", essential=False)),
            openings=12,
            sector="auto",
            district="Pune",
        ),
        PostingProfile(
            "tata-welders", (required("tig-welding"),), openings=10, sector="auto", district="Pune"
        ),
        PostingProfile(
            "satara-cnc",
            (required("cnc-programming"), required("gdt")),
            openings=4,
            sector="auto",
            district="Satara",
        ),
        PostingProfile(
            "mill-forklift", (required("forklift"),), openings=3, sector="textile", district="Pune"
        ),
    ]
    workers = [
        WorkerProfile("w1", (held("tig-welding"),), district="Pune"),
        WorkerProfile("w2", (held("tig-welding"), held("gdt")), district="Satara"),
        WorkerProfile("w3", (held("tig-welding"),), district="Pune", visible=False),
        WorkerProfile("w4", (held("forklift"), held("blueprint-reading")), district="Pune"),
    ]
    workers = WorkerTable.from_profiles(workers)
    offerings = [
        offering(
            "WELD",
            None,
            {"tig-welding", "mig-welding"},
            300,
            district="Pune",
            sector="auto",
            max_batch_size=12,
        ),
        offering(
            "WELD", "TIG", {"tig-welding"}, 40, district="Pune", sector="auto", max_batch_size=20
        ),
        offering("CNC", None, {"cnc-programming"}, 200, district="Satara", sector="auto"),
        offering(
            "LOG",
            None,
            {"forklift"},
            30,
            district="Pune",
            sector="textile",
            next_batch_start=TODAY + timedelta(days=20),
            free_seats=6,
        ),
    ]
    batches = [
        ScheduledBatch("WELD", "TIG", TODAY + timedelta(days=30), 5),
        ScheduledBatch("WELD", None, TODAY + timedelta(days=200), 12),  # beyond six months
        ScheduledBatch("WELD", None, TODAY - timedelta(days=1), 12),  # already started
        ScheduledBatch("CNC", None, TODAY + timedelta(days=90), 1),
    ]
    return postings, workers, offerings, batches


def rows_by_uri(report):
    return {row.uri: row for row in report.rows}


def test_demand_supply_capacity_and_gap_by_hand():
    postings, workers, offerings, batches = cluster()
    report = cluster_demand(postings, workers, offerings, today=TODAY, batches=batches)
    rows = rows_by_uri(report)
    tig = rows["tig-welding"]
    # 12 + 10 essential openings; two visible TIG welders (w3 is hidden); one 5-seat TIG batch.
    assert (tig.demand, tig.supply, tig.capacity, tig.gap) == (22.0, 2, 5, 15.0)
    assert tig.postings == 2 and tig.taught
    bp = rows["blueprint-reading"]
    assert (bp.demand, bp.supply, bp.capacity, bp.gap) == (6.0, 1, 0, 5.0)  # optional: 12 × 0.5
    assert (rows["cnc-programming"].capacity, rows["cnc-programming"].gap) == (1, 3.0)
    assert rows["gdt"].gap == 3.0  # 4 needed, w2 is in Satara and counts without a filter
    assert rows["forklift"].gap == 2.0  # 3 − 1 worker; its batch is not in the explicit calendar
    assert [r.uri for r in report.rows] == [
        "tig-welding",
        "blueprint-reading",
        "cnc-programming",
        "gdt",
        "forklift",
    ]


def test_skills_in_demand_that_nobody_teaches():
    postings, workers, offerings, batches = cluster()
    report = cluster_demand(postings, workers, offerings, today=TODAY, batches=batches)
    assert [r.uri for r in report.untaught] == ["blueprint-reading", "gdt"]


def test_suggested_batches_round_seats_and_respect_course_size():
    postings, workers, offerings, batches = cluster()
    report = cluster_demand(postings, workers, offerings, today=TODAY, batches=batches)
    suggestions = [(s.course_id, s.module_id, s.seats, s.closes) for s in report.suggestions]
    assert suggestions == [
        # TIG shortfall 15 → the 40-hour module (most shortfall per hour), 15 seats ≤ its 20.
        ("WELD", "TIG", 15, ("tig-welding",)),
        # CNC shortfall 3 → rounded up to a batch of 5.
        ("CNC", None, 5, ("cnc-programming",)),
        # Forklift shortfall 2 → 5 seats.
        ("LOG", None, 5, ("forklift",)),
    ]
    assert all(s.seats % 5 == 0 for s in report.suggestions)


def test_large_shortfall_is_split_into_batches_no_bigger_than_the_course_allows():
    postings = [PostingProfile("big", (required("tig-welding"),), openings=47)]
    offerings = [offering("WELD", "TIG", {"tig-welding"}, 40, max_batch_size=18)]
    report = cluster_demand(postings, NO_WORKERS, offerings, today=TODAY, batches=[])
    assert [s.seats for s in report.suggestions] == [18, 18, 15]
    capped = cluster_demand(
        postings, NO_WORKERS, offerings, today=TODAY, batches=[], max_suggestions=2
    )
    assert len(capped.suggestions) == 2


def test_one_course_teaching_several_gaps_is_counted_against_all_of_them():
    postings = [PostingProfile("p", (required("cnc-programming"), required("gdt")), openings=10)]
    offerings = [
        offering("SETTER", None, {"cnc-programming", "gdt"}, 120, max_batch_size=30),
        offering("GDT", None, {"gdt"}, 100),
    ]
    report = cluster_demand(postings, NO_WORKERS, offerings, today=TODAY, batches=[])
    # One 10-seat setter batch closes both shortfalls, so no separate GD&T batch is suggested.
    assert [(s.course_id, s.seats, s.closes) for s in report.suggestions] == [
        ("SETTER", 10, ("cnc-programming", "gdt"))
    ]


def test_batches_default_to_each_offerings_next_batch():
    postings, workers, offerings, _ = cluster()
    report = cluster_demand(postings, workers, offerings, today=TODAY)
    assert rows_by_uri(report)["forklift"].capacity == 6
    assert rows_by_uri(report)["tig-welding"].capacity == 0  # no batch dates on the welding rows


def test_filters_by_sector_and_district():
    postings, workers, offerings, batches = cluster()
    auto = cluster_demand(postings, workers, offerings, today=TODAY, batches=batches, sector="auto")
    assert "forklift" not in rows_by_uri(auto)
    satara = cluster_demand(
        postings, workers, offerings, today=TODAY, batches=batches, district="Satara"
    )
    rows = rows_by_uri(satara)
    assert set(rows) == {"cnc-programming", "gdt"}
    assert rows["gdt"].supply == 1  # w2 lives in Satara
    assert rows["cnc-programming"].capacity == 1
    pune = cluster_demand(
        postings, workers, offerings, today=TODAY, batches=batches, district="Pune"
    )
    assert rows_by_uri(pune)["tig-welding"].supply == 1  # only w1; w2 is in Satara


def test_csv_rows_and_dicts():
    postings, workers, offerings, batches = cluster()
    report = cluster_demand(postings, workers, offerings, today=TODAY, batches=batches)
    table = report.to_csv_rows()
    assert table[0] == list(CSV_HEADER)
    assert table[1] == ["tig-welding", "TIG welding", 22.0, 2, 5, 15.0, 2, True]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    assert buffer.getvalue().splitlines()[1] == "tig-welding,TIG welding,22.0,2,5,15.0,2,True"
    assert report.suggestions[0].seats == 15


def test_bad_input_is_rejected_clearly():
    postings, workers, offerings, _ = cluster()
    with pytest.raises(ValueError, match="unknown course"):
        cluster_demand(
            postings,
            workers,
            offerings,
            today=TODAY,
            batches=[ScheduledBatch("NOPE", None, TODAY, 5)],
        )
    with pytest.raises(ValueError, match="seats"):
        ScheduledBatch("WELD", None, TODAY, -1)
    with pytest.raises(ValueError, match="seat_step"):
        cluster_demand(postings, workers, offerings, today=TODAY, seat_step=0)
    with pytest.raises(TypeError, match="PostingProfile"):
        cluster_demand([{"id": 1}], workers, offerings, today=TODAY)
