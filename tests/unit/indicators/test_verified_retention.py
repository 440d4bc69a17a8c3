"""Retention reported (the placement has not ended) and verified (a dated check with evidence).

Issue 17: an institution showed 95 % retention while none of its placements had been checked.
Both figures share the retention cohort; only the verified one needs a retention check.
"""

from __future__ import annotations

from datetime import date

import pytest

from indicators.outcomes import outcome_report
from indicators.records import RetentionCheckRecord, worker_histories
from indicators.reports import OutcomeRecords, records_report

from .builders import AS_OF, days_after, days_before, enrol, job, worker

CERTIFIED = days_before(400)
PLACED = days_after(CERTIFIED, 10)  # 390 days before AS_OF: in every retention cohort


def check(
    placement_id: int = 1,
    months: int = 3,
    *,
    employed: bool = True,
    evidence: bool = True,
    verified_on: date | None = None,
) -> RetentionCheckRecord:
    if verified_on is None:
        verified_on = days_after(PLACED, 95)
    return RetentionCheckRecord(placement_id, months, employed, evidence, verified_on)


def one_placed_worker(*checks: RetentionCheckRecord, ended_on: date | None = None, as_of=AS_OF):
    return outcome_report(
        [worker(1)],
        [enrol(1, 1, days_before(500), certified_on=CERTIFIED)],
        [job(1, 1, PLACED, ended_on=ended_on)],
        as_of,
        suppress=False,
        retention_checks=checks,
    )["total"]


def test_without_a_check_retention_is_reported_but_not_verified():
    total = one_placed_worker()
    assert (total["retention_cohort_3m"], total["retained_3m"]) == (1, 1)
    assert total["retention_rate_3m"] == 1.0
    assert total["verified_retained_3m"] == 0
    assert total["verified_retention_rate_3m"] == 0.0


def test_a_dated_check_with_evidence_verifies_its_period_only():
    total = one_placed_worker(check(months=3))
    assert (total["verified_retained_3m"], total["verified_retention_rate_3m"]) == (1, 1.0)
    assert total["verified_retained_6m"] == 0 and total["verified_retained_12m"] == 0
    both = one_placed_worker(check(months=3), check(months=12, verified_on=days_before(10)))
    assert (both["verified_retained_3m"], both["verified_retained_12m"]) == (1, 1)


@pytest.mark.parametrize(
    "weak",
    [
        check(evidence=False),  # "employed", but nothing seen
        check(employed=False),  # checked and no longer employed
        RetentionCheckRecord(1, 3, True, True, None),  # undated: not on the time line
        check(verified_on=days_after(AS_OF, 1)),  # checked after the report date
        check(placement_id=2),  # a check of another job than the qualifying one
    ],
)
def test_weak_or_late_checks_do_not_verify(weak):
    records = (
        [worker(1)],
        [enrol(1, 1, days_before(500), certified_on=CERTIFIED)],
        # Placement 2 is later than the qualifying placement 1.
        [job(1, 1, PLACED), job(2, 1, days_after(PLACED, 30))],
    )
    total = outcome_report(*records, AS_OF, suppress=False, retention_checks=[weak])["total"]
    assert total["retained_3m"] == 1
    assert total["verified_retained_3m"] == 0


def test_a_check_counts_from_its_date_on():
    dated = check(verified_on=days_before(5))
    assert one_placed_worker(dated, as_of=days_before(6))["verified_retained_3m"] == 0
    assert one_placed_worker(dated, as_of=days_before(5))["verified_retained_3m"] == 1


def test_verified_can_exceed_reported_when_the_placement_record_says_it_ended():
    """A check found the worker employed at 3 months, yet the placement says it ended after 30
    days: the two figures disagree, which is what an institution should see and correct."""
    total = one_placed_worker(check(months=3), ended_on=days_after(PLACED, 30))
    assert (total["retained_3m"], total["verified_retained_3m"]) == (0, 1)


def test_outside_the_retention_cohort_a_check_counts_nowhere():
    recent = days_before(60)
    report = outcome_report(
        [worker(1)],
        [enrol(1, 1, days_before(500), certified_on=days_before(100))],
        [job(1, 1, recent)],
        AS_OF,
        suppress=False,
        retention_checks=[RetentionCheckRecord(1, 3, True, True, days_before(1))],
    )["total"]
    assert report["retention_cohort_3m"] == 0 and report["verified_retained_3m"] == 0
    assert report["verified_retention_rate_3m"] is None


