"""The gazetteer: every Maharashtra district once, named in Marathi and Hindi, found however it
is written, and cluster towns placed in their district."""

from __future__ import annotations

import pytest

from matching.places import gazetteer


def test_every_district_of_maharashtra_once_with_both_languages():
    districts = gazetteer().districts()
    assert len(districts) == 36
    assert len({d.name for d in districts}) == 36
    assert all(d.names.get("mr") and d.names.get("hi") for d in districts)


@pytest.mark.parametrize(
    ("written", "district"),
    [
        ("Pune", "Pune"),
        ("  poona ", "Pune"),
        ("पुणे", "Pune"),
        ("Chakan", "Pune"),
        ("pimpri chinchwad", "Pune"),
        ("Aurangabad", "Chhatrapati Sambhajinagar"),
        ("वाळूज", "Chhatrapati Sambhajinagar"),
        ("Osmanabad", "Dharashiv"),
        ("नासिक", "Nashik"),
    ],
)
def test_a_place_is_found_however_it_is_written(written, district):
    assert gazetteer().district_of(written) == district


def test_labels_per_language_and_unknown_places_as_written():
    assert gazetteer().label("Pune", "mr") == "पुणे"
    assert gazetteer().label("Jalgaon", "mr") == "जळगाव"
    assert gazetteer().label("Jalgaon", "hi") == "जलगांव"
    assert gazetteer().label("Pune", "en") == "Pune"
    assert gazetteer().label("Belagavi", "mr") == "Belagavi"
    assert gazetteer().label(None, "mr") == ""
    assert gazetteer().district_of("Belagavi") is None


def test_every_state_and_union_territory_once_with_both_languages():
    states = gazetteer().states()
    assert len(states) == 36  # 28 states and 8 union territories
    assert len({s.name for s in states}) == 36
    assert all(s.names.get("mr") and s.names.get("hi") for s in states)


@pytest.mark.parametrize(
    ("written", "state"),
    [
        ("Maharashtra", "Maharashtra"),
        ("महाराष्ट्र", "Maharashtra"),
        ("mh", "Maharashtra"),
        ("Orissa", "Odisha"),
        ("pondicherry", "Puducherry"),
        ("Jammu & Kashmir", "Jammu and Kashmir"),
        ("कर्नाटक", "Karnataka"),
    ],
)
def test_a_state_is_found_however_it_is_written(written, state):
    assert gazetteer().state(written).name == state


def test_a_district_or_town_is_not_a_state():
    assert gazetteer().state("Pune") is None
    assert gazetteer().state("Chakan") is None


@pytest.mark.parametrize(
    ("written", "near"),
    [
        ("Mumbaii", "Mumbai City"),
        ("Pnue", "Pune"),  # two letters swapped: a ratio of 75, still a slip
        ("Thnae", "Thane"),
        ("Lature", "Latur"),
        ("Xyzpur", None),
        ("Patna", None),  # another state's district is no slip of ours
        ("Pen", None),  # three letters: too short to call one letter a slip
        ("Pune", None),  # listed: nothing to suggest
    ],
)
def test_a_slip_of_a_listed_name_is_found(written, near):
    found = gazetteer().nearest(written)
    assert (found.name if found else None) == near
