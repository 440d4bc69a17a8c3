"""What the linker marks present, the shorthand it spells out, and the level years suggest."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from matching.encoder import HashingEncoder
from matching.experience import proficiency_for_years, years_of_experience
from matching.linker import SkillLinker
from matching.presence import PRESENCE_FEATURES, PresenceWeights, UnitOrder
from matching.shorthand import spelled_out
from matching.taxonomy import SkillRecord, read_esco_csv

DEMO = Path(__file__).parents[3] / "seed_data" / "demo"


@pytest.mark.parametrize(
    ("text", "years", "level"),
    [
        ("I have 3 years of MIG welding", 3, 3),
        ("5 saal se fitter ka kaam", 5, 3),
        ("३ वर्षे वेल्डिंग करतो", 3, 3),
        ("तीन साल का अनुभव", 3, 3),
        ("one year on a lathe", 1, 2),
        ("0-3 years of experience", 0, 1),  # a range counts its lower end
        ("2–3 yrs CNC turning", 2, 2),
        ("10+ years in a forge shop", 10, 4),
        ("Need 2 CNC turning operators", None, None),  # a number of people, not of years
        ("Trained in the year 2019", None, None),
    ],
)
def test_years_of_experience_and_the_level_they_suggest(
    text: str, years: float | None, level: int | None
) -> None:
    assert years_of_experience(text) == years
    assert proficiency_for_years(years_of_experience(text)) == level


def test_skills_get_the_level_of_the_years_stated_in_their_own_line(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> None:
    linker = SkillLinker(tiny_taxonomy, hashing_encoder)
    text = "7 years of MIG welding on frames\nSome forklift operation"
    found = {s.uri: s for s in linker.link(text, top_k=len(tiny_taxonomy))}
    assert found["urn:test:mig"].proficiency == 4
    assert found["urn:test:forklift"].proficiency is None


def test_unit_order_gives_rank_lead_and_gap() -> None:
    order = UnitOrder.of(np.array([0.5, 2.0, -1.0, 1.0]))
    assert order.rank.tolist() == [2, 0, 3, 1]
    np.testing.assert_allclose(order.margin_top, [1.5, 0.0, 3.0, 1.0])
    np.testing.assert_allclose(order.margin_next, [1.5, 1.0, 0.0, 0.5])


def test_presence_weights_need_one_coefficient_per_feature() -> None:
    with pytest.raises(ValueError, match="coefficients"):
        PresenceWeights((1.0,), bias=0.0)
    weights = PresenceWeights(tuple([0.0] * len(PRESENCE_FEATURES)), bias=0.0)
    assert weights.probability(np.zeros((2, len(PRESENCE_FEATURES)))).tolist() == [0.5, 0.5]


def test_shorthand_is_spelled_out_and_quoted_back_in_the_writers_words() -> None:
    text = "3 years of MIG welding, must read  drawings; SPC charts"
    english = spelled_out(text)
    assert english is not None
    assert english.english.startswith(text)  # the line's own phrases stay whole
    assert ", metal inert gas welding," in english.english
    assert ", read engineering drawings" in english.english
    assert ", statistical process control charts" in english.english
    assert english.source_of("metal inert gas welding") == "MIG welding"
    assert english.source_of("read engineering drawings") == "read  drawings"
    # Upper-case shorthand only as written: "mag wheels" are not metal active gas welding.
    assert spelled_out("fitted mag wheels") is None
    assert spelled_out("plain words only") is None


def test_shop_floor_names_are_spelled_out_as_the_taxonomy_says_them() -> None:
    # Gas welding on Indian floors is oxy-acetylene; a machining centre is a CNC milling machine.
    line = spelled_out("Gas welding of thin sheet, VMC setting, program prove out")
    assert line is not None
    assert "oxy-fuel welding" in line.english
    assert "vertical machining centre, CNC milling machine" in line.english
    assert "test run" in line.english
    assert line.source_of("oxy-fuel welding") == "Gas welding"
    # ... but the gas of MIG, TIG, MAG and CO2 welding is no gas welding.
    for name in ("metal inert gas welding", "CO2 gas welding", "argon gas welding"):
        assert spelled_out(f"{name} of SS pipes") is None


@pytest.fixture(scope="module")
def demo_linker() -> SkillLinker:
    """The real model over the demo cluster's skills and aliases (the app's taxonomy)."""
    from matching.encoder import load_minilm

    aliases: dict[str, list[str]] = {}
    with (DEMO / "skill_aliases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            aliases.setdefault(row["uri"], []).append(row["alias"])
    records = [
        SkillRecord(r.uri, r.label, (*r.alt_labels, *aliases.get(r.uri, [])), r.description, r.kind)
        for r in read_esco_csv(DEMO / "skills.csv")
    ]
    return SkillLinker(records, load_minilm())


def _ticked(linker: SkillLinker, text: str) -> set[str]:
    return {s.label for s in linker.link(text, top_k=10) if s.present}


@pytest.mark.model
def test_an_employers_ad_ticks_the_job_titles_core_skill_not_control_engineering(
    demo_linker: SkillLinker,
) -> None:
    ticked = _ticked(
        demo_linker,
        "Need 2 CNC turning operators, Fanuc control, must read drawings, "
        "measure with vernier and micrometer",
    )
    assert {"tend computer numerical control lathe machine", "read engineering drawings"} <= ticked
    assert not ticked & {"control engineering", "control systems"}


@pytest.mark.model
def test_mig_welding_ticks_mig_and_no_other_welding_process(demo_linker: SkillLinker) -> None:
    found = demo_linker.link("I have 3 years of MIG welding and can read engineering drawings")
    ticked = {s.label for s in found if s.present}
    assert {"perform metal inert gas welding", "read engineering drawings"} <= ticked
    assert not ticked & {
        "perform tungsten inert gas welding",
        "perform metal active gas welding",
        "apply arc welding techniques",
        "welding techniques",
    }
    assert {s.proficiency for s in found if s.present} == {3}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "wanted", "unwanted"),
    [
        (
            "Looking for a TIG welder for stainless steel pipes",
            {"perform tungsten inert gas welding"},
            {"perform metal inert gas welding", "perform metal active gas welding"},
        ),
        (
            "VMC operator for 2 shifts, Siemens controls, CMM inspection",
            {"operate vertical machining centre", "operate coordinate measuring machine"},
            {"control engineering", "control systems"},
        ),
        (
            "CO2 welding of brackets",
            {"perform metal active gas welding"},
            {"perform metal inert gas welding", "perform tungsten inert gas welding"},
        ),
        (  # a turner runs a lathe: the trade's name is its core skill
            "Need 2 CNC turners, Fanuc control, must read drawings",
            {"tend computer numerical control lathe machine", "read engineering drawings"},
            {"control engineering", "control systems"},
        ),
        (  # the same ad in Marathi, as a walk typed it
            "चाकणमध्ये 2 सीएनसी टर्नर हवेत, फॅनुक कंट्रोल, ड्रॉइंग वाचता आले पाहिजे",
            {"tend computer numerical control lathe machine", "read engineering drawings"},
            {"control engineering", "control systems"},
        ),
    ],
)
def test_trade_shorthand_ticks_its_own_skill_only(
    demo_linker: SkillLinker, text: str, wanted: set[str], unwanted: set[str]
) -> None:
    ticked = _ticked(demo_linker, text)
    assert wanted <= ticked
    assert not ticked & unwanted


def test_shorthand_in_a_translation_is_spelled_out_and_tied_to_the_source_words() -> None:
    from matching.languages import Piece, Translation
    from matching.shorthand import spelled_out_translation

    source = "मी टिग वेल्डिंग करतो"
    english = Translation(
        source,
        "mr",
        "I TIG welding do",
        [
            Piece("I", 0, 1, 0, 2),
            Piece("TIG", 2, 5, 3, 6),
            Piece("welding", 6, 13, 7, 15),
            Piece("do", 14, 16, 16, 20),
        ],
    )
    spelled = spelled_out_translation(english)
    assert spelled.english == "I TIG welding do, tungsten inert gas welding"
    assert spelled.source_of("tungsten inert gas welding") == "टिग वेल्डिंग"
    assert spelled.source_of("welding do") == "वेल्डिंग करतो"
    plain = Translation(source, "mr", "I weld", [Piece("I", 0, 1, 0, 2)])
    assert spelled_out_translation(plain) is plain
