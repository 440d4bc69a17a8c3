"""Whether a text evidences a linked skill itself (``present``), not only something near it.

A close score is not evidence: "MIG welding" scores TIG welding high, "Fanuc control" scores
control engineering high. The decision is a second small logistic model over what a reader would
weigh: the skill's score, its rank and lead among the candidates of its own sentence (a posting of
many lines does not push its later skills down), how much of one of the skill's names the words
cover, whether a name appears word for word and how specific that name is, and the best fuzzy match.
Its weights are fitted by ``python -m bench.skill_linking --fit`` with cross-validation across the
validation splits (docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PRESENCE_FEATURES = (
    "logit",
    "log_rank",
    "margin_top",
    "margin_next",
    "coverage",
    "exact_name",
    "exact_label",
    "specificity",
    "fuzzy",
)


@dataclass(frozen=True)
class PresenceWeights:
    """Logistic weights of the presence decision, one per PRESENCE_FEATURES, plus bias."""

    coefficients: tuple[float, ...]
    bias: float

    def __post_init__(self) -> None:
        if len(self.coefficients) != len(PRESENCE_FEATURES):
            count, wanted = len(self.coefficients), len(PRESENCE_FEATURES)
            raise ValueError(f"{count} presence coefficients for {wanted} features")

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """Probability that each row's skill is evidenced, from (n, len(PRESENCE_FEATURES)) rows."""
        return logistic(rows @ np.asarray(self.coefficients, dtype=np.float64) + self.bias)


def logistic(logits: np.ndarray) -> np.ndarray:
    """The logistic function of both of the linker's models, clipped so exp never overflows."""
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -50, 50)))


@dataclass(frozen=True)
class UnitOrder:
    """The candidates of one unit ordered by their fusion logit: each one's rank, lead and gap."""

    rank: np.ndarray  # 0 for the best candidate of the unit
    margin_top: np.ndarray  # best logit of the unit minus this one
    margin_next: np.ndarray  # this logit minus the next lower one (0 for the last)

    @classmethod
    def of(cls, logits: np.ndarray) -> UnitOrder:
        order = np.argsort(-logits, kind="stable")
        ranked = logits[order]
        rank = np.empty(len(logits), dtype=np.int64)
        rank[order] = np.arange(len(logits))
        gaps = np.append(ranked[:-1] - ranked[1:], 0.0) if len(ranked) else ranked
        margin_next = np.empty(len(logits), dtype=np.float64)
        margin_next[order] = gaps
        top = ranked[0] if len(ranked) else 0.0
        return cls(rank, top - logits, margin_next)


def presence_row(
    logit: float,
    order: UnitOrder,
    position: int,
    coverage: float,
    exact: np.ndarray,
    fuzzy: float,
) -> np.ndarray:
    """The PRESENCE_FEATURES of the candidate at ``position`` of its unit."""
    return np.array(
        [
            logit,
            np.log1p(order.rank[position]),
            order.margin_top[position],
            order.margin_next[position],
            coverage,
            exact[0],
            exact[1],
            exact[2],
            fuzzy,
        ],
        dtype=np.float64,
    )
