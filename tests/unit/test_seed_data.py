"""Checks on the committed demo cluster CSVs in seed_data/demo/.

The app and its demo depend on these files being complete and consistent, so the minimums promised in
the import formats (counts, shares, references, date order, skill URIs) are asserted here directly on
the committed files, and the generator is re-run to prove the files are what it produces.
"""

from __future__ import annotations

import csv
import re
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "seed_data" / "demo"
ESCO_FILE = ROOT.parent / "shared" / "esco" / "esco_skills_v110.csv"

HISTORY_START = date(2025, 5, 1)
HISTORY_END = date(2026, 10, 31)
AGE_REFERENCE = date(2026, 11, 1)

COLUMNS = {
    "skills.csv": "conceptUri preferredLabel altLabels description kind",
    "skill_aliases.csv": "uri alias",
    "cluster.csv": "cluster_id name state sectors",
    "organisations.csv": "org_id kind name sector district state msme_size tier institution_type",
    "courses.csv": "course_id institution_id institution_name title hours fee_inr skills syllabus "
    "nsqf_level qp_code mode women_only residential max_batch_size duration_months",
    "modules.csv": "module_id course_id title hours skills is_bridge",
    "batches.csv": "batch_id course_id start_date seats district",
    "postings.csv": "posting_id employer_id employer_name title district openings essential_skills "
    "optional_skills description wage_min_inr wage_max_inr shift status posted_on",
    "workers.csv": "worker_id name gender date_of_birth district state skills education languages "
    "phone email visible_to_employers social_category disability profile_text",
    "enrolments.csv": "enrolment_id worker_id course_id enrolled_on status completed_on certified "
    "certified_on batch_id",
    "placements.csv": "placement_id worker_id employer_id employer_name placed_on monthly_wage_inr "
    "employment_type ended_on posting_id verification",
    "users.csv": "email password role org_id worker_id",
}

ESCO_URI = re.compile(
    r"^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$"
)
LOCAL_URI = re.compile(r"^urn:kaushalsetu:skill:[a-z0-9]+(-[a-z0-9]+)*$")


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    with (DEMO / name).open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def by_id(name: str, key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in table(name)}


def day(text: str) -> date:
    return date.fromisoformat(text)


def age_on(dob: date, when: date) -> int:
    return when.year - dob.year - ((when.month, when.day) < (dob.month, dob.day))


def skill_items(cell: str) -> list[tuple[str, int | None]]:
    """'uri|2;uri' -> [(uri, 2), (uri, None)]; an empty cell has no items."""
    items = []
    for part in filter(None, cell.split(";")):
        uri, _, level = part.partition("|")
        items.append((uri, int(level) if level else None))
    return items


def skill_uris() -> set[str]:
    return {row["conceptUri"] for row in table("skills.csv")}


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_file_has_exactly_the_documented_columns(name: str) -> None:
    with (DEMO / name).open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == COLUMNS[name].split()
    assert table(name), f"{name} has no rows"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("skills.csv", "conceptUri"),
        ("organisations.csv", "org_id"),
        ("courses.csv", "course_id"),
        ("modules.csv", "module_id"),
        ("batches.csv", "batch_id"),
        ("postings.csv", "posting_id"),
        ("workers.csv", "worker_id"),
        ("enrolments.csv", "enrolment_id"),
        ("placements.csv", "placement_id"),
        ("users.csv", "email"),
    ],
)
def test_ids_are_unique(name: str, key: str) -> None:
    ids = [row[key] for row in table(name)]
    assert len(ids) == len(set(ids)), Counter(ids).most_common(3)


def test_skill_subset_is_large_esco_aligned_and_well_formed() -> None:
    rows = table("skills.csv")
    kinds = Counter(row["kind"] for row in rows)
    assert len(rows) >= 400
    assert kinds["esco"] >= 400 and kinds["local"] >= 15
    assert set(kinds) == {"esco", "local"}
    for row in rows:
        pattern = ESCO_URI if row["kind"] == "esco" else LOCAL_URI
        assert pattern.match(row["conceptUri"]), row["conceptUri"]
        assert row["preferredLabel"].strip() and row["description"].strip()
    labels = [row["preferredLabel"] for row in rows]
    assert len(labels) == len(set(labels))


def test_skill_subset_covers_the_cluster_trades_with_close_pairs() -> None:
    labels = {row["preferredLabel"] for row in table("skills.csv")}
    for label in [
        "perform tungsten inert gas welding",
        "perform metal inert gas welding",
        "tend computer numerical control lathe machine",
        "tend CNC milling machine",
        "statistical process control",
        "5S methodology",
        "programmable logic controller",
        "prepare CBAM emissions reports",
        "handle battery black mass",
        "operate Fanuc CNC controller",
        "maintain IATF 16949 quality documentation",
    ]:
        assert label in labels


