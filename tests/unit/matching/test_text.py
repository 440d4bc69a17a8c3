"""Cutting texts into units, spotting boilerplate, finding candidate phrases."""

from __future__ import annotations

from matching.text import TextUnit, candidate_phrases, is_boilerplate, split_units

JOB_AD = """About us: Shree Forgings Pvt. Ltd. is a leading manufacturer of auto components in Chakan.
Requirements:
• 3+ years TIG welding of SS and MS; must be able to read engineering drawings.
- Knowledge of 5S and Kaizen
* Forklift licence preferred
1. CNC lathe operation (Fanuc)
2) VMC setting, e.g. tool offsets. Basic English.
Salary: Rs 25,000 - 30,000 per month + PF, ESIC
We are an equal opportunity employer.
Interested candidates send your CV to hr@shreeforgings.in or call 9876543210."""


def test_units_are_the_sentences_and_bullets_with_exact_offsets() -> None:
    units = split_units(JOB_AD)
    for unit in units:
        assert JOB_AD[unit.start : unit.end] == unit.text
    texts = [unit.text for unit in units]
    assert "3+ years TIG welding of SS and MS" in texts
    assert "must be able to read engineering drawings." in texts
    assert "Knowledge of 5S and Kaizen" in texts
    assert "Forklift licence preferred" in texts
    assert "CNC lathe operation (Fanuc)" in texts
    assert "VMC setting, e.g. tool offsets." in texts  # "e.g." does not end a sentence
    assert "Basic English." in texts
    assert not any(text.startswith(("•", "-", "*", "1.", "2)")) for text in texts)


def test_semicolon_splits_only_between_clauses() -> None:
    assert [u.text for u in split_units("TIG; MIG; arc welding")] == ["TIG; MIG; arc welding"]
    assert [u.text for u in split_units("weld pipes in position; inspect the weld beads")] == [
        "weld pipes in position",
        "inspect the weld beads",
    ]


def test_empty_and_blank_texts_have_no_units() -> None:
    assert split_units("") == []
    assert split_units("  \n • \n") == []


def test_single_line_is_one_unit() -> None:
    assert split_units("  javascript reactjs java ") == [TextUnit("javascript reactjs java", 2, 25)]


def test_boilerplate_lines_are_recognised() -> None:
    flags = {unit.text: is_boilerplate(unit) for unit in split_units(JOB_AD)}
    assert flags[
        "About us: Shree Forgings Pvt. Ltd. is a leading manufacturer of auto components in Chakan."
    ]
    assert flags["Salary: Rs 25,000 - 30,000 per month + PF, ESIC"]
    assert flags["We are an equal opportunity employer."]
    assert flags["Interested candidates send your CV to hr@shreeforgings.in or call 9876543210."]
    assert not flags["3+ years TIG welding of SS and MS"]
    assert not flags["Knowledge of 5S and Kaizen"]


def test_skill_lines_that_mention_pay_or_the_company_are_kept() -> None:
    assert not is_boilerplate("Drive the annual salary review and benchmark pay ranges")
    assert not is_boilerplate("Advise managers on compensation and benefits policies")
    assert not is_boilerplate("We offer training; you must be able to weld pipes")
    assert is_boilerplate("We offer competitive pay and health insurance.")


def test_candidate_phrases_avoid_stop_word_edges_and_clause_breaks() -> None:
    text = "Knowledge of 5S and Kaizen, CNC lathe"
    phrases = [text[start:end] for start, end in candidate_phrases(text)]
    assert "5S" in phrases
    assert "CNC lathe" in phrases
    assert "5S and Kaizen" in phrases
    assert not any(p.startswith(("of", "and")) or p.endswith(("of", "and")) for p in phrases)
    assert "Kaizen, CNC" not in phrases


def test_pay_lines_need_an_offer_cue_on_the_same_line() -> None:
    assert is_boilerplate("Stipend of 8000 for apprentices")
    assert is_boilerplate("Attractive incentives and canteen facility")
    assert not is_boilerplate("Prepare the bonus and incentive calculations")  # no offer cue
    # Cue and pay word on different lines of one string do not make either line pay information.
    assert not is_boilerplate("Process payroll; attractive\nsalary structures for the plant")


def test_boilerplate_check_stays_fast_on_long_lines() -> None:
    # The pay check once used a look-ahead that was quadratic in the line length; a very long line
    # must still be handled (correctly) rather than hang. Not a timing test: it simply completes.
    line = "weld " * 20_000 + "canteen"
    assert not is_boilerplate(line)
    assert is_boilerplate(line + " 500")
