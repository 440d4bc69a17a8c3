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
from matching.profiles import distinct_profiles
from matching.ranking import (
    DistanceFn,
    Id,
    PostingProfile,
    WorkerProfile,
    _id_key,
    commute_between,
)
from matching.top_jobs_all import check_arguments, fit_of
from matching.worker_table import VISIBLE as _VISIBLE_FLAG
from matching.worker_table import WorkerTable


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
        workers: Iterable[WorkerProfile] | WorkerTable,
        closeness: SkillCloseness | None = None,
        *,
        district_distance: DistanceFn | None = None,
    ) -> None:
        # Rows: the table's base rows (in worker id order; its arrays are shared, not copied), then
        # one per worker added or replaced since. A row whose worker is gone or not visible is
        # dead (`_live` False); a replaced base row stays dead and its worker takes a new row.
        table = workers if isinstance(workers, WorkerTable) else WorkerTable.from_profiles(workers)
        self._table = table
        self._base_rows = table.rows
        self._extra: list[WorkerProfile] = []  # rows from _base_rows on
        self._row_of: dict[Id, int] = {}  # of the extra rows
        # The holders of the skills changed since the table, in place of the table's.
        self._holders: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.closeness = closeness
        self.district_distance = district_distance
        self._homes: dict[str | None, int] = {d: n for n, d in enumerate(table.districts)}
        self._home = np.asarray(table.base["district"], dtype=np.int64)
        self._live = (table.base["flags"] & _VISIBLE_FLAG) != 0
        self._live &= ~table.hidden
        self._id_rank: np.ndarray | None = None
        extra = [p for p in table.overlay.values() if p is not None and p.visible]
        if extra:
            self._add_rows(extra)

    def _add_rows(self, workers: list[WorkerProfile]) -> None:
        """Give `workers` (visible, none of them in a live row) rows of their own and add them
        to the holders of their skills."""
        if not workers:  # a change that adds no visible worker copies no array
            return
        added: dict[str, tuple[list[int], list[float]]] = {}
        first = self._base_rows + len(self._extra)
        for offset, worker in enumerate(workers):
            row = first + offset
            self._extra.append(worker)
            self._row_of[worker.worker_id] = row
            for uri, skill in worker.held_map.items():
                rows, levels = added.setdefault(uri, ([], []))
                rows.append(row)
                levels.append(skill.level)
        self._live = np.concatenate([self._live, np.ones(len(workers), dtype=bool)])
        homes = [self._homes.setdefault(w.district, len(self._homes)) for w in workers]
        self._home = np.concatenate([self._home, np.array(homes, dtype=np.int64)])
        self._id_rank = None
        for uri, (more_rows, more_levels) in added.items():
            rows, levels = self._holders_of(uri)
            self._holders[uri] = (
                np.concatenate([rows, np.array(more_rows, dtype=np.int64)]),
                np.concatenate([levels, np.array(more_levels, dtype=np.float64)]),
            )

    def _holders_of(self, uri: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows holding `uri` (dead ones included) and their levels."""
        if uri in self._holders:
            return self._holders[uri]
        found = self._table.visible_holders(uri)
        return found if found is not None else (np.zeros(0, np.int64), np.zeros(0))

    def worker_id(self, row: int) -> Id:
        if row < self._base_rows:
            return self._table.id_of_row(row)
        return self._extra[row - self._base_rows].worker_id

    def _held_uris(self, row: int) -> Iterable[str]:
        if row < self._base_rows:
            return self._table.row_profile(row).held_map
        return self._extra[row - self._base_rows].held_map

    def __len__(self) -> int:
        return int(self._live.sum())

    def _ranks(self) -> np.ndarray:
        """Each row's place in worker id order (rank's last tie-break), made when first needed:
        only when some id is not a str (`_id_keys` sorts str ids as bytes without it)."""
        ranks = self._id_rank
        if ranks is None:
            extra_ids = [worker.worker_id for worker in self._extra]
            every = [self._table.id_of_row(row) for row in range(self._base_rows)] + extra_ids
            order = sorted(range(len(every)), key=lambda i: _id_key(every[i]))
            ranks = np.empty(len(order), dtype=np.int64)
            ranks[order] = np.arange(len(order), dtype=np.int64)
            self._id_rank = ranks
        return ranks

    def _id_keys(self, rows: np.ndarray) -> np.ndarray:
        """Sort keys of `rows` in worker id order (rank's last tie-break): the ids themselves as
        UTF-8 bytes (whose order is the strings' order) when every id is a str, so a matrix
        with new rows needs no ranking of all workers again; else each row's rank."""
        extra = rows >= self._base_rows
        extra_ids = [self._extra[row - self._base_rows].worker_id for row in rows[extra].tolist()]
        if not all(isinstance(worker_id, str) for worker_id in extra_ids):
            return self._ranks()[rows]
        base_keys = self._table.base["ids"][rows[~extra]]
        extra_keys = np.array([i.encode() for i in extra_ids] or [b""], dtype=bytes)  # type: ignore[union-attr]
        keys = np.empty(len(rows), dtype=np.result_type(base_keys.dtype, extra_keys.dtype))
        keys[~extra] = base_keys
        keys[extra] = extra_keys[: len(extra_ids)]
        return keys

    def updated(
        self, workers: Iterable[WorkerProfile] = (), *, removed: Iterable[Id] = ()
    ) -> CandidateMatrix:
        """A new matrix with `workers` added or replaced and the `removed` ids gone; it ranks
        exactly as a matrix built from scratch from the same workers. This one is left as it was
        (readers holding it see no half-done change): only the arrays of changed skills are new."""
        new = copy.copy(self)
        new._extra = list(self._extra)
        new._row_of = dict(self._row_of)
        new._holders = dict(self._holders)
        new._live = self._live.copy()
        new._homes = dict(self._homes)
        workers = distinct_profiles(workers, WorkerProfile)
        seen = {worker.worker_id for worker in workers}
        dropped: dict[str, list[int]] = {}
        for worker_id in [*removed, *seen]:
            row = new._row_of.pop(worker_id, None)
            if row is None:
                row = self._table.row_of(worker_id)
            if row is not None and new._live[row]:
                new._live[row] = False
                for uri in new._held_uris(row):
                    dropped.setdefault(uri, []).append(row)
        for uri, rows_gone in dropped.items():
            rows, levels = new._holders_of(uri)
            kept = ~np.isin(rows, rows_gone)
            new._holders[uri] = (rows[kept], levels[kept])
        new._add_rows([worker for worker in workers if worker.visible])
        return new

    def _credit(self, uri: str, min_level: int, out: np.ndarray) -> None:
        """Fill `out` (zeros on entry) with every worker's best credit for (uri, min_level)."""
        rows, levels = self._holders_of(uri)
        if len(rows):
            out[rows] = skill_credits(levels, min_level)
        if self.closeness is None:
            return
        for near_uri, sim in self.closeness.neighbours(uri).items():
            if sim < self.closeness.threshold:
                continue
            rows, levels = self._holders_of(near_uri)
            if len(rows):
                np.maximum.at(out, rows, skill_credits(levels, min_level, sim))

    def rank(
        self, posting: PostingProfile, k: int | None = 10, *, min_fit: int = 1
    ) -> list[CandidateFit]:
        """Visible workers for `posting`, best first (fit, commute, worker id), at most `k`."""
        check_arguments(0 if k is None else k, min_fit, 1)
        if k == 0:  # as rank_candidates(limit=0); the k-th best below needs k ≥ 1
            return []
        n = len(self._live)
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
            rows = np.flatnonzero(touched & self._live)  # holders keep dead rows
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
        order = np.lexsort((self._id_keys(rows), commute, -fits))
        if k is not None:
            order = order[:k]
        return [
            CandidateFit(self.worker_id(row), fit)
            for row, fit in zip(rows[order].tolist(), fits[order].tolist(), strict=True)
        ]


__all__ = ["CandidateFit", "CandidateMatrix"]