def test_aliases_point_at_known_skills() -> None:
    uris = skill_uris()
    aliases = table("skill_aliases.csv")
    assert {"TIG", "GTAW", "VMC", "CMM", "PLC", "5S", "Vernier"} <= {a["alias"] for a in aliases}
    for alias in aliases:
        assert alias["uri"] in uris, alias


def test_esco_rows_match_the_shared_esco_file() -> None:
    if not ESCO_FILE.is_file():
        pytest.skip(f"shared ESCO file not present at {ESCO_FILE}")
    with ESCO_FILE.open(newline="", encoding="utf-8") as handle:
        esco = {row["conceptUri"]: row for row in csv.DictReader(handle)}
    for row in table("skills.csv"):
        if row["kind"] == "esco":
            assert esco[row["conceptUri"]]["preferredLabel"] == row["preferredLabel"]


def test_organisations_have_enough_employers_and_four_institutions() -> None:
    orgs = table("organisations.csv")
    employers = [o for o in orgs if o["kind"] == "employer"]
    institutions = [o for o in orgs if o["kind"] == "institution"]
    assert len(employers) >= 15
    assert {o["tier"] for o in employers} >= {"tier1", "tier2", "tier3"}
    assert {o["institution_type"] for o in institutions} == {
        "iti",
        "polytechnic",
        "training_partner",
        "university",
    }
    assert len({o["district"] for o in orgs}) >= 5
    assert all(o["msme_size"] in {"micro", "small", "medium", "large", ""} for o in orgs)


def test_courses_modules_and_their_skills() -> None:
    uris = skill_uris()
    orgs = by_id("organisations.csv", "org_id")
    courses = table("courses.csv")
    assert len(courses) == 40
    modules_of: dict[str, list[dict[str, str]]] = defaultdict(list)
    for module in table("modules.csv"):
        modules_of[module["course_id"]].append(module)
    assert set(modules_of) == {c["course_id"] for c in courses}
    assert sum(m["is_bridge"] == "yes" for ms in modules_of.values() for m in ms) >= 5
    assert {c["duration_months"] for c in courses} == {"3", "6", "9", "12"}
    assert any(c["women_only"] == "yes" for c in courses)
    assert any(c["residential"] == "yes" for c in courses)
    assert sum(c["fee_inr"] == "0" for c in courses) >= 10
    for course in courses:
        institution = orgs[course["institution_id"]]
        assert institution["kind"] == "institution"
        assert institution["name"] == course["institution_name"]
        course_skills = {uri for uri, _ in skill_items(course["skills"])}
        assert 4 <= len(course_skills) <= 12, course["course_id"]
        assert course_skills <= uris
        assert course["syllabus"].count("\n") >= 1
        assert course["mode"] in {"classroom", "online", "blended", "on_the_job"}
        assert course["nsqf_level"] == "" or 1 <= int(course["nsqf_level"]) <= 10
        modules = modules_of[course["course_id"]]
        assert 2 <= len(modules) <= 6
        hours = sum(int(m["hours"]) for m in modules)
        assert abs(hours - int(course["hours"])) <= 0.1 * int(course["hours"])
        for module in modules:
            module_skills = {uri for uri, _ in skill_items(module["skills"])}
            assert module_skills and module_skills <= course_skills, module["module_id"]
            if module["is_bridge"] == "yes":
                assert 30 <= int(module["hours"]) <= 60


def test_batches_cover_history_and_the_next_six_months() -> None:
    courses = by_id("courses.csv", "course_id")
    orgs = by_id("organisations.csv", "org_id")
    starts = []
    for batch in table("batches.csv"):
        course = courses[batch["course_id"]]
        assert batch["district"] == orgs[course["institution_id"]]["district"]
        assert 15 <= int(batch["seats"]) <= 40
        starts.append(day(batch["start_date"]))
    future = [s for s in starts if date(2026, 11, 1) <= s <= date(2027, 4, 30)]
    assert len(future) >= 10
    assert min(starts) >= HISTORY_START
    assert sum(HISTORY_START <= s <= HISTORY_END for s in starts) >= 40


