"""The records outcome indicators read, and the rules every report shares (issue 5).

Pure: plain records in, plain values out. The app's services query the database into the records
below; nothing in this package imports Flask, SQLAlchemy or the app, so the figures can be
checked against an independent computation.

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
- Retention is given twice (issue 17). "Reported" (retained_3m, ...): the qualifying placement
  lasted the period, i.e. it was not recorded as ended before it; nobody needs to have checked.
  "Verified" (verified_retained_3m, ...): a retention check of that placement for that period
  says the worker was still employed, with evidence (an appointment letter, a salary slip or a
  bank credit), dated verified_on on or before AS_OF. An undated check cannot be placed on the
  time line, so it does not count (as an undated certificate does not). Both use the same
  retention cohort, so verified <= reported is not guaranteed: a check can confirm a job whose
  placement record wrongly says it ended.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

GENDERS = frozenset({"female", "male", "transgender"})
EMPLOYMENT_TYPES = frozenset({"wage", "self"})
GROUPINGS = ("gender", "youth", "district", "institution", "course")

PLACEMENT_WINDOW_DAYS = 90
RETENTION_PERIODS = (("3m", 90), ("6m", 182), ("12m", 365))
RETENTION_CHECK_MONTHS = {"3m": 3, "6m": 6, "12m": 12}  # the check that verifies each period
YOUTH_MIN_AGE = 15
YOUTH_MAX_AGE = 29  # National Youth Policy 2014: 15-29 years


def check_date(value: object, name: str, *, optional: bool = False) -> None:
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
        check_date(self.date_of_birth, f"worker {self.worker_id!r}: date_of_birth")


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
        check_date(self.enrolled_on, f"{label}: enrolled_on")
        check_date(self.completed_on, f"{label}: completed_on", optional=True)
        check_date(self.certified_on, f"{label}: certified_on", optional=True)
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
        check_date(self.placed_on, f"{label}: placed_on")
        check_date(self.ended_on, f"{label}: ended_on", optional=True)
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


@dataclass(frozen=True)
class RetentionCheckRecord:
    """A check of one placement `months` (3, 6 or 12) after it started.

    evidence: an appointment letter, a salary slip or a bank credit was seen. verified_on: the
    day of the check, None when it was not recorded.
    """

    placement_id: Hashable
    months: int
    employed: bool
    evidence: bool
    verified_on: date | None

    def __post_init__(self) -> None:
        label = f"retention check {self.placement_id!r}/{self.months!r}"
        if self.months not in RETENTION_CHECK_MONTHS.values():
            raise ValueError(f"{label}: months must be one of 3, 6, 12")
        for name in ("employed", "evidence"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{label}: {name} must be a bool")
        check_date(self.verified_on, f"{label}: verified_on", optional=True)

    @property
    def verifies(self) -> bool:
        """Still employed, with evidence, checked on a known day: it counts in verified retention."""
        return self.employed and self.evidence and self.verified_on is not None

    def verifies_by(self, as_of: date) -> bool:
        """Verifies, and was checked on or before as_of."""
        return self.verifies and self.verified_on is not None and self.verified_on <= as_of


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
    # (placement_id, months) of the retention checks that verify employment by as_of
    verified_checks: frozenset[tuple[Hashable, int]] = frozenset()

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
    retention_checks: Iterable[RetentionCheckRecord] = (),
) -> list[WorkerHistory]:
    """Check the records, keep what existed by as_of and gather it per enrolled worker."""
    check_date(as_of, "as_of")
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
    worker_of: dict[Hashable, Hashable] = {}
    for placement in placements:
        if not isinstance(placement, PlacementRecord):
            raise ValueError(f"expected PlacementRecord, got {type(placement).__name__}")
        if placement.placement_id in worker_of:
            raise ValueError(f"duplicate placement_id {placement.placement_id!r}")
        worker_of[placement.placement_id] = placement.worker_id
        if placement.worker_id not in by_id:
            raise ValueError(
                f"placement {placement.placement_id!r} names unknown worker {placement.worker_id!r}"
            )
        if placement.placed_on <= as_of:
            placed.setdefault(placement.worker_id, []).append(placement)
    verified = _verified_checks(retention_checks, worker_of, as_of)

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
                verified_checks=frozenset(verified.get(worker_id, ())),
            )
        )
    return histories


def _verified_checks(
    checks: Iterable[RetentionCheckRecord], worker_of: dict[Hashable, Hashable], as_of: date
) -> dict[Hashable, set[tuple[Hashable, int]]]:
    """Per worker, the (placement_id, months) that a check verifies by as_of."""
    verified: dict[Hashable, set[tuple[Hashable, int]]] = {}
    seen: set[tuple[Hashable, int]] = set()
    for check in checks:
        if not isinstance(check, RetentionCheckRecord):
            raise ValueError(f"expected RetentionCheckRecord, got {type(check).__name__}")
        key = (check.placement_id, check.months)
        if key in seen:
            raise ValueError(f"two retention checks of placement {key[0]!r} at {key[1]} months")
        seen.add(key)
        if check.placement_id not in worker_of:
            raise ValueError(f"retention check names unknown placement {check.placement_id!r}")
        if check.verifies_by(as_of):
            verified.setdefault(worker_of[check.placement_id], set()).add(key)
    return verified


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
