"""Training and placement outcome indicators (issue 5), computed as of a report date.

Pure functions: plain records in, plain JSON-ready dicts out. The services query the database
into the records below; nothing here imports Flask or SQLAlchemy, so the figures can be checked
against an independent computation.

The "as of" rule applies everywhere: an enrolment with enrolled_on after AS_OF, a certification
with certified_on after AS_OF and a placement with placed_on after AS_OF do not exist yet on
that date. A worker without an enrolment (as of AS_OF) is in no figure. Days are calendar days
(date subtraction). A worker counts once per group.

Readings of the contract, where it left a choice:
- An enrolment marked certified without a certified_on date cannot be placed on the time line,
  so it counts as not certified (the database allows such rows).
- The worker's first certified enrolment is the one with the earliest certified_on; ties go to
  the earlier enrolled_on, then the smaller enrolment_id. The qualifying placement is the
  earliest placement 0-90 days after that date; ties go to the smaller placement_id.
  Self-employment counts as a placement (PMKVY counts it), and its monthly_wage enters the
  median like any other.
- A placement "lasted" (min(ended_on, AS_OF) - placed_on) days, as the contract says.
- Groups by institution or course: enrolled counts a worker under every institution (course)
  of their enrolments, certified under every institution of their certified enrolments, so a
  worker can appear in several groups there and the groups need not add up to the total. The
  placement, retention and wage figures use the worker's first certified enrolment only, so for
  those the groups do add up to the total.
- Youth: age in whole years on the first enrolled_on; someone born on 29 February turns a year
  older on 1 March in common years. 15 <= age <= 29 is youth. Keys are the booleans true/false.
- women_men_wage_gap is the usual gender pay gap of the medians, (men - women) / men, as a
  fraction of the unrounded medians: 0.15 means the median woman earns 15% less than the median man. The two medians
  are given beside it (median_monthly_wage_women, median_monthly_wage_men). Transgender workers
  are in the overall median, not in the gap.
- Rates are fractions rounded to 4 places with Python's round(); null when the denominator
  is 0. Medians are rounded to 2 places.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.outcomes.disclosure import TableSpec, suppress_table

GENDERS = frozenset({"female", "male", "transgender"})
EMPLOYMENT_TYPES = frozenset({"wage", "self"})
GROUPINGS = ("gender", "youth", "district", "institution", "course")

PLACEMENT_WINDOW_DAYS = 90
RETENTION_PERIODS = (("3m", 90), ("6m", 182), ("12m", 365))
YOUTH_MIN_AGE = 15
YOUTH_MAX_AGE = 29  # National Youth Policy 2014: 15-29 years


def _check_date(value: object, name: str, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    # datetime is a subclass of date, but comparing the two raises: reject it at the door.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{name} must be a date, got {value!r}")


def _check_text(value: object, name: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")


@dataclass(frozen=True)
class WorkerRecord:
    """A worker as the indicators see them: the attributes that define their groups."""

    worker_id: Hashable
    gender: str
    district: str
    date_of_birth: date

    def __post_init__(self) -> None:
        if self.gender not in GENDERS:
            raise ValueError(f"worker {self.worker_id!r}: gender must be one of {sorted(GENDERS)}")
        object.__setattr__(self, "gender", str(self.gender))  # a StrEnum member becomes its value
        _check_text(self.district, f"worker {self.worker_id!r}: district")
        _check_date(self.date_of_birth, f"worker {self.worker_id!r}: date_of_birth")


@dataclass(frozen=True)
class EnrolmentRecord:
    """One enrolment of a worker in a course at an institution (institution, course: ids)."""

    enrolment_id: Hashable
    worker_id: Hashable
    institution: str
    course: str
    enrolled_on: date
    status: str
    completed_on: date | None
    certified: bool
    certified_on: date | None
    course_months: int | None
    batch: str | None = None

    def __post_init__(self) -> None:
        label = f"enrolment {self.enrolment_id!r}"
        _check_text(self.institution, f"{label}: institution")
        _check_text(self.course, f"{label}: course")
        _check_date(self.enrolled_on, f"{label}: enrolled_on")
        _check_date(self.completed_on, f"{label}: completed_on", optional=True)
        _check_date(self.certified_on, f"{label}: certified_on", optional=True)
        if not isinstance(self.certified, bool):
            raise ValueError(f"{label}: certified must be a bool, got {self.certified!r}")
        if self.completed_on is not None and self.completed_on < self.enrolled_on:
            raise ValueError(f"{label}: completed_on is before enrolled_on")
        if self.course_months is not None and (
            isinstance(self.course_months, bool)
            or not isinstance(self.course_months, int)
            or self.course_months < 1
        ):
            raise ValueError(f"{label}: course_months must be a positive int or None")
        if self.batch is not None and not isinstance(self.batch, str):
            raise ValueError(f"{label}: batch must be a string or None")

    def certified_by(self, as_of: date) -> bool:
        """Certified with a known date on or before as_of (an undated certificate cannot count)."""
        return self.certified and self.certified_on is not None and self.certified_on <= as_of


@dataclass(frozen=True)
class PlacementRecord:
    """One job (or self-employment) of a worker; ended_on None while it continues."""

    placement_id: Hashable
    worker_id: Hashable
    placed_on: date
    ended_on: date | None
    monthly_wage: float
    employment_type: str

    def __post_init__(self) -> None:
        label = f"placement {self.placement_id!r}"
        _check_date(self.placed_on, f"{label}: placed_on")
        _check_date(self.ended_on, f"{label}: ended_on", optional=True)
        if self.ended_on is not None and self.ended_on < self.placed_on:
            raise ValueError(f"{label}: ended_on is before placed_on")
        wage = self.monthly_wage
        if isinstance(wage, bool) or not isinstance(wage, int | float) or not math.isfinite(wage):
            raise ValueError(f"{label}: monthly_wage must be a number, got {wage!r}")
        if wage < 0:
            raise ValueError(f"{label}: monthly_wage must not be negative")
        if self.employment_type not in EMPLOYMENT_TYPES:
            raise ValueError(f"{label}: employment_type must be one of {sorted(EMPLOYMENT_TYPES)}")
        object.__setattr__(self, "employment_type", str(self.employment_type))

    def days_lasted(self, as_of: date) -> int:
        """(ended_on, or as_of when it is empty or later) - placed_on, in days."""
        end = as_of if self.ended_on is None or self.ended_on > as_of else self.ended_on
        return (end - self.placed_on).days


def _id_key(identifier: Hashable) -> tuple[int, int, str]:
    """Sort ids without comparing an int with a str: ints numerically, then everything else."""
    if isinstance(identifier, int) and not isinstance(identifier, bool):
        return (0, identifier, "")
    return (1, 0, str(identifier))


def enrolment_order(enrolment: EnrolmentRecord) -> tuple[Any, ...]:
    return (enrolment.enrolled_on, _id_key(enrolment.enrolment_id))


def certification_order(enrolment: EnrolmentRecord) -> tuple[Any, ...]:
    return (enrolment.certified_on, enrolment.enrolled_on, _id_key(enrolment.enrolment_id))


def completion_order(enrolment: EnrolmentRecord) -> tuple[Any, ...]:
    return (enrolment.completed_on, enrolment.enrolled_on, _id_key(enrolment.enrolment_id))


def placement_order(placement: PlacementRecord) -> tuple[Any, ...]:
    return (placement.placed_on, _id_key(placement.placement_id))


@dataclass(frozen=True)
class WorkerHistory:
    """What was known about one worker on the report date: only records that existed by then."""

    worker: WorkerRecord
    enrolments: tuple[EnrolmentRecord, ...]  # enrolled_on <= as_of, earliest first
    certified: tuple[EnrolmentRecord, ...]  # of those, certified by as_of, earliest first
    placements: tuple[PlacementRecord, ...]  # placed_on <= as_of, earliest first
    youth: bool  # aged 15-29 on the first enrolled_on

    @property
    def first_certified(self) -> EnrolmentRecord | None:
        return self.certified[0] if self.certified else None


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on day; born 29 February, one turns older on 1 March in common years."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def is_youth(date_of_birth: date, day: date) -> bool:
    return YOUTH_MIN_AGE <= age_on(date_of_birth, day) <= YOUTH_MAX_AGE


def worker_histories(
    workers: Iterable[WorkerRecord],
    enrolments: Iterable[EnrolmentRecord],
    placements: Iterable[PlacementRecord],
    as_of: date,
) -> list[WorkerHistory]:
    """Check the records, keep what existed by as_of and gather it per enrolled worker."""
    _check_date(as_of, "as_of")
    by_id: dict[Hashable, WorkerRecord] = {}
    for worker in workers:
        if not isinstance(worker, WorkerRecord):
            raise ValueError(f"expected WorkerRecord, got {type(worker).__name__}")
        if worker.worker_id in by_id:
            raise ValueError(f"duplicate worker_id {worker.worker_id!r}")
        by_id[worker.worker_id] = worker
    enrolled: dict[Hashable, list[EnrolmentRecord]] = {}
    seen_enrolments: set[Hashable] = set()
    for enrolment in enrolments:
        if not isinstance(enrolment, EnrolmentRecord):
            raise ValueError(f"expected EnrolmentRecord, got {type(enrolment).__name__}")
        if enrolment.enrolment_id in seen_enrolments:
            raise ValueError(f"duplicate enrolment_id {enrolment.enrolment_id!r}")
        seen_enrolments.add(enrolment.enrolment_id)
        if enrolment.worker_id not in by_id:
            raise ValueError(
                f"enrolment {enrolment.enrolment_id!r} names unknown worker {enrolment.worker_id!r}"
            )
        if enrolment.enrolled_on <= as_of:
            enrolled.setdefault(enrolment.worker_id, []).append(enrolment)
    placed: dict[Hashable, list[PlacementRecord]] = {}
    seen_placements: set[Hashable] = set()
    for placement in placements:
        if not isinstance(placement, PlacementRecord):
            raise ValueError(f"expected PlacementRecord, got {type(placement).__name__}")
        if placement.placement_id in seen_placements:
            raise ValueError(f"duplicate placement_id {placement.placement_id!r}")
        seen_placements.add(placement.placement_id)
        if placement.worker_id not in by_id:
            raise ValueError(
                f"placement {placement.placement_id!r} names unknown worker {placement.worker_id!r}"
            )
        if placement.placed_on <= as_of:
            placed.setdefault(placement.worker_id, []).append(placement)

    histories = []
    for worker_id, worker in by_id.items():
        if worker_id not in enrolled:
            continue
        own = tuple(sorted(enrolled[worker_id], key=enrolment_order))
        if worker.date_of_birth > own[0].enrolled_on:
            raise ValueError(f"worker {worker_id!r} was born after their first enrolment")
        histories.append(
            WorkerHistory(
                worker=worker,
                enrolments=own,
                certified=tuple(
                    sorted((e for e in own if e.certified_by(as_of)), key=certification_order)
                ),
                placements=tuple(sorted(placed.get(worker_id, ()), key=placement_order)),
                youth=is_youth(worker.date_of_birth, own[0].enrolled_on),
            )
        )
    return histories


def in_placement_cohort(history: WorkerHistory, as_of: date) -> bool:
    """First certified at least 90 days before as_of: they have had the whole placement window."""
    first = history.first_certified
    return (
        first is not None
        and first.certified_on is not None
        and (as_of - first.certified_on).days >= PLACEMENT_WINDOW_DAYS
    )


def qualifying_placement(history: WorkerHistory) -> PlacementRecord | None:
    """The earliest placement 0-90 days (both included) after the first certification."""
    first = history.first_certified
    if first is None or first.certified_on is None:
        return None
    for placement in history.placements:  # already earliest first
        if 0 <= (placement.placed_on - first.certified_on).days <= PLACEMENT_WINDOW_DAYS:
            return placement
    return None


def worker_group_key(history: WorkerHistory, by: str) -> Hashable:
    """The key of a group defined by the worker (not by one of their enrolments)."""
    if by == "gender":
        return history.worker.gender
    if by == "youth":
        return history.youth
    if by == "district":
        return history.worker.district
    raise ValueError(f"{by!r} is not a worker grouping")


def enrolment_group_key(history: WorkerHistory, by: str, enrolment: EnrolmentRecord) -> Hashable:
    """The key of a group for a figure that is about one enrolment of the worker."""
    if by == "institution":
        return enrolment.institution
    if by == "course":
        return enrolment.course
    return worker_group_key(history, by)


def check_grouping(by: str | None) -> None:
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"by must be None or one of {list(GROUPINGS)}, got {by!r}")


def median_or_none(values: Sequence[float]) -> float | None:
    """Median (mean of the two middle values for an even count), 2 places; None when empty."""
    return round(float(statistics.median(values)), 2) if values else None


def wage_gap_or_none(women: Sequence[float], men: Sequence[float]) -> float | None:
    """(men's median - women's median) / men's median, 4 places; None without both medians."""
    if not women or not men:
        return None
    median_men = float(statistics.median(men))
    if median_men == 0:
        return None
    return round((median_men - float(statistics.median(women))) / median_men, 4)