def test_postings_are_realistic_and_reference_known_skills() -> None:
    uris = skill_uris()
    orgs = by_id("organisations.csv", "org_id")
    postings = table("postings.csv")
    assert len(postings) == 60
    assert Counter(p["status"] for p in postings)["open"] > len(postings) / 2
    for posting in postings:
        employer = orgs[posting["employer_id"]]
        assert employer["kind"] == "employer" and employer["name"] == posting["employer_name"]
        essential = skill_items(posting["essential_skills"])
        optional = skill_items(posting["optional_skills"])
        assert 3 <= len(essential) <= 6 and len(optional) <= 4
        for uri, level in essential + optional:
            assert uri in uris
            assert level is None or 1 <= level <= 4
        assert 1 <= int(posting["openings"]) <= 25
        assert 12000 <= int(posting["wage_min_inr"]) <= int(posting["wage_max_inr"]) <= 45000
        assert posting["shift"] in {"general", "day", "night", "rotating"}
        assert 2 <= posting["description"].count("\n") + 1 <= 6
        assert day(posting["posted_on"]) <= HISTORY_END


def test_workers_mix_gender_age_and_skills() -> None:
    uris = skill_uris()
    workers = table("workers.csv")
    assert len(workers) == 300
    genders = Counter(w["gender"] for w in workers)
    assert genders["female"] >= 0.40 * len(workers)
    assert genders["transgender"] >= 1
    ages = [age_on(day(w["date_of_birth"]), AGE_REFERENCE) for w in workers]
    assert min(ages) >= 16 and max(ages) <= 45
    assert 1 <= sum(a < 18 for a in ages) <= 15
    assert 0.5 <= sum(18 <= a <= 29 for a in ages) / len(ages) <= 0.7
    assert len({w["district"] for w in workers}) >= 5
    assert sum(w["visible_to_employers"] == "yes" for w in workers) > 0.8 * len(workers)
    for worker in workers:
        items = skill_items(worker["skills"])
        assert 2 <= len(items) <= 10, worker["worker_id"]
        for uri, level in items:
            assert uri in uris and level is not None and 1 <= level <= 4
        assert re.match(r"^\+91 9\d{9}$", worker["phone"])
        assert worker["email"] == "" or worker["email"].endswith("@example.in")
        assert worker["profile_text"].strip()
        assert worker["social_category"] in {"sc", "st", "obc", "general", ""}
        assert worker["disability"] in {"yes", "no", ""}


def test_enrolments_resolve_and_dates_are_in_order() -> None:
    workers = by_id("workers.csv", "worker_id")
    courses = by_id("courses.csv", "course_id")
    batches = by_id("batches.csv", "batch_id")
    enrolments = table("enrolments.csv")
    per_worker = Counter(e["worker_id"] for e in enrolments)
    assert sum(n > 1 for n in per_worker.values()) >= 20
    for enrolment in enrolments:
        worker = workers[enrolment["worker_id"]]
        course = courses[enrolment["course_id"]]
        assert batches[enrolment["batch_id"]]["course_id"] == enrolment["course_id"]
        if course["women_only"] == "yes":
            assert worker["gender"] == "female"
        enrolled = day(enrolment["enrolled_on"])
        assert HISTORY_START <= enrolled <= HISTORY_END
        assert enrolled <= day(batches[enrolment["batch_id"]]["start_date"])
        if enrolment["status"] == "completed":
            completed = day(enrolment["completed_on"])
            assert enrolled <= completed <= HISTORY_END
        else:
            assert enrolment["completed_on"] == ""
        if enrolment["certified"] == "yes":
            assert enrolment["status"] == "completed"
            gap = (day(enrolment["certified_on"]) - day(enrolment["completed_on"])).days
            assert 0 <= gap <= 30
        else:
            assert enrolment["certified_on"] == ""


def test_enrolment_outcome_rates_are_believable() -> None:
    enrolments = table("enrolments.csv")
    finished = [e for e in enrolments if e["status"] != "enrolled"]
    dropped = sum(e["status"] == "dropped" for e in finished) / len(finished)
    assert 0.10 <= dropped <= 0.22
    completed = [e for e in enrolments if e["status"] == "completed"]
    assert sum(e["certified"] == "yes" for e in completed) / len(completed) >= 0.75


