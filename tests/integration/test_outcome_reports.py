"""`flask report outcomes|ddugky|wioa` and app.outcomes.reports (over indicators/) on factory-built data.

The expected figures of tests.factories.outcome_cluster, as of 2026-06-30, worked out by hand:

worker  gender  district  youth  enrolments (as of)            first certificate  placement
w1      female  Pune      yes    CA1                           2025-10-01 (A)     2025-11-01, 12000, on
w2      male    Pune      no     CA1                           2025-10-01 (A)     2025-12-15..2026-01-31, 15000
w3      female  Khed      yes    CA1                           2025-10-01 (A)     -
w4      male    Khed      yes    CB1                           2026-05-01 (B)     2026-05-20 (cert. 60 days ago)
w5      female  Pune      yes    CB1 (dropped)                 -                  -
w6      male    Pune      yes    CB1                           2025-04-10 (B)     2025-05-01, 10000, on
w7      female  Khed      no*    CA1, CB1                      2025-10-01 (A)     2025-10-20, 14000, on
w8      male    Pune      -      CA1 from 2026-08-01: in no figure
(* born 1995-06-30: 30 on her first enrolment, 2025-07-01.)

Placement cohort (certified >= 90 days before): w1 w2 w3 w6 w7 (w4 only 60 days). Placed within
90 days: w1 (31 d) w2 (75 d) w6 (21 d) w7 (19 d). Retention cohort 3m (placed >= 90 days before):
all four; retained (lasted >= 90 days): w1 w6 w7 (w2 lasted 47 days). Wages of the placed: 10000,
12000, 14000, 15000 -> median 13000.
"""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.institutions.models import Enrolment
from app.outcomes.reports import build_report, build_series, load_outcome_records
from app.placements.models import Placement
from indicators.outcomes import outcome_report
from indicators.records import (
    GROUPINGS,
    EnrolmentRecord,
    PlacementRecord,
    WorkerRecord,
    worker_group_key,
    worker_histories,
)
from indicators.reports import CLI_OUTCOME_FIELDS, OutcomeRecords, cli_view, series_months

AS_OF = "2026-06-30"


def row(enrolled, certified, cohort, placed, rate, ret_cohort, retained, ret_rate, wage) -> dict:
    return dict(
        zip(
            CLI_OUTCOME_FIELDS,
            (enrolled, certified, cohort, placed, rate, ret_cohort, retained, ret_rate, wage),
            strict=True,
        )
    )


TOTAL = row(7, 6, 5, 4, 0.8, 4, 3, 0.75, 13000.0)
EXPECTED_GROUPS = {
    # INS-A: w1 w2 w3 w7; INS-B enrolled w4 w5 w6 w7, certified w4 w6 w7, cohort w6 only.
    "institution": {
        "INS-A": row(4, 4, 4, 3, 0.75, 3, 2, 0.6667, 14000.0),
        "INS-B": row(4, 3, 1, 1, 1.0, 1, 1, 1.0, 10000.0),
    },
    "course": {
        "CA1": row(4, 4, 4, 3, 0.75, 3, 2, 0.6667, 14000.0),
        "CB1": row(4, 3, 1, 1, 1.0, 1, 1, 1.0, 10000.0),
    },
    "gender": {
        "female": row(4, 3, 3, 2, 0.6667, 2, 2, 1.0, 13000.0),  # w1 w3 w5 w7
        "male": row(3, 3, 2, 2, 1.0, 2, 1, 0.5, 12500.0),  # w2 w4 w6
    },
    "youth": {
        False: row(2, 2, 2, 2, 1.0, 2, 1, 0.5, 14500.0),  # w2 w7
        True: row(5, 4, 3, 2, 0.6667, 2, 2, 1.0, 11000.0),  # w1 w3 w4 w5 w6
    },
    "district": {
        "Khed": row(3, 3, 2, 1, 0.5, 1, 1, 1.0, 14000.0),  # w3 w4 w7
        "Pune": row(4, 3, 3, 3, 1.0, 3, 2, 0.6667, 12000.0),  # w1 w2 w5 w6
    },
}


