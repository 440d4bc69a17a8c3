"""A second, deliberately naive implementation that must agree with the real one on random data.

The naive version walks the calendar one day at a time (cohorts, placement windows, how long a
job lasted, quarters, birthdays) and shares no helper with app.outcomes, so a slip in the
date arithmetic of either shows up as a disagreement.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

import pytest

from indicators.outcomes import outcome_report
from indicators.records import (
    EnrolmentRecord,
    PlacementRecord,
    WorkerRecord,
)
from indicators.schemes import ddugky_report, wioa_report

ONE_DAY = timedelta(days=1)
MAIN_AS_OF = date(2025, 6, 30)
REPORT_DATES = [MAIN_AS_OF, date(2024, 12, 31), date(2026, 2, 28)]
GROUPINGS = [None, "gender", "youth", "district", "institution", "course"]


# ---------------------------------------------------------------- random data, with boundaries


def shifted(day: date, days: int) -> date:
    return day + timedelta(days=days)


def birthday_years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)


def random_records(seed: int, size: int = 180):
    rng = random.Random(seed)
    workers, enrolments, placements = [], [], []
    for worker_id in range(size):
        first_enrolled = shifted(date(2022, 1, 1), rng.randint(0, 1400))
        if rng.random() < 0.05:
            born = date(rng.choice([1996, 2000, 2008]), 2, 29)
        else:
            age = rng.choice([14, 15, 16, 28, 29, 30, 31, rng.randint(14, 45)])
            born = shifted(birthday_years_before(first_enrolled, age), rng.choice([-1, 0, 1, 40]))
        workers.append(
            WorkerRecord(
                worker_id,
                rng.choice(["female", "female", "male", "male", "transgender"]),
                rng.choice(["Pune", "Satara", "Nashik"]),
                born,
            )
        )
        certified_dates = []
        for n in range(rng.choice([0, 1, 1, 1, 2, 3])):
            enrolled_on = first_enrolled if n == 0 else shifted(first_enrolled, rng.randint(0, 500))
            completed_on = (
                shifted(enrolled_on, rng.randint(20, 200)) if rng.random() < 0.7 else None
            )
            certified_on = None
            if completed_on and rng.random() < 0.75:
                if rng.random() < 0.25:  # land on the placement-cohort boundary of the main date
                    certified_on = shifted(MAIN_AS_OF, rng.choice([-91, -90, -89]))
                else:
                    certified_on = shifted(completed_on, rng.choice([0, 5, 364, 365, 366, 30]))
                certified_dates.append(certified_on)
            undated = completed_on is not None and certified_on is None and rng.random() < 0.1
            enrolments.append(
                EnrolmentRecord(
                    enrolment_id=len(enrolments),
                    worker_id=worker_id,
                    institution=rng.choice(["ITI-A", "ITI-B", "GTTC"]),
                    course=rng.choice(["CNC", "Welding", "Fitter"]),
                    enrolled_on=enrolled_on,
                    status="completed" if completed_on else "enrolled",
                    completed_on=completed_on,
                    certified=certified_on is not None or undated,
                    certified_on=certified_on,
                    course_months=rng.choice([None, 2, 3, 5, 6, 9, 12, 18]),
                    batch=rng.choice([None, "b1", "b2", "b3"]),
                )
            )
        anchor = min(certified_dates) if certified_dates else first_enrolled
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            offset = rng.choice([-1, 0, 1, 45, 89, 90, 91, rng.randint(-30, 300)])
            placed_on = shifted(anchor, offset)
            length = rng.choice([None, None, 0, 89, 90, 91, 181, 182, 365, rng.randint(0, 600)])
            placements.append(
                PlacementRecord(
                    placement_id=len(placements),
                    worker_id=worker_id,
                    placed_on=placed_on,
                    ended_on=None if length is None else shifted(placed_on, length),
                    monthly_wage=float(rng.choice([5999, 6000, 8000, 9500, 12000, 15000, 21000])),
                    employment_type="self" if rng.random() < 0.15 else "wage",
                )
            )
    return workers, enrolments, placements


# ---------------------------------------------------------------------- the naive computation


def days_between(start: date, end: date) -> int:
    """Walk from start to end one day at a time; negative when end comes first."""
    steps, day = 0, start
    while day < end:
        day, steps = day + ONE_DAY, steps + 1
    while day > end:
        day, steps = day - ONE_DAY, steps - 1
    return steps


def naive_age(born: date, day: date) -> int:
    age, year = 0, born.year + 1
    while True:
        try:
            birthday = date(year, born.month, born.day)
        except ValueError:
            birthday = date(year, 3, 1)  # born 29 February, a common year
        if birthday > day:
            return age
        age, year = age + 1, year + 1


def naive_lasted(placement: PlacementRecord, as_of: date) -> int:
    days, day = 0, placement.placed_on
    while day < as_of and (placement.ended_on is None or day < placement.ended_on):
        day, days = day + ONE_DAY, days + 1
    return days


def naive_median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return round(ordered[middle], 2)
    return round((ordered[middle - 1] + ordered[middle]) / 2, 2)


def naive_rate(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else round(numerator / denominator, 4)


def existing(workers, enrolments, placements, as_of):
    """Per worker: the enrolments and placements that exist on as_of."""
    own_enrolments = defaultdict(list)
    for e in enrolments:
        if e.enrolled_on <= as_of:
            own_enrolments[e.worker_id].append(e)
    own_placements = defaultdict(list)
    for p in placements:
        if p.placed_on <= as_of:
            own_placements[p.worker_id].append(p)
    return [
        (w, own_enrolments[w.worker_id], own_placements[w.worker_id])
        for w in workers
        if own_enrolments[w.worker_id]
    ]


def first_certified(enrolments, as_of):
    certified = [
        e
        for e in enrolments
        if e.certified and e.certified_on is not None and e.certified_on <= as_of
    ]
    if not certified:
        return None, []
    return min(certified, key=lambda e: (e.certified_on, e.enrolled_on, e.enrolment_id)), certified


def key_of(worker, enrolment, first_enrolled, by):
    if by is None:
        return "all"
    if by == "gender":
        return worker.gender
    if by == "district":
        return worker.district
    if by == "youth":
        return 15 <= naive_age(worker.date_of_birth, first_enrolled) <= 29
    return enrolment.institution if by == "institution" else enrolment.course


def naive_qualifying(first, jobs):
    """The placement that counts: the first one, day by day, within 90 days of the first
    certificate (the lowest id among those of one day); None if there is none."""
    for offset in range(91):
        day = first.certified_on + offset * ONE_DAY
        same_day = sorted((p for p in jobs if p.placed_on == day), key=lambda p: p.placement_id)
        if same_day:
            return same_day[0]
    return None


def naive_outcomes(workers, enrolments, placements, as_of, by):
    buckets = defaultdict(lambda: defaultdict(set))
    wages = defaultdict(dict)
    genders = {w.worker_id: w.gender for w in workers}
    for w, own, jobs in existing(workers, enrolments, placements, as_of):
        first_enrolled = min(e.enrolled_on for e in own)
        for e in own:
            buckets[key_of(w, e, first_enrolled, by)]["enrolled"].add(w.worker_id)
        first, certified = first_certified(own, as_of)
        for e in certified:
            buckets[key_of(w, e, first_enrolled, by)]["certified"].add(w.worker_id)
        if first is None or days_between(first.certified_on, as_of) < 90:
            continue
        bucket = buckets[key_of(w, first, first_enrolled, by)]
        bucket["placement_cohort"].add(w.worker_id)
        qualifying = naive_qualifying(first, jobs)
        if qualifying is None:
            continue
        bucket["placed"].add(w.worker_id)
        wages[key_of(w, first, first_enrolled, by)][w.worker_id] = qualifying.monthly_wage
        for period, days in (("3m", 90), ("6m", 182), ("12m", 365)):
            if days_between(qualifying.placed_on, as_of) >= days:
                bucket[f"retention_cohort_{period}"].add(w.worker_id)
                if naive_lasted(qualifying, as_of) >= days:
                    bucket[f"retained_{period}"].add(w.worker_id)
    rows = {}
    for key, bucket in buckets.items():
        row = {name: len(members) for name, members in bucket.items()}
        counts = defaultdict(int, row)
        group_wages = wages[key]
        women = [v for k, v in group_wages.items() if genders[k] == "female"]
        men = [v for k, v in group_wages.items() if genders[k] == "male"]
        rows[key] = {
            "enrolled": counts["enrolled"],
            "certified": counts["certified"],
            "placement_cohort": counts["placement_cohort"],
            "placed": counts["placed"],
            "placement_rate": naive_rate(counts["placed"], counts["placement_cohort"]),
            "median_monthly_wage": naive_median(list(group_wages.values())),
            "median_monthly_wage_women": naive_median(women),
            "median_monthly_wage_men": naive_median(men),
        }
        for period in ("3m", "6m", "12m"):
            cohort, retained = counts[f"retention_cohort_{period}"], counts[f"retained_{period}"]
            rows[key][f"retention_cohort_{period}"] = cohort
            rows[key][f"retained_{period}"] = retained
            rows[key][f"retention_rate_{period}"] = naive_rate(retained, cohort)
        if women and men:
            ordered_w, ordered_m = sorted(women), sorted(men)
            mid_w = (ordered_w[(len(women) - 1) // 2] + ordered_w[len(women) // 2]) / 2
            mid_m = (ordered_m[(len(men) - 1) // 2] + ordered_m[len(men) // 2]) / 2
            rows[key]["women_men_wage_gap"] = round((mid_m - mid_w) / mid_m, 4)
        else:
            rows[key]["women_men_wage_gap"] = None
    return rows


def naive_floor(course_months):
    floors = {3: 6000.0, 6: 8000.0, 9: 12000.0, 12: 15000.0}
    months = course_months or 0
    while months > 0:
        if months in floors:
            return floors[months]
        months -= 1
    return 6000.0


def naive_ddugky(workers, enrolments, placements, as_of, by):
    buckets = defaultdict(lambda: defaultdict(set))
    wages = defaultdict(dict)
    for w, own, jobs in existing(workers, enrolments, placements, as_of):
        first_enrolled = min(e.enrolled_on for e in own)
        for e in own:
            bucket = buckets[key_of(w, e, first_enrolled, by)]
            bucket["enrolled"].add(w.worker_id)
            if w.gender == "female":
                bucket["enrolled_women"].add(w.worker_id)
        first, _ = first_certified(own, as_of)
        if first is None or days_between(first.certified_on, as_of) < 90:
            continue
        key = key_of(w, first, first_enrolled, by)
        buckets[key]["placement_cohort"].add(w.worker_id)
        for offset in range(91):
            day = first.certified_on + offset * ONE_DAY
            good = [
                p
                for p in sorted(jobs, key=lambda p: p.placement_id)
                if p.placed_on == day
                and p.employment_type == "wage"
                and naive_lasted(p, as_of) >= 90
                and p.monthly_wage >= naive_floor(first.course_months)
            ]
            if good:
                wages[key][w.worker_id] = good[0].monthly_wage
                break
    rows = {}
    for key, bucket in buckets.items():
        counts = defaultdict(int, {name: len(members) for name, members in bucket.items()})
        placed = len(wages[key])
        rows[key] = {
            "enrolled": counts["enrolled"],
            "enrolled_women": counts["enrolled_women"],
            "women_share": naive_rate(counts["enrolled_women"], counts["enrolled"]),
            "placement_cohort": counts["placement_cohort"],
            "placed": placed,
            "placement_rate": naive_rate(placed, counts["placement_cohort"]),
            "median_monthly_wage": naive_median(list(wages[key].values())),
        }
    return rows


def naive_batch_alerts(workers, enrolments, placements, as_of):
    gender = {w.worker_id: w.gender for w in workers}
    batches = defaultdict(set)
    for w, own, _ in existing(workers, enrolments, placements, as_of):
        for e in own:
            if e.batch is not None:
                batches[(e.institution, e.course, e.batch)].add(w.worker_id)
    alerts = []
    for (institution, course, batch), members in sorted(batches.items()):
        women = sum(1 for m in members if gender[m] == "female")
        if len(members) >= 10 and women / len(members) < 0.33:
            alerts.append((institution, course, batch, len(members), women))
    return alerts


def next_quarter_start(day: date) -> date:
    day += ONE_DAY
    while not (day.day == 1 and day.month in (1, 4, 7, 10)):
        day += ONE_DAY
    return day


def nth_quarter_after(day: date, n: int) -> list[date]:
    start = day
    for _ in range(n):
        start = next_quarter_start(start)
    end = next_quarter_start(start) - ONE_DAY
    return [start + k * ONE_DAY for k in range(days_between(start, end) + 1)]


def naive_quarter(jobs, quarter_days, as_of):
    employed, earnings = False, 0.0
    for day in quarter_days:
        for p in jobs:
            last = p.ended_on if p.ended_on is not None else as_of
            if p.placed_on <= day <= last and day <= as_of:
                employed = True
                earnings += p.monthly_wage * 3 / len(quarter_days)
    return employed, earnings


def naive_wioa(workers, enrolments, placements, as_of, by):
    buckets = defaultdict(lambda: defaultdict(set))
    earnings = defaultdict(dict)
    for w, own, jobs in existing(workers, enrolments, placements, as_of):
        completed = [e for e in own if e.completed_on is not None and e.completed_on <= as_of]
        if not completed:
            continue
        exit_enrolment = min(
            completed, key=lambda e: (e.completed_on, e.enrolled_on, e.enrolment_id)
        )
        first_enrolled = min(e.enrolled_on for e in own)
        key = key_of(w, exit_enrolment, first_enrolled, by)
        bucket = buckets[key]
        bucket["completed"].add(w.worker_id)
        for n in (2, 4):
            quarter = nth_quarter_after(exit_enrolment.completed_on, n)
            if quarter[-1] > as_of:
                continue
            bucket[f"employment_cohort_q{n}"].add(w.worker_id)
            employed, earned = naive_quarter(jobs, quarter, as_of)
            if employed:
                bucket[f"employed_q{n}"].add(w.worker_id)
                if n == 2:
                    earnings[key][w.worker_id] = earned
        if days_between(exit_enrolment.completed_on, as_of) >= 365:
            bucket["credential_cohort"].add(w.worker_id)
            _, certified = first_certified(own, as_of)
            if any(
                days_between(exit_enrolment.completed_on, e.certified_on) <= 365 for e in certified
            ):
                bucket["credentialed"].add(w.worker_id)
    rows = {}
    for key, bucket in buckets.items():
        c = defaultdict(int, {name: len(members) for name, members in bucket.items()})
        rows[key] = {
            "completed": c["completed"],
            "employment_cohort_q2": c["employment_cohort_q2"],
            "employed_q2": c["employed_q2"],
            "employment_rate_q2": naive_rate(c["employed_q2"], c["employment_cohort_q2"]),
            "median_earnings_q2": naive_median(list(earnings[key].values())),
            "employment_cohort_q4": c["employment_cohort_q4"],
            "employed_q4": c["employed_q4"],
            "employment_rate_q4": naive_rate(c["employed_q4"], c["employment_cohort_q4"]),
            "credential_cohort": c["credential_cohort"],
            "credentialed": c["credentialed"],
            "credential_rate": naive_rate(c["credentialed"], c["credential_cohort"]),
        }
    return rows


# ------------------------------------------------------------------------------ the comparisons


def by_key(report, by):
    rows = {g["key"]: g for g in report["groups"]} if by is not None else {"all": report["total"]}
    return {
        key: {name: value for name, value in row.items() if name not in ("key", "suppressed")}
        for key, row in rows.items()
    }


def assert_rows_agree(actual, expected, approximate=()):
    assert list(actual) == sorted(actual)
    assert set(actual) == set(expected)
    for key in expected:
        for name, value in expected[key].items():
            if name in approximate and value is not None:
                assert actual[key][name] == pytest.approx(value, abs=0.011), (key, name)
            else:
                assert actual[key][name] == value, (key, name)


@pytest.fixture(scope="module", params=[11, 2024])
def records(request):
    return random_records(request.param)


def test_random_data_reaches_the_boundaries(records):
    """Guard the generator: the comparison is only worth something if the edges are hit."""
    workers, enrolments, placements = records
    total = outcome_report(workers, enrolments, placements, MAIN_AS_OF, suppress=False)["total"]
    assert total["placement_cohort"] > 20 and total["placed"] > 10
    assert 0 < total["retained_3m"] < total["retention_cohort_3m"]
    assert any(e.certified_on == MAIN_AS_OF - timedelta(days=90) for e in enrolments)
    assert any(e.certified_on == MAIN_AS_OF - timedelta(days=89) for e in enrolments)


@pytest.mark.parametrize("as_of", REPORT_DATES)
@pytest.mark.parametrize("by", GROUPINGS)
def test_indicators_agree_with_naive_day_by_day_computation(records, as_of, by):
    workers, enrolments, placements = records
    report = outcome_report(workers, enrolments, placements, as_of, by, suppress=False)
    assert_rows_agree(
        by_key(report, by), naive_outcomes(workers, enrolments, placements, as_of, by)
    )


@pytest.mark.parametrize("as_of", REPORT_DATES)
@pytest.mark.parametrize("by", [None, "youth", "institution"])
def test_ddugky_agrees_with_naive_computation(records, as_of, by):
    workers, enrolments, placements = records
    report = ddugky_report(workers, enrolments, placements, as_of, by, suppress=False)
    assert_rows_agree(by_key(report, by), naive_ddugky(workers, enrolments, placements, as_of, by))
    alerts = [
        (a["institution"], a["course"], a["batch"], a["enrolled"], a["women"])
        for a in report["batch_alerts"]
    ]
    assert alerts == naive_batch_alerts(workers, enrolments, placements, as_of)


@pytest.mark.parametrize("as_of", REPORT_DATES)
@pytest.mark.parametrize("by", [None, "gender", "course"])
def test_wioa_agrees_with_naive_computation(records, as_of, by):
    workers, enrolments, placements = records
    report = wioa_report(workers, enrolments, placements, as_of, by, suppress=False)
    expected = naive_wioa(workers, enrolments, placements, as_of, by)
    assert_rows_agree(by_key(report, by), expected, approximate=("median_earnings_q2",))


def as_known_on(as_of, enrolments, placements):
    """The records as a database snapshot taken on as_of would have held them."""
    known_enrolments = []
    for e in enrolments:
        if e.enrolled_on > as_of:
            continue
        if e.completed_on is not None and e.completed_on > as_of:
            e = replace(e, completed_on=None, status="enrolled")
        if e.certified_on is not None and e.certified_on > as_of:
            e = replace(e, certified=False, certified_on=None)
        known_enrolments.append(e)
    known_placements = [
        p if p.ended_on is None or p.ended_on <= as_of else replace(p, ended_on=None)
        for p in placements
        if p.placed_on <= as_of
    ]
    return known_enrolments, known_placements


@pytest.mark.parametrize("as_of", REPORT_DATES)
def test_a_report_on_a_past_date_equals_one_on_that_dates_snapshot(records, as_of):
    workers, enrolments, placements = records
    snapshot = as_known_on(as_of, enrolments, placements)
    for report in (outcome_report, ddugky_report, wioa_report):
        for by in ("institution", "youth"):
            today = report(workers, enrolments, placements, as_of, by, suppress=False)
            then = report(workers, *snapshot, as_of, by, suppress=False)
            assert today == then
