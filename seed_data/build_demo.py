"""Build the synthetic Chakan auto-components demo cluster as CSV files in seed_data/demo/.

Run from the project root:  .venv/bin/python seed_data/build_demo.py [--esco PATH] [--out DIR]
The output is deterministic (fixed seed, no clock), so re-running it gives byte-identical CSVs; the
app loads the committed CSVs and never runs this script. ESCO labels are looked up in the shared ESCO
file only to copy the URIs and descriptions of the curated subset, never the whole file.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from demo_tables import (
    BENEFITS,
    CLUSTER,
    COMMON_SKILLS,
    COURSES,
    EMPLOYERS,
    EQUAL_OPPORTUNITY_LINES,
    FEMALE_NAMES,
    INSTITUTIONS,
    MALE_NAMES,
    POSTINGS,
    PROFILE_EXTRAS,
    PROFILE_PHRASES,
    STATE,
    SURNAMES,
    TRADE_COURSES,
    TRADE_SKILLS,
    TRADE_WAGE,
    TRADE_WEIGHTS,
    TRANS_NAMES,
    WORKER_DISTRICTS,
    Course,
    Org,
)
from skill_catalogue import ALIASES, ESCO_LABELS, LOCAL_SKILLS
from skill_keys import SKILL_KEYS

SEED = 20261101
PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

# The app's headers, so the files are written in the format it reads: an import file's from its
# importer (import_columns), the cluster, organisation, alias and user files' from the demo loader,
# the skills file's from the taxonomy reader.
from app.demo.services import (  # noqa: E402
    CLUSTER_COLUMNS,
    ORGANISATION_COLUMNS,
    SKILL_ALIAS_COLUMNS,
    USER_COLUMNS,
)
from app.imports.kinds import IMPORTERS  # noqa: E402
from matching.taxonomy import REQUIRED_COLUMNS as ESCO_COLUMNS  # noqa: E402

DEFAULT_ESCO = PROJECT_ROOT.parent / "shared" / "esco" / "esco_skills_v110.csv"
DEFAULT_OUT = Path(__file__).resolve().parent / "demo"

HISTORY_START = date(2025, 5, 1)
HISTORY_END = date(2026, 10, 31)
AGE_REFERENCE = date(2026, 11, 1)
FUTURE_END = date(2027, 4, 30)
N_WORKERS = 300
DEMO_PASSWORD = "demo-pass-2026"
LOCAL_PREFIX = "urn:kaushalsetu:skill:"


class BuildError(Exception):
    """The curated tables are inconsistent with ESCO or with each other."""


# ----------------------------------------------------------------------------------------- skills


@dataclass
class SkillIndex:
    """Skills of the demo subset: label -> URI, plus the rows to write."""

    uri_by_label: dict[str, str] = field(default_factory=dict)
    rows: list[dict[str, str]] = field(default_factory=list)

    def uri(self, key: str) -> str:
        """URI of a skill key from skill_keys (raises BuildError for an unknown key)."""
        label = SKILL_KEYS.get(key)
        if label is None:
            raise BuildError(f"unknown skill key {key!r}")
        if label not in self.uri_by_label:
            raise BuildError(f"skill key {key!r} -> {label!r} is not in the subset")
        return self.uri_by_label[label]


def load_esco(path: Path) -> dict[str, dict[str, str]]:
    """ESCO rows with a real http URI, by preferred label (urn placeholders are skipped)."""
    if not path.is_file():
        raise BuildError(f"ESCO file not found: {path} (pass --esco)")
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["preferredLabel"]: row
            for row in csv.DictReader(handle)
            if row["conceptUri"].startswith("http://data.europa.eu/esco/skill/")
        }


def build_skills(esco: dict[str, dict[str, str]]) -> SkillIndex:
    """Curated ESCO rows plus local skills; every curated label must exist in ESCO."""
    index = SkillIndex()
    missing = [label for labels in ESCO_LABELS.values() for label in labels if label not in esco]
    if missing:
        raise BuildError(f"curated labels not found in ESCO: {missing}")
    for labels in ESCO_LABELS.values():
        for label in labels:
            if label in index.uri_by_label:
                raise BuildError(f"label listed twice: {label!r}")
            row = esco[label]
            index.uri_by_label[label] = row["conceptUri"]
            index.rows.append(
                {
                    "conceptUri": row["conceptUri"],
                    "preferredLabel": label,
                    "altLabels": "",
                    "description": row["description"],
                    "kind": "esco",
                }
            )
    for slug, label, description in LOCAL_SKILLS:
        if label in index.uri_by_label:
            raise BuildError(f"local skill duplicates an ESCO label: {label!r}")
        uri = LOCAL_PREFIX + slug
        index.uri_by_label[label] = uri
        index.rows.append(
            {
                "conceptUri": uri,
                "preferredLabel": label,
                "altLabels": "",
                "description": description,
                "kind": "local",
            }
        )
    for key in SKILL_KEYS:
        index.uri(key)
    return index


def parse_skill_tokens(text: str) -> list[tuple[str, int | None]]:
    """'key|2 key' -> [(key, 2), (key, None)]."""
    items: list[tuple[str, int | None]] = []
    for token in text.split():
        key, _, level = token.partition("|")
        items.append((key, int(level) if level else None))
    return items


def skill_cell(index: SkillIndex, items: list[tuple[str, int | None]]) -> str:
    """A ;-list of URIs, each with |N where a level is given."""
    parts = []
    for key, level in items:
        uri = index.uri(key)
        parts.append(f"{uri}|{level}" if level else uri)
    return ";".join(parts)


# ------------------------------------------------------------------------------------- helpers


def add_months(day: date, months: int) -> date:
    """Same day-of-month `months` later (clamped to 28 so every month has it)."""
    month0 = day.month - 1 + months
    return date(day.year + month0 // 12, month0 % 12 + 1, min(day.day, 28))


def age_on(dob: date, day: date) -> int:
    """Completed years of age on `day`."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def weighted_choice(rng: random.Random, pairs: list[tuple[str, float]]) -> str:
    """One item of (item, weight) pairs."""
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights, k=1)[0]


