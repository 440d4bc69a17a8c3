"""Bulk top-K jobs: must list exactly what rank_jobs lists for each worker (same postings, fits and
order), on hand-made and random worlds, whatever the chunk size."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

import numpy as np
import pytest

from matching.candidate_matrix import CandidateFit, CandidateMatrix
from matching.gaps import HeldSkill, RequiredSkill, SkillCloseness, gap_for
from matching.ranking import (
    MatchIndex,
    PostingProfile,
    WorkerProfile,
    rank_candidates,
    rank_jobs,
)
from matching.top_jobs_all import BulkJobMatcher, JobFit, bulk_top_jobs
from tests.unit.matching.conftest_engine import (
    CLUSTER_FAMILIES,
    family_vectors,
    held,
    random_held,
    random_required,
    random_vectors,
    required,
)

DISTRICTS = ["Pune", "Satara", "Nashik", "Kolhapur", None]
KM = {("Pune", "Satara"): 110.0, ("Satara", "Pune"): 110.0, ("Pune", "Nashik"): 210.0}


def km(home: str, work: str) -> float | None:
    return KM.get((home, work))


def expected(workers, postings, closeness, k, **options) -> list[list[tuple]]:
    """The oracle: the single-worker engine, one worker at a time."""
    index = MatchIndex([], postings, closeness)
    return [
        [(m.posting.posting_id, m.fit) for m in rank_jobs(w, index, limit=k, **options)]
        for w in workers
    ]


def as_tuples(results: list[list[JobFit]]) -> list[list[tuple]]:
    return [[tuple(job) for job in jobs] for jobs in results]


def random_world(seed: int):
    r = random.Random(seed)
    rng = np.random.default_rng(seed)
    vectors = random_vectors(rng, r.randint(10, 40))
    uris = list(vectors)
    closeness = (
        SkillCloseness(vectors, threshold=r.choice([0.6, 0.7, 0.8])) if r.random() < 0.8 else None
    )
    postings = [
        PostingProfile(
            i if r.random() < 0.5 else f"P{i:03d}",  # int and str ids side by side
            tuple(random_required(r, uris)),
            district=r.choice(DISTRICTS),
            wage_inr=r.choice([None, 12000.0, 15000.0, 15000.0]),
            openings=r.randint(0, 3),
        )
        for i in range(r.randint(0, 60))
    ]
    workers = [
        WorkerProfile(
            f"W{i:03d}",
            tuple(random_held(r, uris)),
            district=r.choice(DISTRICTS),
            visible=r.random() < 0.7,
        )
        for i in range(r.randint(1, 40))
    ]
    return r, workers, postings, closeness


@pytest.mark.parametrize("seed", range(120))
def test_equals_rank_jobs_on_random_worlds(seed):
    r, workers, postings, closeness = random_world(seed)
    k = r.randint(1, 12)
    distance = km if r.random() < 0.4 else None
    matcher = BulkJobMatcher(postings, closeness, district_distance=distance)
    got = matcher.top_jobs(workers, k, chunk_size=r.randint(1, 12))
    assert as_tuples(got) == expected(workers, postings, closeness, k, district_distance=distance)


@pytest.mark.parametrize("seed", range(20))
def test_min_fit_equals_rank_jobs(seed):
    r, workers, postings, closeness = random_world(1000 + seed)
    min_fit = r.choice([1, 25, 50, 67, 100])
    got = BulkJobMatcher(postings, closeness).top_jobs(workers, 8, min_fit=min_fit)
    assert as_tuples(got) == expected(workers, postings, closeness, 8, min_fit=min_fit)


def test_larger_world_with_popular_skills():
    """Skewed skill popularity, many ties on fit, and chunks that split the workers unevenly."""
    r = random.Random(7)
    rng = np.random.default_rng(7)
    vectors = random_vectors(rng, 120)
    uris = list(vectors)
    popularity = 1.0 / np.arange(1, len(uris) + 1)
    popularity /= popularity.sum()

    def pick(n: int) -> list[str]:
        return list(rng.choice(uris, size=n, replace=False, p=popularity))

    postings = [
        PostingProfile(
            f"P{i:04d}",
            tuple(
                RequiredSkill(u, u, r.random() < 0.7, r.randint(1, 3))
                for u in pick(r.randint(3, 8))
            ),
            district=r.choice(DISTRICTS[:4]),
            wage_inr=float(r.choice([12000, 15000, 18000])),
            openings=r.randint(1, 5),
        )
        for i in range(400)
    ]
    workers = [
        WorkerProfile(
            f"W{i:04d}",
            tuple(HeldSkill(u, u, r.randint(1, 4)) for u in pick(r.randint(3, 10))),
            district=r.choice(DISTRICTS),
        )
        for i in range(250)
    ]
    closeness = SkillCloseness(vectors, threshold=0.7)
    got = BulkJobMatcher(postings, closeness).top_jobs(workers, 10, chunk_size=37)
    want = expected(workers, postings, closeness, 10)
    assert as_tuples(got) == want
    assert sum(len(jobs) for jobs in want) > 2000  # the world really produces full top-10 lists


class FixedCloseness(SkillCloseness):
    """Closeness with chosen similarities, to build sums that round differently by order."""

    def __init__(self, sims: Mapping[str, Mapping[str, float]], threshold: float) -> None:
        super().__init__({}, threshold)
        self._fixed = {uri: dict(near) for uri, near in sims.items()}

    def neighbours(self, uri: str) -> Mapping[str, float]:
        return self._fixed.get(uri, {})

    def warm(self, uris, batch: int = 512) -> None:
        return None


def test_sums_on_a_rounding_boundary_are_exact():
    """0.5·s₁ + 0.5·s₂ + 2·0.5·s₃ over 4 is 47.99999999999999 or 48.0 by addition order: the bulk
    path must reproduce the posting's own order, as gap_for does."""
    sims = [0.9433417185851553, 0.86900216068931, 0.9938280603627672]
    pairs = {f"r{i}": {f"h{i}": s} for i, s in enumerate(sims)}
    pairs |= {f"h{i}": {f"r{i}": s} for i, s in enumerate(sims)}  # symmetric, as cosines are
    closeness = FixedCloseness(pairs, 0.7)
    reqs = [RequiredSkill("r0", "r0", False), RequiredSkill("r1", "r1", False)]
    reqs.append(RequiredSkill("r2", "r2", True))
    worker = WorkerProfile("w", tuple(HeldSkill(f"h{i}", f"h{i}", 4) for i in range(3)))
    forward = gap_for(reqs, worker.held, closeness).fit
    backward = gap_for(reqs[::-1], worker.held, closeness).fit
    assert {forward, backward} == {47, 48}  # the order really matters here
    # The reversed posting comes first, so its skill order is the sparse matrix's column order.
    postings = [PostingProfile("back", tuple(reqs[::-1])), PostingProfile("fwd", tuple(reqs))]
    got = BulkJobMatcher(postings, closeness).top_jobs([worker], 5)
    assert as_tuples(got) == expected([worker], postings, closeness, 5)
    assert dict(got[0]) == {"fwd": forward, "back": backward}