def test_placements_resolve_and_follow_certification() -> None:
    workers = by_id("workers.csv", "worker_id")
    orgs = by_id("organisations.csv", "org_id")
    postings = by_id("postings.csv", "posting_id")
    first_enrolled: dict[str, date] = {}
    for enrolment in table("enrolments.csv"):
        enrolled = day(enrolment["enrolled_on"])
        first_enrolled[enrolment["worker_id"]] = min(
            enrolled, first_enrolled.get(enrolment["worker_id"], enrolled)
        )
    placements = table("placements.csv")
    for placement in placements:
        worker = workers[placement["worker_id"]]
        placed = day(placement["placed_on"])
        assert first_enrolled[placement["worker_id"]] < placed <= HISTORY_END
        assert age_on(day(worker["date_of_birth"]), placed) >= 18
        if placement["employment_type"] == "wage":
            employer = orgs[placement["employer_id"]]
            assert employer["kind"] == "employer"
            assert employer["name"] == placement["employer_name"]
        else:
            assert placement["employment_type"] == "self" and placement["employer_name"]
        if placement["posting_id"]:
            posting = postings[placement["posting_id"]]
            assert posting["employer_id"] == placement["employer_id"]
            assert day(posting["posted_on"]) <= placed
        if placement["ended_on"]:
            assert placed <= day(placement["ended_on"]) <= HISTORY_END
        assert 12000 <= int(placement["monthly_wage_inr"]) <= 45000
        assert placement["verification"] in {
            "none",
            "appointment_letter",
            "salary_slip",
            "bank_credit",
        }
    ended = sum(bool(p["ended_on"]) for p in placements) / len(placements)
    assert 0.15 <= ended <= 0.35
    assert any(p["employment_type"] == "self" for p in placements)


def test_placement_rate_and_gender_wage_gap_show() -> None:
    placed_on: dict[str, list[date]] = defaultdict(list)
    for placement in table("placements.csv"):
        placed_on[placement["worker_id"]].append(day(placement["placed_on"]))
    observed = [
        e
        for e in table("enrolments.csv")
        if e["certified"] == "yes" and day(e["certified_on"]) <= date(2026, 7, 31)
    ]
    within_90 = sum(
        any(0 <= (p - day(e["certified_on"])).days <= 90 for p in placed_on[e["worker_id"]])
        for e in observed
    )
    assert 0.55 <= within_90 / len(observed) <= 0.80
    gender = {w["worker_id"]: w["gender"] for w in table("workers.csv")}
    wages: dict[str, list[int]] = defaultdict(list)
    for placement in table("placements.csv"):
        wages[gender[placement["worker_id"]]].append(int(placement["monthly_wage_inr"]))
    assert statistics.median(wages["female"]) < statistics.median(wages["male"])


def test_demo_users_resolve() -> None:
    orgs = by_id("organisations.csv", "org_id")
    workers = by_id("workers.csv", "worker_id")
    users = table("users.csv")
    roles = Counter(u["role"] for u in users)
    assert roles["admin"] == 1 and roles["institution"] == 4
    assert roles["employer"] >= 3 and roles["worker"] >= 3
    for user in users:
        assert user["email"].endswith("@demo.kaushalsetu.in") and user["password"]
        if user["role"] in {"employer", "institution"}:
            assert orgs[user["org_id"]]["kind"] == user["role"]
        if user["role"] == "worker":
            worker = workers[user["worker_id"]]
            assert worker["visible_to_employers"] == "yes"
    worker_genders = {workers[u["worker_id"]]["gender"] for u in users if u["role"] == "worker"}
    assert "female" in worker_genders


def test_generator_reproduces_the_committed_csvs(tmp_path: Path) -> None:
    if not ESCO_FILE.is_file():
        pytest.skip(f"shared ESCO file not present at {ESCO_FILE}")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "seed_data" / "build_demo.py"),
            "--esco",
            str(ESCO_FILE),
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    for name in COLUMNS:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name


def test_every_demo_skill_has_one_marathi_and_one_hindi_name_of_its_own() -> None:
    """skill_labels.csv is written by hand (not by build_demo.py): one preferred name per language
    for every skill of the demo taxonomy (any of them can be suggested or searched), none shared by
    two skills, and only for known skills."""
    known = {row["conceptUri"] for row in table("skills.csv")}
    labels = table("skill_labels.csv")
    preferred = [row for row in labels if row["kind"] == "preferred"]
    per_skill = Counter((row["uri"], row["lang"]) for row in preferred)
    assert {row["uri"] for row in labels} <= known
    for language in ("mr", "hi"):
        assert all(per_skill[(uri, language)] == 1 for uri in known), language
        names = Counter(row["label"] for row in preferred if row["lang"] == language)
        assert [name for name, count in names.items() if count > 1] == [], language
    devanagari = [row for row in labels if re.search(r"[\u0900-\u097F]", row["label"])]
    assert len(devanagari) >= 0.95 * len(labels)
