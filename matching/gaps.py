"""Skill gap of one worker against one set of required skills (a job posting or an occupation).

The gap says, for every required skill, whether the worker has it (covered), has something close to it
(partial: a semantically close skill such as MIG welding for TIG welding, or the same skill at a lower
proficiency), or lacks it (missing), and condenses that into a fit score a person can recompute by hand.

Fit formula (all constants below are module-level so the app can show them):

* weight  w = 2 for an essential skill, 1 for an optional one;
* credit  c = 1 for a covered skill;
            = held_level / min_level for the same skill held below the required level (at most 0.75);
            = 0.5 × similarity × min(1, via_level / min_level) for a close skill (cosine similarity
              ≥ the closeness threshold), i.e. at most half credit for a neighbouring skill;
            = the larger of the two when both apply, 0 for a missing skill;
* fit     = round(100 × Σ w·c / Σ w), rounding halves up, then capped at 99 unless every required
            skill is covered — so fit is 100 exactly when nothing is missing or partial.

A posting without required skills asks for nothing, so every worker fits it: fit 100, empty lists.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

ESSENTIAL_WEIGHT = 2.0
OPTIONAL_WEIGHT = 1.0
SIMILAR_SKILL_SHARE = 0.5
MIN_LEVEL = 1
MAX_LEVEL = 4
DEFAULT_CLOSENESS_THRESHOLD = 0.75
# Neighbour lists are computed a hair below the threshold so that float round-off between a·b and b·a
# can never make an index pre-filter miss a pair that the gap itself counts as close.
_NEIGHBOUR_SLACK = 1e-6
# How far a single-precision product of unit vectors may be from the exact cosine, with room to
# spare (384 dimensions: about 1e-7): candidates within it are computed again exactly.
_SINGLE_PRECISION_MARGIN = 1e-4


def _check_uri(uri: object, what: str) -> None:
    if not isinstance(uri, str) or not uri.strip():
        raise ValueError(f"{what}: skill uri must be a non-empty string, got {uri!r}")


def _check_level(level: object, what: str) -> None:
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValueError(f"{what}: level must be an integer {MIN_LEVEL}–{MAX_LEVEL}, got {level!r}")


@dataclass(frozen=True, slots=True)
class RequiredSkill:
    """A skill a posting or occupation asks for, with the least proficiency (1–4) that counts."""

    uri: str
    label: str
    essential: bool = True
    min_level: int = MIN_LEVEL

    def __post_init__(self) -> None:
        _check_uri(self.uri, "RequiredSkill")
        _check_level(self.min_level, f"RequiredSkill {self.uri} min_level")

    @property
    def weight(self) -> float:
        return ESSENTIAL_WEIGHT if self.essential else OPTIONAL_WEIGHT


@dataclass(frozen=True, slots=True)
class HeldSkill:
    """A skill a worker has, at a proficiency from 1 (basic) to 4 (expert)."""

    uri: str
    label: str
    level: int = MIN_LEVEL

    def __post_init__(self) -> None:
        _check_uri(self.uri, "HeldSkill")
        _check_level(self.level, f"HeldSkill {self.uri} level")


class SkillCloseness:
    """Answers "which held skill is semantically closest to this required skill, and how close".

    Built once from L2-normalised skill vectors (the linker's embeddings) and shared by every gap: the
    vectors are stacked into one matrix so that each skill's neighbour list (all skills with cosine
    similarity at or above the threshold) costs a single matrix–vector product and is then cached.

    A similarity is the exact cosine kept to single precision. A single-precision product alone
    moved in its last bits with the skills it happened to be computed beside (BLAS sums a product
    of many rows in another order than a product of one), so match data brought up to date by a
    write (a few skills) differed from a fresh build (all at once). So the fast single-precision
    product only finds the candidates, and theirs are computed again in double precision.
    """

    def __init__(
        self,
        vectors: Mapping[str, np.ndarray],
        threshold: float = DEFAULT_CLOSENESS_THRESHOLD,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"closeness threshold must be in (0, 1], got {threshold!r}")
        self.threshold = float(threshold)
        self._uris: list[str] = []
        rows: list[np.ndarray] = []
        dim: int | None = None
        for uri, vector in vectors.items():
            _check_uri(uri, "SkillCloseness")
            arr = np.asarray(vector, dtype=np.float32).reshape(-1)
            if dim is None:
                dim = arr.shape[0]
            elif arr.shape[0] != dim:
                raise ValueError(f"vector for {uri} has {arr.shape[0]} dimensions, expected {dim}")
            norm = float(np.linalg.norm(arr))
            if not math.isfinite(norm) or norm == 0.0:
                raise ValueError(f"vector for {uri} is zero or not finite")
            self._uris.append(uri)
            rows.append(arr / norm)  # tolerate vectors that are only approximately normalised
        self._row = {uri: i for i, uri in enumerate(self._uris)}
        self._matrix = np.vstack(rows) if rows else np.zeros((0, 1), dtype=np.float32)
        self._neighbours: dict[str, dict[str, float]] = {}

    def __contains__(self, uri: object) -> bool:
        return uri in self._row

    def __len__(self) -> int:
        return len(self._uris)

    def similarity(self, uri_a: str, uri_b: str) -> float | None:
        """Cosine similarity of two skills, or None when either has no vector."""
        i, j = self._row.get(uri_a), self._row.get(uri_b)
        if i is None or j is None:
            return None
        return float(_exact_cosines(self._matrix[i], self._matrix[[j]])[0])

    def neighbours(self, uri: str) -> Mapping[str, float]:
        """All other skills at least (threshold − 1e-6) similar to `uri`, with their similarity.

        Callers that decide closeness must compare against `threshold`; the tiny slack only makes
        index pre-filters symmetric.
        """
        cached = self._neighbours.get(uri)
        if cached is None:
            self.warm([uri])
            cached = self._neighbours[uri]
        return cached

    def warm(self, uris: Iterable[str], batch: int = 512) -> None:
        """Compute neighbour lists for many skills at once (one matrix product per batch)."""
        todo = [u for u in dict.fromkeys(uris) if u not in self._neighbours]
        for uri in todo:
            if uri not in self._row:
                self._neighbours[uri] = {}
        todo = [u for u in todo if u in self._row]
        cutoff = self.threshold - _NEIGHBOUR_SLACK
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            sims = self._matrix[[self._row[u] for u in chunk]] @ self._matrix.T
            for uri, row in zip(chunk, sims, strict=True):
                near = np.flatnonzero(row >= cutoff - _SINGLE_PRECISION_MARGIN)
                exact = _exact_cosines(self._matrix[self._row[uri]], self._matrix[near])
                self._neighbours[uri] = {
                    self._uris[k]: float(value)
                    for k, value in zip(near.tolist(), exact.tolist(), strict=True)
                    if value >= cutoff and self._uris[k] != uri
                }

    def closest(self, required_uri: str, held_uris: Iterable[str]) -> tuple[str, float] | None:
        """The held skill (other than the required one itself) closest to `required_uri`, if any is
        above the threshold; ties go to the smaller uri so results never depend on input order."""
        near = self.neighbours(required_uri)
        best: tuple[str, float] | None = None
        for held in held_uris:
            sim = near.get(held)
            if sim is None or sim < self.threshold:
                continue
            if best is None or sim > best[1] or (sim == best[1] and held < best[0]):
                best = (held, sim)
        return best


def _exact_cosines(vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Cosines of one unit vector with each of ``rows``, in double precision, kept to single."""
    return (rows.astype(np.float64) @ vector.astype(np.float64)).astype(np.float32)