def run_cli(app, *args: str):
    result = app.test_cli_runner().invoke(args=["report", *args])
    assert result.exit_code == 0, result.output
    return result.output


def cli_json(app, *args: str) -> dict:
    return json.loads(run_cli(app, *args, "--format", "json"))


@pytest.fixture
def cluster(factories):
    return factories.outcome_cluster()


def test_cli_total_has_the_contract_shape_and_hand_counted_values(app, cluster):
    report = cli_json(app, "outcomes", "--as-of", AS_OF, "--no-suppress")
    assert list(report) == ["as_of", "by", "groups", "total"]
    assert report["as_of"] == AS_OF and report["by"] is None and report["groups"] == []
    assert list(report["total"]) == [*CLI_OUTCOME_FIELDS, "suppressed"]
    assert report["total"] == {**TOTAL, "suppressed": []}


@pytest.mark.parametrize("by", GROUPINGS)
def test_cli_by_each_grouping(app, cluster, by):
    report = cli_json(app, "outcomes", "--as-of", AS_OF, "--by", by, "--no-suppress")
    assert report["by"] == by
    expected = EXPECTED_GROUPS[by]
    assert [group["key"] for group in report["groups"]] == sorted(expected)
    for group in report["groups"]:
        assert list(group) == ["key", *CLI_OUTCOME_FIELDS, "suppressed"]
        assert group == {"key": group["key"], **expected[group["key"]], "suppressed": []}
    assert report["total"] == {**TOTAL, "suppressed": []}


def test_cli_suppresses_small_counts_by_default(app, cluster):
    report = cli_json(app, "outcomes", "--as-of", AS_OF, "--by", "gender")
    # Every count here is 1-9, so every count, and every rate and median built on one, is hidden.
    for figures in [*report["groups"], report["total"]]:
        assert all(figures[field] is None for field in CLI_OUTCOME_FIELDS)
        assert figures["suppressed"] == list(CLI_OUTCOME_FIELDS)


def test_default_suppression_keeps_large_cells_and_hides_a_lone_small_one(app, factories):
    """12 / 11 / 3 certified and placed at three institutions: only the 3 is small, so the
    smallest other cell (11) is hidden with it and the 12 and the total stay visible."""
    for external_id, people, wage in (
        ("I-BIG", 12, 12000),
        ("I-MID", 11, 13000),
        ("I-SMALL", 3, 15000),
    ):
        course = factories.course(factories.institution(external_id=external_id), duration_months=3)
        for _ in range(people):
            person = factories.worker(gender="female" if external_id == "I-BIG" else "male")
            factories.enrolment(
                person,
                course,
                enrolled_on=date(2025, 7, 1),
                certified=True,
                certified_on=date(2025, 10, 1),
            )
            factories.placement(person, placed_on=date(2025, 11, 1), monthly_wage_inr=wage)
    shown = cli_json(app, "outcomes", "--as-of", AS_OF, "--by", "institution")
    groups = {group["key"]: group for group in shown["groups"]}
    assert groups["I-BIG"] == {
        "key": "I-BIG",
        **row(12, 12, 12, 12, 1.0, 12, 12, 1.0, 12000.0),
        "suppressed": [],
    }
    for key in ("I-MID", "I-SMALL"):
        assert groups[key]["suppressed"] == list(CLI_OUTCOME_FIELDS)
        assert all(groups[key][field] is None for field in CLI_OUTCOME_FIELDS)
    # 26 wages: 12 x 12000, 11 x 13000, 3 x 15000 -> the 13th and 14th are 13000.
    assert shown["total"] == {**row(26, 26, 26, 26, 1.0, 26, 26, 1.0, 13000.0), "suppressed": []}
    exact = cli_json(app, "outcomes", "--as-of", AS_OF, "--by", "institution", "--no-suppress")
    assert {g["key"]: g["placed"] for g in exact["groups"]} == {
        "I-BIG": 12,
        "I-MID": 11,
        "I-SMALL": 3,
    }
    assert all(group["suppressed"] == [] for group in exact["groups"])


