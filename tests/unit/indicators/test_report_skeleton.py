"""One report skeleton for every scheme; the DDU-GKY quota and floors read from one place."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pytest

from indicators.dashboard import enrolment_shares
from indicators.disclosure import TableSpec
from indicators.outcomes import outcome_report
from indicators.schemes import (
    DDUGKY_WOMEN_MIN_SHARE,
    DdugkyRules,
    ddugky_report,
    ddugky_scheme,
    wioa_report,
)
from indicators.skeleton import Scheme, scheme_report

from .builders import AS_OF, days_after, days_before, enrol, job, worker


class _Certified:
    def __init__(self) -> None:
        self.certified: set[Hashable] = set()

    def row(self) -> dict[str, Any]:
        return {"certified": len(self.certified)}


def _add_certified(history, as_of, tallies_for) -> None:
    for enrolment in history.certified:
        for tally in tallies_for(enrolment):
            tally.certified.add(history.worker.worker_id)


CERTIFIED_ONLY = Scheme(
    name="certified",
    table=TableSpec(counts=("certified",)),
    new_tally=_Certified,
    add_worker=_add_certified,
)


def records():
    workers = [worker(n, gender="female" if n <= 12 else "male") for n in range(1, 16)]
    enrolments = [
        enrol(
            n,
            n,
            days_before(500),
            certified_on=days_before(300) if n != 15 else None,
            completed_on=days_before(310),
            institution="INS-A" if n <= 13 else "INS-B",
            batch="B1",
        )
        for n in range(1, 16)
    ]
    placements = [job(n, n, days_after(days_before(300), 5)) for n in range(1, 12)]
    return workers, enrolments, placements


def test_a_new_scheme_gets_grouping_sorting_and_suppression_from_the_skeleton():
    workers, enrolments, placements = records()
    exact = scheme_report(
        CERTIFIED_ONLY, workers, enrolments, placements, AS_OF, "institution", False
    )
    assert [(row["key"], row["certified"]) for row in exact["groups"]] == [
        ("INS-A", 13),
        ("INS-B", 1),
    ]
    assert exact["total"] == {"certified": 14, "suppressed": []}
    shown = scheme_report(CERTIFIED_ONLY, workers, enrolments, placements, AS_OF, "institution")
    # INS-B's 1 is hidden, and so is INS-A's 13 (else total - 13 gives it back); the total stays.
    assert [row["certified"] for row in shown["groups"]] == [None, None]
    assert shown["total"]["certified"] == 14
    with pytest.raises(ValueError, match="by must be"):
        scheme_report(CERTIFIED_ONLY, workers, enrolments, placements, AS_OF, "caste")


@pytest.mark.parametrize("by", [None, "gender", "institution"])
def test_each_report_has_its_own_schemes_figures_in_the_skeletons_shape(by):
    data = (*records(), AS_OF, by, True)
    reports = {
        "outcomes": outcome_report(*data),
        "wioa": wioa_report(*data),
        "ddugky": ddugky_report(*data),
    }
    for report in reports.values():
        assert report["as_of"] == AS_OF.isoformat() and report["by"] == by
        assert bool(report["groups"]) == (by is not None)
    assert "placement_rate" in reports["outcomes"]["total"]
    assert "employment_rate_q4" in reports["wioa"]["total"]
    assert "placement_rate" not in reports["wioa"]["total"]
    assert "batch_alerts" in reports["ddugky"] and "batch_alerts" not in reports["outcomes"]
    # The default DDU-GKY rules are those of ddugky_scheme(); other rules go through the skeleton.
    assert reports["ddugky"] == scheme_report(ddugky_scheme(DdugkyRules()), *data)


def test_batch_alerts_and_the_dashboard_read_one_quota():
    workers, enrolments, placements = records()
    # Batch B1 of INS-A: 13 enrolled, 12 women; of INS-B: 2 men, too few to alert.
    assert DdugkyRules().women_min_share == DDUGKY_WOMEN_MIN_SHARE
    assert ddugky_report(workers, enrolments, placements, AS_OF)["batch_alerts"] == []
    strict = DdugkyRules(women_min_share=0.95)
    alerts = scheme_report(
        ddugky_scheme(strict), workers, enrolments, placements, AS_OF, None, False
    )
    assert [
        (a["institution"], a["batch"], a["women"], a["enrolled"]) for a in alerts["batch_alerts"]
    ] == [("INS-A", "B1", 12, 13)]
    youth = outcome_report(workers, enrolments, placements, AS_OF, "youth", False)
    ddugky = ddugky_report(workers, enrolments, placements, AS_OF, None, False)
    shares = enrolment_shares(ddugky, youth)
    assert shares["women"] == 0.8 and shares["women_below_quota"] is False
    assert shares["women_min_share"] == DDUGKY_WOMEN_MIN_SHARE
    assert shares["alert_min_enrolled"] == 10
    assert shares["wage_floors"] == [6000.0, 8000.0, 12000.0, 15000.0]
    assert shares["youth"] == 1.0  # everyone born 2000: 24 at the first enrolment
    assert enrolment_shares(ddugky, youth, strict)["women_below_quota"] is True


def test_shares_are_unknown_where_a_count_is_hidden():
    workers, enrolments, placements = records()
    few = (workers[:3], enrolments[:3], placements[:3], AS_OF)
    shares = enrolment_shares(ddugky_report(*few), outcome_report(*few, "youth"))
    assert shares["women"] is None and shares["youth"] is None
    assert shares["women_below_quota"] is False
