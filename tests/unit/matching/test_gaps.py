"""Gap of a worker against required skills: categories, fit formula, validation and properties."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from matching.gaps import (
    ESSENTIAL_WEIGHT,
    OPTIONAL_WEIGHT,
    SIMILAR_SKILL_SHARE,
    HeldSkill,
    RequiredSkill,
    SkillCloseness,
    dedupe_required,
    gap_for,
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


@pytest.fixture(scope="module")
def closeness() -> SkillCloseness:
    # Family members have cosine 0.8; the threshold 0.75 lets MIG stand in partly for TIG.
    return SkillCloseness(family_vectors(CLUSTER_FAMILIES), threshold=0.75)


def test_worker_with_every_skill_at_level_scores_100(closeness):
    gap = gap_for(
        [required("tig-welding", min_level=2), required("blueprint-reading", essential=False)],
        [held("tig-welding", 3), held("blueprint-reading", 1), held("forklift", 4)],
        closeness,
    )
    assert gap.fit == 100
    assert [c.uri for c in gap.covered] == ["tig-welding", "blueprint-reading"]
    assert gap.partial == () and gap.missing == ()
    assert gap.complete and gap.to_close == []


def test_mig_welder_is_partial_for_tig_and_missing_blueprints(closeness):
    gap = gap_for(
        [required("tig-welding"), required("blueprint-reading", essential=False)],
        [held("mig-welding", 3)],
        closeness,
    )
    (partial,) = gap.partial
    assert (partial.uri, partial.via_uri, partial.via_label) == (
        "tig-welding",
        "mig-welding",
        "MIG welding",
    )
    assert partial.similarity == pytest.approx(0.8, abs=1e-6)
    assert partial.reason == "similar_skill"
    assert [m.uri for m in gap.missing] == ["blueprint-reading"]
    # By hand: essential TIG earns 2 × 0.5 × 0.8 = 0.8 of 3 possible → 26.7 → 27.
    assert gap.earned == pytest.approx(0.8, abs=1e-6)
    assert gap.possible == 3.0
    assert gap.fit == 27
    assert gap.to_close == ["tig-welding", "blueprint-reading"]


def test_same_skill_below_required_level_is_partial_by_level_ratio(closeness):
    gap = gap_for([required("cnc-operation", min_level=4)], [held("cnc-operation", 3)], closeness)
    (partial,) = gap.partial
    assert partial.via_uri == "cnc-operation" and partial.similarity == 1.0
    assert partial.reason == "lower_level"
    assert partial.credit == pytest.approx(0.75)
    assert gap.fit == 75


def test_neighbour_credit_is_scaled_by_its_level(closeness):
    gap = gap_for([required("tig-welding", min_level=4)], [held("mig-welding", 2)], closeness)
    (partial,) = gap.partial
    assert partial.credit == pytest.approx(SIMILAR_SKILL_SHARE * 0.8 * 2 / 4, abs=1e-6)
    assert gap.fit == 20


def test_better_of_lower_level_and_neighbour_wins(closeness):
    # Own skill at 1/4 earns 0.25; MIG at level 4 earns 0.5 × 0.8 = 0.4 → MIG is the stated via.
    gap = gap_for(
        [required("tig-welding", min_level=4)],
        [held("tig-welding", 1), held("mig-welding", 4)],
        closeness,
    )
    assert gap.partial[0].via_uri == "mig-welding"
    assert gap.fit == 40


def test_skill_below_threshold_is_missing():
    vectors = family_vectors(CLUSTER_FAMILIES)
    strict = SkillCloseness(vectors, threshold=0.81)
    gap = gap_for([required("tig-welding")], [held("mig-welding", 4)], strict)
    assert [m.uri for m in gap.missing] == ["tig-welding"] and gap.fit == 0


def test_without_closeness_only_exact_skills_count():
    gap = gap_for([required("tig-welding"), required("gdt")], [held("mig-welding"), held("gdt")])
    assert [c.uri for c in gap.covered] == ["gdt"]
    assert [m.uri for m in gap.missing] == ["tig-welding"]
    assert gap.fit == 50


def test_skill_without_vector_is_matched_exactly_only(closeness):
    gap = gap_for(
        [RequiredSkill("unknown-skill", "Press brake"), required("tig-welding")],
        [HeldSkill("unknown-skill", "Press brake", 2), HeldSkill("other-unknown", "x", 2)],
        closeness,
    )
    assert [c.uri for c in gap.covered] == ["unknown-skill"]
    assert [m.uri for m in gap.missing] == ["tig-welding"]


def test_essential_skills_weigh_twice_optional(closeness):
    needs = ["cnc-operation", "forklift"]
    worker = [held("cnc-operation", 4)]
    essential_held = gap_for(
        [required(needs[0], True), required(needs[1], False)], worker, closeness
    )
    optional_held = gap_for(
        [required(needs[0], False), required(needs[1], True)], worker, closeness
    )
    assert ESSENTIAL_WEIGHT == 2 * OPTIONAL_WEIGHT
    assert essential_held.fit == 67  # 2 / 3
    assert optional_held.fit == 33  # 1 / 3


def test_partial_credit_never_reaches_100_even_for_identical_vectors():
    vectors = {"a": np.array([1.0, 0.0]), "b": np.array([1.0, 0.0])}
    gap = gap_for([RequiredSkill("a", "A")], [HeldSkill("b", "B", 4)], SkillCloseness(vectors, 0.9))
    assert gap.partial[0].similarity == pytest.approx(1.0)
    assert gap.fit == 50


def test_rounding_never_turns_an_incomplete_gap_into_100():
    # 99 covered optional skills plus one at level 3 of 4: 99.75 % → would round to 100, capped at 99.
    needs = [RequiredSkill(f"s{i}", f"S{i}", essential=False) for i in range(99)]
    needs.append(RequiredSkill("last", "Last", essential=False, min_level=4))
    have = [HeldSkill(f"s{i}", f"S{i}", 1) for i in range(99)] + [HeldSkill("last", "Last", 3)]
    assert gap_for(needs, have).fit == 99


def test_no_required_skills_fits_everyone():
    gap = gap_for([], [held("forklift")])
    assert gap.fit == 100
    assert gap.as_dict() == {"fit": 100, "covered": [], "partial": [], "missing": []}


def test_duplicates_keep_the_stricter_requirement():
    merged = dedupe_required(
        [
            RequiredSkill("gdt", "GD&T", essential=False, min_level=2),
            RequiredSkill("gdt", "other label", essential=True, min_level=1),
            RequiredSkill("gdt", "GD&T", essential=False, min_level=3),
        ]
    )
    assert merged == (RequiredSkill("gdt", "GD&T", essential=True, min_level=3),)
    gap = gap_for(
        [RequiredSkill("gdt", "GD&T", False, 1), RequiredSkill("gdt", "GD&T", True, 3)],
        [HeldSkill("gdt", "GD&T", 2)],
    )
    assert len(gap.covered) + len(gap.partial) + len(gap.missing) == 1
    assert gap.partial[0].essential and gap.partial[0].min_level == 3


def test_held_duplicates_keep_the_highest_level():
    gap = gap_for(
        [required("gdt", min_level=3)],
        [HeldSkill("gdt", "GD&T", 1), HeldSkill("gdt", "GD&T", 3), HeldSkill("gdt", "GD&T", 2)],
    )
    assert gap.fit == 100


def test_closest_neighbour_does_not_depend_on_input_order():
    vectors = {
        "req": np.array([1.0, 0.0, 0.0]),
        "b": np.array([0.9, 0.1, 0.0]),
        "a": np.array([0.9, 0.0, 0.1]),  # same similarity to req as b
    }
    closeness = SkillCloseness(vectors, 0.5)
    for order in (["a", "b"], ["b", "a"]):
        gap = gap_for([RequiredSkill("req", "R")], [HeldSkill(u, u, 2) for u in order], closeness)
        assert gap.partial[0].via_uri == "a"
    assert closeness.closest("req", ["b", "a"])[0] == "a"
    assert closeness.closest("req", ["req"]) is None


def test_as_dict_matches_the_contract(closeness):
    gap = gap_for(
        [required("tig-welding"), required("gdt", False), required("forklift")],
        [held("mig-welding", 2), held("forklift", 1)],
        closeness,
    )
    data = gap.as_dict()
    assert set(data) == {"fit", "covered", "partial", "missing"}
    assert data["covered"] == [
        {"uri": "forklift", "label": "Forklift operation", "essential": True}
    ]
    assert data["partial"] == [
        {
            "uri": "tig-welding",
            "label": "TIG welding",
            "essential": True,
            "via_uri": "mig-welding",
            "via_label": "MIG welding",
            "similarity": 0.8,
        }
    ]
    assert data["missing"] == [
        {"uri": "gdt", "label": "Geometric dimensioning and tolerancing", "essential": False}
    ]
    detailed = gap.as_dict(detail=True)
    assert detailed["partial"][0]["reason"] == "similar_skill"
    assert detailed["possible"] == 5.0


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: RequiredSkill("", "x"), "non-empty"),
        (lambda: RequiredSkill("a", "x", min_level=5), "level"),
        (lambda: HeldSkill("a", "x", level=0), "level"),
        (lambda: HeldSkill("a", "x", level=True), "level"),
        (lambda: SkillCloseness({"a": np.ones(2)}, threshold=0.0), "threshold"),
        (lambda: SkillCloseness({"a": np.zeros(3)}), "zero"),
        (lambda: SkillCloseness({"a": np.ones(3), "b": np.ones(2)}), "dimensions"),
    ],
)
def test_bad_input_is_rejected_clearly(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_wrong_types_are_rejected():
    with pytest.raises(TypeError, match="RequiredSkill"):
        gap_for([("a", "x")], [])
    with pytest.raises(TypeError, match="HeldSkill"):
        gap_for([], [("a", "x", 1)])


def _fit_by_hand(gap) -> int:
    earned = sum(2.0 if c.essential else 1.0 for c in gap.covered) + sum(
        (2.0 if p.essential else 1.0) * p.credit for p in gap.partial
    )
    possible = sum(2.0 if s.essential else 1.0 for s in (*gap.covered, *gap.partial, *gap.missing))
    if possible == 0:
        return 100
    score = math.floor(100 * earned / possible + 0.5)
    return score if not gap.partial and not gap.missing else min(score, 99)


def test_properties_over_random_worker_posting_pairs():
    r = random.Random(20240611)
    rng = np.random.default_rng(20240611)
    vectors = random_vectors(rng, 30)
    uris = sorted(vectors)
    closeness = SkillCloseness(vectors, threshold=0.7)
    saw = {"partial_similar": 0, "partial_level": 0, "complete": 0, "missing": 0}
    for _ in range(600):
        needs = random_required(r, uris)
        have = random_held(r, uris)
        gap = gap_for(needs, have, closeness)

        # covered + partial + missing is exactly the deduplicated requirements, each once.
        parts = [s.uri for s in (*gap.covered, *gap.partial, *gap.missing)]
        assert sorted(parts) == sorted({n.uri for n in needs})
        assert len(parts) == len(set(parts))
        assert 0 <= gap.fit <= 100
        assert (gap.fit == 100) == (not gap.partial and not gap.missing)
        assert gap.fit == _fit_by_hand(gap)
        for p in gap.partial:
            assert 0 < p.credit < 1
            if p.via_uri != p.uri:
                assert p.similarity >= closeness.threshold
                assert p.similarity == pytest.approx(closeness.similarity(p.uri, p.via_uri))
        saw["complete"] += gap.complete
        saw["missing"] += bool(gap.missing)
        saw["partial_level"] += any(p.reason == "lower_level" for p in gap.partial)
        saw["partial_similar"] += any(p.reason == "similar_skill" for p in gap.partial)

        # Order of the worker's skills never matters.
        shuffled = list(have)
        r.shuffle(shuffled)
        assert gap_for(needs, shuffled, closeness) == gap

        # Adding any held skill never lowers the fit.
        extra = HeldSkill(r.choice(uris), "extra", r.randint(1, 4))
        assert gap_for(needs, [*have, extra], closeness).fit >= gap.fit
    # The generator really exercised every branch.
    assert all(count >= 20 for count in saw.values()), saw


def test_a_similarity_does_not_depend_on_the_skills_computed_beside_it():
    """Neighbours computed one skill at a time equal those of all skills at once, to the last
    bit, as do single similarities: match data brought up to date skill by skill must equal a
    fresh build (in single precision alone every one of these lists differed)."""
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((40, 384)).astype(np.float32)
    vectors = 0.5 * rng.standard_normal((600, 384)).astype(np.float32)
    vectors += centres[rng.integers(0, 40, 600)]
    uris = [f"http://example.org/skill/{i}" for i in range(600)]
    together = SkillCloseness(dict(zip(uris, vectors, strict=True)), threshold=0.75)
    together.warm(uris)
    alone = SkillCloseness(dict(zip(uris, vectors, strict=True)), threshold=0.75)
    assert sum(len(together.neighbours(uri)) for uri in uris[:60]) > 100
    for uri in uris[:60]:
        assert alone.neighbours(uri) == together.neighbours(uri)
        for near, similarity in together.neighbours(uri).items():
            assert together.similarity(uri, near) == similarity
