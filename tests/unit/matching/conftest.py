"""Fixtures for the skill-linking tests: a tiny hand-written taxonomy and the hashing encoder."""

from __future__ import annotations

import pytest

from matching.encoder import HashingEncoder
from matching.taxonomy import SkillRecord


@pytest.fixture
def hashing_encoder() -> HashingEncoder:
    """A fresh deterministic fake encoder (counts its calls)."""
    return HashingEncoder()


@pytest.fixture
def tiny_taxonomy() -> list[SkillRecord]:
    """A handful of industrial skills with aliases, written for the tests (not ESCO data)."""
    return [
        SkillRecord(
            "urn:test:tig",
            "TIG welding",
            ("tungsten inert gas welding", "GTAW"),
            "Join metal parts with an arc from a tungsten electrode under inert gas.",
        ),
        SkillRecord(
            "urn:test:mig",
            "MIG welding",
            ("metal inert gas welding", "GMAW"),
            "Join metal parts with a continuously fed wire electrode.",
        ),
        SkillRecord(
            "urn:test:drawings",
            "read engineering drawings",
            ("interpret technical drawings", "blueprint reading"),
            "Read and interpret the technical drawings of parts.",
        ),
        SkillRecord(
            "urn:test:5s",
            "apply 5S workplace organisation",
            ("5S", "sort set in order shine standardise sustain"),
            "Keep the workplace organised, clean and standardised.",
        ),
        SkillRecord(
            "urn:test:cnc",
            "operate CNC lathe",
            ("CNC turning", "CNC lathe operation"),
            "Set up and run computer numerically controlled turning machines.",
        ),
        SkillRecord(
            "urn:test:vmc",
            "operate vertical machining centre",
            ("VMC operation", "VMC machining"),
            "Set up and run vertical machining centres.",
        ),
        SkillRecord(
            "urn:test:forklift",
            "drive forklift",
            ("forklift operation", "operate forklift truck"),
            "Drive a forklift truck to move loads safely.",
        ),
        SkillRecord(
            "urn:test:quality",
            "inspect product quality",
            ("quality inspection", "check product quality"),
            "Check that products meet quality standards.",
        ),
        SkillRecord(
            "urn:test:java",
            "Java (computer programming)",
            ("Java",),
            "Software development in Java.",
        ),
        SkillRecord(
            "urn:test:teamwork",
            "work in teams",
            ("teamwork", "collaborate with colleagues"),
            "Work together with others towards shared goals.",
        ),
        SkillRecord(
            "urn:test:english",
            "English",
            ("communicate in English",),
            "The English language.",
        ),
        SkillRecord(
            "urn:test:lubricate",
            "lubricate machinery",
            ("oil machines", "grease machine parts"),
            "Apply lubricants to machine parts to reduce wear.",
        ),
    ]