def test_partial_credit_and_min_levels_by_hand():
    closeness = SkillCloseness(family_vectors(CLUSTER_FAMILIES), threshold=0.75)
    postings = [
        PostingProfile("tig2", (required("tig-welding", min_level=2),), district="Pune"),
        PostingProfile("tig4", (required("tig-welding", min_level=4),), district="Pune"),
        PostingProfile(
            "tig+bp",
            (required("tig-welding"), required("blueprint-reading", essential=False)),
            district="Pune",
        ),
        PostingProfile("forklift", (required("forklift"),), district="Pune"),
        PostingProfile("anyone", (), district="Satara"),
    ]
    welder = WorkerProfile("tig", (held("tig-welding", 3),), district="Pune")
    mig = WorkerProfile("mig", (held("mig-welding", 1),), district="Pune")
    nobody = WorkerProfile("none", ())
    got = BulkJobMatcher(postings, closeness).top_jobs([welder, mig, nobody], 10)
    assert got[0] == [
        JobFit("tig2", 100),
        JobFit("anyone", 100),  # other district after the same one
        JobFit("tig4", 75),  # level 3 of 4
        JobFit("tig+bp", 67),
    ]
    # MIG level 1 for TIG earns 0.5 × 0.8 × min(1, 1 / min_level).
    assert got[1] == [
        JobFit("anyone", 100),
        JobFit("tig+bp", 27),  # 2 × 0.4 of 3
        JobFit("tig2", 20),
        JobFit("tig4", 10),
    ]
    assert got[2] == [JobFit("anyone", 100)]
    assert as_tuples(got) == expected([welder, mig, nobody], postings, closeness, 10)


def test_streams_workers_chunk_by_chunk():
    """A generator of workers is read one chunk ahead of what has been yielded, never to the end."""
    closeness = SkillCloseness(family_vectors(CLUSTER_FAMILIES), threshold=0.75)
    postings = [PostingProfile("p", (required("tig-welding"),))]
    pulled: list[int] = []

    def workers() -> Iterator[WorkerProfile]:
        for i in range(100):
            pulled.append(i)
            yield WorkerProfile(i, (held("tig-welding"),))

    stream = bulk_top_jobs(workers(), postings, closeness, k=1, chunk_size=10)
    first = next(stream)
    assert first[0].worker_id == 0 and first[1] == [JobFit("p", 100)]
    assert len(pulled) == 10
    assert sum(1 for _ in stream) == 99