@dataclass(frozen=True, slots=True)
class _RequiredSkillVerdict:
    """A required skill the worker has in full or not at all: nothing more to say of it than which
    skill it is, so covered and missing skills share their fields and their dict."""

    uri: str
    label: str
    essential: bool

    def as_dict(self) -> dict[str, Any]:
        return {"uri": self.uri, "label": self.label, "essential": self.essential}


@dataclass(frozen=True, slots=True)
class CoveredSkill(_RequiredSkillVerdict):
    """A required skill the worker holds at `min_level` or above."""


@dataclass(frozen=True, slots=True)
class PartialSkill:
    """A required skill the worker half has: `via` is the held skill that earns the partial credit
    (the same uri when it is held below `min_level`, `similarity` is then 1.0)."""

    uri: str
    label: str
    essential: bool
    via_uri: str
    via_label: str
    similarity: float
    via_level: int
    min_level: int
    credit: float

    @property
    def reason(self) -> str:
        return "lower_level" if self.via_uri == self.uri else "similar_skill"

    def as_dict(self, detail: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "uri": self.uri,
            "label": self.label,
            "essential": self.essential,
            "via_uri": self.via_uri,
            "via_label": self.via_label,
            "similarity": round(self.similarity, 4),
        }
        if detail:
            out |= {
                "reason": self.reason,
                "via_level": self.via_level,
                "min_level": self.min_level,
                "credit": round(self.credit, 4),
            }
        return out