def records_by_hand(cluster) -> OutcomeRecords:
    """The cluster's records built from the factory rows, not through load_outcome_records."""
    people = cluster["workers"]
    workers = [
        WorkerRecord(p.id, p.gender.value, p.district, p.date_of_birth) for p in people.values()
    ]
    enrolments, placements = [], []
    for person in people.values():
        for e in db.session.scalars(select(Enrolment).where(Enrolment.worker_id == person.id)):
            enrolments.append(
                EnrolmentRecord(
                    e.id,
                    person.id,
                    e.course.institution.external_id,
                    e.course.external_id,
                    e.enrolled_on,
                    e.status.value,
                    e.completed_on,
                    e.certified,
                    e.certified_on,
                    e.course.duration_months,
                    e.batch.external_id if e.batch else None,
                )
            )
        for p in db.session.scalars(select(Placement).where(Placement.worker_id == person.id)):
            placements.append(
                PlacementRecord(
                    p.id,
                    person.id,
                    p.placed_on,
                    p.ended_on,
                    p.monthly_wage_inr,
                    p.employment_type.value,
                )
            )
    return OutcomeRecords(workers, enrolments, placements)


@pytest.mark.parametrize("suppress", [True, False])
@pytest.mark.parametrize("by", [None, *GROUPINGS])
def test_cli_agrees_with_outcome_report_called_directly(app, cluster, by, suppress):
    hand = records_by_hand(cluster)
    direct = outcome_report(
        hand.workers, hand.enrolments, hand.placements, date(2026, 6, 30), by, suppress
    )
    args = ["outcomes", "--as-of", AS_OF] + (["--by", by] if by else [])
    args += [] if suppress else ["--no-suppress"]
    assert cli_json(app, *args) == json.loads(json.dumps(cli_view(direct)))


def test_cli_csv_has_one_row_per_group_then_the_total(app, cluster):
    text = run_cli(
        app, "outcomes", "--as-of", AS_OF, "--by", "youth", "--no-suppress", "--format", "csv"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["key", *CLI_OUTCOME_FIELDS, "suppressed"]
    assert [r[0] for r in rows[1:]] == ["false", "true", "total"]
    assert rows[2][1:] == ["5", "4", "3", "2", "0.6667", "2", "2", "1.0", "11000.0", ""]
    assert rows[3][1:6] == ["7", "6", "5", "4", "0.8"]
    hidden = list(
        csv.reader(io.StringIO(run_cli(app, "outcomes", "--as-of", AS_OF, "--format", "csv")))
    )
    assert (
        hidden[1][0] == "total"
        and hidden[1][1] == ""
        and hidden[1][-1].split() == list(CLI_OUTCOME_FIELDS)
    )


def test_cli_ddugky_view(app, cluster):
    report = cli_json(app, "ddugky", "--as-of", AS_OF, "--no-suppress")
    # Placed for DDU-GKY: lasted 90 days at or above the floor (6000 for CA1's 3 months, 8000
    # for CB1's 6): w1 12000, w6 10000, w7 14000; w2 lasted 47 days.
    assert report["total"] == {
        "enrolled": 7,
        "enrolled_women": 4,
        "women_share": 0.5714,
        "placement_cohort": 5,
        "placed": 3,
        "placement_rate": 0.6,
        "median_monthly_wage": 12000.0,
        "suppressed": [],
    }
    # BB1 holds w4 and w6, both men, but two trainees are not a quota problem: alerts start at
    # 10 enrolled (the alert figures themselves are tested in tests/unit/outcomes).
    assert report["batch_alerts"] == []


def test_cli_wioa_view(app, cluster):
    report = cli_json(app, "wioa", "--as-of", AS_OF, "--no-suppress")
    # Exits in Q3 2025 (w1 w2 w3 w7) -> 2nd quarter after is Q1 2026 (90 days, over); w6 exited
    # in Q1 2025 -> Q3 2025 and Q1 2026; w4 in Q2 2026 -> none over. Q2 earnings: w1 36000,
    # w2 15000 x 3 x 31/90 = 15500, w7 42000, w6 30000 -> median 33000.
    assert report["total"] == {
        "completed": 6,
        "employment_cohort_q2": 5,
        "employed_q2": 4,
        "employment_rate_q2": 0.8,
        "median_earnings_q2": 33000.0,
        "employment_cohort_q4": 1,
        "employed_q4": 1,
        "employment_rate_q4": 1.0,
        "credential_cohort": 1,
        "credentialed": 1,
        "credential_rate": 1.0,
        "suppressed": [],
    }


def test_cli_scoped_to_an_institution_and_bad_input(app, cluster):
    scoped = cli_json(app, "outcomes", "--as-of", AS_OF, "--institution", "INS-B", "--no-suppress")
    assert scoped["total"] == {**EXPECTED_GROUPS["institution"]["INS-B"], "suppressed": []}
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["report", "outcomes", "--institution", "NOPE"])
    assert unknown.exit_code != 0 and "NOPE" in unknown.output
    bad_date = runner.invoke(args=["report", "outcomes", "--as-of", "30/06/2026"])
    assert bad_date.exit_code != 0 and "as-of" in bad_date.output
    bad_by = runner.invoke(args=["report", "outcomes", "--by", "caste"])
    assert bad_by.exit_code != 0 and "caste" in bad_by.output


