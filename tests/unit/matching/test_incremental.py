"""Updating a MatchIndex or CandidateMatrix with changed profiles ranks exactly as building them
from scratch from the same profiles: after any sequence of changes, the same jobs, candidates and
fits in the same order (hypothesis draws the sequences)."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.candidate_matrix import CandidateMatrix
from matching.gaps import SkillCloseness
from matching.ranking import MatchIndex, PostingProfile, WorkerProfile, rank_candidates, rank_jobs
from tests.unit.matching.conftest_engine import random_held, random_required, random_vectors

DISTRICTS = ["Pune", "Satara", None]
VECTORS = random_vectors(np.random.default_rng(7), 24)
URIS = list(VECTORS)
CLOSENESS = SkillCloseness(VECTORS, threshold=0.7)


def a_worker(r: random.Random, worker_id: str) -> WorkerProfile:
    return WorkerProfile(
        worker_id,
        tuple(random_held(r, URIS)),
        district=r.choice(DISTRICTS),
        visible=r.random() < 0.75,
    )


def a_posting(r: random.Random, posting_id: str) -> PostingProfile:
    return PostingProfile(
        posting_id,
        tuple(random_required(r, URIS, k_max=5)),
        district=r.choice(DISTRICTS),
        wage_inr=r.choice([None, 12000.0, 15000.0]),
        openings=r.randint(0, 3),
    )


def results(index: MatchIndex, matrix: CandidateMatrix) -> tuple:
    jobs = {
        worker_id: [(m.posting.posting_id, m.fit, m.gap) for m in rank_jobs(worker, index)]
        for worker_id, worker in sorted(index.workers.items())
    }
    candidates = {
        posting_id: (
            [(m.worker.worker_id, m.fit, m.gap) for m in rank_candidates(posting, index)],
            [tuple(found) for found in matrix.rank(posting, None)],
            [tuple(found) for found in matrix.rank(posting, 3)],
        )
        for posting_id, posting in sorted(index.postings.items())
    }
    return jobs, candidates, len(matrix)


def structure(index: MatchIndex) -> tuple:
    """The index's contents regardless of the order rows were added in."""
    return (
        dict(sorted(index.workers.items())),
        dict(sorted(index.postings.items())),
        {uri: sorted(index.holders(uri)) for uri in sorted(index.workers.held_uris())},
        {uri: sorted(found) for uri, found in sorted(index._needing.items())},
        sorted(index._postings_without_skills),
    )


# A change: (what, which id, seed for its new contents).
changes = st.lists(
    st.tuples(
        st.sampled_from(["worker", "posting", "drop_worker", "drop_posting"]),
        st.integers(0, 11),
        st.integers(0, 10**6),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10**6), steps=st.lists(changes, min_size=1, max_size=4))
def test_updates_rank_as_a_fresh_build(seed, steps):
    r = random.Random(seed)
    workers = {f"W{i:02d}": a_worker(r, f"W{i:02d}") for i in range(r.randint(0, 12))}
    postings = {f"P{i:02d}": a_posting(r, f"P{i:02d}") for i in range(r.randint(0, 12))}
    index = MatchIndex(workers.values(), postings.values(), CLOSENESS)
    matrix = CandidateMatrix(workers.values(), CLOSENESS)
    for batch in steps:
        changed_workers: dict[str, WorkerProfile] = {}
        changed_postings: dict[str, PostingProfile] = {}
        dropped_workers: set[str] = set()
        dropped_postings: set[str] = set()
        for what, number, contents in batch:
            rng = random.Random(contents)
            if what == "worker":
                worker_id = f"W{number:02d}"
                workers[worker_id] = changed_workers[worker_id] = a_worker(rng, worker_id)
                dropped_workers.discard(worker_id)
            elif what == "posting":
                posting_id = f"P{number:02d}"
                postings[posting_id] = changed_postings[posting_id] = a_posting(rng, posting_id)
                dropped_postings.discard(posting_id)
            elif what == "drop_worker":
                worker_id = f"W{number:02d}"
                workers.pop(worker_id, None)
                changed_workers.pop(worker_id, None)
                dropped_workers.add(worker_id)
            else:
                posting_id = f"P{number:02d}"
                postings.pop(posting_id, None)
                changed_postings.pop(posting_id, None)
                dropped_postings.add(posting_id)
        before = (structure(index), results(index, matrix))
        updated_index = index.updated(
            changed_workers.values(),
            changed_postings.values(),
            removed_workers=dropped_workers,
            removed_postings=dropped_postings,
        )
        updated_matrix = matrix.updated(changed_workers.values(), removed=dropped_workers)
        assert (structure(index), results(index, matrix)) == before  # the old one is untouched
        index, matrix = updated_index, updated_matrix
        fresh = MatchIndex(workers.values(), postings.values(), CLOSENESS)
        fresh_matrix = CandidateMatrix(workers.values(), CLOSENESS)
        assert structure(index) == structure(fresh)
        assert results(index, matrix) == results(fresh, fresh_matrix)