def rate_or_none(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def month_end(day: date) -> date:
    """The last day of day's month."""
    first_of_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_of_next - timedelta(days=1)


class _Tally:
    """Distinct workers per figure for one group; sets, so a worker counts once per group."""

    def __init__(self) -> None:
        self.enrolled: set[Hashable] = set()
        self.certified: set[Hashable] = set()
        self.cohort: set[Hashable] = set()
        self.placed: dict[Hashable, PlacementRecord] = {}
        self.genders: dict[Hashable, str] = {}
        self.retention_cohort: dict[str, set[Hashable]] = {p: set() for p, _ in RETENTION_PERIODS}
        self.retained: dict[str, set[Hashable]] = {p: set() for p, _ in RETENTION_PERIODS}

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
    ),
    rates=(
        ("placement_rate", "placed", "placement_cohort"),
        *(
            (f"retention_rate_{period}", f"retained_{period}", f"retention_cohort_{period}")
            for period, _ in RETENTION_PERIODS
        ),
    ),
    derived=(
        ("median_monthly_wage", ("placed",)),
        ("median_monthly_wage_women", ("placed", "_placed_women")),
        ("median_monthly_wage_men", ("placed", "_placed_men")),
        ("women_men_wage_gap", ("placed", "_placed_women", "_placed_men")),
    ),
    nested=(
        ("enrolled", "certified"),
        ("placement_cohort", "placed"),
        *((f"retention_cohort_{period}", f"retained_{period}") for period, _ in RETENTION_PERIODS),
    ),
)