def test_cli_run_is_audited_without_personal_data(app, cluster, db_session):
    run_cli(app, "outcomes", "--as-of", AS_OF, "--by", "district")
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "outcomes_exported")
    ).one()
    assert event.detail == {
        "via": "cli",
        "kind": "outcomes",
        "as_of": AS_OF,
        "by": "district",
        "format": "json",
        "suppressed": True,
        "groups": 2,
    }


def test_load_outcome_records_reads_the_rows_and_scopes_to_an_institution(cluster):
    everything = load_outcome_records()
    assert len(everything.workers) == 8
    assert len(everything.enrolments) == 9 and len(everything.placements) == 5
    w7 = cluster["workers"]["w7"]
    own = [e for e in everything.enrolments if e.worker_id == w7.id]
    assert sorted((e.institution, e.course, e.course_months, e.batch) for e in own) == [
        ("INS-A", "CA1", 3, "BA1"),
        ("INS-B", "CB1", 6, None),
    ]
    ins_b = load_outcome_records(cluster["institutions"][1].id)
    # Workers with an INS-B enrolment, with all their enrolments (w7's INS-A one too).
    assert {w.worker_id for w in ins_b.workers} == {
        cluster["workers"][name].id for name in ("w4", "w5", "w6", "w7")
    }
    assert len(ins_b.enrolments) == 5 and len(ins_b.placements) == 3


@pytest.mark.parametrize("kind", ["outcomes", "ddugky", "wioa"])
def test_institution_scope_equals_its_group_of_the_full_table(cluster, kind):
    as_of = date(2026, 6, 30)
    full = build_report(kind, as_of, "institution", suppress=False)
    for group in full["groups"]:
        scoped = build_report(kind, as_of, None, suppress=False, institution=group["key"])
        assert scoped["total"] == {k: v for k, v in group.items() if k != "key"}


def test_institution_breakdown_by_gender_is_its_own_figures(cluster):
    scoped = build_report(
        "outcomes", date(2026, 6, 30), "gender", suppress=False, institution="INS-A"
    )
    groups = {g["key"]: g for g in scoped["groups"]}
    # INS-A: women w1 w3 w7 (placed w1 w7), men w2 (placed, not retained).
    assert groups["female"]["enrolled"] == 3 and groups["female"]["placed"] == 2
    assert groups["female"]["median_monthly_wage"] == 13000.0
    assert groups["male"]["enrolled"] == 1 and groups["male"]["retained_3m"] == 0
    assert scoped["total"]["median_monthly_wage_women"] == 13000.0
    assert scoped["total"]["median_monthly_wage_men"] == 15000.0
    hidden = build_report(
        "outcomes", date(2026, 6, 30), "gender", suppress=True, institution="INS-A"
    )
    assert hidden["total"]["enrolled"] is None and "enrolled" in hidden["total"]["suppressed"]


