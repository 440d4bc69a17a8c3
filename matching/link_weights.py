"""The numbers the skill linker runs on: fusion weights that rank skills, and the presence
decision's weights, threshold and floor. All fitted by ``python -m bench.skill_linking --fit``,
which also reports the procedure held out (docs/performance.md)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.presence import PresenceWeights

FEATURES = ("dense_label", "phrase_label", "bm25", "fuzzy")


@dataclass(frozen=True)
class LinkerWeights:
    """Logistic fusion weights (one per feature) plus bias, which rank the skills; and the
    presence decision: its own logistic weights (matching/presence.py), its threshold, and a floor
    on name coverage."""

    dense_label: float
    phrase_label: float
    bm25: float
    fuzzy: float
    bias: float
    threshold: float
    # ``present`` also needs this share of one of the skill's names in the unit's own words,
    # each word weighted by how rare it is among skill names: "MIG welding" evidences
    # "MIG welding" but not "TIG welding" (the rare word is missing) however close the vectors.
    min_coverage: float = 0.5
    presence: PresenceWeights | None = None
    # A unit that uses every word of one of the skill's written names marks it present whatever
    # the model says (measured held out: docs/performance.md).
    name_override: bool = True

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in FEATURES], dtype=np.float32)


# Fitted by `python -m bench.skill_linking --fit` on the TECH + HOUSE validation splits; the same
# procedure fitted on one split and scored on the other gives the held-out figures in
# docs/performance.md.
DEFAULT_WEIGHTS = LinkerWeights(
    dense_label=8.093,
    phrase_label=7.635,
    bm25=1.507,
    fuzzy=2.188,
    bias=-14.389,
    threshold=0.45,
    min_coverage=0.5,
    presence=PresenceWeights(
        (0.256, -0.758, -0.426, 0.218, -0.154, -0.828, 0.695, 1.277, -0.538), bias=0.77
    ),
)