def write_csv(path: Path, columns: Sequence[str], rows: list[dict[str, object]]) -> None:
    """Write rows with exactly `columns`, RFC 4180 quoting, LF line ends."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            extra = set(row) - set(columns)
            if extra:
                raise BuildError(f"{path.name}: unexpected columns {sorted(extra)}")
            writer.writerow({column: row.get(column, "") for column in columns})


# ------------------------------------------------------------------------ organisations/courses


def org_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for org in [*EMPLOYERS, *INSTITUTIONS]:
        rows.append(
            {
                "org_id": org.org_id,
                "kind": org.kind,
                "name": org.name,
                "sector": org.sector,
                "district": org.district,
                "state": STATE,
                "msme_size": org.msme_size,
                "tier": org.tier,
                "institution_type": org.institution_type,
            }
        )
    return rows


def course_skill_keys(course: Course) -> list[str]:
    """Union of the module skills in first-seen order."""
    keys: list[str] = []
    for module in course.modules:
        for key, _ in parse_skill_tokens(module.skills):
            if key not in keys:
                keys.append(key)
    return keys


def syllabus_text(course: Course) -> str:
    """Units with hours and what they cover, one per line, so the skill linker can read it."""
    lines = []
    for number, module in enumerate(course.modules, start=1):
        labels = [SKILL_KEYS[key] for key, _ in parse_skill_tokens(module.skills)]
        bridge = " (bridge module)" if module.is_bridge else ""
        lines.append(
            f"Unit {number}: {module.title}{bridge}, {module.hours} h – {'; '.join(labels)}."
        )
    return "\n".join(lines)


def course_rows(index: SkillIndex, orgs: dict[str, Org]) -> tuple[list[dict], list[dict]]:
    courses: list[dict[str, object]] = []
    modules: list[dict[str, object]] = []
    module_no = 0
    for course in COURSES:
        keys = course_skill_keys(course)
        if not 4 <= len(keys) <= 12:
            raise BuildError(f"{course.course_id} teaches {len(keys)} skills, need 4-12")
        if not 2 <= len(course.modules) <= 6:
            raise BuildError(f"{course.course_id} has {len(course.modules)} modules, need 2-6")
        institution = orgs[course.institution_id]
        courses.append(
            {
                "course_id": course.course_id,
                "institution_id": course.institution_id,
                "institution_name": institution.name,
                "title": course.title,
                "hours": sum(module.hours for module in course.modules),
                "fee_inr": course.fee_inr,
                "skills": skill_cell(index, [(key, None) for key in keys]),
                "syllabus": syllabus_text(course),
                "nsqf_level": course.nsqf_level,
                "qp_code": course.qp_code,
                "mode": course.mode,
                "women_only": yes_no(course.women_only),
                "residential": yes_no(course.residential),
                "max_batch_size": course.max_batch_size,
                "duration_months": course.months,
            }
        )
        for module in course.modules:
            module_no += 1
            modules.append(
                {
                    "module_id": f"M{module_no:03d}",
                    "course_id": course.course_id,
                    "title": module.title,
                    "hours": module.hours,
                    "skills": skill_cell(index, parse_skill_tokens(module.skills)),
                    "is_bridge": yes_no(module.is_bridge),
                }
            )
    return courses, modules


@dataclass(frozen=True)
class Batch:
    batch_id: str
    course: Course
    start: date
    seats: int
    district: str

    @property
    def end(self) -> date:
        return add_months(self.start, self.course.months) - timedelta(days=1)


def make_batches(rng: random.Random, orgs: dict[str, Org]) -> list[Batch]:
    """Batches from May 2025 to April 2027; long courses start once a year, short ones back to back."""
    batches: list[Batch] = []
    for course in COURSES:
        if course.months == 12:
            starts = [date(2025, 8, 1), date(2026, 8, 1)]
        else:
            gap = {3: rng.choice([3, 4]), 6: 6, 9: 12}[course.months]
            start = HISTORY_START + timedelta(days=rng.choice([0, 14, 31, 45, 61]))
            start = date(start.year, start.month, 1 if start.day < 15 else 15)
            starts = []
            while start <= FUTURE_END:
                starts.append(start)
                start = add_months(start, gap)
        for start in starts:
            seats = min(course.max_batch_size, rng.randint(15, 40))
            batches.append(
                Batch(
                    batch_id=f"B{len(batches) + 1:03d}",
                    course=course,
                    start=start,
                    seats=max(seats, 15),
                    district=orgs[course.institution_id].district,
                )
            )
    return batches


# ------------------------------------------------------------------------------------ postings


def posting_rows(
    rng: random.Random, index: SkillIndex, orgs: dict[str, Org]
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for number, posting in enumerate(POSTINGS, start=1):
        essential = parse_skill_tokens(posting.essential)
        optional = parse_skill_tokens(posting.optional)
        if not 3 <= len(essential) <= 6 or len(optional) > 4:
            raise BuildError(f"posting {posting.title!r}: 3-6 essential and 0-4 optional skills")
        employer = orgs[posting.employer_id]
        if number % 9 == 0:
            status = "filled"
        elif number % 17 == 0:
            status = "closed"
        else:
            status = "open"
        if status == "open":
            posted_on = date(2026, 7, 15) + timedelta(days=rng.randint(0, 108))
        else:
            posted_on = date(2025, 6, 1) + timedelta(days=rng.randint(0, 390))
        wage_line = (
            f"Salary: Rs {posting.wage_min:,}–{posting.wage_max:,} per month (CTC) depending on "
            f"experience. {rng.choice(BENEFITS)}"
        )
        description = "\n".join(
            [
                employer.blurb,
                f"We are hiring a {posting.title} for our {employer.district} plant. {posting.duties}",
                wage_line,
                f"Shift: {posting.shift}. {rng.choice(EQUAL_OPPORTUNITY_LINES)}",
            ]
        )
        rows.append(
            {
                "posting_id": f"P{number:03d}",
                "employer_id": employer.org_id,
                "employer_name": employer.name,
                "title": posting.title,
                "district": employer.district,
                "openings": posting.openings,
                "essential_skills": skill_cell(index, essential),
                "optional_skills": skill_cell(index, optional),
                "description": description,
                "wage_min_inr": posting.wage_min,
                "wage_max_inr": posting.wage_max,
                "shift": posting.shift,
                "status": status,
                "posted_on": posted_on.isoformat(),
                "_trade": posting.trade,
            }
        )
    return rows


# ------------------------------------------------------------------------------------- workers


@dataclass
class Worker:
    worker_id: str
    name: str
    gender: str
    dob: date
    district: str
    trade: str
    years: int
    education: str
    languages: list[str]
    skills: dict[str, int]
    profile: str
    visible: bool
    phone: str
    email: str
    social_category: str
    disability: str


def pick_dob(rng: random.Random, number: int) -> date:
    """About 2% minors (16-17), 60% aged 18-29 and the rest 30-45 on 2026-11-01."""
    roll = rng.random()
    if number % 50 == 7:
        age = rng.choice([16, 17])
    elif roll < 0.61:
        age = rng.choice([18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 20, 21, 22, 23, 24, 25])
    else:
        age = rng.randint(30, 45)
    birthday_offset = rng.randint(1, 364)
    return AGE_REFERENCE - timedelta(days=age * 365 + age // 4 + birthday_offset)


def pick_education(rng: random.Random, trade: str, age: int) -> str:
    if trade == "carbon":
        return rng.choice(["graduate", "graduate", "postgraduate", "diploma"])
    if age < 18:
        return rng.choice(["secondary", "secondary", "iti"])
    return weighted_choice(
        rng,
        [
            ("iti", 0.36),
            ("secondary", 0.20),
            ("higher_secondary", 0.17),
            ("diploma", 0.12),
            ("graduate", 0.08),
            ("primary", 0.04),
            ("none", 0.02),
            ("postgraduate", 0.01),
        ],
    )


def pick_languages(rng: random.Random, district: str, education: str) -> list[str]:
    languages = []
    if rng.random() < 0.88:
        languages.append("Marathi")
    if rng.random() < 0.72 or not languages:
        languages.append("Hindi")
    if education in {"diploma", "graduate", "postgraduate"} or rng.random() < 0.2:
        languages.append("English")
    if district == "Solapur" and rng.random() < 0.5:
        languages.append(rng.choice(["Kannada", "Telugu"]))
    elif rng.random() < 0.05:
        languages.append(rng.choice(["Kannada", "Urdu", "Telugu", "Gujarati"]))
    return languages


def make_workers(rng: random.Random) -> list[Worker]:
    workers: list[Worker] = []
    phones: set[str] = set()
    for number in range(1, N_WORKERS + 1):
        gender = "transgender" if number % 75 == 0 else "female" if rng.random() < 0.45 else "male"
        weight_index = 0 if gender == "male" else 1
        trade = weighted_choice(
            rng, [(trade, weights[weight_index]) for trade, weights in TRADE_WEIGHTS.items()]
        )
        dob = pick_dob(rng, number)
        age = age_on(dob, AGE_REFERENCE)
        district = weighted_choice(rng, WORKER_DISTRICTS)
        education = pick_education(rng, trade, age)
        years = 0 if age < 19 else min(age - 18, max(0, int(rng.expovariate(1 / 4.0))))
        first = rng.choice(
            {"female": FEMALE_NAMES, "male": MALE_NAMES, "transgender": TRANS_NAMES}[gender]
        )
        surname = rng.choice(SURNAMES)

        skills: dict[str, int] = {}
        trade_items = parse_skill_tokens(TRADE_SKILLS[trade])
        n_trade = min(len(trade_items), 1 + min(years, 6) + rng.randint(0, 2))
        head = trade_items[:3]
        rest = trade_items[3:]
        rng.shuffle(rest)
        for key, base in (head + rest)[:n_trade]:
            level = (base or 2) + (1 if years >= 5 else 0) - (1 if years == 0 else 0)
            skills[key] = max(1, min(4, level + rng.choice([-1, 0, 0, 0, 1])))
        common = parse_skill_tokens(COMMON_SKILLS)
        rng.shuffle(common)
        for key, base in common[: rng.randint(1, 3)]:
            if len(skills) < 10 and key not in skills:
                skills[key] = base or 2
        while len(skills) < 2:
            skills["ppe"] = 2
            skills["fives"] = 2
        skills = dict(list(skills.items())[:10])

        experience = {0: "a few months", 1: "1 year"}.get(years, f"{years} years")
        phrase = rng.choice(PROFILE_PHRASES[trade]).format(y=experience)
        phrase = phrase[0].upper() + phrase[1:] + "."
        if years == 0:
            phrase = f"Fresher. {phrase}"
        profile = " ".join(part for part in [phrase, rng.choice(PROFILE_EXTRAS)] if part)

        phone = ""
        while not phone or phone in phones:
            phone = f"+91 9{rng.randint(0, 999_999_999):09d}"
        phones.add(phone)
        email = ""
        if rng.random() < 0.25:
            email = f"{first.lower()}.{surname.lower()}{number}@example.in"
        social = rng.choice(["sc", "st", "obc", "general", "obc"]) if rng.random() < 0.25 else ""
        disability_roll = rng.random()
        disability = "yes" if disability_roll < 0.025 else "no" if disability_roll < 0.10 else ""
        workers.append(
            Worker(
                worker_id=f"W{number:04d}",
                name=f"{first} {surname}",
                gender=gender,
                dob=dob,
                district=district,
                trade=trade,
                years=years,
                education=education,
                languages=pick_languages(rng, district, education),
                skills=skills,
                profile=profile,
                visible=rng.random() < 0.9,
                phone=phone,
                email=email,
                social_category=social,
                disability=disability,
            )
        )
    return workers


# ------------------------------------------------------------------------ enrolments/placements


@dataclass
class Enrolment:
    enrolment_id: str
    worker: Worker
    batch: Batch
    enrolled_on: date
    status: str
    completed_on: date | None
    certified_on: date | None


def eligible(worker: Worker, course: Course) -> bool:
    return not course.women_only or worker.gender == "female"


def make_enrolments(
    rng: random.Random, workers: list[Worker], batches: list[Batch]
) -> list[Enrolment]:
    """Up to three enrolments per worker, in history batches that have seats and suit the worker."""
    by_course: dict[str, list[Batch]] = defaultdict(list)
    for batch in batches:
        if HISTORY_START <= batch.start <= HISTORY_END:
            by_course[batch.course.course_id].append(batch)
    filled: dict[str, int] = defaultdict(int)
    courses = {course.course_id: course for course in COURSES}
    enrolments: list[Enrolment] = []
    order = list(workers)
    rng.shuffle(order)
    for worker in order:
        wanted = weighted_choice(rng, [("0", 0.22), ("1", 0.52), ("2", 0.21), ("3", 0.05)])
        free_from = HISTORY_START
        first_choice, next_steps = TRADE_COURSES[worker.trade]
        for attempt in range(int(wanted)):
            pool = first_choice if attempt == 0 else next_steps + first_choice
            options = [
                batch
                for course_id in pool
                if eligible(worker, courses[course_id])
                for batch in by_course[course_id]
                if batch.start >= free_from
                and filled[batch.batch_id] < batch.seats
                and age_on(worker.dob, batch.start) >= 16
            ]
            if not options:
                break
            batch = rng.choice(options)
            filled[batch.batch_id] += 1
            enrolled_on = max(HISTORY_START, batch.start - timedelta(days=rng.randint(0, 21)))
            if batch.end > HISTORY_END:
                status = "dropped" if rng.random() < 0.05 else "enrolled"
                completed_on = certified_on = None
                free_from = FUTURE_END
            elif rng.random() < 0.15:
                status, completed_on, certified_on = "dropped", None, None
                free_from = batch.start + timedelta(days=rng.randint(20, 60))
            else:
                status = "completed"
                completed_on = batch.end
                certified_on = completed_on + timedelta(days=rng.randint(5, 30))
                if certified_on > HISTORY_END or rng.random() < 0.1:
                    certified_on = None
                free_from = completed_on + timedelta(days=rng.randint(15, 120))
            enrolments.append(
                Enrolment(
                    enrolment_id=f"EN{len(enrolments) + 1:04d}",
                    worker=worker,
                    batch=batch,
                    enrolled_on=enrolled_on,
                    status=status,
                    completed_on=completed_on,
                    certified_on=certified_on,
                )
            )
    enrolments.sort(key=lambda e: (e.enrolled_on, e.worker.worker_id))
    for number, enrolment in enumerate(enrolments, start=1):
        enrolment.enrolment_id = f"EN{number:04d}"
    return enrolments


def placement_wage(rng: random.Random, worker: Worker, course: Course) -> int:
    """Trade base, more for higher NSQF level and experience, about 6% less for women."""
    wage = TRADE_WAGE.get(course.trade, 14000)
    if course.nsqf_level:
        wage *= 1 + 0.05 * (int(course.nsqf_level) - 4)
    wage *= 1 + 0.025 * min(worker.years, 8)
    if worker.gender != "male":
        wage *= 0.94
    wage *= rng.lognormvariate(0, 0.09)
    return int(max(12000, min(45000, round(wage, -2))))


def make_placements(
    rng: random.Random,
    enrolments: list[Enrolment],
    orgs: dict[str, Org],
    postings: list[dict[str, object]],
) -> list[dict[str, object]]:
    """Placements for about 70% of certified trainees, mostly within 90 days of certification."""
    employers_by_trade: dict[str, list[Org]] = defaultdict(list)
    for org in orgs.values():
        for trade in org.trades:
            employers_by_trade[trade].append(org)
    postings_by_employer: dict[str, list[dict[str, object]]] = defaultdict(list)
    for posting in postings:
        postings_by_employer[str(posting["employer_id"])].append(posting)

    placements: list[dict[str, object]] = []
    current: dict[str, dict[str, object]] = {}
    for enrolment in sorted(enrolments, key=lambda e: e.certified_on or date.max):
        if enrolment.certified_on is None or rng.random() >= 0.63:
            continue
        worker = enrolment.worker
        course = enrolment.batch.course
        roll = rng.random()
        delay = rng.randint(0, 90) if roll < 0.86 else rng.randint(91, 160)
        placed_on = enrolment.certified_on + timedelta(days=delay)
        if placed_on > HISTORY_END or age_on(worker.dob, placed_on) < 18:
            continue
        previous = current.get(worker.worker_id)
        if previous is not None:
            if date.fromisoformat(str(previous["placed_on"])) >= placed_on:
                continue
            if not previous["ended_on"]:
                previous["ended_on"] = (placed_on - timedelta(days=1)).isoformat()
        self_employed = rng.random() < 0.08
        wage = placement_wage(rng, worker, course)
        if self_employed:
            employer_id = ""
            employer_name = f"Self-employed ({course.title.split(' – ')[0].lower()} job work)"
            posting_id = ""
            wage = int(max(12000, min(45000, round(wage * rng.uniform(0.8, 1.2), -2))))
        else:
            candidates = employers_by_trade.get(course.trade) or employers_by_trade[worker.trade]
            employer = rng.choice(candidates)
            employer_id, employer_name = employer.org_id, employer.name
            matching = [
                posting
                for posting in postings_by_employer[employer.org_id]
                if date.fromisoformat(str(posting["posted_on"])) <= placed_on
                and posting["_trade"] == course.trade
            ]
            posting_id = str(matching[-1]["posting_id"]) if matching and rng.random() < 0.8 else ""
        ended_on = ""
        if rng.random() < 0.55:
            end = placed_on + timedelta(days=rng.randint(30, 300))
            if end <= HISTORY_END:
                ended_on = end.isoformat()
        placement = {
            "placement_id": "",
            "worker_id": worker.worker_id,
            "employer_id": employer_id,
            "employer_name": employer_name,
            "placed_on": placed_on.isoformat(),
            "monthly_wage_inr": wage,
            "employment_type": "self" if self_employed else "wage",
            "ended_on": ended_on,
            "posting_id": posting_id,
            "verification": weighted_choice(
                rng,
                [
                    ("none", 0.22),
                    ("appointment_letter", 0.33),
                    ("salary_slip", 0.25),
                    ("bank_credit", 0.20),
                ],
            )
            if not self_employed
            else rng.choice(["none", "none", "bank_credit"]),
        }
        placements.append(placement)
        current[worker.worker_id] = placement
    placements.sort(key=lambda p: (str(p["placed_on"]), str(p["worker_id"])))
    for number, placement in enumerate(placements, start=1):
        placement["placement_id"] = f"PL{number:04d}"
    return placements


# ---------------------------------------------------------------------------------------- main


def worker_rows(index: SkillIndex, workers: list[Worker]) -> list[dict[str, object]]:
    rows = []
    for worker in workers:
        rows.append(
            {
                "worker_id": worker.worker_id,
                "name": worker.name,
                "gender": worker.gender,
                "date_of_birth": worker.dob.isoformat(),
                "district": worker.district,
                "state": STATE,
                "skills": skill_cell(index, list(worker.skills.items())),
                "education": worker.education,
                "languages": ";".join(worker.languages),
                "phone": worker.phone,
                "email": worker.email,
                "visible_to_employers": yes_no(worker.visible),
                "social_category": worker.social_category,
                "disability": worker.disability,
                "profile_text": worker.profile,
            }
        )
    return rows


def add_training_skills(rng: random.Random, enrolments: list[Enrolment]) -> None:
    """Certified trainees gain two or three of their course's skills (keeping 2-10 skills)."""
    for enrolment in enrolments:
        if enrolment.certified_on is None:
            continue
        skills = enrolment.worker.skills
        keys = course_skill_keys(enrolment.batch.course)
        rng.shuffle(keys)
        for key in keys[: rng.randint(2, 3)]:
            if key in skills:
                skills[key] = min(4, skills[key] + 1)
            elif len(skills) < 10:
                skills[key] = 2