def _tally_worker(
    history: WorkerHistory, as_of: date, tally_for: Callable[[Hashable], _Tally], by: str | None
) -> None:
    """Add one worker to the tallies of every group each of their figures belongs to."""
    worker_id = history.worker.worker_id

    def keys_for(enrolment: EnrolmentRecord) -> Hashable:
        return None if by is None else enrolment_group_key(history, by, enrolment)

    for enrolment in history.enrolments:
        tally_for(keys_for(enrolment)).enrolled.add(worker_id)
    for enrolment in history.certified:
        tally_for(keys_for(enrolment)).certified.add(worker_id)
    first = history.first_certified
    if first is None or not in_placement_cohort(history, as_of):
        return
    tally = tally_for(keys_for(first))
    tally.cohort.add(worker_id)
    placement = qualifying_placement(history)
    if placement is None:
        return
    tally.placed[worker_id] = placement
    tally.genders[worker_id] = history.worker.gender
    for period, days in RETENTION_PERIODS:
        if (as_of - placement.placed_on).days >= days:
            tally.retention_cohort[period].add(worker_id)
            if placement.days_lasted(as_of) >= days:
                tally.retained[period].add(worker_id)


def finish_report(
    as_of: date,
    by: str | None,
    group_rows: dict[Hashable, dict[str, Any]],
    total_row: dict[str, Any],
    spec: TableSpec,
    *,
    suppress: bool,
    protect_differences: bool = False,
) -> dict[str, Any]:
    """Sort the groups, apply disclosure control if asked and drop private helper fields."""
    keys = sorted(group_rows) if by is not None else []
    groups = [{"key": key, **group_rows[key]} for key in keys]
    if suppress:
        groups, total = suppress_table(
            groups, total_row, spec, protect_differences=protect_differences
        )
    else:
        total = {**total_row, "suppressed": []}
        groups = [{**row, "suppressed": []} for row in groups]
    return {
        "as_of": as_of.isoformat(),
        "by": by,
        "groups": [_public(row) for row in groups],
        "total": _public(total),
    }


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in row.items() if not name.startswith("_")}


