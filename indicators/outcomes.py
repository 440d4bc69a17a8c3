"""The outcome indicators: enrolled, certified, placed, retained (reported and verified), wages.

The definitions and readings are in records.py; the report is the common skeleton (skeleton.py)
fed with this scheme.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from functools import partial
from typing import Any

from indicators.disclosure import TableSpec
from indicators.records import (
    RETENTION_CHECK_MONTHS,
    RETENTION_PERIODS,
    PlacementRecord,
    WorkerHistory,
    in_placement_cohort,
    median_or_none,
    qualifying_placement,
    rate_or_none,
    wage_gap_or_none,
)
from indicators.skeleton import Scheme, TalliesFor, scheme_report

GENDER_HELPERS = (("female", "_placed_women"), ("male", "_placed_men"))


class OutcomeTally:
    """Distinct workers per figure for one group; sets, so a worker counts once per group."""

    def __init__(self) -> None:
        self.enrolled: set[Hashable] = set()
        self.certified: set[Hashable] = set()
        self.cohort: set[Hashable] = set()
        self.placed: dict[Hashable, PlacementRecord] = {}
        self.genders: dict[Hashable, str] = {}
        self.retention_cohort: dict[str, set[Hashable]] = {p: set() for p, _ in RETENTION_PERIODS}
        self.retained: dict[str, set[Hashable]] = {p: set() for p, _ in RETENTION_PERIODS}
        self.verified: dict[str, set[Hashable]] = {p: set() for p, _ in RETENTION_PERIODS}

    def row(self) -> dict[str, Any]:
        wages = [p.monthly_wage for p in self.placed.values()]
        women = [p.monthly_wage for w, p in self.placed.items() if self.genders[w] == "female"]
        men = [p.monthly_wage for w, p in self.placed.items() if self.genders[w] == "male"]
        row: dict[str, Any] = {
            "enrolled": len(self.enrolled),
            "certified": len(self.certified),
            "placement_cohort": len(self.cohort),
            "placed": len(self.placed),
            "placement_rate": rate_or_none(len(self.placed), len(self.cohort)),
        }
        for period, _ in RETENTION_PERIODS:
            cohort, retained = len(self.retention_cohort[period]), len(self.retained[period])
            row[f"retention_cohort_{period}"] = cohort
            row[f"retained_{period}"] = retained
            row[f"retention_rate_{period}"] = rate_or_none(retained, cohort)
        row["median_monthly_wage"] = median_or_none(wages)
        row["median_monthly_wage_women"] = median_or_none(women)
        row["median_monthly_wage_men"] = median_or_none(men)
        row["women_men_wage_gap"] = wage_gap_or_none(women, men)
        # Added after the first contract's fields, so every earlier column keeps its place.
        for period, _ in RETENTION_PERIODS:
            verified, cohort = len(self.verified[period]), len(self.retention_cohort[period])
            row[f"verified_retained_{period}"] = verified
            row[f"verified_retention_rate_{period}"] = rate_or_none(verified, cohort)
        row["_placed_women"] = len(women)
        row["_placed_men"] = len(men)
        return row


INDICATOR_TABLE = TableSpec(
    counts=(
        "enrolled",
        "certified",
        "placement_cohort",
        "placed",
        *(
            f"{kind}_{period}"
            for period, _ in RETENTION_PERIODS
            for kind in ("retention_cohort", "retained")
        ),
        *(f"verified_retained_{period}" for period, _ in RETENTION_PERIODS),
    ),
    rates=(
        ("placement_rate", "placed", "placement_cohort"),
        *(
            (f"retention_rate_{period}", f"retained_{period}", f"retention_cohort_{period}")
            for period, _ in RETENTION_PERIODS
        ),
        *(
            (
                f"verified_retention_rate_{period}",
                f"verified_retained_{period}",
                f"retention_cohort_{period}",
            )
            for period, _ in RETENTION_PERIODS
        ),
    ),
    derived=(
        ("median_monthly_wage", ("placed",)),
        ("median_monthly_wage_women", ("placed", "_placed_women")),
        ("median_monthly_wage_men", ("placed", "_placed_men")),
        ("women_men_wage_gap", ("placed", "_placed_women", "_placed_men")),
    ),
    keep_keys=frozenset({"female"}),
    repeated=(
        (
            "female",
            "median_monthly_wage_women",
            ("median_monthly_wage_women", "women_men_wage_gap"),
        ),
        ("male", "median_monthly_wage_men", ("median_monthly_wage_men", "women_men_wage_gap")),
    ),
    nested=(
        ("enrolled", "certified"),
        ("placement_cohort", "placed"),
        *((f"retention_cohort_{period}", f"retained_{period}") for period, _ in RETENTION_PERIODS),
        *(
            (f"retention_cohort_{period}", f"verified_retained_{period}")
            for period, _ in RETENTION_PERIODS
        ),
    ),
)


def add_outcome_worker(history: WorkerHistory, as_of: date, tallies_for: TalliesFor) -> None:
    """Add one worker to the tallies of every group each of their figures belongs to."""
    worker_id = history.worker.worker_id
    for enrolment in history.enrolments:
        for tally in tallies_for(enrolment):
            tally.enrolled.add(worker_id)
    for enrolment in history.certified:
        for tally in tallies_for(enrolment):
            tally.certified.add(worker_id)
    first = history.first_certified
    if first is None or not in_placement_cohort(history, as_of):
        return
    tallies = tallies_for(first)
    for tally in tallies:
        tally.cohort.add(worker_id)
    placement = qualifying_placement(history)
    if placement is None:
        return
    for tally in tallies:
        tally.placed[worker_id] = placement
        tally.genders[worker_id] = history.worker.gender
    for period, days in RETENTION_PERIODS:
        if (as_of - placement.placed_on).days < days:
            continue
        lasted = placement.days_lasted(as_of) >= days
        verified = (placement.placement_id, RETENTION_CHECK_MONTHS[period]) in (
            history.verified_checks
        )
        for tally in tallies:
            tally.retention_cohort[period].add(worker_id)
            if lasted:
                tally.retained[period].add(worker_id)
            if verified:
                tally.verified[period].add(worker_id)


OUTCOMES = Scheme(
    name="outcomes",
    table=INDICATOR_TABLE,
    new_tally=OutcomeTally,
    add_worker=add_outcome_worker,
    gender_helpers=GENDER_HELPERS,
)


outcome_report = partial(scheme_report, OUTCOMES)
outcome_report.__doc__ = (
    'Enrolment, certification, placement, retention and wage figures as of as_of: {"as_of", '
    '"by", "groups": [{"key", ...figures, "suppressed"}], "total": {...}}; groups is empty '
    "without by and sorted by key with it. scheme_report's arguments without the scheme (one "
    "signature for the three reports); suppress=False only for admins."
)
