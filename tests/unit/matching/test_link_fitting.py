"""The skill-linking benchmark's measures and its fitting procedure (bench/skill_linking.py): every
figure quoted for the linker and every weight it ships come from these functions."""

from __future__ import annotations

import numpy as np
import pytest

from bench.skill_linking import (
    FIT_CANDIDATES,
    Split,
    fit_procedure,
    fit_weights,
    score_rankings,
    set_scores,
    training_rows,
)
from matching.encoder import HashingEncoder
from matching.linker import SkillLinker
from matching.taxonomy import SkillRecord


def test_r_precision_divides_by_the_smaller_of_k_and_the_gold_labels() -> None:
    rankings = [
        ["a", "x", "b", "y", "z", "c"],  # 2 of 2 gold in the top 5; first hit at rank 1
        ["x", "y", "a", "b", "c", "d", "e", "f", "g", "h", "i"],  # 6 gold: /5 at 5, /6 at 10
        ["x"] * 10,  # no hit: 0, and no reciprocal rank
    ]
    gold = [{"a", "b"}, {"a", "b", "c", "d", "e", "f"}, {"q"}]
    rp5, rp10, mrr = score_rankings(rankings, gold)
    assert rp5 == pytest.approx(100 * (1 + 3 / 5 + 0) / 3)
    assert rp10 == pytest.approx(100 * (1 + 6 / 6 + 0) / 3)
    assert mrr == pytest.approx(100 * (1 + 1 / 3 + 0) / 3)


def test_present_scores_are_micro_averaged_over_sentences() -> None:
    found = [[("a", True), ("b", True), ("c", False)], [("d", True)]]
    gold = [{"a", "c"}, {"e"}]
    precision, recall, f1 = set_scores(found, gold)
    assert (precision, recall) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
    assert f1 == pytest.approx(1 / 3)
    assert set_scores([[("a", False)]], [{"a"}]) == (0.0, 0.0, 0.0)


def test_the_logistic_fit_finds_the_feature_that_separates_the_classes() -> None:
    rng = np.random.default_rng(7)
    signal = rng.normal(size=400)
    noise = rng.normal(size=400)
    targets = (signal + 0.3 * rng.normal(size=400) > 0).astype(float)
    weights = fit_weights(np.column_stack([signal, noise]), targets)
    assert weights[0] > 2.0 and abs(weights[1]) < 0.5
    strong = fit_weights(np.column_stack([signal, noise]), targets, l2=100.0)
    assert abs(strong[0]) < abs(weights[0])  # the penalty shrinks the weights


@pytest.fixture
def many_skills(tiny_taxonomy: list[SkillRecord]) -> list[SkillRecord]:
    """The tiny taxonomy plus more skills than the linker scores per line, so the number of
    candidates fitted on and linked differ."""
    extra = [
        SkillRecord(f"urn:test:filler-{n}", f"operate machine number {n}", (), "Filler skill.")
        for n in range(60)
    ]
    return [*tiny_taxonomy, *extra]


def test_the_fusion_is_fitted_on_more_candidates_than_the_linker_scores(
    many_skills: list[SkillRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    linker = SkillLinker(many_skills, HashingEncoder(), candidates_per_unit=10)
    split = Split(
        "tiny",
        ["TIG welding of frames", "read engineering drawings daily", "keep 5S on the shop floor"],
        [{"TIG welding"}, {"read engineering drawings"}, {"apply 5S workplace organisation"}],
    )
    seen: list[int] = []

    def counting_rows(linker_: SkillLinker, split_: Split):
        seen.append(linker_.candidates_per_unit)
        rows = training_rows(linker_, split_)
        seen.append(len(rows[0]))
        return rows

    monkeypatch.setattr("bench.skill_linking.training_rows", counting_rows)
    weights = fit_procedure(linker, [split])
    assert seen[0] == FIT_CANDIDATES
    assert seen[1] > 3 * 10  # every skill of every sentence, not the 10 linked
    assert linker.candidates_per_unit == 10  # the linker is left as it was
    assert linker.weights == weights and weights.presence is not None
    assert 0.05 <= weights.threshold <= 0.95