def user_rows(
    workers: list[Worker], placements: list[dict[str, object]]
) -> list[dict[str, object]]:
    """Demo logins: admin, one per institution, several employers and five workers."""
    rows: list[dict[str, object]] = [
        {"email": "admin@demo.kaushalsetu.in", "password": DEMO_PASSWORD, "role": "admin"}
    ]
    for local, org_id in [
        ("iti", "INS01"),
        ("polytechnic", "INS02"),
        ("training", "INS03"),
        ("unilab", "INS04"),
    ]:
        rows.append(
            {
                "email": f"{local}@demo.kaushalsetu.in",
                "password": DEMO_PASSWORD,
                "role": "institution",
                "org_id": org_id,
            }
        )
    for local, org_id in [
        ("forge", "EMP01"),
        ("diecast", "EMP02"),
        ("machining", "EMP03"),
        ("tier1", "EMP04"),
        ("paintshop", "EMP06"),
        ("recycler", "EMP08"),
        ("ewaste", "EMP09"),
        ("carbon", "EMP17"),
    ]:
        rows.append(
            {
                "email": f"{local}@demo.kaushalsetu.in",
                "password": DEMO_PASSWORD,
                "role": "employer",
                "org_id": org_id,
            }
        )
    placed = {str(p["worker_id"]) for p in placements}
    adults = [w for w in workers if w.visible and age_on(w.dob, AGE_REFERENCE) >= 18]
    women = [w for w in adults if w.gender == "female"]
    chosen = [
        next(w for w in women if w.trade == "cnc" and w.worker_id not in placed),
        next(w for w in women if w.trade == "quality" and w.worker_id in placed),
        next(w for w in women if w.trade in {"battery", "ewaste"}),
        next(w for w in adults if w.gender == "male" and w.trade == "welding"),
        next(w for w in adults if w.gender == "transgender"),
    ]
    for number, worker in enumerate(chosen, start=1):
        rows.append(
            {
                "email": f"worker{number}@demo.kaushalsetu.in",
                "password": DEMO_PASSWORD,
                "role": "worker",
                "worker_id": worker.worker_id,
            }
        )
    return rows


