"""Hand-labelled cases: the plan a training officer would pick, on a small copy of the demo
cluster's welding and metrology courses (hours, fees and districts as in seed_data/demo)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.institutions.models import Course
from app.matchmaking import services
from app.matchmaking.schemas import GapOut

TODAY = date(2026, 11, 1)


@pytest.fixture
def cluster(factories):
    """Welding: the ITI's long welder course (Pune) with a 280 h TIG module, and a training
    partner's TIG course (Ahmednagar) with a 40 h bridge for MIG welders. Metrology: a
    polytechnic's CMM course (Satara) with a 120 h CMM module and a 40 h bridge for manual
    inspectors. A women-only MIG course next to the general one."""
    s = {
        key: factories.skill(label)
        for key, label in {
            "mig": "perform metal inert gas welding",
            "tig": "perform tungsten inert gas welding",
            "filler": "select filler metal",
            "inspect_weld": "perform welding inspection",
            "drawings": "read engineering drawings",
            "arc": "apply arc welding techniques",
            "cmm": "operate coordinate measuring machine",
            "metrology": "metrology",
            "gdt": "interpret geometric dimensions and tolerances",
            "vernier": "measure with vernier callipers, micrometers and dial gauges",
            "reports": "write inspection reports",
            "cnc_lathe": "tend computer numerical control lathe machine",
            "bookkeeping": "bookkeeping regulations",
        }.items()
    }
    iti = factories.institution(district="Pune", name="Indrayani ITI")
    partner = factories.institution(district="Ahmednagar", name="KaushalPath")
    poly = factories.institution(district="Satara", name="Krishna Valley Polytechnic")
    welder = factories.course(
        iti,
        external_id="C03",
        title="Welder (Fabrication) – Arc, MIG and TIG",
        hours=1200,
        skills=[s["arc"], s["mig"], s["tig"], s["filler"], s["inspect_weld"], s["drawings"]],
    )
    factories.module(welder, external_id="M012", hours=320, skills=[s["mig"], s["filler"]])
    factories.module(welder, external_id="M013", hours=280, skills=[s["tig"], s["filler"]])
    factories.module(
        welder, external_id="M014", hours=180, skills=[s["inspect_weld"], s["drawings"]]
    )
    tig = factories.course(
        partner,
        external_id="C32",
        title="TIG Welding for Stainless Steel and Aluminium",
        hours=300,
        fee_inr=5000,
        skills=[s["tig"], s["filler"], s["inspect_weld"], s["drawings"]],
    )
    factories.module(
        tig, external_id="M122", hours=40, skills=[s["tig"], s["filler"], s["inspect_weld"]]
    )
    factories.module(tig, external_id="M125", hours=40, skills=[s["inspect_weld"], s["drawings"]])
    womens_mig = factories.course(
        iti,
        external_id="C10",
        title="MIG and Spot Welding – Women's Batch",
        hours=300,
        women_only=True,
        skills=[s["mig"], s["filler"]],
    )
    factories.module(womens_mig, external_id="M040", hours=130, skills=[s["mig"], s["filler"]])
    qc = factories.course(
        poly,
        external_id="C13",
        title="Quality Inspector – Metrology and CMM",
        hours=450,
        fee_inr=4500,
        skills=[s["cmm"], s["metrology"], s["gdt"], s["vernier"], s["reports"]],
    )
    factories.module(qc, external_id="M050", hours=120, skills=[s["cmm"], s["metrology"]])
    factories.module(qc, external_id="M051", hours=40, skills=[s["cmm"], s["gdt"]])
    for course, start in ((welder, date(2026, 12, 1)), (tig, date(2027, 1, 1))):
        factories.batch(course, start_date=start, seats=20)
    factories.batch(womens_mig, start_date=date(2026, 12, 15), seats=20)
    factories.batch(qc, start_date=date(2027, 1, 1), seats=30)
    return s


def gap_result(worker, posting, today=TODAY) -> dict:
    """The gap and plan as the API and `flask gap` give them."""
    return GapOut().dump(services.gap_and_plan(worker, posting, today))


def plan_keys(result: dict) -> list[tuple[str, str | None]]:
    return [(item["course"], item["module"]) for item in result["plan"]]


def test_mig_welder_gets_the_tig_bridge_module_not_the_full_course(factories, cluster):
    s = cluster
    worker = factories.consenting_worker(
        gender="male", district="Nashik", skills=[(s["mig"], 3), (s["drawings"], 2)]
    )
    posting = factories.posting(
        title="TIG Welder",
        skills=[
            (s["tig"], True, 3),
            (s["filler"], True, 2),
            (s["inspect_weld"], True, 1),
            (s["drawings"], True, 1),
        ],
    )
    result = gap_result(worker, posting)
    assert plan_keys(result) == [("C32", "M122")]
    item = result["plan"][0]
    assert item["hours"] == 40
    assert item["fee_inr"] == 667  # 5000 × 40 / 300, the module's share of the course fee
    assert item["next_batch_start"] == "2027-01-01"
    assert set(item["closes"]) == {s["tig"].uri, s["filler"].uri, s["inspect_weld"].uri}
    assert result["uncovered"] == []


def test_cnc_operator_missing_only_cmm_gets_the_short_cmm_bridge(factories, cluster):
    s = cluster
    worker = factories.consenting_worker(
        district="Pune",
        skills=[(s["cnc_lathe"], 3), (s["vernier"], 3), (s["gdt"], 2), (s["reports"], 2)],
    )
    posting = factories.posting(
        title="Quality Inspector (CMM)",
        skills=[
            (s["cmm"], True, 2),
            (s["gdt"], True, 2),
            (s["vernier"], True, 3),
            (s["reports"], True, 2),
        ],
    )
    result = gap_result(worker, posting)
    assert [m["uri"] for m in result["missing"]] == [s["cmm"].uri]
    assert plan_keys(result) == [("C13", "M051")]
    assert result["plan"][0]["closes"] == [s["cmm"].uri]
    assert result["plan"][0]["hours"] == 40


def test_women_only_batch_is_offered_to_women_and_never_to_men(factories, cluster):
    s = cluster
    posting = factories.posting(
        title="MIG Welder", skills=[(s["mig"], True, 2), (s["filler"], True, 1)]
    )
    woman = factories.consenting_worker(gender="female", district="Pune", skills=[])
    man = factories.consenting_worker(gender="male", district="Pune", skills=[])
    assert plan_keys(gap_result(woman, posting)) == [("C10", "M040")]
    assert plan_keys(gap_result(man, posting)) == [("C03", "M012")]


def test_a_skill_no_course_teaches_is_uncovered(factories, cluster):
    s = cluster
    worker = factories.consenting_worker(skills=[(s["mig"], 2)])
    posting = factories.posting(skills=[(s["mig"], True, 1), (s["bookkeeping"], False, 1)])
    result = gap_result(worker, posting)
    assert result["plan"] == []
    assert result["uncovered"] == [s["bookkeeping"].uri]
    assert 0 < result["fit"] < 100


def test_a_full_batch_sends_the_worker_to_the_next_one_with_seats(factories, cluster):
    s = cluster
    qc = db.session.scalar(select(Course).where(Course.external_id == "C13"))
    factories.batch(qc, start_date=date(2027, 3, 1), seats=10)
    posting = factories.posting(skills=[(s["cmm"], True, 1)])
    worker = factories.consenting_worker(district="Satara", skills=[(s["gdt"], 2)])
    assert gap_result(worker, posting)["plan"][0]["next_batch_start"] == "2027-01-01"
    first = min(qc.batches, key=lambda b: b.start_date)
    for _ in range(first.seats):
        factories.enrolment(factories.consenting_worker(), qc, batch=first)
    item = gap_result(worker, posting)["plan"][0]
    assert (item["module"], item["next_batch_start"]) == ("M051", "2027-03-01")


@pytest.mark.model
def test_real_model_counts_mig_as_close_to_tig_but_not_to_bookkeeping(app, factories, monkeypatch):
    """With the packaged MiniLM and the default threshold: MIG welding earns partial credit for
    TIG (similarity ≈ 0.83), CMM operation none for metrology (≈ 0.35), welding none for
    bookkeeping."""
    monkeypatch.setitem(app.config, "ENCODER", "minilm")
    from app.config import Config

    monkeypatch.setitem(app.config, "MATCH_CLOSENESS_THRESHOLD", Config().MATCH_CLOSENESS_THRESHOLD)
    mig = factories.skill("perform metal inert gas welding")
    tig = factories.skill("perform tungsten inert gas welding")
    cmm = factories.skill("operate coordinate measuring machine")
    metrology = factories.skill("metrology")
    books = factories.skill("bookkeeping regulations")
    worker = factories.consenting_worker(skills=[(mig, 3), (cmm, 3)])
    posting = factories.posting(skills=[(tig, True, 1), (metrology, True, 1), (books, True, 1)])
    result = gap_result(worker, posting)
    partial = {p["uri"]: p for p in result["partial"]}
    assert set(partial) == {tig.uri}
    assert partial[tig.uri]["via_uri"] == mig.uri
    assert partial[tig.uri]["similarity"] >= app.config["MATCH_CLOSENESS_THRESHOLD"]
    assert partial[tig.uri]["similarity"] == pytest.approx(0.827, abs=0.01)  # MiniLM, not hashing
    assert {m["uri"] for m in result["missing"]} == {metrology.uri, books.uri}
