"""Cluster demand for training institutions: which skills the cluster's firms need that neither the
visible workforce nor the scheduled batches will supply, and which batches would close the gap.

Per skill:

* demand   = Σ over open postings needing it of openings × (1.0 if essential, 0.5 if optional) —
             an optional skill is counted at half because a hire may go ahead without it;
* supply   = number of visible workers who hold it (any level);
* capacity = seats in batches starting within the horizon (default 183 days ≈ 6 months) of any
             course or module that teaches it;
* gap      = demand − supply − capacity (negative means enough people or seats); shortfall = max(0, gap).

Suggested batches: walking the top gaps (largest first), pick for each skill the offering that
closes the most remaining top-gap shortfall per training hour (a module over its whole course on
ties), with seats = shortfall rounded up to a multiple of `seat_step` (5), capped by the course's
`max_batch_size` (or `default_max_batch`); the seats then count against every skill it teaches.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from matching.plans import Offering, OfferingCatalogue
from matching.ranking import PostingProfile
from matching.worker_table import WorkerTable

ESSENTIAL_DEMAND = 1.0
OPTIONAL_DEMAND = 0.5
DEFAULT_HORIZON_DAYS = 183


@dataclass(frozen=True, slots=True)
class ScheduledBatch:
    """One batch on an institution's calendar for a course (module_id None) or a module."""

    course_id: str
    module_id: str | None
    start: date
    seats: int

    def __post_init__(self) -> None:
        if not isinstance(self.start, date):
            raise ValueError(f"batch {self.course_id}/{self.module_id}: start must be a date")
        if isinstance(self.seats, bool) or not isinstance(self.seats, int) or self.seats < 0:
            raise ValueError(f"batch {self.course_id}/{self.module_id}: seats must be an int ≥ 0")


@dataclass(frozen=True, slots=True)
class SkillDemandRow:
    uri: str
    label: str
    demand: float
    supply: int
    capacity: int
    postings: int
    taught: bool

    @property
    def gap(self) -> float:
        return self.demand - self.supply - self.capacity

    @property
    def shortfall(self) -> float:
        return max(0.0, self.gap)


@dataclass(frozen=True, slots=True)
class SuggestedBatch:
    course_id: str
    module_id: str | None
    title: str
    seats: int
    hours: float
    closes: tuple[str, ...]  # the top-gap skills this batch addresses
    district: str | None = None


CSV_HEADER = ("uri", "label", "demand", "supply", "capacity", "gap", "postings", "taught")


@dataclass(frozen=True, slots=True)
class DemandReport:
    """Rows sorted by gap (largest first), the subset nobody teaches, and suggested batches."""

    rows: tuple[SkillDemandRow, ...]
    untaught: tuple[SkillDemandRow, ...]
    suggestions: tuple[SuggestedBatch, ...]

    def to_csv_rows(self) -> list[list[Any]]:
        """Header then one row per skill, ready for csv.writer."""
        out: list[list[Any]] = [list(CSV_HEADER)]
        for r in self.rows:
            out.append([getattr(r, name) for name in CSV_HEADER])
        return out


def _in_area(value: str | None, wanted: str | None) -> bool:
    # Rows with no sector/district recorded are kept: the filter cannot say they are elsewhere.
    return wanted is None or value is None or value == wanted


