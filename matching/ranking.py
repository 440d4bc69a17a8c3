"""Ranking: jobs for a worker, candidates for a posting, and candidates who fit after short training.

Order, for jobs: fit (high first), commute (same district first, then by the optional district
distance, unknown districts last), monthly wage (high first, unknown last), openings (more first),
posting id. For candidates: fit, commute, worker id. Trainable candidates: hours of training in the
recommended plan (fewest first), then current fit, commute, worker id.

Speed comes from a `MatchIndex` the app builds once and caches: required skills are deduplicated and
held skills keyed by uri up front, every skill's semantic neighbours are computed in batch, and two
inverted indexes (skill → visible workers who hold it, skill → postings that need it) restrict each
query to the pairs that share at least one skill exactly or closely. Pairs sharing nothing have fit 0
and are not listed. With a `limit`, pairs are scored in order of an upper bound on their fit (the
weight of required skills they touch) and scoring stops once no remaining pair can enter the top.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from matching.gaps import (
    Gap,
    RequiredSkill,
    SkillCloseness,
    fit_score,
    gap_from_parts,
)
from matching.plans import (
    DEFAULT_WEIGHTS,
    CostWeights,
    OfferingCatalogue,
    PlanPreferences,
    TrainingPlan,
    plan_training,
)
from matching.profiles import (
    Id,
    PostingProfile,
    WorkerProfile,
    _id_key,
    distinct_profiles,
)
from matching.worker_table import WorkerTable

# Returns a travel distance (any unit, e.g. km) between two districts, or None when unknown.
DistanceFn = Callable[[str, str], float | None]
OTHER_DISTRICT = 1.0  # commute of a different district when no distance function is given
UNKNOWN_COMMUTE = math.inf


def commute_between(
    home: str | None, work: str | None, district_distance: DistanceFn | None = None
) -> float:
    """0 in the same district; otherwise the distance function's answer (or 1 without one); inf when
    either district or the distance is unknown."""
    if home is None or work is None:
        return UNKNOWN_COMMUTE
    if home == work:
        return 0.0
    if district_distance is None:
        return OTHER_DISTRICT
    distance = district_distance(home, work)
    return UNKNOWN_COMMUTE if distance is None else float(distance)


class _FitFromGap:
    """Every ranked pair's `fit` is its gap's: one property, so the three kinds of match cannot differ."""

    __slots__ = ()
    gap: Gap

    @property
    def fit(self) -> int:
        return self.gap.fit


@dataclass(frozen=True, slots=True)
class JobMatch(_FitFromGap):
    posting: PostingProfile
    gap: Gap
    commute: float


@dataclass(frozen=True, slots=True)
class CandidateMatch(_FitFromGap):
    worker: WorkerProfile
    gap: Gap
    commute: float


@dataclass(frozen=True, slots=True)
class TrainableCandidate(_FitFromGap):
    """A worker who fits the posting once `plan` (at most the asked hours) is done."""

    worker: WorkerProfile
    gap: Gap
    commute: float
    plan: TrainingPlan

    @property
    def training_hours(self) -> float:
        return self.plan.total_hours


class MatchIndex:
    """Workers and open postings prepared for fast ranking; build once, cache, rebuild on change.

    Holds the closeness object and warms every used skill's neighbour list on construction, so a
    query does no numpy work at all, only dictionary lookups.
    """

    def __init__(
        self,
        workers: Iterable[WorkerProfile] = (),
        postings: Iterable[PostingProfile] = (),
        closeness: SkillCloseness | None = None,
    ) -> None:
        self.closeness = closeness
        # The workers as arrays (matching/worker_table.py): they are most of the memory at state
        # scale, and a snapshot lets several processes share them.
        self.workers: WorkerTable = (
            workers if isinstance(workers, WorkerTable) else WorkerTable.from_profiles(workers)
        )
        self.postings: dict[Id, PostingProfile] = {}
        self._needing: dict[str, list[tuple[Id, float]]] = {}  # skill → (posting, weight)
        self._postings_without_skills: list[Id] = []
        for posting in distinct_profiles(postings, PostingProfile):
            self.postings[posting.posting_id] = posting
            if not posting.required:
                self._postings_without_skills.append(posting.posting_id)
            for req in posting.required:
                self._needing.setdefault(req.uri, []).append((posting.posting_id, req.weight))
        if closeness is not None:
            closeness.warm([*self.workers.held_uris(), *self._needing])

    def updated(
        self,
        workers: Iterable[WorkerProfile] = (),
        postings: Iterable[PostingProfile] = (),
        *,
        removed_workers: Iterable[Id] = (),
        removed_postings: Iterable[Id] = (),
    ) -> MatchIndex:
        """A new index with `workers` and `postings` added or replaced and the removed ids gone;
        it ranks exactly as an index built from scratch from the same profiles. This one is left
        as it was (readers holding it see no half-done change): unchanged parts are shared and
        only the lists of the skills that changed are copied."""
        new = MatchIndex.__new__(MatchIndex)
        new.closeness = self.closeness
        new.postings = dict(self.postings)
        new._needing = dict(self._needing)
        new._postings_without_skills = list(self._postings_without_skills)
        copied_needing: set[str] = set()

        def needing(uri: str) -> list[tuple[Id, float]]:
            if uri not in copied_needing:
                copied_needing.add(uri)
                new._needing[uri] = list(new._needing.get(uri, ()))
            return new._needing[uri]

        workers = distinct_profiles(workers, WorkerProfile)
        postings = distinct_profiles(postings, PostingProfile)
        # The table takes a changed worker's old row away itself before adding the new profile.
        new.workers = self.workers.updated(workers, removed=removed_workers)
        for posting_id in [*removed_postings, *(p.posting_id for p in postings)]:
            old_posting = new.postings.pop(posting_id, None)
            if old_posting is None:
                continue
            if not old_posting.required:
                new._postings_without_skills.remove(posting_id)
            for req in old_posting.required:
                needing(req.uri).remove((posting_id, req.weight))
        for posting in postings:
            new.postings[posting.posting_id] = posting
            if not posting.required:
                new._postings_without_skills.append(posting.posting_id)
            for req in posting.required:
                needing(req.uri).append((posting.posting_id, req.weight))
        for uri in copied_needing:  # a skill no posting asks any more is not kept
            if not new._needing[uri]:
                del new._needing[uri]
        if new.closeness is not None:
            held = {uri for worker in workers if worker.visible for uri in worker.held_map}
            new.closeness.warm([*held, *new._needing.keys() & copied_needing])
        return new

    def holders(self, uri: str) -> list[Id]:
        """The visible workers holding `uri` (the inverted index's skill → workers side)."""
        return self.workers.holders(uri)

    def _near(self, uri: str) -> Iterable[str]:
        if self.closeness is None:
            return (uri,)
        return (uri, *self.closeness.neighbours(uri))

    def touched_postings(self, worker: WorkerProfile) -> dict[Id, float]:
        """Postings sharing a skill (exactly or closely) with `worker` → weight of the required skills
        touched, an upper bound on the fit's numerator."""
        seen: set[tuple[Id, str]] = set()
        touched: dict[Id, float] = {}
        for held_uri in worker.held_map:
            for uri in self._near(held_uri):
                for posting_id, weight in self._needing.get(uri, ()):
                    if (posting_id, uri) not in seen:
                        seen.add((posting_id, uri))
                        touched[posting_id] = touched.get(posting_id, 0.0) + weight
        return touched

    def touched_workers(self, posting: PostingProfile) -> dict[Id, float]:
        """Visible workers sharing a skill (exactly or closely) with `posting` → weight touched.
        Summed on the table's rows with array operations (in the posting's order, so the sums
        are the same floats), then named: ids are made only for the rows touched."""
        table = self.workers
        weights = np.zeros(table.rows)
        hit = np.zeros(table.rows, dtype=bool)
        touched: dict[Id, float] = {}
        overlay = table.visible_overlay()  # read once, not once per close skill
        for req in posting.required:
            rows: list[np.ndarray] = []
            near = list(self._near(req.uri))
            for uri in near:
                found = table.visible_holders(uri)
                if found is not None:
                    rows.append(found[0])
            ids = {key for key, held in overlay if any(uri in held for uri in near)}
            if rows:
                held = np.unique(np.concatenate(rows))
                weights[held] += req.weight
                hit[held] = True
            for worker_id in ids:
                touched[worker_id] = touched.get(worker_id, 0.0) + req.weight
        named = np.flatnonzero(hit & ~table.hidden)
        base = {
            table.id_of_row(row): weight
            for row, weight in zip(named.tolist(), weights[named].tolist(), strict=True)
        }
        return base | touched

    def gap(self, worker: WorkerProfile, posting: PostingProfile) -> Gap:
        return gap_from_parts(posting.required, worker.held_map, self.closeness)


def _top(
    pairs: Iterable[tuple[int, Any]],
    score: Callable[[Any], tuple[Any, tuple[Any, ...]] | None],
    limit: int | None,
    min_fit: int,
) -> list[Any]:
    """Score pairs in order of their fit upper bound, keeping the best `limit` by rank key; stop as
    soon as the bound falls below the limit-th fit found (or below min_fit)."""
    ordered = sorted(pairs, key=lambda p: -p[0])
    kept: list[tuple[tuple[Any, ...], Any]] = []
    best_fits: list[int] = []  # min-heap of the `limit` best fits seen
    for bound, item in ordered:
        if bound < min_fit:
            break
        if limit is not None and len(best_fits) >= limit and bound < best_fits[0]:
            break
        scored = score(item)
        if scored is None:
            continue
        result, key = scored
        fit = result.fit
        if fit < min_fit:
            continue
        kept.append((key, result))
        if limit is not None:
            if len(best_fits) < limit:
                heapq.heappush(best_fits, fit)
            elif fit > best_fits[0]:
                heapq.heapreplace(best_fits, fit)
    kept.sort(key=lambda kr: kr[0])
    results = [result for _, result in kept]
    return results if limit is None else results[:limit]


def _bound(touched: float, possible: float) -> int:
    return fit_score(touched, possible, complete=touched >= possible)


def _check_limit(limit: int | None, min_fit: int) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError(f"limit must be a non-negative integer or None, got {limit!r}")
    if not 0 <= min_fit <= 100:
        raise ValueError(f"min_fit must be 0–100, got {min_fit!r}")


def rank_jobs(
    worker: WorkerProfile,
    index: MatchIndex,
    *,
    district_distance: DistanceFn | None = None,
    sector: str | None = None,
    district: str | None = None,
    limit: int | None = None,
    min_fit: int = 1,
) -> list[JobMatch]:
    """Open postings in `index` for `worker` (who need not be in the index), best first, each with
    its gap. Optional filters: posting sector and district."""
    _check_limit(limit, min_fit)
    touched = index.touched_postings(worker)
    for posting_id in index._postings_without_skills:
        touched[posting_id] = 0.0

    def wanted(p: PostingProfile) -> bool:
        return (sector is None or p.sector == sector) and (
            district is None or p.district == district
        )

    def score(posting: PostingProfile) -> tuple[JobMatch, tuple[Any, ...]]:
        gap = index.gap(worker, posting)
        commute = commute_between(worker.district, posting.district, district_distance)
        wage = posting.wage_inr if posting.wage_inr is not None else -1.0
        key = (-gap.fit, commute, -wage, -posting.openings, _id_key(posting.posting_id))
        return JobMatch(posting, gap, commute), key

    pairs = []
    for posting_id, weight in touched.items():
        posting = index.postings[posting_id]
        if wanted(posting):
            pairs.append((_bound(weight, posting.possible), posting))
    return _top(pairs, score, limit, min_fit)


def rank_candidates(
    posting: PostingProfile,
    index: MatchIndex,
    *,
    district_distance: DistanceFn | None = None,
    limit: int | None = None,
    min_fit: int = 1,
) -> list[CandidateMatch]:
    """Visible workers in `index` for `posting` (which need not be in the index), best first."""
    _check_limit(limit, min_fit)
    pairs = _candidate_pairs(posting, index)

    def score(worker_id: Id) -> tuple[CandidateMatch, tuple[Any, ...]]:
        worker = index.workers[worker_id]
        gap = index.gap(worker, posting)
        commute = commute_between(worker.district, posting.district, district_distance)
        return CandidateMatch(worker, gap, commute), (-gap.fit, commute, _id_key(worker.worker_id))

    return _top(pairs, score, limit, min_fit)


def _candidate_pairs(
    posting: PostingProfile, index: MatchIndex, include_unrelated: bool = False
) -> list[tuple[int, Id]]:
    """(fit bound, worker id) of the workers to score; a profile is made only when scored."""
    if not posting.required or include_unrelated:
        touched = index.touched_workers(posting)
        return [
            (_bound(touched.get(worker_id, 0.0), posting.possible), worker_id)
            for worker_id in index.workers.visible_ids()
        ]
    return [
        (_bound(weight, posting.possible), worker_id)
        for worker_id, weight in index.touched_workers(posting).items()
    ]


def trainable_candidates(
    posting: PostingProfile,
    index: MatchIndex,
    catalogue: OfferingCatalogue,
    *,
    today: date,
    max_hours: float,
    district_distance: DistanceFn | None = None,
    weights: CostWeights = DEFAULT_WEIGHTS,
    limit: int | None = None,
    include_unrelated: bool = False,
) -> list[TrainableCandidate]:
    """Visible workers who do not fit `posting` yet but whose recommended plan closes every partial
    and missing skill within `max_hours` of training. Workers sharing no skill with the posting are
    skipped unless `include_unrelated` (they would all need the same full course)."""
    if not max_hours >= 0:
        raise ValueError(f"max_hours must be ≥ 0, got {max_hours!r}")
    _check_limit(limit, 0)
    cheapest_hours: dict[str, float] = {}
    for req in posting.required:
        hours = [o.hours for o in catalogue.teaching([req.uri])]
        cheapest_hours[req.uri] = min(hours) if hours else math.inf
    # Quick reject before the gap and the plan: a skill nobody teaches, or whose shortest offering
    # alone is already too long, must be covered already (held at its level). Most workers sharing
    # a skill with the posting fail this, and the test is far cheaper than their gap.
    untrainable = [req for req in posting.required if cheapest_hours[req.uri] > max_hours]
    plans: dict[tuple[frozenset[str], PlanPreferences], TrainingPlan] = {}
    found: list[tuple[tuple[Any, ...], TrainableCandidate]] = []
    for _, worker_id in _candidate_pairs(posting, index, include_unrelated):
        worker = index.workers[worker_id]
        if not all(_covers(worker, req) for req in untrainable):
            continue
        gap = index.gap(worker, posting)
        needed = gap.to_close
        if not needed:
            continue
        prefs = worker.plan_preferences(today)
        cache_key = (frozenset(needed), prefs)
        plan = plans.get(cache_key)
        if plan is None:
            plan = plan_training(needed, catalogue, prefs, weights)
            plans[cache_key] = plan
        if not plan.closes_all or plan.total_hours > max_hours:
            continue
        commute = commute_between(worker.district, posting.district, district_distance)
        key = (plan.total_hours, -gap.fit, commute, _id_key(worker.worker_id))
        found.append((key, TrainableCandidate(worker, gap, commute, plan)))
    found.sort(key=lambda kr: kr[0])
    results = [candidate for _, candidate in found]
    return results if limit is None else results[:limit]


def _covers(worker: WorkerProfile, req: RequiredSkill) -> bool:
    """`gap_from_parts`' test for a covered skill: held at the required level or above."""
    own = worker.held_map.get(req.uri)
    return own is not None and own.level >= req.min_level


__all__ = [
    "CandidateMatch",
    "DistanceFn",
    "JobMatch",
    "MatchIndex",
    "PostingProfile",
    "TrainableCandidate",
    "WorkerProfile",
    "commute_between",
    "rank_candidates",
    "rank_jobs",
    "trainable_candidates",
]
