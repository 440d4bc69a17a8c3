"""Training plans: the cheapest set of courses or modules at partner institutions that closes a gap.

This is weighted set cover. The universe is the needed skills (a gap's partial and missing skills);
each offering (a whole course, a module, or a bridge course) covers the needed skills it teaches at a
cost measured in *hour-equivalents* so that time, money and inconvenience add up on one scale:

    cost = hours
         + fee_inr / inr_per_hour                       (₹100 ≈ one hour by default)
         + min(days until next batch × wait_per_day, no_batch)   (0.5 h per day of waiting)
         + no_batch        if no upcoming batch is known (120 h: it still counts, but costs more)
         + no_seats        if the next batch has no free seats (80 h: wait for the one after)
         + other_district  if it is not residential and not in the worker's district (20 h)
         + pref_mismatch   per unmet wish: residential, women-only batch (40 h each)

Hard limits: residential offerings are left out for a worker who cannot stay away, and women-only
batches for a worker who is not eligible. A module is cheaper than its whole course because it has
fewer hours, so a module that alone closes the gap always beats the course (equal costs go to the
module too). Small instances are solved exactly (branch and bound); large ones by the greedy
cost-per-new-skill rule, which is within a factor H(k) ≈ ln k + 1 of optimal for k skills.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Above these sizes the exact search is skipped for the greedy rule.
EXACT_MAX_SKILLS = 24
EXACT_MAX_OFFERINGS = 60
EXACT_NODE_BUDGET = 200_000
_EPS = 1e-9


# An item's notes that say no batch can be joined now.
NO_BATCH_NOTE = "no upcoming batch scheduled"
FULL_NOTE = "next batch is full"


@dataclass(frozen=True, slots=True)
class Offering:
    """Something a worker can enrol in: a whole course (module_id None), a module, or a bridge course,
    with its next batch. `max_batch_size` and `sector` are only used for demand planning."""

    course_id: str
    module_id: str | None
    title: str
    skills: frozenset[str]
    hours: float
    fee_inr: float = 0.0
    next_batch_start: date | None = None
    free_seats: int | None = None
    district: str | None = None
    women_only: bool = False
    residential: bool = False
    sector: str | None = None
    max_batch_size: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.course_id, str) or not self.course_id:
            raise ValueError(
                f"Offering course_id must be a non-empty string, got {self.course_id!r}"
            )
        if isinstance(self.skills, str):
            raise ValueError(f"Offering {self.key}: skills must be a collection of uris, not a str")
        object.__setattr__(self, "skills", frozenset(self.skills))
        if any(not isinstance(s, str) or not s for s in self.skills):
            raise ValueError(f"Offering {self.key}: every skill must be a non-empty uri string")
        if not (
            isinstance(self.hours, int | float) and math.isfinite(self.hours) and self.hours > 0
        ):
            raise ValueError(f"Offering {self.key}: hours must be a positive number")
        if not (isinstance(self.fee_inr, int | float) and self.fee_inr >= 0):
            raise ValueError(f"Offering {self.key}: fee_inr must be a number ≥ 0")
        if self.free_seats is not None and self.free_seats < 0:
            raise ValueError(f"Offering {self.key}: free_seats must be ≥ 0 or None")
        if self.max_batch_size is not None and self.max_batch_size <= 0:
            raise ValueError(f"Offering {self.key}: max_batch_size must be > 0 or None")
        if self.next_batch_start is not None and not isinstance(self.next_batch_start, date):
            raise ValueError(f"Offering {self.key}: next_batch_start must be a date or None")

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.course_id, self.module_id)


@dataclass(frozen=True, slots=True)
class PlanPreferences:
    """What the worker can and wants to do. A worker who asks for women-only batches is taken to be
    eligible for them; otherwise `women_only_ok` says whether women-only batches are open to them."""

    today: date
    district: str | None = None
    wants_women_only: bool = False
    women_only_ok: bool = False
    wants_residential: bool = False
    cannot_residential: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.today, date):
            raise ValueError("PlanPreferences.today must be a date")
        if self.wants_residential and self.cannot_residential:
            raise ValueError("a worker cannot both want and rule out residential training")

    @property
    def eligible_women_only(self) -> bool:
        return self.wants_women_only or self.women_only_ok


@dataclass(frozen=True, slots=True)
class CostWeights:
    """Hour-equivalents for each cost term (see the module docstring)."""

    inr_per_hour: float = 100.0
    wait_per_day: float = 0.5
    no_batch: float = 120.0
    no_seats: float = 80.0
    other_district: float = 20.0
    pref_mismatch: float = 40.0


DEFAULT_WEIGHTS = CostWeights()


def offering_cost(
    offering: Offering, prefs: PlanPreferences, weights: CostWeights = DEFAULT_WEIGHTS
) -> tuple[float, tuple[str, ...]] | None:
    """Cost of one offering for this worker and the notes explaining its penalties, or None when the
    worker cannot take it at all."""
    if offering.residential and prefs.cannot_residential:
        return None
    if offering.women_only and not prefs.eligible_women_only:
        return None
    cost = float(offering.hours) + offering.fee_inr / weights.inr_per_hour
    notes: list[str] = []
    start = offering.next_batch_start
    if start is None or start < prefs.today:
        cost += weights.no_batch
        notes.append(NO_BATCH_NOTE)
    else:
        cost += min((start - prefs.today).days * weights.wait_per_day, weights.no_batch)
        if offering.free_seats == 0:
            cost += weights.no_seats
            notes.append(FULL_NOTE)
    if (
        not offering.residential
        and prefs.district is not None
        and offering.district is not None
        and offering.district != prefs.district
    ):
        cost += weights.other_district
        notes.append(f"in another district ({offering.district})")
    if prefs.wants_residential and not offering.residential:
        cost += weights.pref_mismatch
        notes.append("not residential")
    if prefs.wants_women_only and not offering.women_only:
        cost += weights.pref_mismatch
        notes.append("not a women-only batch")
    return cost, tuple(notes)


class OfferingCatalogue:
    """All offerings with a skill → offerings index, so a plan only looks at what teaches a needed
    skill. Build once and reuse across plans."""

    def __init__(self, offerings: Iterable[Offering]) -> None:
        self.offerings: tuple[Offering, ...] = tuple(offerings)
        seen: set[tuple[str, str | None]] = set()
        by_skill: dict[str, list[int]] = {}
        for i, offering in enumerate(self.offerings):
            if not isinstance(offering, Offering):
                raise TypeError(f"expected Offering, got {type(offering).__name__}")
            if offering.key in seen:
                raise ValueError(f"duplicate offering {offering.key}")
            seen.add(offering.key)
            for uri in offering.skills:
                by_skill.setdefault(uri, []).append(i)
        self._by_skill = by_skill

    def __len__(self) -> int:
        return len(self.offerings)

    def teaching(self, uris: Iterable[str]) -> list[Offering]:
        """Offerings that teach at least one of `uris`, in catalogue order."""
        hits: set[int] = set()
        for uri in uris:
            hits.update(self._by_skill.get(uri, ()))
        return [self.offerings[i] for i in sorted(hits)]

    def teaches(self, uri: str) -> bool:
        return uri in self._by_skill


@dataclass(frozen=True, slots=True)
class PlanItem:
    course_id: str
    module_id: str | None
    title: str
    closes: tuple[str, ...]
    hours: float
    fee_inr: float
    next_batch_start: date | None
    cost: float
    notes: tuple[str, ...] = ()
    district: str | None = None

    @property
    def joinable(self) -> bool:
        """Whether a batch with a free seat is planned: else there is nothing to enrol in yet."""
        return self.next_batch_start is not None and not {NO_BATCH_NOTE, FULL_NOTE} & set(
            self.notes
        )


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    """Items in the order to take them (earliest batch first); each needed skill is closed by exactly
    one item; `uncovered` are the needed skills no offering open to this worker teaches."""

    items: tuple[PlanItem, ...]
    uncovered: tuple[str, ...]
    exact: bool = True

    @property
    def total_hours(self) -> float:
        return sum(item.hours for item in self.items)

    @property
    def total_fee_inr(self) -> float:
        return sum(item.fee_inr for item in self.items)

    @property
    def total_cost(self) -> float:
        return sum(item.cost for item in self.items)

    @property
    def closes_all(self) -> bool:
        return not self.uncovered


@dataclass(slots=True)
class _Choice:
    offering: Offering
    mask: int
    cost: float
    notes: tuple[str, ...]
    order: tuple[Any, ...] = field(default=())


def plan_training(
    needed_uris: Iterable[str],
    offerings: Iterable[Offering] | OfferingCatalogue,
    prefs: PlanPreferences,
    weights: CostWeights = DEFAULT_WEIGHTS,
    method: str = "auto",
) -> TrainingPlan:
    """The cheapest set of offerings (cost model in the module docstring) that teaches every needed
    skill some open offering teaches; the rest are returned as `uncovered`.

    `method` is "auto" (exact when small, else greedy), "exact" (branch and bound whatever the size,
    still bounded by a node budget) or "greedy".
    """
    if method not in ("auto", "exact", "greedy"):
        raise ValueError(f"method must be 'auto', 'exact' or 'greedy', got {method!r}")
    needed = list(dict.fromkeys(needed_uris))
    for uri in needed:
        if not isinstance(uri, str) or not uri:
            raise ValueError(f"needed skill uris must be non-empty strings, got {uri!r}")
    catalogue = (
        offerings if isinstance(offerings, OfferingCatalogue) else OfferingCatalogue(offerings)
    )
    bit = {uri: 1 << i for i, uri in enumerate(needed)}
    choices: list[_Choice] = []
    for offering in catalogue.teaching(needed):
        priced = offering_cost(offering, prefs, weights)
        if priced is None:
            continue
        mask = 0
        for uri in offering.skills:
            mask |= bit.get(uri, 0)
        cost, notes = priced
        order = (
            cost,
            offering.module_id is None,
            offering.hours,
            offering.course_id,
            offering.module_id or "",
        )
        choices.append(_Choice(offering, mask, cost, notes, order))
    coverable = 0
    for choice in choices:
        coverable |= choice.mask
    uncovered = tuple(uri for uri in needed if not bit[uri] & coverable)
    choices = _drop_dominated(choices)
    chosen, exact = _solve_set_cover(coverable, choices, method)
    return TrainingPlan(items=_attribute(chosen, needed, bit), uncovered=uncovered, exact=exact)


def _drop_dominated(choices: list[_Choice]) -> list[_Choice]:
    """Remove offerings another one beats: covers a superset at no more cost (ties by order key)."""
    ranked = sorted(choices, key=lambda c: c.order)
    kept: list[_Choice] = []
    for choice in ranked:
        if any(
            choice.mask & ~other.mask == 0 and other.cost <= choice.cost + _EPS for other in kept
        ):
            continue
        kept.append(choice)
    return kept


def _solve_set_cover(
    universe: int, choices: Sequence[_Choice], method: str
) -> tuple[list[_Choice], bool]:
    """Minimum-cost cover of the bitmask `universe`; exact (branch and bound) when small, otherwise
    greedy. Returns the chosen sets and whether the answer is proven optimal."""
    if universe == 0:
        return [], True
    greedy = _greedy_cover(universe, choices)
    too_big = universe.bit_count() > EXACT_MAX_SKILLS or len(choices) > EXACT_MAX_OFFERINGS
    if method == "greedy" or (method == "auto" and too_big):
        return greedy, False
    return _branch_and_bound(universe, choices, greedy)


def _greedy_cover(universe: int, choices: Sequence[_Choice]) -> list[_Choice]:
    remaining = universe
    picked: list[_Choice] = []
    while remaining:
        best: _Choice | None = None
        best_ratio = math.inf
        for choice in choices:
            new = (choice.mask & remaining).bit_count()
            if not new:
                continue
            ratio = choice.cost / new
            if ratio < best_ratio - _EPS or (
                abs(ratio - best_ratio) <= _EPS and best is not None and choice.order < best.order
            ):
                best, best_ratio = choice, ratio
        if best is None:  # cannot happen: universe is the union of the masks
            raise AssertionError("greedy cover ran out of sets")
        picked.append(best)
        remaining &= ~best.mask
    # Reverse delete: drop sets made redundant by later picks, most expensive first.
    for choice in sorted(picked, key=lambda c: c.order, reverse=True):
        rest = 0
        for other in picked:
            if other is not choice:
                rest |= other.mask
        if universe & ~rest == 0:
            picked.remove(choice)
    return picked


def _branch_and_bound(
    universe: int, choices: Sequence[_Choice], incumbent: list[_Choice]
) -> tuple[list[_Choice], bool]:
    """Branch on the uncovered skill with the fewest offerings; prune with the bound "each uncovered
    skill pays at least its cheapest per-skill share", which never exceeds the true remaining cost."""
    skills = [1 << i for i in range(universe.bit_length()) if universe >> i & 1]
    covering = {
        s: sorted((c for c in choices if c.mask & s), key=lambda c: c.order) for s in skills
    }
    best_cost = sum(c.cost for c in incumbent)
    best = list(incumbent)
    nodes = 0
    aborted = False

    def lower_bound(uncovered: int) -> float:
        total = 0.0
        for s in skills:
            if uncovered & s:
                total += min(c.cost / (c.mask & uncovered).bit_count() for c in covering[s])
        return total

    def search(uncovered: int, cost: float, path: list[_Choice]) -> None:
        nonlocal best_cost, best, nodes, aborted
        if aborted:
            return
        nodes += 1
        if nodes > EXACT_NODE_BUDGET:
            aborted = True
            return
        if uncovered == 0:
            if cost < best_cost - _EPS:
                best_cost, best = cost, list(path)
            return
        if cost + lower_bound(uncovered) >= best_cost - _EPS:
            return
        pivot = min((s for s in skills if uncovered & s), key=lambda s: len(covering[s]))
        for choice in covering[pivot]:
            path.append(choice)
            search(uncovered & ~choice.mask, cost + choice.cost, path)
            path.pop()

    search(universe, 0.0, [])
    return best, not aborted


def _attribute(
    chosen: Sequence[_Choice], needed: Sequence[str], bit: Mapping[str, int]
) -> tuple[PlanItem, ...]:
    """Order items by batch start and give each needed skill to the first item that teaches it."""
    timeline = sorted(
        chosen,
        key=lambda c: (c.offering.next_batch_start or date.max, c.order),
    )
    items: list[PlanItem] = []
    claimed = 0
    for choice in timeline:
        closes = tuple(u for u in needed if choice.mask & bit[u] and not claimed & bit[u])
        if not closes:
            continue
        claimed |= choice.mask
        o = choice.offering
        items.append(
            PlanItem(
                course_id=o.course_id,
                module_id=o.module_id,
                title=o.title,
                closes=closes,
                hours=float(o.hours),
                fee_inr=float(o.fee_inr),
                next_batch_start=o.next_batch_start,
                cost=choice.cost,
                notes=choice.notes,
                district=o.district,
            )
        )
    return tuple(items)