def import_columns(kind: str) -> list[str]:
    """The columns of an import file, as the app's importer of that kind reads them (the CSV
    format is a contract: the demo files are written in it, not beside it)."""
    return [column.name for column in IMPORTERS[kind].columns]


def build(esco_path: Path, out_dir: Path) -> dict[str, int]:
    """Write every demo CSV into out_dir and return the row count of each file."""
    rng = random.Random(SEED)
    index = build_skills(load_esco(esco_path))
    orgs = {org.org_id: org for org in [*EMPLOYERS, *INSTITUTIONS]}
    out_dir.mkdir(parents=True, exist_ok=True)

    alias_rows = []
    for alias, label in ALIASES:
        if label not in index.uri_by_label:
            raise BuildError(f"alias {alias!r} points at unknown label {label!r}")
        alias_rows.append({"uri": index.uri_by_label[label], "alias": alias})

    courses, modules = course_rows(index, orgs)
    batches = make_batches(rng, orgs)
    postings = posting_rows(rng, index, orgs)
    workers = make_workers(rng)
    enrolments = make_enrolments(rng, workers, batches)
    placements = make_placements(rng, enrolments, orgs, postings)
    add_training_skills(rng, enrolments)

    tables: dict[str, tuple[Sequence[str], list[dict[str, object]]]] = {
        "skills.csv": (
            # ESCO's columns, as the taxonomy reader wants them; "kind" is for people reading the
            # file (the app tells a local skill by its URI).
            (*ESCO_COLUMNS, "kind"),
            index.rows,
        ),
        "skill_aliases.csv": (SKILL_ALIAS_COLUMNS, alias_rows),
        "cluster.csv": (
            CLUSTER_COLUMNS,
            [{**CLUSTER, "sectors": ";".join(CLUSTER["sectors"])}],
        ),
        "organisations.csv": (
            ORGANISATION_COLUMNS,
            org_rows(),
        ),
        "courses.csv": (
            import_columns("courses"),
            courses,
        ),
        "modules.csv": (
            import_columns("modules"),
            modules,
        ),
        "batches.csv": (
            import_columns("batches"),
            [
                {
                    "batch_id": b.batch_id,
                    "course_id": b.course.course_id,
                    "start_date": b.start.isoformat(),
                    "seats": b.seats,
                    "district": b.district,
                }
                for b in batches
            ],
        ),
        "postings.csv": (
            import_columns("postings"),
            [{k: v for k, v in p.items() if not k.startswith("_")} for p in postings],
        ),
        "workers.csv": (
            import_columns("workers"),
            worker_rows(index, workers),
        ),
        "enrolments.csv": (
            import_columns("enrolments"),
            [
                {
                    "enrolment_id": e.enrolment_id,
                    "worker_id": e.worker.worker_id,
                    "course_id": e.batch.course.course_id,
                    "enrolled_on": e.enrolled_on.isoformat(),
                    "status": e.status,
                    "completed_on": e.completed_on.isoformat() if e.completed_on else "",
                    "certified": yes_no(e.certified_on is not None),
                    "certified_on": e.certified_on.isoformat() if e.certified_on else "",
                    "batch_id": e.batch.batch_id,
                }
                for e in enrolments
            ],
        ),
        "placements.csv": (
            import_columns("placements"),
            placements,
        ),
        "users.csv": (
            USER_COLUMNS,
            user_rows(workers, placements),
        ),
    }
    counts = {}
    for name, (columns, rows) in tables.items():
        write_csv(out_dir / name, columns, rows)
        counts[name] = len(rows)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=DEFAULT_ESCO, help="ESCO v1.1.0 skills CSV")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    try:
        counts = build(args.esco, args.out)
    except BuildError as error:
        print(f"build_demo: {error}", file=sys.stderr)
        return 1
    for name, count in counts.items():
        print(f"{name:20s} {count:5d} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