@dataclass(frozen=True, slots=True)
class MissingSkill(_RequiredSkillVerdict):
    """A required skill the worker does not hold, with no held skill close enough to earn credit."""


@dataclass(frozen=True, slots=True)
class Gap:
    """The verdict for one worker against one required-skill set; `fit` is recomputable from the
    parts with the formula in this module's docstring (`earned` / `possible` are its two sums)."""

    fit: int
    covered: tuple[CoveredSkill, ...]
    partial: tuple[PartialSkill, ...]
    missing: tuple[MissingSkill, ...]
    earned: float = field(default=0.0, compare=False)
    possible: float = field(default=0.0, compare=False)

    @property
    def to_close(self) -> list[str]:
        """Uris training must close: partial skills first, then missing ones."""
        return [p.uri for p in self.partial] + [m.uri for m in self.missing]

    @property
    def complete(self) -> bool:
        return not self.partial and not self.missing

    def as_dict(self, detail: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fit": self.fit,
            "covered": [c.as_dict() for c in self.covered],
            "partial": [p.as_dict(detail) for p in self.partial],
            "missing": [m.as_dict() for m in self.missing],
        }
        if detail:
            out["earned"] = round(self.earned, 4)
            out["possible"] = round(self.possible, 4)
        return out


def dedupe_required(required: Iterable[RequiredSkill]) -> tuple[RequiredSkill, ...]:
    """One entry per uri, keeping the stricter requirement (essential if any copy is, the highest
    min_level) and the first label, in first-seen order."""
    merged: dict[str, RequiredSkill] = {}
    for skill in required:
        if not isinstance(skill, RequiredSkill):
            raise TypeError(f"expected RequiredSkill, got {type(skill).__name__}")
        seen = merged.get(skill.uri)
        if seen is None:
            merged[skill.uri] = skill
        else:
            merged[skill.uri] = RequiredSkill(
                uri=seen.uri,
                label=seen.label or skill.label,
                essential=seen.essential or skill.essential,
                min_level=max(seen.min_level, skill.min_level),
            )
    return tuple(merged.values())


def held_by_uri(held: Iterable[HeldSkill]) -> dict[str, HeldSkill]:
    """One entry per uri, keeping the highest level a worker claims for it."""
    out: dict[str, HeldSkill] = {}
    for skill in held:
        if not isinstance(skill, HeldSkill):
            raise TypeError(f"expected HeldSkill, got {type(skill).__name__}")
        seen = out.get(skill.uri)
        if seen is None or skill.level > seen.level:
            out[skill.uri] = skill
    return out


# The credit rule, written once: `skill_credit` for one held skill, `skill_credits` for an array of
# held levels (the bulk engine's vector form); the same operations in the same order, so both give
# bit-for-bit the same floats.


def skill_credit(level: int, min_level: int, similarity: float | None = None) -> float:
    """Credit a held skill earns towards a required one: level / min_level capped at 1 for the
    same skill (`similarity` None), SIMILAR_SKILL_SHARE × similarity × that for a close skill."""
    share = min(1.0, level / min_level)
    return share if similarity is None else SIMILAR_SKILL_SHARE * similarity * share


