"""Reading ESCO CSVs, versioning taxonomies and recovering run-together alt labels."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from matching.taxonomy import (
    AltLabelSegmenter,
    SkillRecord,
    TaxonomyFormatError,
    read_esco_csv,
    read_esco_text,
    skill_surface,
    split_run_together_description,
    taxonomy_version,
)

HEADER = "conceptUri,skillType,preferredLabel,altLabels,description\n"


def test_reads_records_with_multiline_alt_labels(tmp_path: Path) -> None:
    content = (
        HEADER + 'urn:s:1,skill/competence,TIG welding,"GTAW\ntungsten inert gas welding\n",'
        '"Join metals, using a tungsten arc."\n' + "urn:s:2,knowledge,metallurgy,,\n"
    )
    path = tmp_path / "skills.csv"
    path.write_text(content, encoding="utf-8")

    records = list(read_esco_csv(path))

    assert records == [
        SkillRecord(
            "urn:s:1",
            "TIG welding",
            ("GTAW", "tungsten inert gas welding"),
            "Join metals, using a tungsten arc.",
        ),
        SkillRecord("urn:s:2", "metallurgy", (), ""),
    ]
    assert records[0].kind == "esco"


def test_reads_an_open_text_file_and_ignores_other_columns() -> None:
    handle = io.StringIO(HEADER + "urn:s:1,knowledge,CSS,,The style sheet language.\n")
    assert [r.label for r in read_esco_csv(handle)] == ["CSS"]


def test_missing_required_column_is_reported_on_line_one() -> None:
    with pytest.raises(TaxonomyFormatError) as error:
        read_esco_text("conceptUri,preferredLabel,description\nurn:s:1,CSS,x\n")
    assert error.value.line == 1
    assert "altLabels" in str(error.value)


def test_empty_label_is_reported_with_its_line_number() -> None:
    content = (
        HEADER
        + 'urn:s:1,knowledge,CSS,"a\nb",x\n'  # a record spanning lines 2-3
        + "urn:s:2,knowledge,  ,,x\n"  # line 4
    )
    with pytest.raises(TaxonomyFormatError) as error:
        read_esco_text(content)
    assert error.value.line == 4
    assert "preferredLabel" in str(error.value)


def test_empty_uri_and_short_rows_are_errors() -> None:
    with pytest.raises(TaxonomyFormatError, match="line 2: empty conceptUri"):
        read_esco_text(HEADER + ",knowledge,CSS,,x\n")
    with pytest.raises(TaxonomyFormatError, match="line 3: expected 5 columns"):
        read_esco_text(HEADER + "urn:s:1,knowledge,CSS,,x\nurn:s:2,knowledge\n")


def test_empty_file_is_an_error() -> None:
    with pytest.raises(TaxonomyFormatError, match="line 1"):
        read_esco_text("")


def test_version_is_stable_order_independent_and_content_sensitive() -> None:
    first = SkillRecord("urn:s:1", "TIG welding", ("GTAW",), "Join metals.")
    second = SkillRecord("urn:s:2", "metallurgy")
    version = taxonomy_version([first, second])
    assert version == taxonomy_version([first, second])
    assert version == taxonomy_version([second, first])
    assert version != taxonomy_version([first])
    changed = SkillRecord("urn:s:1", "TIG welding", ("GTAW", "TIG"), "Join metals.")
    assert version != taxonomy_version([changed, second])
    local = SkillRecord("urn:s:2", "metallurgy", kind="local")
    assert version != taxonomy_version([first, local])


def test_run_together_description_is_split_at_the_definition() -> None:
    alts, definition = split_run_together_description(
        "manage musical staff",
        "manage staff of music direct musical staff Assign and manage staff tasks.",
    )
    assert alts == "manage staff of music direct musical staff"
    assert definition == "Assign and manage staff tasks."


def test_capitalised_names_from_the_label_stay_in_the_alt_labels() -> None:
    alts, definition = split_run_together_description(
        "Angular",
        "Angular related algorithms coding in Angular The techniques of software development.",
    )
    assert alts == "Angular related algorithms coding in Angular"
    assert definition.startswith("The techniques")


def test_an_acronym_in_the_alt_labels_starts_no_definition() -> None:
    alts, definition = split_run_together_description(
        "tend computer numerical control lathe machine",
        "monitor computer numerical control lathe machine tend CNC lathe machine "
        "tend CNC turning machine Tend a computer numerical controlled (CNC) lathe.",
    )
    assert alts.endswith("tend CNC lathe machine tend CNC turning machine")
    assert definition == "Tend a computer numerical controlled (CNC) lathe."


def test_a_definition_may_start_with_a_word_and_a_code() -> None:
    assert split_run_together_description(
        "install passenger service units",
        "fix passenger service units Install PSUs in the ceiling of an aircraft.",
    ) == ("fix passenger service units", "Install PSUs in the ceiling of an aircraft.")
    assert split_run_together_description(
        "programmable logic controller",
        "PLC logic controller The PLC is a computer control system.",
    ) == ("PLC logic controller", "The PLC is a computer control system.")
    # A run of product names is alt-label material, even where one looks like a sentence start.
    assert split_run_together_description(
        "SQL", "Informix 4GL/SQL SEQUEL The computer language SQL."
    ) == ("Informix 4GL/SQL SEQUEL", "The computer language SQL.")


def test_description_without_alt_labels_is_all_definition() -> None:
    alts, definition = split_run_together_description("CSS", "The style sheet language CSS.")
    assert (alts, definition) == ("", "The style sheet language CSS.")


def test_segmenter_cuts_before_label_starting_verbs() -> None:
    labels = [f"manage thing {i}" for i in range(6)] + [f"direct thing {i}" for i in range(6)]
    segmenter = AltLabelSegmenter(labels)
    assert segmenter.segment(
        "manage musical staff", "manage staff of music direct musical staff"
    ) == (
        "manage staff of music",
        "direct musical staff",
    )


def test_skill_surface_keeps_explicit_alt_labels() -> None:
    record = SkillRecord("urn:s:1", "TIG welding", ("GTAW",), "Join metals.")
    surface = skill_surface(record)
    assert surface.alt_labels == ("GTAW",)
    assert surface.definition == "Join metals."
