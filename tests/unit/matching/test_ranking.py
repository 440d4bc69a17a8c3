"""Ranking jobs and candidates: ordering rules, visibility, trainable candidates, and agreement of
the indexed, pruned search with a brute-force scan."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest

from matching.gaps import SkillCloseness, gap_for
from matching.plans import Offering, OfferingCatalogue, plan_training
from matching.ranking import (
    MatchIndex,
    PostingProfile,
    WorkerProfile,
    commute_between,
    rank_candidates,
    rank_jobs,
    trainable_candidates,
)
from tests.unit.matching.conftest_engine import (
    CLUSTER_FAMILIES,
    family_vectors,
    held,
    random_held,
    random_required,
    random_vectors,
    required,
)

TODAY = date(2025, 1, 6)


@pytest.fixture(scope="module")
def closeness() -> SkillCloseness:
    return SkillCloseness(family_vectors(CLUSTER_FAMILIES), threshold=0.75)


def welder_posting(posting_id, **fields) -> PostingProfile:
    return PostingProfile(
        posting_id,
        (required("tig-welding"), required("blueprint-reading", essential=False)),
        title="TIG welder",
        **fields,
    )


def ids(matches) -> list:
    return [m.posting.posting_id if hasattr(m, "posting") else m.worker.worker_id for m in matches]


def test_jobs_rank_by_fit_then_commute_then_wage_then_openings(closeness):
    worker = WorkerProfile("w1", (held("tig-welding", 3),), district="Pune")
    postings = [
        welder_posting("far-rich", district="Satara", wage_inr=30000),
        welder_posting("near-poor", district="Pune", wage_inr=15000),
        welder_posting("near-rich-few", district="Pune", wage_inr=20000, openings=1),
        welder_posting("near-rich-many", district="Pune", wage_inr=20000, openings=5),
        welder_posting("near-no-wage", district="Pune"),
        PostingProfile("perfect", (required("tig-welding"),), district="Satara", wage_inr=1),
        PostingProfile("unrelated", (required("forklift"),), district="Pune"),
    ]
    index = MatchIndex([worker], postings, closeness)
    jobs = rank_jobs(worker, index)
    assert ids(jobs) == [
        "perfect",  # fit 100 beats everything
        "near-rich-many",
        "near-rich-few",
        "near-poor",
        "near-no-wage",  # unknown wage after known ones
        "far-rich",  # other district after the same district
    ]
    assert jobs[0].fit == 100 and jobs[1].fit == 67
    assert jobs[1].gap.missing[0].uri == "blueprint-reading"
    # A posting sharing no skill has fit 0 and is not listed, even with min_fit=0.
    assert "unrelated" not in ids(rank_jobs(worker, index, min_fit=0))


def test_distance_function_orders_other_districts(closeness):
    worker = WorkerProfile("w1", (held("tig-welding"),), district="Pune")
    postings = [
        welder_posting("satara", district="Satara"),
        welder_posting("nashik", district="Nashik"),
        welder_posting("unknown", district=None),
        welder_posting("home", district="Pune"),
    ]
    km = {("Pune", "Satara"): 110.0, ("Pune", "Nashik"): 210.0}
    jobs = rank_jobs(
        worker, MatchIndex([], postings, closeness), district_distance=lambda a, b: km.get((a, b))
    )
    assert ids(jobs) == ["home", "satara", "nashik", "unknown"]
    assert [j.commute for j in jobs][:3] == [0.0, 110.0, 210.0]
    assert commute_between("Pune", "Goa", lambda a, b: None) == float("inf")


def test_job_filters_and_limit(closeness):
    worker = WorkerProfile("w1", (held("tig-welding"),), district="Pune")
    postings = [
        welder_posting(1, sector="auto", district="Pune"),
        welder_posting(2, sector="textile", district="Pune"),
        welder_posting(3, sector="auto", district="Satara"),
    ]
    index = MatchIndex([], postings, closeness)
    assert ids(rank_jobs(worker, index, sector="auto")) == [1, 3]
    assert ids(rank_jobs(worker, index, district="Satara")) == [3]
    assert ids(rank_jobs(worker, index, limit=1)) == [1]


def test_candidates_rank_visible_workers_only(closeness):
    posting = welder_posting("p1", district="Pune")
    workers = [
        WorkerProfile(
            "hidden-expert", (held("tig-welding", 4), held("blueprint-reading")), visible=False
        ),
        WorkerProfile("mig-local", (held("mig-welding", 3),), district="Pune"),
        WorkerProfile("tig-far", (held("tig-welding", 2),), district="Satara"),
        WorkerProfile("tig-local", (held("tig-welding", 2),), district="Pune"),
        WorkerProfile("full", (held("tig-welding"), held("blueprint-reading")), district="Nashik"),
        WorkerProfile("driver", (held("forklift"),), district="Pune"),
    ]
    index = MatchIndex(workers, [posting], closeness)
    ranked = rank_candidates(posting, index)
    assert ids(ranked) == ["full", "tig-local", "tig-far", "mig-local"]
    assert [c.fit for c in ranked] == [100, 67, 67, 27]
    assert ranked[-1].gap.partial[0].via_uri == "mig-welding"
    assert ids(rank_candidates(posting, index, min_fit=50, limit=2)) == ["full", "tig-local"]


def test_posting_without_required_skills_fits_every_visible_worker(closeness):
    workers = [
        WorkerProfile("b", (held("forklift"),), district="Pune"),
        WorkerProfile("a", (), district="Satara"),
        WorkerProfile("c", (), visible=False),
    ]
    open_posting = PostingProfile("any", (), district="Pune")
    index = MatchIndex(workers, [open_posting], closeness)
    assert ids(rank_candidates(open_posting, index)) == ["b", "a"]
    assert ids(rank_jobs(workers[1], index)) == ["any"]


def test_a_job_and_its_candidate_agree(closeness):
    worker = WorkerProfile("w1", (held("mig-welding"),))
    posting = welder_posting("p1", district="Pune", wage_inr=18000)
    index = MatchIndex([worker], [posting], closeness)
    job = rank_jobs(worker, index)[0]
    candidate = rank_candidates(posting, index)[0]
    assert job.gap.partial[0].via_uri == "mig-welding"
    assert candidate.worker.worker_id == "w1" and candidate.fit == job.fit
    assert job.gap == candidate.gap


def test_index_rejects_duplicates_and_wrong_types():
    w = WorkerProfile("w", ())
    with pytest.raises(ValueError, match="duplicate worker_id"):
        MatchIndex([w, w], [])
    with pytest.raises(ValueError, match="duplicate posting_id"):
        MatchIndex([], [PostingProfile(1, ()), PostingProfile(1, ())])
    with pytest.raises(TypeError, match="WorkerProfile"):
        MatchIndex([{"worker_id": 1}], [])
    with pytest.raises(ValueError, match="worker_id"):
        WorkerProfile("", ())
    with pytest.raises(ValueError, match="openings"):
        PostingProfile(1, (), openings=-1)
    with pytest.raises(ValueError, match="limit"):
        rank_jobs(w, MatchIndex(), limit=-1)


# --- Trainable candidates ----------------------------------------------------------------------


def offering(course_id, module_id, skills, hours, **fields) -> Offering:
    fields.setdefault("next_batch_start", TODAY + timedelta(days=10))
    fields.setdefault("free_seats", 10)
    return Offering(
        course_id, module_id, f"{course_id}/{module_id}", frozenset(skills), hours, **fields
    )


def test_trainable_candidates_are_those_a_short_plan_makes_fit(closeness):
    posting = PostingProfile(
        "p1",
        (required("tig-welding"), required("blueprint-reading"), required("workplace-safety")),
        district="Pune",
    )
    workers = [
        WorkerProfile(
            "fits-now", (held("tig-welding"), held("blueprint-reading"), held("workplace-safety"))
        ),
        WorkerProfile("needs-bp", (held("tig-welding"), held("workplace-safety")), district="Pune"),
        WorkerProfile(
            "needs-tig",
            (held("mig-welding"), held("blueprint-reading"), held("workplace-safety")),
            district="Pune",
        ),
        WorkerProfile("needs-both", (held("workplace-safety"),), district="Pune"),
        WorkerProfile("hidden", (held("tig-welding"), held("workplace-safety")), visible=False),
        WorkerProfile("stranger", (held("forklift"),), district="Pune"),
    ]
    catalogue = OfferingCatalogue(
        [
            offering("WELD", None, {"tig-welding", "mig-welding", "arc-welding"}, 300),
            offering("WELD", "TIG", {"tig-welding"}, 40),
            offering("DRAW", "BP", {"blueprint-reading"}, 24),
            offering("SAFE", None, {"workplace-safety"}, 8),
        ]
    )
    index = MatchIndex(workers, [posting], closeness)
    found = trainable_candidates(posting, index, catalogue, today=TODAY, max_hours=64)
    assert ids(found) == ["needs-bp", "needs-tig", "needs-both"]
    assert [c.training_hours for c in found] == [24, 40, 64]
    assert [(i.course_id, i.module_id) for i in found[1].plan.items] == [("WELD", "TIG")]
    assert ids(trainable_candidates(posting, index, catalogue, today=TODAY, max_hours=40)) == [
        "needs-bp",
        "needs-tig",
    ]
    # A stranger who shares nothing is only considered when asked for, and then needs 72 hours.
    wide = trainable_candidates(
        posting, index, catalogue, today=TODAY, max_hours=100, include_unrelated=True
    )
    assert ids(wide)[-1] == "stranger" and wide[-1].training_hours == 72
    assert "stranger" not in ids(
        trainable_candidates(posting, index, catalogue, today=TODAY, max_hours=100)
    )
    assert "hidden" not in ids(wide)


def test_skill_nobody_teaches_makes_a_worker_untrainable(closeness):
    posting = PostingProfile("p1", (required("tig-welding"), required("gdt")))
    worker = WorkerProfile("w", (held("tig-welding"),))
    index = MatchIndex([worker], [posting], closeness)
    catalogue = OfferingCatalogue([offering("WELD", "TIG", {"tig-welding"}, 40)])
    assert trainable_candidates(posting, index, catalogue, today=TODAY, max_hours=1000) == []


@pytest.mark.parametrize("seed", range(8))
def test_trainable_candidates_equal_planning_every_touched_worker(seed):
    """The skip of workers missing an untrainable skill changes no result: the same list as a gap
    and a plan for every visible worker sharing a skill with the posting."""
    r, closeness, workers, postings = _random_world(100 + seed)
    index = MatchIndex(workers, postings, closeness)
    uris = sorted(
        {h.uri for w in workers for h in w.held} | {q.uri for p in postings for q in p.required}
    )
    catalogue = OfferingCatalogue(
        [
            offering(f"C{n}", None, r.sample(uris, r.randint(1, 4)), r.choice([8, 24, 40, 120]))
            for n in range(12)
        ]
    )
    kept = 0
    for posting in postings:
        max_hours = r.choice([24, 48, 120])
        touched = index.touched_workers(posting)
        expected = []
        for worker in workers:
            if not worker.visible or worker.worker_id not in touched:
                continue
            gap = gap_for(posting.required, worker.held, closeness)
            plan = plan_training(gap.to_close, catalogue, worker.plan_preferences(TODAY))
            if gap.to_close and plan.closes_all and plan.total_hours <= max_hours:
                commute = commute_between(worker.district, posting.district)
                expected.append(((plan.total_hours, -gap.fit, commute, worker.worker_id), worker))
        expected.sort(key=lambda kw: kw[0])
        got = trainable_candidates(posting, index, catalogue, today=TODAY, max_hours=max_hours)
        assert [(c.worker.worker_id, c.fit, c.training_hours) for c in got] == [
            (w.worker_id, key[1] * -1, key[0]) for key, w in expected
        ]
        kept += len(got)
    assert kept, "the worlds must list some trainable candidates"


# --- The index and pruning agree with a brute-force scan ---------------------------------------


def _random_world(seed: int):
    r = random.Random(seed)
    rng = np.random.default_rng(seed)
    vectors = random_vectors(rng, 40)
    uris = sorted(vectors)
    districts = ["Pune", "Satara", "Nashik", None]
    workers = [
        WorkerProfile(
            i, tuple(random_held(r, uris)), district=r.choice(districts), visible=r.random() < 0.8
        )
        for i in range(60)
    ]
    postings = [
        PostingProfile(
            f"p{i}",
            tuple(random_required(r, uris)),
            district=r.choice(districts),
            wage_inr=r.choice([None, 15000, 20000, 25000]),
            openings=r.randint(1, 4),
        )
        for i in range(25)
    ]
    return r, SkillCloseness(vectors, threshold=0.7), workers, postings


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_indexed_ranking_equals_brute_force(seed):
    r, closeness, workers, postings = _random_world(seed)
    index = MatchIndex(workers, postings, closeness)
    distance = {("Pune", "Satara"): 110, ("Satara", "Pune"): 110}

    def dist(a, b):
        return distance.get((a, b))

    for posting in postings:
        expected = sorted(
            (
                (g.fit, w)
                for w in workers
                if w.visible and (g := gap_for(posting.required, w.held, closeness)).fit >= 1
            ),
            key=lambda fw: (
                -fw[0],
                commute_between(fw[1].district, posting.district, dist),
                fw[1].worker_id,
            ),
        )
        got = rank_candidates(posting, index, district_distance=dist)
        assert [(c.fit, c.worker.worker_id) for c in got] == [(f, w.worker_id) for f, w in expected]
        for limit in (1, 3, 10):
            assert (
                rank_candidates(posting, index, district_distance=dist, limit=limit) == got[:limit]
            )
    for worker in workers:
        full = rank_jobs(worker, index, district_distance=dist)
        brute = sorted(
            (
                (g.fit, p)
                for p in postings
                if (g := gap_for(p.required, worker.held, closeness)).fit >= 1
            ),
            key=lambda fp: (
                -fp[0],
                commute_between(worker.district, fp[1].district, dist),
                -(fp[1].wage_inr if fp[1].wage_inr is not None else -1),
                -fp[1].openings,
                fp[1].posting_id,
            ),
        )
        assert [(j.fit, j.posting.posting_id) for j in full] == [
            (f, p.posting_id) for f, p in brute
        ]
        for limit in (1, 2, 5):
            assert rank_jobs(worker, index, district_distance=dist, limit=limit) == full[:limit]
        cutoff = r.randint(1, 100)
        above = [j for j in full if j.fit >= cutoff]
        assert rank_jobs(worker, index, district_distance=dist, min_fit=cutoff) == above