def outcome_report(
    workers: Iterable[WorkerRecord],
    enrolments: Iterable[EnrolmentRecord],
    placements: Iterable[PlacementRecord],
    as_of: date,
    by: str | None = None,
    suppress: bool = True,
    *,
    protect_differences: bool = False,
) -> dict[str, Any]:
    """Enrolment, certification, placement, retention and wage figures as of as_of.

    Returns {"as_of", "by", "groups": [{"key", ...figures, "suppressed"}], "total": {...}};
    groups is empty without by and sorted by key with it. suppress=False only for admins.
    """
    check_grouping(by)
    histories = worker_histories(workers, enrolments, placements, as_of)
    total = _Tally()
    groups: dict[Hashable, _Tally] = {}

    def group_tally(key: Hashable) -> _Tally:
        if key not in groups:
            groups[key] = _Tally()
        return groups[key]

    for history in histories:
        _tally_worker(history, as_of, lambda _key: total, None)
        if by is not None:
            _tally_worker(history, as_of, group_tally, by)
    return finish_report(
        as_of,
        by,
        {key: tally.row() for key, tally in groups.items()},
        total.row(),
        INDICATOR_TABLE,
        suppress=suppress,
        protect_differences=protect_differences,
    )


def outcome_series(
    workers: Iterable[WorkerRecord],
    enrolments: Iterable[EnrolmentRecord],
    placements: Iterable[PlacementRecord],
    months: Sequence[date],
    suppress: bool = True,
    *,
    protect_differences: bool = False,
) -> list[dict[str, Any]]:
    """The total figures at the end of each given month (any day of the month names it).

    Each item is the report's total with its "as_of" (the month end) first. Note that the
    change between two month ends can itself be a small count; see disclosure.py.
    """
    workers, enrolments, placements = list(workers), list(enrolments), list(placements)
    series = []
    for month in months:
        _check_date(month, "month")
        report = outcome_report(
            workers,
            enrolments,
            placements,
            month_end(month),
            None,
            suppress,
            protect_differences=protect_differences,
        )
        series.append({"as_of": report["as_of"], **report["total"]})
    return series