def test_empty_inputs():
    matcher = BulkJobMatcher([], None)
    assert matcher.top_jobs([WorkerProfile("w", (held("forklift"),))], 3) == [[]]
    assert BulkJobMatcher([PostingProfile(1, (required("forklift"),))]).top_jobs([], 3) == []


def test_rejects_bad_arguments():
    posting = PostingProfile(1, (required("forklift"),))
    with pytest.raises(ValueError, match="duplicate posting_id"):
        BulkJobMatcher([posting, posting])
    with pytest.raises(TypeError, match="PostingProfile"):
        BulkJobMatcher([{"posting_id": 1}])
    matcher = BulkJobMatcher([posting])
    worker = WorkerProfile("w", ())
    with pytest.raises(ValueError, match="k must be"):
        matcher.top_jobs([worker], -1)
    with pytest.raises(ValueError, match="min_fit"):
        matcher.top_jobs([worker], 3, min_fit=0)
    with pytest.raises(ValueError, match="chunk_size"):
        matcher.top_jobs([worker], 3, chunk_size=0)
    with pytest.raises(TypeError, match="WorkerProfile"):
        matcher.top_jobs([{"worker_id": "w"}], 3)
    nan_distance = BulkJobMatcher(
        [PostingProfile(2, (required("forklift"),), district="Satara")],
        district_distance=lambda a, b: float("nan"),
    )
    with pytest.raises(ValueError, match="NaN"):
        nan_distance.top_jobs([WorkerProfile("w", (held("forklift"),), district="Pune")], 3)


# --- Candidates for one posting, vectorised ------------------------------------------------------


@pytest.mark.parametrize("seed", range(60))
def test_candidates_equal_rank_candidates_on_random_worlds(seed):
    r, workers, postings, closeness = random_world(2000 + seed)
    k = r.choice([1, 3, 10, None])
    min_fit = r.choice([1, 1, 40])
    distance = km if r.random() < 0.4 else None
    matrix = CandidateMatrix(workers, closeness, district_distance=distance)
    index = MatchIndex(workers, postings, closeness)
    for posting in postings:
        want = [
            (m.worker.worker_id, m.fit)
            for m in rank_candidates(
                posting, index, district_distance=distance, limit=k, min_fit=min_fit
            )
        ]
        got = matrix.rank(posting, k, min_fit=min_fit)
        assert [tuple(c) for c in got] == want, posting.posting_id


def test_candidates_sum_in_the_posting_order():
    sims = [0.9433417185851553, 0.86900216068931, 0.9938280603627672]
    pairs = {f"r{i}": {f"h{i}": s} for i, s in enumerate(sims)}
    pairs |= {f"h{i}": {f"r{i}": s} for i, s in enumerate(sims)}
    closeness = FixedCloseness(pairs, 0.7)
    reqs = [RequiredSkill("r0", "r0", False), RequiredSkill("r1", "r1", False)]
    reqs.append(RequiredSkill("r2", "r2", True))
    worker = WorkerProfile("w", tuple(HeldSkill(f"h{i}", f"h{i}", 4) for i in range(3)))
    matrix = CandidateMatrix([worker], closeness)
    forward = PostingProfile("fwd", tuple(reqs))
    backward = PostingProfile("back", tuple(reqs[::-1]))
    assert matrix.rank(forward) == [CandidateFit("w", gap_for(reqs, worker.held, closeness).fit)]
    assert {matrix.rank(forward)[0].fit, matrix.rank(backward)[0].fit} == {47, 48}


def test_candidates_are_visible_workers_only():
    closeness = SkillCloseness(family_vectors(CLUSTER_FAMILIES), threshold=0.75)
    workers = [
        WorkerProfile("hidden", (held("tig-welding", 4),), visible=False),
        WorkerProfile("mig", (held("mig-welding", 3),), district="Pune"),
        WorkerProfile("tig", (held("tig-welding", 2),), district="Satara"),
    ]
    matrix = CandidateMatrix(workers, closeness)
    posting = PostingProfile("p", (required("tig-welding"),), district="Pune")
    assert matrix.rank(posting) == [CandidateFit("tig", 100), CandidateFit("mig", 40)]
    assert matrix.rank(PostingProfile("any", ())) == [
        CandidateFit("mig", 100),
        CandidateFit("tig", 100),
    ]
    assert matrix.rank(posting, 0) == []
    with pytest.raises(ValueError, match="duplicate worker_id"):
        CandidateMatrix([workers[0], workers[0]])
    with pytest.raises(ValueError, match="min_fit"):
        matrix.rank(posting, min_fit=0)
