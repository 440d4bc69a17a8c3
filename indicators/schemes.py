"""Outcome views in the terms of two schemes funders ask about: DDU-GKY and WIOA.

Same records, same as-of rule, same groups and the same suppression as the outcome indicators,
through the same report skeleton (skeleton.py); only the definitions of a placement and of the
cohorts change. Pure: plain records in, plain dicts out.

DDU-GKY (Deen Dayal Upadhyaya Grameen Kaushalya Yojana), as read here:
- The cohort is the PMKVY-style placement cohort: first certified_on at least 90 days before
  AS_OF. A worker of the cohort is placed when some placement starting 0-90 days after that
  first certification (not only the earliest one) gives 90 days' continuous employment by
  AS_OF (lasted >= 90 days, as in indicators.py) at a monthly wage at or above the floor for the
  course length. The earliest such placement gives the worker's wage for the median.
- Floors (INR per month) by course_months of the first certified enrolment: 6,000 / 8,000 /
  12,000 / 15,000 for 3 / 6 / 9 / 12-month courses. A length between two steps takes the floor
  of the nearest length not above it (a 7-month course: 8,000); a course shorter than the first
  step or of unknown length takes the lowest floor, so no placement escapes a floor.
- Self-employment does not count (DDU-GKY is about wage employment); rules can change that.
- Batch alert: a batch (institution, course, batch id) of at least 10 enrolled workers of whom
  less than the quota (DDUGKY_WOMEN_MIN_SHARE, a third) are women (a batch of one man is not a
  quota problem). Transgender workers count
  in the batch but not as women.

WIOA-style (US Workforce Innovation and Opportunity Act performance indicators), as read here:
- Exit is the worker's first completion (completed_on <= AS_OF) and the exit enrolment gives
  the institution and course groups. Status is not read: completed_on is the completion.
- Quarters are calendar quarters; the 2nd and 4th quarter after exit are counted from the
  quarter that holds completed_on. A worker is in that quarter's cohort once the quarter has
  ended by AS_OF, and employed in it when some placement overlaps it by at least one day,
  ended_on being the last day worked (any placement, wage or self, started before exit or not).
- Earnings in a quarter: for each overlapping placement, monthly_wage x 3 x (days overlapped /
  days in the quarter), summed over placements; the median is over the workers employed in the
  2nd quarter.
- Credential: the cohort is those whose completed_on is at least 365 days before AS_OF;
  credentialed when some certification (dated, by AS_OF) has certified_on <= completed_on + 365.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from indicators.disclosure import DEFAULT_THRESHOLD, TableSpec
from indicators.records import (
    PLACEMENT_WINDOW_DAYS,
    EnrolmentRecord,
    PlacementRecord,
    WorkerHistory,
    completion_order,
    in_placement_cohort,
    median_or_none,
    month_end,
    rate_or_none,
)
from indicators.skeleton import Scheme, TalliesFor, scheme_report

# DDU-GKY's quota: at least a third of a batch's trainees are women. The one definition: the
# rules, the batch alerts and the dashboards' "below the quota" all read it from here.
DDUGKY_WOMEN_MIN_SHARE = 0.33
DDUGKY_WAGE_FLOORS = ((3, 6000.0), (6, 8000.0), (9, 12000.0), (12, 15000.0))


@dataclass(frozen=True)
class DdugkyRules:
    """The configurable parts of the DDU-GKY view."""

    wage_floors: tuple[tuple[int, float], ...] = DDUGKY_WAGE_FLOORS  # (course months, INR)
    continuous_days: int = 90
    women_min_share: float = DDUGKY_WOMEN_MIN_SHARE
    # Smaller batches are not alerted: one or two trainees say nothing about a quota.
    alert_min_enrolled: int = 10
    count_self_employment: bool = False

    def __post_init__(self) -> None:
        if not self.wage_floors:
            raise ValueError("wage_floors must not be empty")
        if any(months < 1 or floor < 0 for months, floor in self.wage_floors):
            raise ValueError("wage_floors need positive course months and non-negative wages")
        if self.continuous_days < 0 or not 0 <= self.women_min_share <= 1:
            raise ValueError("continuous_days must be >= 0 and women_min_share within 0-1")
        if self.alert_min_enrolled < 1:
            raise ValueError("alert_min_enrolled must be at least 1")

    def wage_floor(self, course_months: int | None) -> float:
        """Floor of the nearest configured length not above course_months, else the lowest."""
        steps = sorted(self.wage_floors)
        if course_months is None:
            return steps[0][1]
        eligible = [floor for months, floor in steps if months <= course_months]
        return eligible[-1] if eligible else steps[0][1]


DDUGKY_TABLE = TableSpec(
    counts=("enrolled", "enrolled_women", "placement_cohort", "placed"),
    rates=(
        ("women_share", "enrolled_women", "enrolled"),
        ("placement_rate", "placed", "placement_cohort"),
    ),
    derived=(("median_monthly_wage", ("placed",)),),
    nested=(("placement_cohort", "placed"),),
    # By gender, as the outcome table (indicators/outcomes.py): the women's row is kept, and
    # its "enrolled women" is its "enrolled", in the row and in the total.
    keep_keys=frozenset({"female"}),
    same_in_row=(("female", "enrolled", "enrolled_women"),),
    repeated=(("female", "enrolled_women", ("enrolled_women", "women_share")),),
)

WIOA_TABLE = TableSpec(
    counts=(
        "completed",
        "employment_cohort_q2",
        "employed_q2",
        "employment_cohort_q4",
        "employed_q4",
        "credential_cohort",
        "credentialed",
    ),
    rates=(
        ("employment_rate_q2", "employed_q2", "employment_cohort_q2"),
        ("employment_rate_q4", "employed_q4", "employment_cohort_q4"),
        ("credential_rate", "credentialed", "credential_cohort"),
    ),
    derived=(("median_earnings_q2", ("employed_q2",)),),
    nested=(
        ("employment_cohort_q2", "employed_q2"),
        ("employment_cohort_q4", "employed_q4"),
        ("credential_cohort", "credentialed"),
    ),
    keep_keys=frozenset({"female"}),  # the rows the other tables by gender keep
)


def ddugky_placement(
    history: WorkerHistory, as_of: date, rules: DdugkyRules
) -> PlacementRecord | None:
    """The earliest window placement with the continuous days and the wage floor, if any."""
    first = history.first_certified
    if first is None or first.certified_on is None:
        return None
    floor = rules.wage_floor(first.course_months)
    for placement in history.placements:
        if placement.employment_type == "self" and not rules.count_self_employment:
            continue
        if not 0 <= (placement.placed_on - first.certified_on).days <= PLACEMENT_WINDOW_DAYS:
            continue
        if placement.days_lasted(as_of) >= rules.continuous_days and (
            placement.monthly_wage >= floor
        ):
            return placement
    return None


class _DdugkyTally:
    def __init__(self) -> None:
        self.enrolled: set[Hashable] = set()
        self.enrolled_women: set[Hashable] = set()
        self.cohort: set[Hashable] = set()
        self.wages: dict[Hashable, float] = {}

    def row(self) -> dict[str, Any]:
        return {
            "enrolled": len(self.enrolled),
            "enrolled_women": len(self.enrolled_women),
            "women_share": rate_or_none(len(self.enrolled_women), len(self.enrolled)),
            "placement_cohort": len(self.cohort),
            "placed": len(self.wages),
            "placement_rate": rate_or_none(len(self.wages), len(self.cohort)),
            "median_monthly_wage": median_or_none(list(self.wages.values())),
        }


def ddugky_scheme(rules: DdugkyRules | None = None) -> Scheme:
    """The DDU-GKY view as a scheme of the report skeleton, under the given rules."""
    rules = rules or DdugkyRules()

    def add_worker(history: WorkerHistory, as_of: date, tallies_for: TalliesFor) -> None:
        """Add one worker to every group each DDU-GKY figure of theirs belongs to."""
        worker_id = history.worker.worker_id
        for enrolment in history.enrolments:
            for tally in tallies_for(enrolment):
                tally.enrolled.add(worker_id)
                if history.worker.gender == "female":
                    tally.enrolled_women.add(worker_id)
        first = history.first_certified
        if first is None or not in_placement_cohort(history, as_of):
            return
        placement = ddugky_placement(history, as_of, rules)
        for tally in tallies_for(first):
            tally.cohort.add(worker_id)
            if placement is not None:
                tally.wages[worker_id] = placement.monthly_wage

    def extras(histories: list[WorkerHistory], suppress: bool) -> dict[str, Any]:
        return {"batch_alerts": _batch_alerts(histories, rules, suppress=suppress)}

    return Scheme(
        name="ddugky",
        table=DDUGKY_TABLE,
        new_tally=_DdugkyTally,
        add_worker=add_worker,
        extras=extras,
    )


# DDU-GKY under its default rules, as OUTCOMES and WIOA are the other schemes.
DDUGKY = ddugky_scheme()
ddugky_report = partial(scheme_report, DDUGKY)
ddugky_report.__doc__ = (
    "DDU-GKY placement figures by group under the default rules (other rules: scheme_report "
    "with ddugky_scheme(rules)), plus the batches with too few women: the outcome_report "
    "shape (as_of, by, groups, total) with the fields enrolled, enrolled_women, women_share, "
    'placement_cohort, placed, placement_rate, median_monthly_wage, and "batch_alerts": '
    "[{institution, course, batch, enrolled, women, women_share, suppressed}]. "
    "scheme_report's arguments without the scheme."
)


def _batch_alerts(
    histories: list[WorkerHistory], rules: DdugkyRules, *, suppress: bool
) -> list[dict[str, Any]]:
    """Batches of at least alert_min_enrolled workers, less than women_min_share of them women."""
    batches: dict[tuple[str, str, str], dict[Hashable, bool]] = {}
    for history in histories:
        for enrolment in history.enrolments:
            if enrolment.batch is None:
                continue
            members = batches.setdefault(
                (enrolment.institution, enrolment.course, enrolment.batch), {}
            )
            members[history.worker.worker_id] = history.worker.gender == "female"
    alerts = []
    for (institution, course, batch), members in sorted(batches.items()):
        women = sum(members.values())
        if len(members) < rules.alert_min_enrolled or women / len(members) >= rules.women_min_share:
            continue
        row = _alert_figures(women, len(members), suppress=suppress)
        alerts.append({"institution": institution, "course": course, "batch": batch, **row})
    return alerts


def _alert_figures(women: int, enrolled: int, *, suppress: bool) -> dict[str, Any]:
    """Primary suppression only: an alert is one row for staff, not a table with a total."""
    row: dict[str, Any] = {
        "enrolled": enrolled,
        "women": women,
        "women_share": rate_or_none(women, enrolled),
    }
    hidden = {
        name for name in ("enrolled", "women") if suppress and 1 <= row[name] < DEFAULT_THRESHOLD
    }
    if hidden:
        hidden.add("women_share")
    for name in hidden:
        row[name] = None
    row["suppressed"] = [name for name in row if name in hidden]
    return row


def quarter_index(day: date) -> int:
    """A running number of calendar quarters, so that 'the 2nd quarter after' is index + 2."""
    return day.year * 4 + (day.month - 1) // 3


def quarter_bounds(index: int) -> tuple[date, date]:
    """First and last day of the quarter with this running number."""
    year, quarter = divmod(index, 4)
    start = date(year, 3 * quarter + 1, 1)
    return start, month_end(date(year, 3 * quarter + 3, 1))


def quarter_earnings(
    placements: Iterable[PlacementRecord], index: int, as_of: date
) -> tuple[bool, float]:
    """Whether any placement overlaps the quarter, and the earnings prorated to its days."""
    start, end = quarter_bounds(index)
    quarter_days = (end - start).days + 1
    employed, earnings = False, 0.0
    for placement in placements:
        last_day = placement.ended_on if placement.ended_on is not None else as_of
        overlap = (min(last_day, as_of, end) - max(placement.placed_on, start)).days + 1
        if overlap > 0:
            employed = True
            earnings += placement.monthly_wage * 3 * overlap / quarter_days
    return employed, earnings


class _WioaTally:
    def __init__(self) -> None:
        self.completed: set[Hashable] = set()
        self.cohort_q2: set[Hashable] = set()
        self.earnings_q2: dict[Hashable, float] = {}
        self.cohort_q4: set[Hashable] = set()
        self.employed_q4: set[Hashable] = set()
        self.credential_cohort: set[Hashable] = set()
        self.credentialed: set[Hashable] = set()

    def row(self) -> dict[str, Any]:
        return {
            "completed": len(self.completed),
            "employment_cohort_q2": len(self.cohort_q2),
            "employed_q2": len(self.earnings_q2),
            "employment_rate_q2": rate_or_none(len(self.earnings_q2), len(self.cohort_q2)),
            "median_earnings_q2": median_or_none(list(self.earnings_q2.values())),
            "employment_cohort_q4": len(self.cohort_q4),
            "employed_q4": len(self.employed_q4),
            "employment_rate_q4": rate_or_none(len(self.employed_q4), len(self.cohort_q4)),
            "credential_cohort": len(self.credential_cohort),
            "credentialed": len(self.credentialed),
            "credential_rate": rate_or_none(len(self.credentialed), len(self.credential_cohort)),
        }


def add_wioa_worker(history: WorkerHistory, as_of: date, tallies_for: TalliesFor) -> None:
    """Add one worker who has exited (completed a course) to the WIOA tallies of their exit."""
    completions = [
        e for e in history.enrolments if e.completed_on is not None and e.completed_on <= as_of
    ]
    if not completions:
        return
    exit_enrolment = min(completions, key=completion_order)
    _tally_wioa(history, exit_enrolment, as_of, tallies_for(exit_enrolment))


WIOA = Scheme(name="wioa", table=WIOA_TABLE, new_tally=_WioaTally, add_worker=add_wioa_worker)


wioa_report = partial(scheme_report, WIOA)
wioa_report.__doc__ = (
    "WIOA-style employment in the 2nd and 4th quarter after exit, earnings and credentials: "
    "the outcome_report shape with the fields completed, employment_cohort_q2, employed_q2, "
    "employment_rate_q2, median_earnings_q2, employment_cohort_q4, employed_q4, "
    "employment_rate_q4, credential_cohort, credentialed, credential_rate. scheme_report's "
    "arguments without the scheme."
)


def _tally_wioa(
    history: WorkerHistory,
    exit_enrolment: EnrolmentRecord,
    as_of: date,
    targets: tuple[_WioaTally, ...],
) -> None:
    worker_id = history.worker.worker_id
    exited_on = exit_enrolment.completed_on
    assert exited_on is not None  # chosen among completions
    exit_quarter = quarter_index(exited_on)
    q2_over = quarter_bounds(exit_quarter + 2)[1] <= as_of
    q4_over = quarter_bounds(exit_quarter + 4)[1] <= as_of
    employed_q2, earnings_q2 = quarter_earnings(history.placements, exit_quarter + 2, as_of)
    employed_q4, _ = quarter_earnings(history.placements, exit_quarter + 4, as_of)
    credential_deadline = exited_on + timedelta(days=365)
    credential_due = credential_deadline <= as_of
    credentialed = any(
        e.certified_on is not None and e.certified_on <= credential_deadline
        for e in history.certified
    )
    for tally in targets:
        tally.completed.add(worker_id)
        if q2_over:
            tally.cohort_q2.add(worker_id)
            if employed_q2:
                tally.earnings_q2[worker_id] = earnings_q2
        if q4_over:
            tally.cohort_q4.add(worker_id)
            if employed_q4:
                tally.employed_q4.add(worker_id)
        if credential_due:
            tally.credential_cohort.add(worker_id)
            if credentialed:
                tally.credentialed.add(worker_id)
