"""Verified retention against a naive day-by-day computation on random records and checks.

Reuses the naive helpers of test_outcome_bruteforce (which share nothing with indicators/) and
adds random retention checks: some with evidence, some without, some undated, some dated after
the report date, some of jobs other than the qualifying one.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

import pytest

from indicators.outcomes import outcome_report
from indicators.records import RetentionCheckRecord

from .test_outcome_bruteforce import (
    GROUPINGS,
    REPORT_DATES,
    by_key,
    days_between,
    existing,
    first_certified,
    key_of,
    naive_qualifying,
    naive_rate,
    random_records,
)


def random_checks(placements, seed: int) -> list[RetentionCheckRecord]:
    rng = random.Random(seed)
    checks = []
    for placement in placements:
        for months in (3, 6, 12):
            if rng.random() < 0.5:
                continue
            offset = rng.choice([None, -10, 0, 30, 200, 400])
            verified_on = (
                None
                if offset is None
                else placement.placed_on + timedelta(days=months * 30 + offset)
            )
            checks.append(
                RetentionCheckRecord(
                    placement.placement_id,
                    months,
                    employed=rng.random() < 0.8,
                    evidence=rng.random() < 0.7,
                    verified_on=verified_on,
                )
            )
    return checks


def naive_verified(workers, enrolments, placements, checks, as_of, by):
    good = {
        (c.placement_id, c.months)
        for c in checks
        if c.employed and c.evidence and c.verified_on is not None and c.verified_on <= as_of
    }
    buckets = defaultdict(lambda: defaultdict(set))
    for w, own, jobs in existing(workers, enrolments, placements, as_of):
        first_enrolled = min(e.enrolled_on for e in own)
        for e in own:
            buckets[key_of(w, e, first_enrolled, by)]  # every group of an enrolment exists
        first, _ = first_certified(own, as_of)
        if first is None or days_between(first.certified_on, as_of) < 90:
            continue
        qualifying = naive_qualifying(first, jobs)
        if qualifying is None:
            continue
        bucket = buckets[key_of(w, first, first_enrolled, by)]
        for period, days, months in (("3m", 90, 3), ("6m", 182, 6), ("12m", 365, 12)):
            if days_between(qualifying.placed_on, as_of) >= days:
                bucket[f"cohort_{period}"].add(w.worker_id)
                if (qualifying.placement_id, months) in good:
                    bucket[f"verified_{period}"].add(w.worker_id)
    rows = {}
    for key, bucket in buckets.items():
        rows[key] = {}
        for period in ("3m", "6m", "12m"):
            verified = len(bucket[f"verified_{period}"])
            rows[key][f"verified_retained_{period}"] = verified
            rows[key][f"verified_retention_rate_{period}"] = naive_rate(
                verified, len(bucket[f"cohort_{period}"])
            )
    return rows


@pytest.fixture(scope="module", params=[11, 2024])
def checked_records(request):
    workers, enrolments, placements = random_records(request.param)
    return workers, enrolments, placements, random_checks(placements, request.param)


def test_the_random_checks_verify_some_and_not_others(checked_records):
    workers, enrolments, placements, checks = checked_records
    total = outcome_report(
        workers,
        enrolments,
        placements,
        REPORT_DATES[0],
        suppress=False,
        retention_checks=checks,
    )["total"]
    assert 0 < total["verified_retained_3m"] < total["retention_cohort_3m"]


@pytest.mark.parametrize("as_of", REPORT_DATES)
@pytest.mark.parametrize("by", GROUPINGS)
def test_verified_retention_agrees_with_a_naive_computation(checked_records, as_of, by):
    workers, enrolments, placements, checks = checked_records
    report = outcome_report(
        workers, enrolments, placements, as_of, by, suppress=False, retention_checks=checks
    )
    actual = by_key(report, by)
    expected = naive_verified(workers, enrolments, placements, checks, as_of, by)
    assert set(actual) == set(expected)
    for key, row in expected.items():
        for name, value in row.items():
            assert actual[key][name] == value, (key, name)
