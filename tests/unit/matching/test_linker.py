"""SkillLinker with the hashing encoder on a tiny hand-written taxonomy."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matching.encoder import DeferredEncoder, HashingEncoder
from matching.linker import DEFAULT_WEIGHTS, LinkedSkill, SkillLinker
from matching.name_evidence import NameEvidence
from matching.taxonomy import SkillRecord


@pytest.fixture
def linker(tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder) -> SkillLinker:
    return SkillLinker(tiny_taxonomy, hashing_encoder)


def test_exact_alias_ranks_first(linker: SkillLinker) -> None:
    assert linker.link("GTAW", top_k=3)[0].uri == "urn:test:tig"
    assert linker.link("blueprint reading", top_k=3)[0].uri == "urn:test:drawings"
    assert linker.link("VMC operation", top_k=3)[0].uri == "urn:test:vmc"


def test_returns_exactly_top_k_best_first(linker: SkillLinker) -> None:
    # No alternative name is said word for word here, so the model's scores alone order the list.
    for top_k in (1, 5, len(linker)):
        found = linker.link("need welders for frames who can read drawings", top_k=top_k)
        assert len(found) == top_k
        scores = [skill.score for skill in found]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= score <= 1.0 for score in scores)
        assert len({skill.uri for skill in found}) == top_k
    assert len(linker.link("TIG welding", top_k=100)) == len(linker)


def test_top_k_is_filled_even_for_texts_without_units(linker: SkillLinker) -> None:
    found = linker.link("", top_k=4)
    assert len(found) == 4
    assert not any(skill.present for skill in found)


def test_spans_are_substrings_of_the_input(linker: SkillLinker) -> None:
    text = "• 5 years on CNC lathe, Fanuc; some VMC\n• keeps 5S and inspects quality of parts"
    for skill in linker.link(text, top_k=8):
        assert skill.span is None or skill.span in text
    best = linker.link(text, top_k=1)[0]
    assert best.span is not None and best.span in text


def test_present_follows_the_presence_models_threshold(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> None:
    text = "TIG welding and forklift operation"
    plain = replace(DEFAULT_WEIGHTS, min_coverage=0.0, name_override=False)
    skills, rows, _, _ = SkillLinker(tiny_taxonomy, hashing_encoder, weights=plain).presence_rows(
        [text], top_k=5
    )[0]
    assert DEFAULT_WEIGHTS.presence is not None
    probability = DEFAULT_WEIGHTS.presence.probability(rows)
    middle = float(np.median(probability))
    weights = replace(plain, threshold=middle)
    found = SkillLinker(tiny_taxonomy, hashing_encoder, weights=weights).link(text, top_k=5)
    assert [s.uri for s in found] == [s.uri for s in skills]
    assert [s.present for s in found] == [bool(p >= middle) for p in probability]
    assert any(s.present for s in found) and not all(s.present for s in found)


def test_a_written_name_said_word_for_word_marks_the_skill_present(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> None:
    """An alias said as it is ("GMAW", "5S") ticks its skill whatever the scores; the same words
    out of order, or a near name, do not."""
    never = replace(DEFAULT_WEIGHTS, threshold=1.01)
    linker = SkillLinker(tiny_taxonomy, hashing_encoder, weights=never)
    found = {s.uri: s.present for s in linker.link("Welded frames by GMAW; keeps 5S", top_k=8)}
    assert found["urn:test:mig"] and found["urn:test:5s"]
    assert not found.get("urn:test:tig", False)
    found = {s.uri: s.present for s in linker.link("drawings engineering read", top_k=8)}
    assert not any(found.values())
    off = SkillLinker(tiny_taxonomy, hashing_encoder, weights=replace(never, name_override=False))
    assert not any(s.present for s in off.link("Welded frames by GMAW; keeps 5S", top_k=8))


def test_a_skill_named_word_for_word_is_shown_first_however_low_it_scores(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> None:
    """ "CNC turning" (an alias) names the CNC lathe skill: with one skill shown, that is the one,
    ticked, even when the model ranks another first; without the override the model's order
    stands."""
    text = "TIG welding, tungsten inert gas welding, GTAW; some CNC turning"
    off = SkillLinker(
        tiny_taxonomy, hashing_encoder, weights=replace(DEFAULT_WEIGHTS, name_override=False)
    )
    by_model = [s.uri for s in off.link(text, top_k=len(tiny_taxonomy))]
    assert by_model[0] == "urn:test:tig" and by_model.index("urn:test:cnc") > 0
    linker = SkillLinker(tiny_taxonomy, hashing_encoder)
    shown = linker.link(text, top_k=2)
    assert {s.uri for s in shown} == {"urn:test:tig", "urn:test:cnc"}
    assert all(s.present for s in shown)
    assert linker.link("keeps 5S; CNC turning", top_k=2)[0].uri in {"urn:test:5s", "urn:test:cnc"}


def _names_with(
    tiny_taxonomy: list[SkillRecord], encoder: HashingEncoder, *extra: SkillRecord
) -> tuple[NameEvidence, dict[str, int]]:
    """The written-name evidence of the tiny taxonomy and ``extra``, and each skill's number."""
    records = [*tiny_taxonomy, *extra]
    index = {record.uri: number for number, record in enumerate(records)}
    return SkillLinker(records, encoder).names, index