def skill_credits(
    levels: np.ndarray, min_level: int, similarity: float | None = None
) -> np.ndarray:
    """`skill_credit` for many held levels at once."""
    share = np.minimum(1.0, levels / min_level)
    return share if similarity is None else SIMILAR_SKILL_SHARE * similarity * share


def fit_score(earned: float, possible: float, complete: bool) -> int:
    """The module-docstring formula: half-up rounded percentage, 100 reserved for complete gaps."""
    if possible <= 0:
        return 100
    score = math.floor(100.0 * earned / possible + 0.5)
    return score if complete else min(score, 99)


def gap_for(
    required: Iterable[RequiredSkill],
    held: Iterable[HeldSkill] | Mapping[str, HeldSkill],
    closeness: SkillCloseness | None = None,
) -> Gap:
    """The gap of a worker holding `held` against `required`; without `closeness` only exact skills
    and lower levels count as partial."""
    held_map = dict(held) if isinstance(held, Mapping) else held_by_uri(held)
    return gap_from_parts(dedupe_required(required), held_map, closeness)


def gap_from_parts(
    required: Sequence[RequiredSkill],
    held_map: Mapping[str, HeldSkill],
    closeness: SkillCloseness | None,
) -> Gap:
    """`gap_for` on already deduplicated inputs — the hot path used by ranking."""
    covered: list[CoveredSkill] = []
    partial: list[PartialSkill] = []
    missing: list[MissingSkill] = []
    earned = possible = 0.0
    for req in required:
        weight = ESSENTIAL_WEIGHT if req.essential else OPTIONAL_WEIGHT
        possible += weight
        own = held_map.get(req.uri)
        if own is not None and own.level >= req.min_level:
            covered.append(CoveredSkill(req.uri, req.label, req.essential))
            earned += weight
            continue
        best = _best_partial(req, own, held_map, closeness)
        if best is None:
            missing.append(MissingSkill(req.uri, req.label, req.essential))
        else:
            partial.append(best)
            earned += weight * best.credit
    complete = not partial and not missing
    return Gap(
        fit=fit_score(earned, possible, complete),
        covered=tuple(covered),
        partial=tuple(partial),
        missing=tuple(missing),
        earned=earned,
        possible=possible,
    )


def _best_partial(
    req: RequiredSkill,
    own: HeldSkill | None,
    held_map: Mapping[str, HeldSkill],
    closeness: SkillCloseness | None,
) -> PartialSkill | None:
    """The held skill earning the most partial credit for `req`; ties go to higher similarity, then
    the same skill over a neighbour, then the smaller uri, so input order never matters."""
    best: PartialSkill | None = None
    if own is not None:
        best = PartialSkill(
            req.uri,
            req.label,
            req.essential,
            own.uri,
            own.label,
            1.0,
            own.level,
            req.min_level,
            skill_credit(own.level, req.min_level),
        )
    if closeness is None:
        return best
    near = closeness.neighbours(req.uri)
    if not near:
        return best
    threshold = closeness.threshold
    # Walk whichever side is shorter; ties are settled explicitly below, so order never matters.
    pairs = (
        ((uri, held_map.get(uri), sim) for uri, sim in near.items())
        if len(near) < len(held_map)
        else ((uri, skill, near.get(uri)) for uri, skill in held_map.items())
    )
    for uri, skill, sim in pairs:
        if skill is None or sim is None or sim < threshold:
            continue
        credit = skill_credit(skill.level, req.min_level, sim)
        if best is not None:
            if credit < best.credit or (credit == best.credit and sim < best.similarity):
                continue
            tied = credit == best.credit and sim == best.similarity
            if tied and (best.via_uri == req.uri or best.via_uri < uri):
                continue
        best = PartialSkill(
            req.uri,
            req.label,
            req.essential,
            skill.uri,
            skill.label,
            sim,
            skill.level,
            req.min_level,
            credit,
        )
    return best
