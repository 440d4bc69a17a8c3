"""Reading a job ad's text for openings, shift, district, wage and each skill's need."""

from __future__ import annotations

import pytest

from matching.posting_text import need_from_cues, read_posting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Need 2 CNC turning operators, Fanuc control, must read drawings. Salary 16-22k, "
            "Chakan, rotational shifts.",
            (2, "rotating", "Pune", 16000, 22000),
        ),
        (
            "Hiring 25 assembly line operators at Bhosari. Rs. 13,500/- per month. General shift.",
            (25, "general", "Pune", 13500, 13500),
        ),
        (
            "Vacancies: 4. CNC grinding at Waluj MIDC, Aurangabad. Salary: Rs 16,000–22,000 per "
            "month. Shift: night.",
            (4, "night", "Chhatrapati Sambhajinagar", 16000, 22000),
        ),
        (
            "हवे: 3 वेल्डर, पगार १८००० महिना, रात्र शिफ्ट, वाळूज",
            (3, "night", "Chhatrapati Sambhajinagar", 18000, 18000),
        ),
        (
            "Day shift helpers wanted in Satara, ₹12000 to ₹14500 monthly",
            (None, "day", "Satara", 12000, 14500),
        ),
        (  # Marathi: an English trade's plural with "-s", a word between it and the count
            "आम्हाला चाकणला दोन अनुभवी वेल्डर्स हवेत, पगार 16000-20000, रात्रपाळी",
            (2, "night", "Pune", 16000, 20000),
        ),
        (  # Hindi: a trade name between the count and the people, a rotating shift
            "चाकण में 3 सीएनसी टर्नर चाहिए, बदलती शिफ्ट, तनख्वाह 15000-18000",
            (3, "rotating", "Pune", 15000, 18000),
        ),
    ],
)
def test_fields_the_ad_states(text, expected):
    reading = read_posting(text)
    got = (
        reading.openings,
        reading.shift,
        reading.district,
        reading.wage_min_inr,
        reading.wage_max_inr,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("ad", "shift", "district"),
    [
        # Marathi writes the case ending onto the place and "shift" onto the time of day.
        ("चाकणमध्ये 2 सीएनसी टर्नर हवेत, पगार 16000-22000, रात्रपाळी", "night", "Pune"),
        ("पुण्यात 3 फिटर हवेत, दिवसपाळी", "day", "Pune"),
        ("साताऱ्याला 2 वेल्डर, रात्रीची पाळी", "night", "Satara"),
        ("अकोल्यातील कारखान्यात 4 हेल्पर, तीन पाळ्यांमध्ये काम", "rotating", "Akola"),
        ("भोसरीतील कंपनीसाठी 4 हेल्पर, जनरल शिफ्ट", "general", "Pune"),
        ("नाईट शिफ्ट, वाळूजमध्ये", "night", "Chhatrapati Sambhajinagar"),
        ("रात की शिफ्ट, चाकण में 5 ऑपरेटर", "night", "Pune"),
        ("Holiday work in Pune, shift allowance paid", None, "Pune"),
    ],
)
def test_marathi_and_hindi_ads_name_their_shift_and_place_as_people_write_them(ad, shift, district):
    """A browser walk saw "चाकणमध्ये …, रात्रपाळी" proposed with no district and a general shift."""
    reading = read_posting(ad)
    assert (reading.shift, reading.district) == (shift, district)


def test_numbers_that_are_not_openings_or_wages_are_left_alone():
    reading = read_posting(
        "IATF 16949 certified, 1,400 employees, a 1600 T press and 30 injection moulding machines "
        "from 80 to 650 T."
    )
    assert reading == read_posting("")
    assert reading.openings is None and reading.wage_min_inr is None


@pytest.mark.parametrize(
    ("ad", "openings"),
    [
        ("We need CO2 welders for the night shift", None),
        ("CO2 वेल्डर हवे आहेत, M12 फिटिंग", None),
        ("10 CO2 welders needed", 10),
        ("२ CO2 वेल्डर हवे आहेत", 2),
    ],
)
def test_a_number_inside_a_word_is_not_a_count_of_openings(ad, openings):
    """ "CO2 welders" names a kind of welding, not two welders (a browser walk saw a Marathi ad
    asking for CO2 welders saved with two openings)."""
    assert read_posting(ad).openings == openings