def test_a_name_is_said_word_for_word_only_with_all_its_words(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> None:
    """Function words may differ ("read the engineering drawings"), but no other word may be
    missing, even one lexical matching ignores ("knowledge", "skills", "own")."""
    names, index = _names_with(
        tiny_taxonomy,
        hashing_encoder,
        SkillRecord("urn:test:km", "knowledge management", (), "Manage what a firm knows."),
        SkillRecord("urn:test:own", "own management skills", (), "Manage oneself."),
    )
    assert index["urn:test:drawings"] in names.skills_named("I read the engineering drawings")
    said = names.skills_named("project management skills, some CNC turning")
    assert index["urn:test:cnc"] in said
    assert not said.keys() & {index["urn:test:km"], index["urn:test:own"]}
    assert index["urn:test:km"] in names.skills_named("Knowledge management for the plant")
    assert names.skills_named("drawings engineering read") == {}
    # Within one clause: "read, engineering drawings" does not say it.
    assert index["urn:test:drawings"] not in names.skills_named("I read, engineering drawings")


def test_a_workers_title_says_the_work_it_names(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> None:
    """ "TIG welders" says "TIG welding", as a job title says its core skill; a title that is
    itself a word of some name stays as it is ("printer labels" do not say "print labels")."""
    names, index = _names_with(
        tiny_taxonomy,
        hashing_encoder,
        SkillRecord("urn:test:printer", "operate printer", (), "Run a printer."),
        SkillRecord("urn:test:labels", "print labels", (), "Print labels."),
    )
    assert index["urn:test:tig"] in names.skills_named("need TIG welders")
    assert index["urn:test:mig"] not in names.skills_named("need TIG welders")
    assert index["urn:test:labels"] not in names.skills_named("stock of printer labels")


def test_a_name_said_only_inside_another_skills_longer_name_is_not_said(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> None:
    """ "programmable logic controller" (what "PLC" is spelled out to) does not say "logic": the
    longer name owns its words. Said on its own as well, it is; a skill's own shorter name inside
    its longer one still names it."""
    plc = SkillRecord("urn:test:plc", "programmable logic controller", (), "A controller.")
    logic = SkillRecord("urn:test:logic", "logic", (), "Reasoning.")
    lathe = SkillRecord("urn:test:lathe", "tend CNC lathe machine", ("CNC lathe",), "Run it.")
    names, index = _names_with(tiny_taxonomy, hashing_encoder, plc, logic, lathe)
    said = names.skills_named("troubleshoot the programmable logic controller")
    assert index["urn:test:plc"] in said and index["urn:test:logic"] not in said
    said = names.skills_named("logic, and programmable logic controller")
    assert index["urn:test:plc"] in said and index["urn:test:logic"] in said
    # Its alias inside its label: still named, by a distinctive name.
    assert names.skills_named("tend CNC lathe machine") == {index["urn:test:lathe"]: True}


def test_words_a_named_skill_owns_evidence_no_other_skill(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> None:
    """ "I run a CNC lathe machine" names the lathe skill (its alias "CNC lathe"); "lathe machine
    parts" uses only the lathe skill's words, so the model alone does not tick it; with a word
    of its own it may."""
    lathe = SkillRecord("urn:test:lathe", "tend CNC lathe machine", ("CNC lathe",), "Run it.")
    parts = SkillRecord("urn:test:parts", "lathe machine parts", (), "The parts of a lathe.")
    names, index = _names_with(tiny_taxonomy, hashing_encoder, lathe, parts)
    text = "I run a CNC lathe machine"
    said = names.skills_named(text)
    assert index["urn:test:lathe"] in said and index["urn:test:parts"] not in said
    assert names.explained_away(text, index["urn:test:parts"], said)
    assert not names.explained_away(f"{text} and fit parts", index["urn:test:parts"], said)
    assert not names.explained_away(text, index["urn:test:parts"], {})
    records = [*tiny_taxonomy, lathe, parts]
    always = replace(DEFAULT_WEIGHTS, threshold=0.0, min_coverage=0.0)
    found = {s.uri: s for s in SkillLinker(records, hashing_encoder, weights=always).link(text)}
    assert found["urn:test:lathe"].present and not found["urn:test:parts"].present
    no_names = replace(always, name_override=False)
    found = {s.uri: s for s in SkillLinker(records, hashing_encoder, weights=no_names).link(text)}
    assert found["urn:test:parts"].present


def test_only_distinctive_names_lift_a_skill_the_model_ranks_low(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> None:
    """Alternative names of two words or codes lift their skill into the list; a preferred label,
    here one plain word whose stem other words share ("box" and "boxing"), ticks its skill only
    where the model already shows it."""
    boxing = SkillRecord("urn:test:boxing", "boxing", (), "Fight with fists.")
    names, index = _names_with(tiny_taxonomy, hashing_encoder, boxing)
    said = names.skills_named("heavy box at the bottom", "keeps 5S; CNC turning")
    assert said == {
        index["urn:test:boxing"]: False,
        index["urn:test:5s"]: True,
        index["urn:test:cnc"]: True,
    }
    linker = SkillLinker([*tiny_taxonomy, boxing], hashing_encoder)
    text = "forklift operation; CNC lathe work and VMC work; load each heavy box"
    shown = linker.link(text, top_k=3)
    assert {s.uri for s in shown[:2]} == {"urn:test:forklift", "urn:test:vmc"}
    assert all(s.present for s in shown[:2])
    assert "urn:test:boxing" not in {s.uri for s in shown}


def test_link_many_equals_link_per_text(linker: SkillLinker) -> None:
    texts = [
        "need TIG welders who can read drawings and keep 5S",
        "5 years on CNC lathe, Fanuc, some VMC",
        "",
        "Java developer; teamwork",
    ]
    together = linker.link_many(texts, top_k=5)
    one_by_one = [linker.link(text, top_k=5) for text in texts]
    assert len(together) == len(texts)
    for batch_result, single_result in zip(together, one_by_one, strict=True):
        assert [s.uri for s in batch_result] == [s.uri for s in single_result]
        np.testing.assert_allclose(
            [s.score for s in batch_result], [s.score for s in single_result], atol=1e-5
        )


def test_boilerplate_lines_produce_no_evidence(linker: SkillLinker) -> None:
    text = "We offer competitive salary, PF and canteen.\nMust know TIG welding."
    found = linker.link(text, top_k=3)
    assert found[0].uri == "urn:test:tig"
    assert all(skill.span is None or "salary" not in skill.span for skill in found)


def test_vector_for_returns_normalised_rows_in_order(linker: SkillLinker) -> None:
    vectors = linker.vector_for(["urn:test:mig", "urn:test:tig"])
    assert vectors.shape == (2, linker.label_vectors.shape[1])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert float(vectors[0] @ vectors[1]) > float(
        vectors[0] @ linker.vector_for(["urn:test:english"])[0]
    )
    with pytest.raises(KeyError, match="urn:test:nope"):
        linker.vector_for(["urn:test:nope"])


def test_closeness_vectors_come_from_the_closeness_encoder_loaded_on_first_use(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder, tmp_path
) -> None:
    """The app links with the adapted model and measures skill closeness with the plain one: the
    closeness model is not loaded to build the linker, only when a closeness is asked, and its
    vectors are cached under its own id."""
    other = HashingEncoder(dim=64, ngram_sizes=(2,))
    deferred = DeferredEncoder(other.model_id, lambda: other)
    linker = SkillLinker(
        tiny_taxonomy, hashing_encoder, cache_dir=tmp_path, closeness_encoder=deferred
    )
    assert not deferred.loaded
    assert linker.link("TIG welding", top_k=1)[0].uri == "urn:test:tig" and not deferred.loaded
    vectors = linker.vector_for(["urn:test:mig", "urn:test:tig"])
    assert deferred.loaded and vectors.shape == (2, 64)
    np.testing.assert_allclose(vectors, other.encode(["MIG welding", "TIG welding"]), atol=1e-6)
    assert linker.label_vectors.shape[1] == hashing_encoder.dim  # linking keeps its own
    again = SkillLinker(
        tiny_taxonomy,
        hashing_encoder,
        cache_dir=tmp_path,
        closeness_encoder=DeferredEncoder(other.model_id, lambda: pytest.fail("loaded")),
    )
    np.testing.assert_allclose(again.vector_for(["urn:test:tig"]), vectors[1:], atol=1e-6)


def test_records_by_uri_and_added_local_skills(linker: SkillLinker) -> None:
    assert linker.record("urn:test:tig").label == "TIG welding"
    assert set(linker.records) >= {"urn:test:tig", "urn:test:java"}
    local = SkillRecord(
        "urn:local:poka-yoke", "apply poka-yoke", ("mistake proofing",), "", kind="local"
    )
    linker.add_records([local])
    assert linker.record("urn:local:poka-yoke").kind == "local"
    assert linker.link("mistake proofing", top_k=1)[0].uri == "urn:local:poka-yoke"


def test_bad_arguments_are_rejected(linker: SkillLinker, hashing_encoder: HashingEncoder) -> None:
    with pytest.raises(ValueError, match="top_k"):
        linker.link("TIG welding", top_k=0)
    with pytest.raises(TypeError):
        linker.link_many("TIG welding")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one"):
        SkillLinker([], hashing_encoder)
    duplicate = SkillRecord("urn:test:tig", "welding")
    with pytest.raises(ValueError, match="duplicate"):
        SkillLinker([duplicate, duplicate], hashing_encoder)


def test_result_type(linker: SkillLinker) -> None:
    skill = linker.link("forklift operation", top_k=1)[0]
    assert isinstance(skill, LinkedSkill)
    assert skill.label == "drive forklift"


@pytest.mark.model
def test_real_model_links_realistic_industrial_lines(tiny_taxonomy: list[SkillRecord]) -> None:
    from matching.encoder import load_minilm

    linker = SkillLinker(tiny_taxonomy, load_minilm())
    assert linker.link("TIG welding", top_k=1)[0].uri == "urn:test:tig"

    ad = "need TIG welders who can read drawings and keep 5S"
    found = linker.link(ad, top_k=4)
    ticked = [s for s in found if s.present]
    # MIG welding may be offered as a near alternative, never ticked for TIG.
    assert {s.uri for s in ticked} == {"urn:test:tig", "urn:test:drawings", "urn:test:5s"}
    assert all(s.span is not None and s.span in ad for s in found)
    assert {s.span for s in ticked} == {"TIG welders", "read drawings", "5S"}

    cv = "5 years on CNC lathe, Fanuc, some VMC"
    found = {s.uri: s for s in linker.link(cv, top_k=2)}
    assert set(found) == {"urn:test:cnc", "urn:test:vmc"}  # both named; VMC also spelled out
    assert found["urn:test:cnc"].present and found["urn:test:cnc"].span == "CNC lathe"

    blurb = "We offer competitive salary and free canteen. Apply now: hr@example.in"
    assert not any(s.present for s in linker.link(blurb, top_k=3))


@pytest.mark.model
def test_a_phrase_inside_a_long_line_is_compared_as_said_alone(
    tiny_taxonomy: list[SkillRecord],
) -> None:
    """The phrase feature is the cosine of the phrase embedded by itself, as the label is: pooled
    from its tokens inside the line it would lean towards the rest of the line."""
    from matching.encoder import load_minilm

    encoder = load_minilm()
    linker = SkillLinker(tiny_taxonomy, encoder)
    line = "Our forge shop in Chakan hires people for night shifts who can do TIG welding on frames"
    unit = linker.unit_features([line])[0]
    tig = list(unit.candidates).index(linker._index_of["urn:test:tig"])
    alone = float(encoder.encode(["TIG welding"])[0] @ linker.label_vectors[unit.candidates[tig]])
    assert unit.features[tig, 1] == pytest.approx(alone, abs=1e-5)
    assert unit.spans[tig] == "TIG welding"


def test_a_budget_refuses_too_many_units_before_any_work(linker: SkillLinker) -> None:
    from matching.linker import LinkBudget, TextTooLong

    text = "\n".join(f"Operate CNC lathe number {n}." for n in range(12))
    with pytest.raises(TextTooLong) as refused:
        linker.link(text, budget=LinkBudget(max_units=10))
    assert (refused.value.units, refused.value.limit) == (12, 10)
    assert "12 sentences" in str(refused.value)
    assert linker.link(text, budget=LinkBudget(max_units=12))


def test_a_budget_stops_the_work_once_its_processor_time_is_spent(linker: SkillLinker) -> None:
    from matching.linker import UNIT_BATCH, LinkBudget, LinkBudgetExceeded

    text = "\n".join(f"Weld frame number {n} with MIG." for n in range(UNIT_BATCH * 3))
    with pytest.raises(LinkBudgetExceeded):
        linker.link(text, budget=LinkBudget(max_units=1000, seconds=0.0))
    unbudgeted = linker.link(text, top_k=5)
    assert linker.link(text, top_k=5, budget=LinkBudget(max_units=1000, seconds=60)) == unbudgeted


def test_batches_of_units_give_the_same_result_as_one_text_at_a_time(linker: SkillLinker) -> None:
    from matching.linker import UNIT_BATCH, LinkBudget

    lines = [f"Operate CNC lathe and read drawings, part {n}." for n in range(UNIT_BATCH + 3)]
    in_steps = LinkBudget(max_units=1000, seconds=60)  # a budget encodes the units in steps
    together = linker.link_many(["\n".join(lines), lines[-1]], top_k=5, budget=in_steps)
    alone = linker.link(lines[-1], top_k=5)
    assert [(s.uri, s.span) for s in together[1]] == [(s.uri, s.span) for s in alone]
    np.testing.assert_allclose([s.score for s in together[1]], [s.score for s in alone], atol=1e-5)


def test_present_needs_the_skills_own_words_not_only_a_close_score(
    tiny_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> None:
    """With a coverage floor, MIG welding evidences MIG welding; TIG welding, however high its
    score (here every score passes), is offered unticked: its rare word is not in the text."""
    weights = replace(DEFAULT_WEIGHTS, threshold=0.0, min_coverage=0.5)
    text = "Three years of MIG welding on car bodies"
    # Spelled out, MIG welding shares "inert gas welding" with TIG's alternative label: the
    # floor alone would not tell them apart (the presence model does: test_presence.py).
    linker = SkillLinker(tiny_taxonomy, hashing_encoder, weights=weights, spell_out=False)
    found = {s.uri: s for s in linker.link(text, top_k=5)}
    assert found["urn:test:mig"].present
    assert "urn:test:tig" in found and not found["urn:test:tig"].present
    coverage = linker.name_coverage("a welder doing MIG", np.array([1, 0]))
    assert coverage[0] == pytest.approx(1.0)  # "welder" counts for "welding"
    assert coverage[1] < weights.min_coverage