def test_groups_follow_the_first_certified_course_and_add_up():
    workers = [worker(n, gender="female" if n % 2 else "male") for n in range(1, 7)]
    enrolments = [
        enrol(n, n, days_before(500), certified_on=CERTIFIED, course=f"C{n % 3}")
        for n in range(1, 7)
    ]
    placements = [job(n, n, PLACED) for n in range(1, 7)]
    checks = [check(placement_id=n) for n in (1, 2, 4)]
    for by in ("gender", "course"):
        report = outcome_report(
            workers, enrolments, placements, AS_OF, by, suppress=False, retention_checks=checks
        )
        assert report["total"]["verified_retained_3m"] == 3
        assert sum(row["verified_retained_3m"] for row in report["groups"]) == 3
    by_gender = outcome_report(
        workers, enrolments, placements, AS_OF, "gender", suppress=False, retention_checks=checks
    )
    counts = {row["key"]: row["verified_retained_3m"] for row in by_gender["groups"]}
    assert counts == {"female": 1, "male": 2}  # workers 1 (f), 2 and 4 (m)


def test_the_checks_leave_every_other_figure_as_it_was():
    workers = [worker(n) for n in range(1, 15)]
    enrolments = [enrol(n, n, days_before(500), certified_on=CERTIFIED) for n in range(1, 15)]
    placements = [
        job(n, n, PLACED, ended_on=None if n % 4 else days_after(PLACED, 20)) for n in range(1, 15)
    ]
    checks = [check(placement_id=n) for n in range(1, 4)]
    for suppress in (False, True):
        plain = outcome_report(workers, enrolments, placements, AS_OF, suppress=suppress)
        checked = outcome_report(
            workers, enrolments, placements, AS_OF, suppress=suppress, retention_checks=checks
        )
        verified = {f"verified_retained_{p}" for p in ("3m", "6m", "12m")}
        verified |= {f"verified_retention_rate_{p}" for p in ("3m", "6m", "12m")}
        for name, value in plain["total"].items():
            if name not in verified and name != "suppressed":
                assert checked["total"][name] == value, name
        assert [n for n in checked["total"]["suppressed"] if n not in verified] == plain["total"][
            "suppressed"
        ]
    hidden = outcome_report(
        workers, enrolments, placements, AS_OF, suppress=True, retention_checks=checks
    )["total"]
    # 3 verified of 14: a small count, hidden with its rate; the reported figures stay shown.
    assert hidden["verified_retained_3m"] is None and hidden["verified_retention_rate_3m"] is None
    assert {"verified_retained_3m", "verified_retention_rate_3m"} <= set(hidden["suppressed"])
    assert hidden["retained_3m"] == 11 and hidden["retention_cohort_3m"] == 14


def test_an_institutions_scoped_report_counts_its_own_verified_retention():
    workers = [worker(1), worker(2)]
    enrolments = [
        enrol(1, 1, days_before(500), certified_on=CERTIFIED, institution="INS-A"),
        enrol(2, 2, days_before(500), certified_on=CERTIFIED, institution="INS-B"),
    ]
    records = OutcomeRecords(
        workers, enrolments, [job(1, 1, PLACED), job(2, 2, PLACED)], [check(placement_id=2)]
    )
    mine = records_report("outcomes", records, AS_OF, suppress=False, institution="INS-A")
    theirs = records_report("outcomes", records, AS_OF, suppress=False, institution="INS-B")
    assert mine["total"]["verified_retained_3m"] == 0
    assert theirs["total"]["verified_retained_3m"] == 1


def test_bad_retention_checks_are_refused():
    records = ([worker(1)], [enrol(1, 1, certified_on=CERTIFIED)], [job(1, 1, PLACED)], AS_OF)
    with pytest.raises(ValueError, match="months"):
        RetentionCheckRecord(1, 4, True, True, None)
    with pytest.raises(ValueError, match="employed"):
        RetentionCheckRecord(1, 3, "yes", True, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown placement"):
        worker_histories(*records, [check(placement_id=9)])
    with pytest.raises(ValueError, match="two retention checks"):
        worker_histories(*records, [check(), check()])
    with pytest.raises(ValueError, match="RetentionCheckRecord"):
        worker_histories(*records, [{"placement_id": 1}])  # type: ignore[list-item]
