"""Hand-made skill vectors and random generators shared by the gap, plan, ranking and demand tests.

Imported explicitly (not a conftest) so each test file states what it uses.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import numpy as np

from matching.gaps import HeldSkill, RequiredSkill


def family_vectors(
    families: Mapping[str, Sequence[str]], spread: float = 0.5
) -> dict[str, np.ndarray]:
    """Unit vectors where skills of one family share an axis: two members have cosine 1/(1+spread²)
    (0.8 at the default spread) and members of different families are orthogonal."""
    skills = [s for members in families.values() for s in members]
    dim = len(families) + len(skills)
    vectors: dict[str, np.ndarray] = {}
    position = 0
    for f, members in enumerate(families.values()):
        for skill in members:
            v = np.zeros(dim)
            v[f] = 1.0
            v[len(families) + position] = spread
            vectors[skill] = v / np.linalg.norm(v)
            position += 1
    return vectors


# A small realistic vocabulary for the Chakan auto-components cluster (uris are short on purpose).
CLUSTER_FAMILIES: dict[str, list[str]] = {
    "welding": ["tig-welding", "mig-welding", "arc-welding"],
    "drawings": ["blueprint-reading", "gdt"],
    "cnc": ["cnc-operation", "cnc-programming"],
    "quality": ["quality-inspection"],
    "logistics": ["forklift"],
    "safety": ["workplace-safety"],
}
LABELS = {
    "tig-welding": "TIG welding",
    "mig-welding": "MIG welding",
    "arc-welding": "Manual metal arc welding",
    "blueprint-reading": "Blueprint reading",
    "gdt": "Geometric dimensioning and tolerancing",
    "cnc-operation": "CNC machine operation",
    "cnc-programming": "CNC programming",
    "quality-inspection": "Quality inspection",
    "forklift": "Forklift operation",
    "workplace-safety": "Workplace safety",
}


def required(uri: str, essential: bool = True, min_level: int = 1) -> RequiredSkill:
    return RequiredSkill(uri, LABELS.get(uri, uri), essential, min_level)


def held(uri: str, level: int = 2) -> HeldSkill:
    return HeldSkill(uri, LABELS.get(uri, uri), level)


def random_vectors(rng: np.random.Generator, n_skills: int, dim: int = 16) -> dict[str, np.ndarray]:
    """Clustered random unit vectors, so some pairs clear a 0.7 threshold and most do not."""
    centres = rng.normal(size=(max(1, n_skills // 3), dim))
    vectors = {}
    for i in range(n_skills):
        v = centres[i % len(centres)] + 0.5 * rng.normal(size=dim)
        vectors[f"s{i:03d}"] = v / np.linalg.norm(v)
    return vectors


def random_required(r: random.Random, uris: Sequence[str], k_max: int = 8) -> list[RequiredSkill]:
    """Random requirements, sometimes with duplicate uris to exercise deduplication."""
    picks = [r.choice(uris) for _ in range(r.randint(0, k_max))]
    return [RequiredSkill(u, u.upper(), r.random() < 0.6, r.randint(1, 4)) for u in picks]


def random_held(r: random.Random, uris: Sequence[str], k_max: int = 10) -> list[HeldSkill]:
    return [HeldSkill(u, u.upper(), r.randint(1, 4)) for u in r.sample(uris, r.randint(0, k_max))]
