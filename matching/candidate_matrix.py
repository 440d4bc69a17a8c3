"""One posting's candidates among every visible worker, scored with array operations: the
employer's side of matching, apart from the jobs-for-every-worker side (matching/top_jobs_all.py)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from matching.gaps import (
    ESSENTIAL_WEIGHT,
    OPTIONAL_WEIGHT,
    SkillCloseness,
    skill_credits,
)
from matching.ranking import (
    DistanceFn,
    Id,
    PostingProfile,
    WorkerProfile,
    _id_key,
    commute_between,
)
from matching.top_jobs_all import check_arguments, fit_of


class CandidateFit(NamedTuple):
    """One candidate for a posting, as `rank_candidates` would list them."""

    worker_id: Id
    fit: int


class CandidateMatrix:
    """Visible workers' held skills as arrays, so one posting's candidates are scored for all
    workers at once with a few vector operations per required skill, instead of a Python loop over
    every worker sharing a skill. Results equal `rank_candidates(posting, MatchIndex(workers, ...,
    closeness), limit=k)`; the sum runs in the posting's own order, so fits are bit-for-bit equal.
    """

    def __init__(
        self,
        workers: Iterable[WorkerProfile],
        closeness: SkillCloseness | None = None,
        *,
        district_distance: DistanceFn | None = None,
    ) -> None:
        # Rows: one per visible worker; a worker removed later leaves a dead row (`_live` False,
        # in no holder array) that a worker with the same id takes again.
        self.workers: list[WorkerProfile] = []
        self._row_of: dict[Id, int] = {}
        seen: set[Id] = set()
        holders: dict[str, tuple[list[int], list[int]]] = {}
        for worker in workers:
            if not isinstance(worker, WorkerProfile):
                raise TypeError(f"expected WorkerProfile, got {type(worker).__name__}")
            if worker.worker_id in seen:
                raise ValueError(f"duplicate worker_id {worker.worker_id!r}")
            seen.add(worker.worker_id)
            if not worker.visible:  # employers only ever see visible workers
                continue
            row = len(self.workers)
            self.workers.append(worker)
            self._row_of[worker.worker_id] = row
            for uri, skill in worker.held_map.items():
                rows, levels = holders.setdefault(uri, ([], []))
                rows.append(row)
                levels.append(skill.level)
        self._holders = {
            uri: (np.array(rows, dtype=np.int64), np.array(levels, dtype=np.float64))
            for uri, (rows, levels) in holders.items()
        }
        self.closeness = closeness
        self.district_distance = district_distance
        self._live = np.ones(len(self.workers), dtype=bool)
        self._id_rank: np.ndarray | None = None
        self._homes: dict[str | None, int] = {}
        self._home = np.array(
            [self._homes.setdefault(w.district, len(self._homes)) for w in self.workers],
            dtype=np.int64,
        )

    def __len__(self) -> int:
        return int(self._live.sum())

    def _ranks(self) -> np.ndarray:
        """Each row's place in worker id order (rank's last tie-break), made when first needed."""
        ranks = self._id_rank
        if ranks is None:
            ids = [worker.worker_id for worker in self.workers]
            if all(isinstance(worker_id, str) for worker_id in ids):
                order = np.argsort(np.array(ids, dtype=str), kind="stable")
            else:
                order = sorted(range(len(ids)), key=lambda i: _id_key(ids[i]))
            ranks = np.empty(len(ids), dtype=np.int64)
            ranks[order] = np.arange(len(ids), dtype=np.int64)
            self._id_rank = ranks
        return ranks

    def updated(
        self, workers: Iterable[WorkerProfile] = (), *, removed: Iterable[Id] = ()
    ) -> CandidateMatrix:
        """A new matrix with `workers` added or replaced and the `removed` ids gone; it ranks
        exactly as a matrix built from scratch from the same workers. This one is left as it was
        (readers holding it see no half-done change): only the arrays of changed skills are new."""
        new = copy.copy(self)
        new.workers = list(self.workers)
        new._row_of = dict(self._row_of)
        new._holders = dict(self._holders)
        new._live = self._live.copy()
        new._homes = dict(self._homes)
        new._home = self._home.copy()
        workers = list(workers)
        dropped: dict[str, list[int]] = {}
        for worker_id in [*removed, *(w.worker_id for w in workers)]:
            row = new._row_of.get(worker_id)
            if row is not None and new._live[row]:
                new._live[row] = False
                for uri in new.workers[row].held_map:
                    dropped.setdefault(uri, []).append(row)
        added: dict[str, tuple[list[int], list[float]]] = {}
        appended: list[int] = []
        seen: set[Id] = set()
        for worker in workers:
            if not isinstance(worker, WorkerProfile):
                raise TypeError(f"expected WorkerProfile, got {type(worker).__name__}")
            if worker.worker_id in seen:
                raise ValueError(f"duplicate worker_id {worker.worker_id!r}")
            seen.add(worker.worker_id)
            if not worker.visible:
                continue
            row = new._row_of.get(worker.worker_id)
            if row is None:
                row = len(new.workers)
                new.workers.append(worker)
                new._row_of[worker.worker_id] = row
                appended.append(row)
            else:
                new.workers[row] = worker
            for uri, skill in worker.held_map.items():
                rows, levels = added.setdefault(uri, ([], []))
                rows.append(row)
                levels.append(skill.level)
        if appended:
            new._live = np.concatenate([new._live, np.zeros(len(appended), dtype=bool)])
            new._home = np.concatenate([new._home, np.zeros(len(appended), dtype=np.int64)])
            new._id_rank = None
        for worker in workers:
            if worker.visible:
                row = new._row_of[worker.worker_id]
                new._live[row] = True
                new._home[row] = new._homes.setdefault(worker.district, len(new._homes))
        for uri in dropped.keys() | added.keys():
            rows, levels = new._holders.get(uri, (np.zeros(0, np.int64), np.zeros(0)))
            if uri in dropped:
                kept = ~np.isin(rows, dropped[uri])
                rows, levels = rows[kept], levels[kept]
            more_rows, more_levels = added.get(uri, ((), ()))
            rows = np.concatenate([rows, np.array(more_rows, dtype=np.int64)])
            levels = np.concatenate([levels, np.array(more_levels, dtype=np.float64)])
            if len(rows):
                new._holders[uri] = (rows, levels)
            else:
                new._holders.pop(uri, None)
        return new

    def _credit(self, uri: str, min_level: int, out: np.ndarray) -> None:
        """Fill `out` (zeros on entry) with every worker's best credit for (uri, min_level)."""
        own = self._holders.get(uri)
        if own is not None:
            rows, levels = own
            out[rows] = skill_credits(levels, min_level)
        if self.closeness is None:
            return
        for near_uri, sim in self.closeness.neighbours(uri).items():
            if sim < self.closeness.threshold:
                continue
            near = self._holders.get(near_uri)
            if near is None:
                continue
            rows, levels = near
            np.maximum.at(out, rows, skill_credits(levels, min_level, sim))

    def rank(
        self, posting: PostingProfile, k: int | None = 10, *, min_fit: int = 1
    ) -> list[CandidateFit]:
        """Visible workers for `posting`, best first (fit, commute, worker id), at most `k`."""
        check_arguments(0 if k is None else k, min_fit, 1)
        if k == 0:  # as rank_candidates(limit=0); the k-th best below needs k ≥ 1
            return []
        n = len(self.workers)
        if not posting.required:
            rows = np.flatnonzero(self._live)
            fits = np.full(len(rows), 100, dtype=np.int64)
        else:
            earned = np.zeros(n, dtype=np.float64)
            touched = np.zeros(n, dtype=bool)
            credit = np.empty(n, dtype=np.float64)
            for req in posting.required:  # the order of gap_from_parts' sum
                credit.fill(0.0)
                self._credit(req.uri, req.min_level, credit)
                weight = ESSENTIAL_WEIGHT if req.essential else OPTIONAL_WEIGHT
                earned = earned + weight * credit
                touched |= credit > 0.0
            rows = np.flatnonzero(touched)
            possible = np.full(len(rows), posting.possible)
            fits = fit_of(earned[rows], possible).astype(np.int64)
        keep = fits >= min_fit
        rows, fits = rows[keep], fits[keep]
        commute_by_home = np.array(
            [
                commute_between(home, posting.district, self.district_distance)
                for home in self._homes
            ]
        )
        if np.isnan(commute_by_home).any():
            raise ValueError(f"district_distance returned NaN for {posting.district!r}")
        commute = commute_by_home[self._home[rows]] if len(rows) else np.zeros(0)
        if k is not None and len(rows) > k:
            # Only workers at or above the k-th best fit can be listed.
            kth = np.partition(fits, len(fits) - k)[len(fits) - k]
            keep = fits >= kth
            rows, fits, commute = rows[keep], fits[keep], commute[keep]
        order = np.lexsort((self._ranks()[rows], commute, -fits))
        if k is not None:
            order = order[:k]
        return [
            CandidateFit(self.workers[row].worker_id, fit)
            for row, fit in zip(rows[order].tolist(), fits[order].tolist(), strict=True)
        ]


__all__ = ["CandidateFit", "CandidateMatrix"]