def random_records(seed: int) -> OutcomeRecords:
    rng = random.Random(seed)
    workers, enrolments, placements = [], [], []
    start = date(2023, 1, 1)
    for worker_id in range(1, 121):
        workers.append(
            WorkerRecord(
                worker_id,
                rng.choice(["female", "male", "transgender"]),
                rng.choice(["Pune", "Khed", "Satara"]),
                date(rng.randint(1985, 2005), rng.randint(1, 12), rng.randint(1, 28)),
            )
        )
        for _ in range(rng.choice([1, 1, 2, 3])):
            enrolled = start + timedelta(days=rng.randint(0, 900))
            done = rng.random() < 0.7
            completed = enrolled + timedelta(days=rng.randint(60, 200)) if done else None
            certified = (
                completed + timedelta(days=rng.randint(0, 40))
                if done and rng.random() < 0.8
                else None
            )
            institution = rng.choice(["I1", "I2", "I3"])
            enrolments.append(
                EnrolmentRecord(
                    len(enrolments) + 1,
                    worker_id,
                    institution,
                    f"{institution}-C{rng.randint(1, 2)}",
                    enrolled,
                    "completed" if done else "enrolled",
                    completed,
                    certified is not None,
                    certified,
                    rng.choice([3, 6, 9, 12, None]),
                    rng.choice([None, "B1", "B2"]),
                )
            )
        for _ in range(rng.choice([0, 1, 1, 2])):
            placed = start + timedelta(days=rng.randint(60, 1200))
            ended = placed + timedelta(days=rng.randint(10, 400)) if rng.random() < 0.4 else None
            placements.append(
                PlacementRecord(
                    len(placements) + 1,
                    worker_id,
                    placed,
                    ended,
                    float(rng.randrange(6000, 25000, 500)),
                    rng.choice(["wage", "wage", "self"]),
                )
            )
    return OutcomeRecords(workers, enrolments, placements)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("kind", ["outcomes", "ddugky", "wioa"])
def test_institution_breakdown_matches_filtering_the_workers(app, seed, kind):
    """An institution's figures for one gender (district, youth) are the institution's group of
    the report on the workers of that gender only; by course, the full table's course rows."""
    records = random_records(seed)
    as_of = date(2025, 9, 30)
    for by in ("gender", "district", "youth", "course"):
        for institution in ("I1", "I2"):
            scoped = build_report(
                kind, as_of, by, suppress=False, institution=institution, records=records
            )
            for group in scoped["groups"]:
                expected = independent_group(kind, records, as_of, by, institution, group["key"])
                assert group == expected, (by, institution, group["key"])


def independent_group(kind, records, as_of, by, institution, key) -> dict:
    if by == "course":
        full = build_report(kind, as_of, "course", suppress=False, records=records)
        return next(g for g in full["groups"] if g["key"] == key)
    histories = worker_histories(records.workers, records.enrolments, records.placements, as_of)
    chosen = {h.worker.worker_id for h in histories if worker_group_key(h, by) == key}
    subset = OutcomeRecords(
        [w for w in records.workers if w.worker_id in chosen],
        [e for e in records.enrolments if e.worker_id in chosen],
        [p for p in records.placements if p.worker_id in chosen],
    )
    full = build_report(kind, as_of, "institution", suppress=False, records=subset)
    found = next(g for g in full["groups"] if g["key"] == institution)
    return {**found, "key": key}


