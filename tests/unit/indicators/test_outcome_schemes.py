"""Hand-computed scenarios for the DDU-GKY and WIOA-style views."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.schemes import (
    DdugkyRules,
    ddugky_report,
    ddugky_scheme,
    quarter_bounds,
    quarter_earnings,
    quarter_index,
    wioa_report,
)
from indicators.skeleton import scheme_report

from .builders import AS_OF, days_after, days_before, enrol, job, worker


@pytest.mark.parametrize(
    ("months", "floor"),
    [
        (3, 6000.0),
        (6, 8000.0),
        (7, 8000.0),
        (9, 12000.0),
        (12, 15000.0),
        (24, 15000.0),
        (2, 6000.0),
        (None, 6000.0),
    ],
)
def test_wage_floor_is_that_of_the_nearest_length_not_above(months, floor):
    assert DdugkyRules().wage_floor(months) == floor


def ddugky_scenario():
    certified_on = days_before(300)
    workers = [worker(n) for n in range(1, 6)]
    enrolments = [enrol(n, n, certified_on=certified_on, course_months=6) for n in range(1, 6)]
    placements = [
        job(1, 1, days_after(certified_on, 10), wage=8000.0),  # exactly the floor
        job(2, 2, days_after(certified_on, 10), wage=7999.0),  # below the floor
        job(3, 3, days_after(certified_on, 5), days_after(certified_on, 94), wage=9000.0),  # 89 d
        job(4, 3, days_after(certified_on, 60), days_after(certified_on, 150), wage=9000.0),
        job(5, 4, days_after(certified_on, 10), wage=20000.0, kind="self"),
        job(6, 5, days_after(certified_on, 91), wage=20000.0),  # outside the window
    ]
    return workers, enrolments, placements


def test_ddugky_placement_needs_90_continuous_days_and_the_wage_floor():
    report = ddugky_report(*ddugky_scenario(), AS_OF, suppress=False)
    total = report["total"]
    assert (total["placement_cohort"], total["placed"], total["placement_rate"]) == (5, 2, 0.4)
    assert total["median_monthly_wage"] == 8500.0
    assert (total["enrolled"], total["enrolled_women"], total["women_share"]) == (5, 5, 1.0)


def test_ddugky_self_employment_counts_only_when_the_rules_say_so():
    rules = DdugkyRules(count_self_employment=True)
    total = scheme_report(ddugky_scheme(rules), *ddugky_scenario(), AS_OF, suppress=False)["total"]
    assert total["placed"] == 3


def test_ddugky_continuous_days_are_counted_up_to_the_report_date():
    certified_on = days_before(100)
    workers = [worker(1), worker(2)]
    enrolments = [enrol(1, 1, certified_on=certified_on), enrol(2, 2, certified_on=certified_on)]
    placements = [job(1, 1, days_before(90)), job(2, 2, days_before(89))]
    total = ddugky_report(workers, enrolments, placements, AS_OF, suppress=False)["total"]
    assert (total["placement_cohort"], total["placed"]) == (2, 1)


def test_ddugky_groups_by_first_certified_enrolment_course():
    workers = [worker(1)]
    enrolments = [
        enrol(1, 1, institution="A", course="Welding", certified_on=days_before(300)),
        enrol(2, 1, institution="B", course="CNC", certified_on=days_before(200), course_months=12),
    ]
    placements = [job(1, 1, days_before(290), wage=7000.0)]  # 6,000 floor of the 3-month course
    report = ddugky_report(workers, enrolments, placements, AS_OF, "course", suppress=False)
    placed = {g["key"]: (g["placement_cohort"], g["placed"]) for g in report["groups"]}
    assert placed == {"CNC": (0, 0), "Welding": (1, 1)}


def test_ddugky_alerts_batches_below_a_third_women():
    people = {
        # batch B1: 3 women of 10 -> 30%: alert
        **{n: ("female" if n < 3 else "male", "B1") for n in range(10)},
        # batch B2: 4 women of 12 -> 33.3%: no alert
        **{n: ("female" if n < 14 else "male", "B2") for n in range(10, 22)},
        # batch B3: a transgender worker and a man -> 0 women: alert
        22: ("transgender", "B3"),
        23: ("male", "B3"),
    }
    workers = [worker(n, gender) for n, (gender, _) in people.items()]
    enrolments = [enrol(n, n, batch=batch) for n, (_, batch) in people.items()]
    enrolments.append(enrol(99, 0))  # no batch
    every = DdugkyRules(alert_min_enrolled=1)
    exact = scheme_report(ddugky_scheme(every), workers, enrolments, [], AS_OF, suppress=False)
    exact = exact["batch_alerts"]
    assert [(a["batch"], a["enrolled"], a["women"], a["women_share"]) for a in exact] == [
        ("B1", 10, 3, 0.3),
        ("B3", 2, 0, 0.0),
    ]
    # By default a batch of two is not alerted: the ten of B1 are.
    default = ddugky_report(workers, enrolments, [], AS_OF, suppress=False)["batch_alerts"]
    assert [a["batch"] for a in default] == ["B1"]
    assert exact[0]["institution"] == "ITI-Chakan" and exact[0]["course"] == "CNC-operator"
    hidden = scheme_report(ddugky_scheme(every), workers, enrolments, [], AS_OF)["batch_alerts"]
    assert [(a["enrolled"], a["women"], a["women_share"]) for a in hidden] == [
        (10, None, None),
        (None, 0, None),
    ]
    assert hidden[0]["suppressed"] == ["women", "women_share"]


def test_quarters_are_calendar_quarters_counted_from_the_exit_quarter():
    index = quarter_index(date(2024, 2, 10))
    assert quarter_bounds(index) == (date(2024, 1, 1), date(2024, 3, 31))
    assert quarter_bounds(index + 2) == (date(2024, 7, 1), date(2024, 9, 30))
    assert quarter_bounds(index + 4) == (date(2025, 1, 1), date(2025, 3, 31))
    assert quarter_index(date(2024, 12, 31)) + 1 == quarter_index(date(2025, 1, 1))


def test_quarter_earnings_prorate_by_days_and_add_up_jobs():
    index = quarter_index(date(2024, 8, 1))  # July-September 2024: 92 days
    whole = [job(1, 1, date(2024, 1, 1), wage=10000.0)]
    assert quarter_earnings(whole, index, AS_OF) == (True, pytest.approx(30000.0))
    one_day = [job(1, 1, date(2024, 3, 1), date(2024, 7, 1), wage=9200.0)]
    assert quarter_earnings(one_day, index, AS_OF) == (True, pytest.approx(300.0))
    two_jobs = [*whole, job(2, 1, date(2024, 9, 30), wage=9200.0)]
    assert quarter_earnings(two_jobs, index, AS_OF) == (True, pytest.approx(30300.0))
    before = [job(1, 1, date(2024, 3, 1), date(2024, 6, 30))]
    assert quarter_earnings(before, index, AS_OF) == (False, 0.0)


def wioa_scenario():
    completed = date(2024, 2, 10)
    workers = [worker(n) for n in range(1, 5)]
    certified = {1: date(2025, 2, 9), 2: date(2025, 2, 10), 3: date(2024, 1, 15), 4: None}
    enrolments = [
        enrol(n, n, date(2023, 11, 1), completed_on=completed, certified_on=certified[n])
        for n in range(1, 5)
    ]
    placements = [
        job(1, 1, date(2024, 9, 30), date(2024, 12, 31), wage=9200.0),  # last day of Q+2
        job(2, 2, date(2024, 10, 1), wage=15000.0),  # from Q+3 on, still employed
        job(3, 3, date(2024, 3, 1), date(2024, 7, 1), wage=18400.0),  # first day of Q+2
    ]
    return workers, enrolments, placements


def test_wioa_employment_in_second_and_fourth_quarter_after_exit():
    total = wioa_report(*wioa_scenario(), AS_OF, suppress=False)["total"]
    assert total["completed"] == 4
    assert (total["employment_cohort_q2"], total["employed_q2"]) == (4, 2)
    assert total["employment_rate_q2"] == 0.5
    assert total["median_earnings_q2"] == 450.0  # 300 and 600: one day each of Q+2
    assert (total["employment_cohort_q4"], total["employed_q4"]) == (4, 1)
    assert total["employment_rate_q4"] == 0.25


def test_wioa_credential_within_365_days_of_completion():
    total = wioa_report(*wioa_scenario(), AS_OF, suppress=False)["total"]
    # completed 10 Feb 2024 + 365 days = 9 Feb 2025 (2024 is a leap year)
    assert (total["credential_cohort"], total["credentialed"]) == (4, 2)
    assert total["credential_rate"] == 0.5


def test_wioa_cohorts_wait_for_the_quarter_or_year_to_be_over():
    workers, enrolments, placements = wioa_scenario()
    total = wioa_report(workers, enrolments, placements, date(2024, 9, 29), suppress=False)["total"]
    assert total["completed"] == 4
    assert total["employment_cohort_q2"] == 0 and total["employment_rate_q2"] is None
    assert total["credential_cohort"] == 0
    on_quarter_end = wioa_report(workers, enrolments, placements, date(2024, 9, 30), suppress=False)
    assert on_quarter_end["total"]["employment_cohort_q2"] == 4
    assert on_quarter_end["total"]["employment_cohort_q4"] == 0
    before_completion = wioa_report(
        workers, enrolments, placements, date(2024, 2, 9), suppress=False
    )
    assert before_completion["total"]["completed"] == 0


def test_wioa_exit_is_the_first_completion_and_gives_the_institution():
    enrolments = [
        enrol(1, 1, date(2023, 1, 1), institution="A", completed_on=date(2024, 6, 1)),
        enrol(2, 1, date(2023, 2, 1), institution="B", completed_on=date(2023, 5, 1)),
        enrol(3, 1, date(2023, 3, 1), institution="C"),  # not completed
    ]
    placements = [job(1, 1, date(2023, 10, 1), date(2023, 10, 1))]  # one day, in Q+2 of B's exit
    report = wioa_report([worker(1)], enrolments, placements, AS_OF, "institution", suppress=False)
    groups = {g["key"]: (g["completed"], g["employed_q2"]) for g in report["groups"]}
    assert groups == {"B": (1, 1)}


def test_scheme_reports_suppress_like_the_indicators():
    report = wioa_report(*wioa_scenario(), AS_OF, "district")
    assert report["total"]["completed"] is None
    assert report["groups"][0]["employed_q2"] is None
    assert "median_earnings_q2" in report["groups"][0]["suppressed"]
    ddugky = ddugky_report(*ddugky_scenario(), AS_OF, "gender")
    assert ddugky["total"]["placed"] is None and ddugky["total"]["placement_rate"] is None


def test_scheme_reports_refuse_bad_input():
    with pytest.raises(ValueError, match="by must be"):
        wioa_report([], [], [], AS_OF, "religion")
    with pytest.raises(ValueError, match="wage_floors"):
        DdugkyRules(wage_floors=())
    with pytest.raises(ValueError, match="women_min_share"):
        DdugkyRules(women_min_share=1.5)
    with pytest.raises(ValueError, match="alert_min_enrolled"):
        DdugkyRules(alert_min_enrolled=0)


def test_ddugky_batch_of_exactly_33_percent_women_is_not_alerted():
    genders = ["female"] * 33 + ["male"] * 67
    workers = [worker(n, gender) for n, gender in enumerate(genders)]
    enrolments = [enrol(n, n, batch="B1") for n in range(100)]
    assert ddugky_report(workers, enrolments, [], AS_OF)["batch_alerts"] == []
    workers[0] = worker(0, "male")
    alerts = ddugky_report(workers, enrolments, [], AS_OF)["batch_alerts"]
    assert [(a["enrolled"], a["women"], a["women_share"]) for a in alerts] == [(100, 32, 0.32)]
