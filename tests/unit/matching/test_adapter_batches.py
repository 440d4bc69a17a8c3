"""The ESCO adapter's training batches (bench/fit_adapter.py): in-batch negatives must never be
right answers."""

from __future__ import annotations

import random

from bench.fit_adapter import BATCH, batches

LABELS = [f"skill {number}" for number in range(300)]
PAIRS = [(f"{label} {variant}", label) for label in LABELS for variant in ("a", "b")]
SENTENCES = [
    (f"job ad sentence {number}", frozenset(LABELS[number : number + 1 + number % 3]))
    for number in range(40)
]


def test_labelled_sentences_share_each_batch_without_a_right_label_as_a_negative() -> None:
    made = list(batches(PAIRS, random.Random(3), SENTENCES, share=8))
    assert len(made) > 5
    gold_of = dict(SENTENCES)
    for batch in made:
        assert len(batch) == BATCH
        labels = [label for _, label in batch]
        assert len(set(labels)) == len(labels)
        labelled = [(text, label) for text, label in batch if text in gold_of]
        assert len(labelled) == 8
        for text, label in labelled:
            assert label in gold_of[text]
            others = {other for _, other in batch} - {label}
            assert not others & gold_of[text], text


def test_without_labelled_sentences_a_batch_is_escos_pairs_alone() -> None:
    for batch in batches(PAIRS, random.Random(3)):
        assert len(batch) == BATCH
        assert all(text.startswith("skill ") for text, _ in batch)
        assert len({label for _, label in batch}) == BATCH