def test_scoped_suppression_treats_breakdown_and_total_as_one_table(app):
    """With the institution's total shown, a lone hidden group cell must not be recoverable."""
    records = random_records(7)
    as_of = date(2025, 12, 31)
    for by in ("gender", "district", "course"):
        report = build_report(
            "outcomes", as_of, by, suppress=True, institution="I1", records=records
        )
        for field in ("enrolled", "certified", "placement_cohort", "placed"):
            hidden = [g for g in report["groups"] if field in g["suppressed"]]
            if report["total"][field] is not None:
                assert len(hidden) != 1, (by, field)


def test_series_months_are_complete_month_ends(cluster):
    assert series_months(date(2026, 6, 30), 3) == [
        date(2026, 4, 1),
        date(2026, 5, 1),
        date(2026, 6, 1),
    ]
    assert series_months(date(2026, 6, 29), 2) == [date(2026, 4, 1), date(2026, 5, 1)]
    series = build_series(date(2026, 6, 30), suppress=False, months=2)
    assert [point["as_of"] for point in series] == ["2026-05-31", "2026-06-30"]
    assert series[-1]["placed"] == 4 and series[-1]["median_monthly_wage"] == 13000.0
    scoped = build_series(date(2026, 6, 30), suppress=False, months=1, institution="INS-B")
    assert scoped[0]["enrolled"] == 4 and scoped[0]["placement_cohort"] == 1


def enrol_people(factories, course, genders: dict[str, int]) -> None:
    for gender, people in genders.items():
        for _ in range(people):
            factories.enrolment(
                factories.worker(gender=gender), course, enrolled_on=date(2026, 1, 5)
            )


def test_ddugky_women_count_follows_the_gender_table(app, factories):
    """12 women, 15 men, 2 transgender: the gender table hides the 2 and, to protect it, the 15
    men (the women's row, which the cluster reports on, stays shown). A DDU-GKY table showing
    the women follows it; had the gender table hidden the women, 29 - 15 - 12 would give the 2
    back, so the DDU-GKY women count is hidden wherever the gender table hides the women's."""
    enrol_people(factories, factories.course(), {"female": 12, "male": 15, "transgender": 2})
    genders = cli_json(app, "outcomes", "--as-of", AS_OF, "--by", "gender")
    assert {g["key"]: g["enrolled"] for g in genders["groups"]} == {
        "female": 12,
        "male": None,
        "transgender": None,
    }
    shown = cli_json(app, "ddugky", "--as-of", AS_OF)
    assert shown["total"]["enrolled_women"] == 12 and shown["total"]["enrolled"] == 29


def test_ddugky_women_count_hidden_when_the_gender_table_hides_it(app, factories):
    """12 women, 2 transgender and nobody else: the 2 is hidden and its only partner is the
    women's row, so the DDU-GKY tables hide the women too (29 - 12 gives 2 back otherwise)."""
    enrol_people(factories, factories.course(), {"female": 12, "transgender": 2})
    genders = cli_json(app, "outcomes", "--as-of", AS_OF, "--by", "gender")
    assert {g["key"]: g["enrolled"] for g in genders["groups"]} == {
        "female": None,
        "transgender": None,
    }
    for by in (None, "gender", "district"):
        args = ["ddugky", "--as-of", AS_OF] + (["--by", by] if by else [])
        hidden = cli_json(app, *args)
        for row in [*hidden["groups"], hidden["total"]]:
            assert row["enrolled_women"] is None and row["women_share"] is None
            assert {"enrolled_women", "women_share"} <= set(row["suppressed"])
        assert hidden["total"]["enrolled"] == 14
        exact = cli_json(app, *args, "--no-suppress")
        assert exact["total"]["enrolled_women"] == 12


def test_ddugky_women_count_shown_when_the_gender_table_shows_it(app, factories):
    enrol_people(factories, factories.course(), {"female": 12, "male": 15})
    shown = cli_json(app, "ddugky", "--as-of", AS_OF)
    assert shown["total"]["enrolled_women"] == 12 and shown["total"]["women_share"] == 0.4444
    assert "enrolled_women" not in shown["total"]["suppressed"]