@pytest.mark.parametrize(
    ("clause", "span"),
    [
        ("वेल्डिंग आती हो तो अच्छा", "वेल्डिंग"),  # Hindi: "welding, if known, is good"
        ("ड्रॉइंग वाचता येत असल्यास उत्तम", "ड्रॉइंग"),  # Marathi: "reading drawings is a plus"
        ("Fanuc control preferred", "Fanuc"),
    ],
)
def test_a_skill_the_ad_calls_nice_to_have_is_optional(clause, span):
    assert need_from_cues(f"Need 2 CNC turners. {clause}.", span) is False


def test_the_demo_ads_give_their_own_shift_district_and_wage():
    """Every demo posting's description states its shift, district and wage; all are read."""
    import csv
    from pathlib import Path

    with (Path(__file__).parents[2] / "seed_data/demo/postings.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        reading = read_posting(row["description"])
        assert (reading.shift, reading.district) == (row["shift"], row["district"]), row[
            "posting_id"
        ]
        assert (reading.wage_min_inr, reading.wage_max_inr) == (
            int(row["wage_min_inr"]),
            int(row["wage_max_inr"]),
        ), row["posting_id"]


@pytest.mark.parametrize(
    ("span", "need"),
    [("Fanuc control", False), ("read drawings", True), ("vernier", None), ("absent", None)],
)
def test_a_skills_need_follows_the_cue_words_of_its_clause(span, need):
    text = "Need CNC operators. Fanuc control preferred. Must read drawings; measure with vernier"
    assert need_from_cues(text, span) is need


@pytest.mark.parametrize(
    ("ad", "expected"),
    [
        # A walk's Hindi ad: the wage came before "रुपये" and was never read.
        (
            "हमें चाकण में 3 सीएनसी ऑपरेटर चाहिए, फानुक कंट्रोल, 15000-20000 रुपये, रात की शिफ्ट",
            (3, "night", 15000, 20000),
        ),
        ("तीन वेल्डर चाहिए, 18000 रुपये प्रति माह, रात की पाली", (3, "night", 18000, 18000)),
        ("दोन फिटर हवेत, 16000 रुपये दरमहा, दिवसपाळी", (2, "day", 16000, 16000)),
        ("We need three welders, 17,500 rupees a month", (3, None, 17500, 17500)),
        # Years of experience are not people, in digits or words.
        ("Welder with 2 years experience as welder, Rs 15000", (None, None, 15000, 15000)),
        ("welder with two years experience as welder", (None, None, None, None)),
        ("एक अच्छा वेल्डर चाहिए", (None, None, None, None)),  # "एक" is "a"
    ],
)
def test_counts_in_words_rupees_after_the_amount_and_hindi_shift_words(ad, expected):
    reading = read_posting(ad)
    assert (reading.openings, reading.shift, reading.wage_min_inr, reading.wage_max_inr) == expected


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Need 2 CNC turning operators, Fanuc control, must read drawings", "CNC turning operator"),
        ("We are hiring a Forging Press Operator for our Pune plant.", "Forging Press Operator"),
        ("Urgent requirement of experienced TIG welders for Bhosari", "TIG welder"),
        ("Packing and Dispatch Assistant needed at Chakan", "Packing and Dispatch Assistant"),
        ("Day shift helpers wanted in Satara, ₹12000 to ₹14500 monthly", "Helper"),
        ("Pune CNC operators wanted", "CNC operator"),  # a place is not part of the job
        ("2 years experience as welder required", "Welder"),
        # Hindi and Marathi: the count, the place and the sentence's words stay out
        ("हमें चाकण में तीन सीएनसी ऑपरेटर चाहिए, फानुक कंट्रोल, 15000-20000 रुपये", "सीएनसी ऑपरेटर"),
        ("आम्हाला चाकणला दोन अनुभवी वेल्डर्स हवेत, पगार 18000", "वेल्डर"),
        ("मशीन ऑपरेटर की जरूरत है, पुणे", "मशीन ऑपरेटर"),
        ("We make gears for tractors. Good pay.", None),
    ],
)
def test_the_job_title_is_read_in_the_writers_words(text, title):
    assert read_posting(text).title == title


@pytest.mark.parametrize(
    ("span", "only_shift"),
    [("शिफ्ट", True), ("shift", True), (" Shifts ", True), ("पाळी", True),
     ("rotating shifts", False), ("read drawings", False), (None, False), ("", False)],
)  # fmt: skip
def test_a_skill_found_on_the_word_shift_alone_is_told(span, only_shift):
    from matching.posting_text import shift_is_the_only_evidence

    assert shift_is_the_only_evidence(span) is only_shift