def cluster_demand(
    postings: Iterable[PostingProfile],
    workers: WorkerTable,
    offerings: Iterable[Offering] | OfferingCatalogue,
    *,
    today: date,
    batches: Iterable[ScheduledBatch] | None = None,
    sector: str | None = None,
    district: str | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    top_n: int = 10,
    seat_step: int = 5,
    default_max_batch: int = 30,
    max_suggestions: int = 20,
) -> DemandReport:
    """Demand, supply, capacity and gap per skill for the cluster (optionally one sector and/or one
    district), plus suggested batches for the `top_n` gaps. Without `batches`, each offering's
    `next_batch_start` with its `free_seats` (else `max_batch_size`) stands for its one batch.
    The sector filter applies to postings and offerings (workers carry no sector); the district
    filter to all three. Records without a sector/district are kept by either filter."""
    if horizon_days < 0 or top_n < 0 or seat_step <= 0 or default_max_batch <= 0:
        raise ValueError("horizon_days and top_n must be ≥ 0; seat_step, default_max_batch > 0")
    all_offerings = (
        offerings.offerings if isinstance(offerings, OfferingCatalogue) else tuple(offerings)
    )
    by_key = {o.key: o for o in OfferingCatalogue(all_offerings).offerings}
    local = [
        o for o in all_offerings if _in_area(o.sector, sector) and _in_area(o.district, district)
    ]
    taught: set[str] = set()
    for o in local:
        taught |= o.skills

    demand: dict[str, float] = {}
    labels: dict[str, str] = {}
    n_postings: dict[str, int] = {}
    for posting in postings:
        if not isinstance(posting, PostingProfile):
            raise TypeError(f"expected PostingProfile, got {type(posting).__name__}")
        if not (_in_area(posting.sector, sector) and _in_area(posting.district, district)):
            continue
        for req in posting.required:
            per_opening = ESSENTIAL_DEMAND if req.essential else OPTIONAL_DEMAND
            demand[req.uri] = demand.get(req.uri, 0.0) + posting.openings * per_opening
            labels.setdefault(req.uri, req.label)
            n_postings[req.uri] = n_postings.get(req.uri, 0) + 1

    # Counted on the table's arrays, no profile made.
    held = workers.holder_counts(lambda home: _in_area(home, district))
    supply = {uri: n for uri, n in held.items() if uri in demand}

    capacity = _capacity(batches, all_offerings, by_key, local, today, horizon_days)

    rows = sorted(
        (
            SkillDemandRow(
                uri=uri,
                label=labels[uri],
                demand=demand[uri],
                supply=supply.get(uri, 0),
                capacity=capacity.get(uri, 0),
                postings=n_postings[uri],
                taught=uri in taught,
            )
            for uri in demand
        ),
        key=lambda r: (-r.gap, -r.demand, r.uri),
    )
    untaught = tuple(r for r in rows if r.demand > 0 and not r.taught)
    suggestions = _suggest_batches(
        [r for r in rows if r.shortfall > 0][:top_n],
        local,
        seat_step,
        default_max_batch,
        max_suggestions,
    )
    return DemandReport(rows=tuple(rows), untaught=untaught, suggestions=suggestions)


def _capacity(
    batches: Iterable[ScheduledBatch] | None,
    all_offerings: Iterable[Offering],
    by_key: dict[tuple[str, str | None], Offering],
    local: list[Offering],
    today: date,
    horizon_days: int,
) -> dict[str, int]:
    until = today + timedelta(days=horizon_days)
    local_keys = {o.key for o in local}
    if batches is None:
        batches = [
            ScheduledBatch(o.course_id, o.module_id, o.next_batch_start, seats)
            for o in all_offerings
            if o.next_batch_start is not None
            and (seats := o.free_seats if o.free_seats is not None else o.max_batch_size or 0)
        ]
    capacity: dict[str, int] = {}
    for batch in batches:
        key = (batch.course_id, batch.module_id)
        if key not in by_key:
            raise ValueError(f"batch for unknown course/module {key}")
        if key not in local_keys or not today <= batch.start <= until:
            continue
        for uri in by_key[key].skills:
            capacity[uri] = capacity.get(uri, 0) + batch.seats
    return capacity


def _closes_per_hour(
    offering: Offering, remaining: dict[str, float], default_max_batch: int
) -> tuple[float, bool, float, str, str]:
    """Sort key: most top-gap shortfall one batch can absorb per hour, module before course."""
    cap = offering.max_batch_size or default_max_batch
    closed = sum(max(0.0, min(remaining[u], cap)) for u in offering.skills if u in remaining)
    return (
        -closed / offering.hours,
        offering.module_id is None,
        offering.hours,
        offering.course_id,
        offering.module_id or "",
    )


def _suggest_batches(
    top: list[SkillDemandRow],
    local: list[Offering],
    seat_step: int,
    default_max_batch: int,
    max_suggestions: int,
) -> tuple[SuggestedBatch, ...]:
    remaining = {r.uri: r.shortfall for r in top}
    catalogue = OfferingCatalogue(local)
    suggestions: list[SuggestedBatch] = []
    for row in top:
        options = catalogue.teaching([row.uri])
        while options and remaining[row.uri] > 0 and len(suggestions) < max_suggestions:
            best = min(options, key=lambda o: _closes_per_hour(o, remaining, default_max_batch))
            cap = best.max_batch_size or default_max_batch
            seats = min(cap, math.ceil(remaining[row.uri] / seat_step) * seat_step)
            closes = tuple(r.uri for r in top if r.uri in best.skills and remaining[r.uri] > 0)
            for uri in closes:
                remaining[uri] -= seats
            suggestions.append(
                SuggestedBatch(
                    course_id=best.course_id,
                    module_id=best.module_id,
                    title=best.title,
                    seats=seats,
                    hours=float(best.hours),
                    closes=closes,
                    district=best.district,
                )
            )
    return tuple(suggestions)
