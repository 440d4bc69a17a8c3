"""Hand-computed scenarios for every boundary of the outcome indicators (issue 5)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from indicators.outcomes import outcome_report
from indicators.records import (
    EnrolmentRecord,
    PlacementRecord,
    WorkerRecord,
    age_on,
    is_youth,
    month_end,
)
from indicators.reports import OutcomeRecords, records_series

from .builders import AS_OF, days_after, days_before, enrol, job, worker

CONTRACT_FIELDS = {
    "enrolled",
    "certified",
    "placement_cohort",
    "placed",
    "placement_rate",
    "retention_cohort_3m",
    "retained_3m",
    "retention_rate_3m",
    "median_monthly_wage",
    "suppressed",
}


def exact(workers, enrolments, placements=(), as_of=AS_OF, by=None):
    return outcome_report(workers, enrolments, placements, as_of, by, suppress=False)


def test_placement_cohort_includes_certified_exactly_90_days_before_and_not_89():
    workers = [worker(1), worker(2)]
    enrolments = [
        enrol(1, 1, certified_on=days_before(90)),
        enrol(2, 2, certified_on=days_before(89)),
    ]
    total = exact(workers, enrolments)["total"]
    assert (total["enrolled"], total["certified"], total["placement_cohort"]) == (2, 2, 1)


def test_placement_window_is_day_0_to_day_90_inclusive():
    certified_on = days_before(200)
    workers = [worker(n) for n in range(1, 5)]
    enrolments = [enrol(n, n, certified_on=certified_on) for n in range(1, 5)]
    placements = [
        job(1, 1, days_after(certified_on, 0)),
        job(2, 2, days_after(certified_on, 90)),
        job(3, 3, days_after(certified_on, 91)),
        job(4, 4, days_after(certified_on, -1)),
    ]
    total = exact(workers, enrolments, placements)["total"]
    assert (total["placement_cohort"], total["placed"], total["placement_rate"]) == (4, 2, 0.5)


def test_earliest_qualifying_placement_gives_wage_and_retention():
    certified_on = days_before(300)
    placements = [
        job(1, 1, days_after(certified_on, -5), wage=1.0),  # before certification: not counted
        job(2, 1, days_after(certified_on, 30), wage=12000.0),  # later, long: not the qualifying
        job(3, 1, days_after(certified_on, 10), days_after(certified_on, 50), wage=8000.0),
    ]
    total = exact([worker(1)], [enrol(1, 1, certified_on=certified_on)], placements)["total"]
    assert total["placed"] == 1
    assert total["median_monthly_wage"] == 8000.0
    assert (total["retention_cohort_3m"], total["retained_3m"]) == (1, 0)  # lasted 40 days


def test_same_day_placements_tie_break_on_placement_id():
    certified_on = days_before(300)
    placements = [
        job(7, 1, days_after(certified_on, 5), wage=9000.0),
        job(3, 1, days_after(certified_on, 5), wage=7000.0),
    ]
    total = exact([worker(1)], [enrol(1, 1, certified_on=certified_on)], placements)["total"]
    assert total["median_monthly_wage"] == 7000.0


def test_retention_counts_open_later_and_exact_90_day_placements():
    placed_on = days_before(120)
    certified_on = days_after(placed_on, -10)
    ends = {
        1: None,  # open: lasted 120 by AS_OF
        2: days_after(AS_OF, 30),  # ends after AS_OF: lasted 120
        3: days_after(placed_on, 90),  # exactly 90 days
        4: days_after(placed_on, 89),  # one day short
    }
    workers = [worker(n) for n in ends]
    enrolments = [enrol(n, n, certified_on=certified_on) for n in ends]
    placements = [job(n, n, placed_on, ended) for n, ended in ends.items()]
    total = exact(workers, enrolments, placements)["total"]
    assert (total["retention_cohort_3m"], total["retained_3m"]) == (4, 3)
    assert total["retention_rate_3m"] == 0.75
    # placed 120 days before AS_OF: nobody is due for the 6- or 12-month check yet
    assert (total["retention_cohort_6m"], total["retained_6m"]) == (0, 0)
    assert total["retention_rate_6m"] is None
    assert total["retention_rate_12m"] is None


def test_retention_cohort_starts_exactly_90_days_after_placement():
    workers = [worker(1), worker(2)]
    enrolments = [
        enrol(1, 1, certified_on=days_before(150)),
        enrol(2, 2, certified_on=days_before(150)),
    ]
    placements = [job(1, 1, days_before(90)), job(2, 2, days_before(89))]
    total = exact(workers, enrolments, placements)["total"]
    assert total["placed"] == 2
    assert (total["retention_cohort_3m"], total["retained_3m"]) == (1, 1)


def test_six_and_twelve_month_retention_use_182_and_365_days():
    certified_on = days_before(500)
    placed_on = days_before(400)  # 100 days after certification: outside the window
    placed_in_window = days_after(certified_on, 20)  # 480 days before AS_OF
    cases = {
        1: days_after(placed_in_window, 182),  # 6m retained, 12m not
        2: days_after(placed_in_window, 181),  # neither 6m nor 12m
        3: days_after(placed_in_window, 365),  # both
        4: None,  # both
    }
    workers = [worker(n) for n in [*cases, 5]]
    enrolments = [enrol(n, n, certified_on=certified_on) for n in [*cases, 5]]
    placements = [job(n, n, placed_in_window, ended) for n, ended in cases.items()]
    placements.append(job(5, 5, placed_on))  # worker 5 is in the cohort but not placed
    total = exact(workers, enrolments, placements)["total"]
    assert (total["placement_cohort"], total["placed"]) == (5, 4)
    assert (total["retention_cohort_6m"], total["retained_6m"]) == (4, 3)
    assert (total["retention_cohort_12m"], total["retained_12m"]) == (4, 2)
    assert total["retention_rate_12m"] == 0.5


@pytest.mark.parametrize(
    ("wages", "median"),
    [
        ([9000.0, 12000.0, 10000.0], 10000.0),
        ([9000.0, 12000.0], 10500.0),
        ([10001.0, 10002.0], 10001.5),
        ([7000.0, 9000.0, 15000.0, 11000.0], 10000.0),
    ],
)
def test_median_wage_takes_the_mean_of_the_middle_pair_for_even_counts(wages, median):
    certified_on = days_before(200)
    workers = [worker(n) for n in range(len(wages))]
    enrolments = [enrol(n, n, certified_on=certified_on) for n in range(len(wages))]
    placements = [job(n, n, certified_on, wage=w) for n, w in enumerate(wages)]
    assert exact(workers, enrolments, placements)["total"]["median_monthly_wage"] == median


def test_women_men_wage_gap_is_relative_to_mens_median():
    certified_on = days_before(200)
    people = [(1, "female", 9000.0), (2, "female", 9000.0), (3, "male", 12000.0)]
    people.append((4, "transgender", 30000.0))
    workers = [worker(n, gender) for n, gender, _ in people]
    enrolments = [enrol(n, n, certified_on=certified_on) for n, _, _ in people]
    placements = [job(n, n, certified_on, wage=w) for n, _, w in people]
    total = exact(workers, enrolments, placements)["total"]
    assert total["median_monthly_wage_women"] == 9000.0
    assert total["median_monthly_wage_men"] == 12000.0
    assert total["women_men_wage_gap"] == 0.25
    assert total["median_monthly_wage"] == 10500.0  # transgender worker is in the overall median


def test_age_in_whole_years_is_birthday_exact_and_handles_29_february():
    assert age_on(date(2000, 6, 15), date(2015, 6, 15)) == 15
    assert age_on(date(2000, 6, 15), date(2015, 6, 14)) == 14
    assert age_on(date(2000, 2, 29), date(2015, 2, 28)) == 14
    assert age_on(date(2000, 2, 29), date(2015, 3, 1)) == 15
    assert age_on(date(2000, 2, 29), date(2016, 2, 29)) == 16
    assert is_youth(date(1995, 6, 15), date(2025, 6, 14))  # 29, turns 30 the day after
    assert not is_youth(date(1995, 6, 15), date(2025, 6, 15))


def test_youth_groups_use_age_on_first_enrolment():
    first = date(2024, 3, 10)
    people = {
        1: date(2009, 3, 10),  # exactly 15 -> youth
        2: date(1995, 3, 10),  # exactly 29 -> youth
        3: date(1994, 3, 10),  # exactly 30 -> not youth
        4: date(1994, 3, 11),  # turns 30 the day after -> still 29, youth
        5: date(2009, 3, 11),  # turns 15 the day after -> 14, not youth
    }
    workers = [worker(n, born=born) for n, born in people.items()]
    enrolments = [enrol(n, n, first) for n in people]
    enrolments.append(enrol(10, 2, date(2025, 5, 1)))  # a later enrolment at 30 does not matter
    enrolments.append(enrol(11, 3, days_after(AS_OF, 1)))  # not yet enrolled as of the report
    report = exact(workers, enrolments, by="youth")
    assert [(g["key"], g["enrolled"]) for g in report["groups"]] == [(False, 2), (True, 3)]


def test_leap_day_born_becomes_15_on_1_march_in_common_years():
    workers = [worker(1, born=date(2000, 2, 29)), worker(2, born=date(2000, 2, 29))]
    enrolments = [enrol(1, 1, date(2015, 2, 28)), enrol(2, 2, date(2015, 3, 1))]
    report = exact(workers, enrolments, by="youth")
    assert [(g["key"], g["enrolled"]) for g in report["groups"]] == [(False, 1), (True, 1)]


def test_institution_groups_follow_first_certified_enrolment_for_placement_figures():
    workers = [worker(1)]
    enrolments = [
        enrol(1, 1, date(2023, 1, 1), institution="ITI-Chakan", certified_on=days_before(200)),
        enrol(2, 1, date(2023, 6, 1), institution="GTTC-Pune", certified_on=days_before(300)),
        enrol(3, 1, date(2024, 1, 1), institution="GTTC-Pune"),  # second enrolment, same place
        enrol(4, 1, date(2024, 2, 1), institution="NSTI-Bhosari"),
    ]
    placements = [job(1, 1, days_before(250))]
    groups = {
        g["key"]: g for g in exact(workers, enrolments, placements, by="institution")["groups"]
    }
    assert {k: g["enrolled"] for k, g in groups.items()} == {
        "GTTC-Pune": 1,
        "ITI-Chakan": 1,
        "NSTI-Bhosari": 1,
    }
    assert {k: g["certified"] for k, g in groups.items()} == {
        "GTTC-Pune": 1,
        "ITI-Chakan": 1,
        "NSTI-Bhosari": 0,
    }
    assert {k: (g["placement_cohort"], g["placed"]) for k, g in groups.items()} == {
        "GTTC-Pune": (1, 1),
        "ITI-Chakan": (0, 0),
        "NSTI-Bhosari": (0, 0),
    }
    assert list(groups) == sorted(groups)


def test_course_grouping_and_first_certification_tie_break_on_enrolled_on():
    same_day = days_before(200)
    enrolments = [
        enrol(1, 1, date(2023, 6, 1), course="Welding", certified_on=same_day),
        enrol(2, 1, date(2023, 1, 1), course="CNC-operator", certified_on=same_day),
    ]
    groups = exact([worker(1)], enrolments, by="course")["groups"]
    cohort = {g["key"]: g["placement_cohort"] for g in groups}
    assert cohort == {"CNC-operator": 1, "Welding": 0}


def test_worker_counts_once_per_gender_and_district_group():
    workers = [worker(1, "female", "Pune"), worker(2, "male", "Pune"), worker(3, "male", "Satara")]
    enrolments = [
        enrol(1, 1, certified_on=days_before(100)),
        enrol(2, 1, date(2024, 2, 1), certified_on=days_before(95)),
        enrol(3, 2),
        enrol(4, 3),
        enrol(5, 3, date(2024, 5, 1)),
    ]
    by_gender = exact(workers, enrolments, by="gender")
    assert [(g["key"], g["enrolled"], g["certified"]) for g in by_gender["groups"]] == [
        ("female", 1, 1),
        ("male", 2, 0),
    ]
    by_district = exact(workers, enrolments, by="district")
    assert [(g["key"], g["enrolled"]) for g in by_district["groups"]] == [
        ("Pune", 2),
        ("Satara", 1),
    ]
    assert by_district["total"]["enrolled"] == 3


def test_records_after_the_report_date_do_not_exist_yet():
    workers = [worker(1), worker(2), worker(3)]
    enrolments = [
        enrol(1, 1, days_after(AS_OF, 1)),  # enrols after AS_OF: in no figure
        enrol(2, 2, certified_on=days_after(AS_OF, 5)),  # certified after AS_OF
        enrol(3, 3, certified_on=days_before(100)),
    ]
    placements = [job(1, 1, days_before(30)), job(2, 3, days_before(20))]  # worker 1's is ignored
    report = exact(workers, enrolments, placements, by="gender")
    total = report["total"]
    assert (total["enrolled"], total["certified"], total["placement_cohort"]) == (2, 1, 1)
    assert total["placed"] == 1  # 80 days after certification


def test_earlier_report_date_ignores_later_certification_and_placement():
    certified_on = days_before(200)
    placements = [job(1, 1, days_after(certified_on, 10), days_after(certified_on, 20))]
    earlier = date(2024, 12, 1)
    later_report = exact([worker(1)], [enrol(1, 1, certified_on=certified_on)], placements)
    assert later_report["total"]["placed"] == 1
    early_report = exact(
        [worker(1)], [enrol(1, 1, certified_on=certified_on)], placements, as_of=earlier
    )
    assert early_report["total"]["certified"] == 0
    assert early_report["total"]["placed"] == 0


def test_worker_without_enrolment_is_in_no_figure():
    report = exact(
        [worker(1), worker(2, "male")], [enrol(1, 1)], [job(1, 2, days_before(10))], by="gender"
    )
    assert [g["key"] for g in report["groups"]] == ["female"]
    assert report["total"]["enrolled"] == 1


def test_undated_certificate_does_not_count():
    total = exact([worker(1)], [enrol(1, 1, certified=True)])["total"]
    assert total["certified"] == 0


def test_self_employment_counts_as_placement():
    certified_on = days_before(200)
    placements = [job(1, 1, certified_on, kind="self", wage=7000.0)]
    total = exact([worker(1)], [enrol(1, 1, certified_on=certified_on)], placements)["total"]
    assert total["placed"] == 1
    assert total["median_monthly_wage"] == 7000.0


def test_rates_round_to_four_places():
    certified_on = days_before(200)
    workers = [worker(n) for n in range(3)]
    enrolments = [enrol(n, n, certified_on=certified_on) for n in range(3)]
    one = exact(workers, enrolments, [job(0, 0, certified_on)])["total"]
    two = exact(workers, enrolments, [job(0, 0, certified_on), job(1, 1, certified_on)])["total"]
    assert (one["placement_rate"], two["placement_rate"]) == (0.3333, 0.6667)


def test_report_shape_without_and_with_grouping():
    report = exact([worker(1)], [enrol(1, 1)])
    assert report["as_of"] == "2025-06-30"
    assert report["by"] is None
    assert report["groups"] == []
    assert set(report["total"]) >= CONTRACT_FIELDS
    assert "key" not in report["total"]
    assert not any(name.startswith("_") for name in report["total"])
    grouped = exact([worker(1)], [enrol(1, 1)], by="district")
    assert grouped["groups"][0]["key"] == "Pune"
    assert CONTRACT_FIELDS | {"key"} <= set(grouped["groups"][0])
    json.dumps(grouped)


def test_suppressed_report_hides_small_counts_and_what_is_built_on_them():
    certified_on = days_before(200)
    # 12 in Pune (10 placed), 3 in Satara (2 placed)
    districts = ["Pune"] * 12 + ["Satara"] * 3
    workers = [worker(n, district=d) for n, d in enumerate(districts)]
    enrolments = [enrol(n, n, certified_on=certified_on) for n in range(15)]
    placed = [*range(10), 12, 13]
    placements = [job(n, n, certified_on, wage=9000.0 + n) for n in placed]
    report = outcome_report(workers, enrolments, placements, AS_OF, "district")
    pune, satara = report["groups"]
    assert satara["enrolled"] is None and satara["placed"] is None
    assert satara["placement_rate"] is None and satara["median_monthly_wage"] is None
    assert {"enrolled", "placed", "placement_rate", "median_monthly_wage"} <= set(
        satara["suppressed"]
    )
    # complementary: Pune's cells of the same columns go too, or total - Pune = Satara
    assert pune["enrolled"] is None and pune["placed"] is None and pune["placement_rate"] is None
    total = report["total"]
    assert (total["enrolled"], total["placed"], total["placement_rate"]) == (15, 12, 0.8)
    assert total["suppressed"] == []
    # the same figures for an administrator
    exact_report = exact(workers, enrolments, placements, by="district")
    assert exact_report["groups"][0]["placed"] == 10
    assert exact_report["groups"][0]["suppressed"] == []


def test_total_of_one_to_nine_is_suppressed_without_grouping():
    total = outcome_report([worker(1)], [enrol(1, 1)], [], AS_OF)["total"]
    assert total["enrolled"] is None
    assert "enrolled" in total["suppressed"]
    assert total["placed"] == 0  # zero is shown


def test_series_reports_totals_at_month_ends():
    certified_on = date(2024, 11, 15)
    workers = [worker(1), worker(2)]
    enrolments = [
        enrol(1, 1, date(2024, 9, 1), certified_on=certified_on),
        enrol(2, 2, date(2024, 12, 20)),
    ]
    months = [date(2024, 10, 3), date(2024, 12, 1), date(2024, 2, 10), date(2025, 2, 1)]
    series = records_series(OutcomeRecords(workers, enrolments, []), months, suppress=False)
    assert [item["as_of"] for item in series] == [
        "2024-10-31",
        "2024-12-31",
        "2024-02-29",
        "2025-02-28",
    ]
    assert [item["enrolled"] for item in series] == [1, 2, 0, 2]
    assert [item["certified"] for item in series] == [0, 1, 0, 1]
    assert [item["placement_cohort"] for item in series] == [0, 0, 0, 1]  # 90 days: 13 Feb
    for item, month in zip(series, months, strict=True):
        report = exact(workers, enrolments, [], month_end(month))
        assert item == {"as_of": report["as_of"], **report["total"]}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: WorkerRecord(1, "f", "Pune", date(2000, 1, 1)), "gender"),
        (lambda: WorkerRecord(1, "female", "", date(2000, 1, 1)), "district"),
        (lambda: WorkerRecord(1, "female", "Pune", datetime(2000, 1, 1)), "date_of_birth"),
        (lambda: job(1, 1, date(2024, 5, 1), date(2024, 4, 1)), "ended_on"),
        (lambda: job(1, 1, date(2024, 5, 1), wage=-1.0), "negative"),
        (lambda: job(1, 1, date(2024, 5, 1), wage=float("nan")), "monthly_wage"),
        (lambda: job(1, 1, date(2024, 5, 1), kind="gig"), "employment_type"),
        (lambda: enrol(1, 1, date(2024, 5, 1), completed_on=date(2024, 4, 1)), "completed_on"),
        (lambda: enrol(1, 1, course_months=0), "course_months"),
        (lambda: enrol(1, 1, institution=""), "institution"),
    ],
)
def test_bad_records_are_refused_with_a_clear_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_report_inputs_are_refused():
    with pytest.raises(ValueError, match="by must be"):
        exact([worker(1)], [enrol(1, 1)], by="caste")
    with pytest.raises(ValueError, match="unknown worker"):
        exact([worker(1)], [enrol(1, 2)])
    with pytest.raises(ValueError, match="unknown worker"):
        exact([worker(1)], [enrol(1, 1)], [job(1, 9, date(2024, 1, 1))])
    with pytest.raises(ValueError, match="duplicate worker_id"):
        exact([worker(1), worker(1)], [])
    with pytest.raises(ValueError, match="duplicate enrolment_id"):
        exact([worker(1)], [enrol(1, 1), enrol(1, 1)])
    with pytest.raises(ValueError, match="born after"):
        exact([worker(1, born=date(2025, 1, 1))], [enrol(1, 1, date(2024, 1, 1))])
    with pytest.raises(ValueError, match="as_of"):
        exact([worker(1)], [enrol(1, 1)], as_of=datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="expected EnrolmentRecord"):
        exact([worker(1)], [{"enrolment_id": 1}])


def test_records_accept_str_enum_members_and_int_wages():
    from enum import StrEnum

    class Gender(StrEnum):
        female = "female"

    record = WorkerRecord(1, Gender.female, "Pune", date(2000, 1, 1))
    assert type(record.gender) is str
    placement = PlacementRecord(1, 1, date(2024, 1, 1), None, 9000, "wage")
    assert placement.monthly_wage == 9000
    assert isinstance(enrol(1, 1), EnrolmentRecord)
