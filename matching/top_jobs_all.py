"""Top-K jobs for every worker at once: the fit of `matching.gaps` for all worker × posting pairs
that can score above zero, vectorised with sparse matrices and streamed in chunks of workers.

Results equal `matching.ranking.rank_jobs(worker, MatchIndex([], postings, closeness), limit=k)`
(same postings, same fits, same order) — the property tests hold the two together.

How, for one chunk of workers:

1. A required skill's credit depends only on the skill and its minimum level, never on the posting.
   So every distinct (required skill, min level) pair is one column q, and a contribution table says
   what credit a held (skill, level) earns in each column: 1 (covered), level / min_level (same skill
   held too low), or 0.5 × similarity × min(1, level / min_level) for a close skill (the neighbours
   of `SkillCloseness`, above its threshold).
2. The chunk's credit matrix (workers × q) is the element-wise maximum over each worker's held
   skills of those rows — the best partial credit, exactly as `gap_for` picks it.
3. credit @ weights (q × postings, the weight 2 or 1 of q in each posting) gives every touched pair's
   earned weight in one sparse product; fit = round(100 × earned / possible), capped at 99 unless
   complete. Sparse sums may add in another order than `gap_for`, so the few pairs within 1e-9 of a
   rounding boundary are summed again in the posting's own order (bit-for-bit the same floats).
4. Per worker, only pairs at or above the K-th best fit are sorted, by rank_jobs' key: fit, commute,
   wage, openings, posting id.

Memory is bounded by chunk size × touched postings per worker; the full worker × posting matrix is
never built. Postings without required skills fit everyone (fit 100) and are added per chunk.

`CandidateMatrix` is the other direction for one posting at a time: visible workers' held skills
kept as arrays per skill, so a posting's candidates are scored for all workers with one vector
operation per required skill and close neighbour; it equals `rank_candidates`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from matching.gaps import (
    ESSENTIAL_WEIGHT,
    MAX_LEVEL,
    OPTIONAL_WEIGHT,
    SkillCloseness,
    skill_credit,
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

DEFAULT_CHUNK_SIZE = 2000
# Pairs whose 100·earned/possible + 0.5 lies this close to an integer are re-summed exactly.
_ROUNDING_MARGIN = 1e-9


class JobFit(NamedTuple):
    """One recommended posting for a worker, as `rank_jobs` would list it."""

    posting_id: Id
    fit: int


class BulkJobMatcher:
    """Open postings and skill closeness prepared once; then `top_jobs` / `iter_top_jobs` rank the
    postings for any number of workers, a chunk at a time.

    Build cost is proportional to the postings and their skills' neighbours, not to the workers.
    """

    def __init__(
        self,
        postings: Iterable[PostingProfile],
        closeness: SkillCloseness | None = None,
        *,
        district_distance: DistanceFn | None = None,
    ) -> None:
        self.postings = distinct_profiles(postings, PostingProfile)
        self.closeness = closeness
        self.district_distance = district_distance
        n_postings = len(self.postings)

        # Tie-break after fit and commute: wage (high first, unknown last), openings, posting id.
        order = sorted(
            range(n_postings),
            key=lambda i: (
                -(self.postings[i].wage_inr if self.postings[i].wage_inr is not None else -1.0),
                -self.postings[i].openings,
                _id_key(self.postings[i].posting_id),
            ),
        )
        self._posting_rank = np.empty(n_postings, dtype=np.int64)
        self._posting_rank[order] = np.arange(n_postings, dtype=np.int64)
        self._possible = np.array([p.possible for p in self.postings], dtype=np.float64)
        with np.errstate(divide="ignore"):
            self._percent_of = 100.0 / self._possible  # inf only for postings without skills

        # Columns q: distinct (required uri, min level); the weights matrix q × postings.
        self._column: dict[tuple[str, int], int] = {}
        rows: list[int] = []
        cols: list[int] = []
        weights: list[float] = []
        max_required = max((len(p.required) for p in self.postings), default=0)
        self._slot_column = np.full((n_postings, max(max_required, 1)), -1, dtype=np.int64)
        self._slot_weight = np.zeros((n_postings, max(max_required, 1)), dtype=np.float64)
        for p_index, posting in enumerate(self.postings):
            for slot, req in enumerate(posting.required):
                q = self._column.setdefault((req.uri, req.min_level), len(self._column))
                weight = ESSENTIAL_WEIGHT if req.essential else OPTIONAL_WEIGHT
                rows.append(q)
                cols.append(p_index)
                weights.append(weight)
                self._slot_column[p_index, slot] = q
                self._slot_weight[p_index, slot] = weight
        n_columns = len(self._column)
        self._weights = sp.csr_matrix(
            (np.array(weights, dtype=np.float64), (np.array(rows), np.array(cols))),
            shape=(n_columns, n_postings),
        )
        self._without_skills = np.array(
            [i for i, p in enumerate(self.postings) if not p.required], dtype=np.int64
        )

        # Contribution table: row (held skill t, level l) → credit in each column q.
        self._held_index: dict[str, int] = {}
        entries: dict[tuple[int, int], list[tuple[int, float]]] = {}
        if closeness is not None:
            closeness.warm(uri for uri, _ in self._column)
        for (uri, min_level), q in self._column.items():
            t = self._held_index.setdefault(uri, len(self._held_index))
            for level in range(1, MAX_LEVEL + 1):
                entries.setdefault((t, level), []).append((q, skill_credit(level, min_level)))
            if closeness is None:
                continue
            for near_uri, sim in closeness.neighbours(uri).items():
                if sim < closeness.threshold:
                    continue
                t_near = self._held_index.setdefault(near_uri, len(self._held_index))
                for level in range(1, MAX_LEVEL + 1):
                    credit = skill_credit(level, min_level, sim)
                    entries.setdefault((t_near, level), []).append((q, credit))
        n_rows = len(self._held_index) * MAX_LEVEL
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        for (t, level), items in entries.items():
            indptr[t * MAX_LEVEL + level] = len(items)
        indptr = np.cumsum(indptr)
        indices = np.empty(indptr[-1], dtype=np.int64)
        data = np.empty(indptr[-1], dtype=np.float64)
        for (t, level), items in entries.items():
            start = indptr[t * MAX_LEVEL + level - 1]
            for offset, (q, credit) in enumerate(items):
                indices[start + offset] = q
                data[start + offset] = credit
        self._contrib_indptr = indptr
        self._contrib_indices = indices
        self._contrib_data = data
        self._n_columns = n_columns

        # Posting districts as small integers; commute arrays per worker district, built lazily.
        self._district_codes: dict[str | None, int] = {}
        self._posting_district = np.array(
            [
                self._district_codes.setdefault(p.district, len(self._district_codes))
                for p in self.postings
            ],
            dtype=np.int64,
        )
        self._commute_by_home: dict[str | None, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.postings)

    def _commutes(self, home: str | None) -> np.ndarray:
        """Commute from `home` to each posting district code (rank_jobs' commute_between)."""
        found = self._commute_by_home.get(home)
        if found is None:
            found = np.array(
                [
                    commute_between(home, work, self.district_distance)
                    for work in self._district_codes
                ],
                dtype=np.float64,
            )
            if np.isnan(found).any():
                raise ValueError(f"district_distance returned NaN for a district of {home!r}")
            self._commute_by_home[home] = found
        return found

    def top_jobs(
        self,
        workers: Iterable[WorkerProfile],
        k: int = 10,
        *,
        min_fit: int = 1,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> list[list[JobFit]]:
        """The best `k` postings for each worker, in input order (see `iter_top_jobs`)."""
        return [
            jobs
            for _, jobs in self.iter_top_jobs(workers, k, min_fit=min_fit, chunk_size=chunk_size)
        ]

    def iter_top_jobs(
        self,
        workers: Iterable[WorkerProfile],
        k: int = 10,
        *,
        min_fit: int = 1,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> Iterator[tuple[WorkerProfile, list[JobFit]]]:
        """Stream (worker, best `k` postings) pairs, consuming `workers` `chunk_size` at a time, so
        workers may come from a generator (a database cursor) of any length."""
        check_arguments(k, min_fit, chunk_size)
        iterator = iter(workers)
        while True:
            chunk = list(islice(iterator, chunk_size))
            if not chunk:
                return
            for worker in chunk:
                if not isinstance(worker, WorkerProfile):
                    raise TypeError(f"expected WorkerProfile, got {type(worker).__name__}")
            ranked = self._rank_chunk(chunk, k, min_fit)
            yield from zip(chunk, ranked, strict=True)

    # --- one chunk ---------------------------------------------------------------------------

    def _credit_matrix(self, chunk: Sequence[WorkerProfile]) -> sp.csr_matrix:
        """Workers × columns: the best credit each worker earns for each (skill, min level)."""
        held_rows: list[int] = []
        owner: list[int] = []
        index = self._held_index
        for row, worker in enumerate(chunk):
            for uri, skill in worker.held_map.items():
                t = index.get(uri)
                if t is not None:
                    held_rows.append(t * MAX_LEVEL + skill.level - 1)
                    owner.append(row)
        n = len(chunk)
        if not held_rows or self._n_columns == 0:
            return sp.csr_matrix((n, self._n_columns), dtype=np.float64)
        table_rows = np.array(held_rows, dtype=np.int64)
        starts = self._contrib_indptr[table_rows]
        counts = self._contrib_indptr[table_rows + 1] - starts
        total = int(counts.sum())
        # Positions of every contribution of every held skill, without a Python loop.
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        workers = np.repeat(np.array(owner, dtype=np.int64), counts)
        keys = workers * self._n_columns + self._contrib_indices[offsets]
        credits = self._contrib_data[offsets]
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        credits = credits[order]
        first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        best = np.maximum.reduceat(credits, first)
        unique_keys = keys[first]
        rows = unique_keys // self._n_columns
        cols = unique_keys % self._n_columns
        indptr = np.searchsorted(rows, np.arange(n + 1), side="left")
        return sp.csr_matrix((best, cols, indptr), shape=(n, self._n_columns))

    def _exact_earned(
        self, credit: sp.csr_matrix, rows: np.ndarray, postings: np.ndarray
    ) -> np.ndarray:
        """`gap_from_parts`' sum for the given pairs, term by term in the posting's own order
        (a missing skill adds 0.0, which leaves a float sum unchanged)."""
        n_columns = self._n_columns
        credit_rows = np.repeat(np.arange(credit.shape[0], dtype=np.int64), np.diff(credit.indptr))
        credit_keys = credit_rows * n_columns + credit.indices  # sorted: CSR rows, sorted columns
        last = len(credit_keys) - 1
        earned = np.zeros(len(rows), dtype=np.float64)
        for slot in range(self._slot_column.shape[1]):
            q = self._slot_column[postings, slot]
            wanted = rows * n_columns + q
            at = np.minimum(np.searchsorted(credit_keys, wanted), last)
            found = (q >= 0) & (credit_keys[at] == wanted)
            earned = earned + self._slot_weight[postings, slot] * np.where(
                found, credit.data[at], 0.0
            )
        return earned

    def _rank_chunk(
        self, chunk: Sequence[WorkerProfile], k: int, min_fit: int
    ) -> list[list[JobFit]]:
        n = len(chunk)
        results: list[list[JobFit]] = [[] for _ in range(n)]
        if k == 0:
            return results
        credit = self._credit_matrix(chunk)
        earned = credit @ self._weights if self._n_columns else None
        rows, postings, low, high, boundary = self._fit_bounds(earned, n)
        if len(self._without_skills):  # they fit everyone: fit 100, exactly
            extra = len(self._without_skills)
            hundred = np.full(n * extra, 100.0)
            rows = np.concatenate([rows, np.repeat(np.arange(n, dtype=np.int64), extra)])
            postings = np.concatenate([postings, np.tile(self._without_skills, n)])
            low = np.concatenate([low, hundred])
            high = np.concatenate([high, hundred])
            boundary = np.concatenate([boundary, np.zeros(n * extra, dtype=bool)])

        # A pair's fit lies in [low, high] (equal except on rounding boundaries). The k-th best
        # fit of a worker is at least the k-th best `low`, so pairs whose `high` is below that
        # can never enter the top k; only the few others are settled exactly and sorted.
        counted = low >= min_fit
        counts = np.bincount(
            rows[counted] * 101 + low[counted].astype(np.int64), minlength=n * 101
        ).reshape(n, 101)
        reaches = np.cumsum(counts[:, ::-1], axis=1) >= k
        floor = np.where(reaches.any(axis=1), 100 - reaches.argmax(axis=1), min_fit)
        keep = np.flatnonzero(high >= np.maximum(floor, min_fit)[rows])
        rows, postings, fits, boundary = rows[keep], postings[keep], low[keep], boundary[keep]
        unsure = np.flatnonzero(boundary)
        if len(unsure) and earned is not None:
            exact = self._exact_earned(credit, rows[unsure], postings[unsure])
            fits[unsure] = fit_of(exact, self._possible[postings[unsure]])
        keep = np.flatnonzero(fits >= min_fit)
        rows, postings, fits = rows[keep], postings[keep], fits[keep].astype(np.int64)

        home_codes: dict[str | None, int] = {}
        worker_home = np.array([home_codes.setdefault(w.district, len(home_codes)) for w in chunk])
        table = np.vstack([self._commutes(home) for home in home_codes])
        commute = table[worker_home[rows], self._posting_district[postings]]
        order = np.lexsort((self._posting_rank[postings], commute, -fits, rows))
        rows, postings, fits = rows[order], postings[order], fits[order]
        starts = np.searchsorted(rows, np.arange(n), side="left")
        keep = (np.arange(len(rows)) - starts[rows]) < k
        for row, p_index, fit in zip(
            rows[keep].tolist(), postings[keep].tolist(), fits[keep].tolist(), strict=True
        ):
            results[row].append(JobFit(self.postings[p_index].posting_id, fit))
        return results

    def _fit_bounds(
        self, earned: sp.csr_matrix | None, n: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(worker row, posting, low, high, on a boundary) for every touched pair, from the sparse
        sums. A handful of passes over all pairs: this is the hot loop of a bulk run."""
        if earned is None or not earned.nnz:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty.astype(float), empty.astype(float), empty.astype(bool)
        earned = earned.tocsr()
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(earned.indptr))
        postings = earned.indices.astype(np.int64)
        score = earned.data * self._percent_of[postings]  # ≈ 100·earned/possible, ±1e-13
        score += 0.5
        fits = np.floor(score)
        score -= fits  # the fractional part: near 0 or 1 means a sum on a rounding boundary
        up = score > 1.0 - _ROUNDING_MARGIN
        down = score < _ROUNDING_MARGIN
        high = fits + up
        low = fits - down
        # 100 only when complete; a partial or missing skill costs at least 0.25 of `earned`.
        top = np.flatnonzero(high >= 100)
        if len(top):
            incomplete = top[earned.data[top] < self._possible[postings[top]] - 0.125]
            high[incomplete] = np.minimum(high[incomplete], 99)
            low[incomplete] = np.minimum(low[incomplete], 99)
        return rows, postings, low, high, up | down


def fit_of(earned: np.ndarray, possible: np.ndarray) -> np.ndarray:
    """`gap.fit_score` on arrays: half-up rounded percentage, capped at 99 unless complete."""
    fits = np.floor(100.0 * earned / possible + 0.5)
    return np.where(earned > possible - 0.125, fits, np.minimum(fits, 99))


def check_arguments(k: int, min_fit: int, chunk_size: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"k must be a non-negative integer, got {k!r}")
    if isinstance(min_fit, bool) or not isinstance(min_fit, int) or not 1 <= min_fit <= 100:
        # Fit 0 means "shares nothing"; those pairs are never listed, so 0 is not a useful bound.
        raise ValueError(f"min_fit must be an integer 1–100, got {min_fit!r}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")


def bulk_top_jobs(
    workers: Iterable[WorkerProfile],
    postings: Iterable[PostingProfile],
    closeness: SkillCloseness | None = None,
    *,
    k: int = 10,
    min_fit: int = 1,
    district_distance: DistanceFn | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[tuple[WorkerProfile, list[JobFit]]]:
    """One-call form of `BulkJobMatcher(...).iter_top_jobs(...)`."""
    matcher = BulkJobMatcher(postings, closeness, district_distance=district_distance)
    return matcher.iter_top_jobs(workers, k, min_fit=min_fit, chunk_size=chunk_size)


__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "BulkJobMatcher",
    "JobFit",
    "bulk_top_jobs",
]
