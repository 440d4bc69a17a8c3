"""A synthetic state-scale data set (a state skill mission, not one cluster) as import CSV files.

Defaults: 100,000 workers, 10,000 open postings, 2,000 courses over the ~700-skill taxonomy of
seed_data/demo/skills.csv, in the 36 districts of Maharashtra. Skill popularity is Zipf-like
(p ∝ rank^-0.7, calibrated so the most common skill is held by about a quarter of workers and asked
by about a quarter of postings, as in the demo cluster); postings' popularity order is the workers'
with local shuffles, so demand and supply overlap without being identical. Workers hold 3–10 skills
(levels 1–4), postings ask 3–8 (about two thirds essential, minimum levels 1–3), courses teach 4–12.

Files follow docs/imports.md (workers.csv, postings.csv, courses.csv) and are written to a fresh
temporary directory unless --out is given; they are benchmark inputs, never committed.

    python bench/generate_state.py [--out DIR] [--workers N] [--postings N] [--courses N] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SKILLS_CSV = PROJECT_ROOT / "seed_data" / "demo" / "skills.csv"
ZIPF_EXPONENT = 0.7
STATE = "Maharashtra"
# District and a rough weight (urban industrial districts get more workers and jobs).
DISTRICTS: dict[str, float] = {
    "Pune": 10, "Mumbai Suburban": 9, "Thane": 9, "Nashik": 6, "Nagpur": 6, "Mumbai City": 4,
    "Chhatrapati Sambhajinagar": 5, "Palghar": 3, "Raigad": 3, "Solapur": 3, "Kolhapur": 3,
    "Ahmednagar": 3, "Satara": 2, "Sangli": 2, "Jalgaon": 2, "Amravati": 2, "Nanded": 2,
    "Dharashiv": 1, "Latur": 1, "Akola": 1, "Chandrapur": 1, "Beed": 1, "Dhule": 1, "Ratnagiri": 1,
    "Yavatmal": 1, "Buldhana": 1, "Jalna": 1, "Parbhani": 1, "Wardha": 1, "Bhandara": 1,
    "Gondia": 1, "Nandurbar": 1, "Washim": 1, "Hingoli": 1, "Gadchiroli": 1, "Sindhudurg": 1,
}  # fmt: skip
FIRST_NAMES = [
    "Aarti",
    "Akash",
    "Amol",
    "Anjali",
    "Ashwini",
    "Dnyaneshwar",
    "Ganesh",
    "Kavita",
    "Mahesh",
    "Manisha",
    "Nilesh",
    "Pooja",
    "Prakash",
    "Priyanka",
    "Rahul",
    "Rupali",
    "Sachin",
    "Sandeep",
    "Sangita",
    "Santosh",
    "Shraddha",
    "Sunil",
    "Swati",
    "Vaishali",
    "Vishal",
    "Yogesh",
    "Ayesha",
    "Imran",
    "Farhan",
    "Salma",
]
LAST_NAMES = [
    "Patil",
    "Jadhav",
    "Shinde",
    "Pawar",
    "More",
    "Kale",
    "Gaikwad",
    "Chavan",
    "Deshmukh",
    "Kulkarni",
    "Thorat",
    "Sutar",
    "Ingle",
    "Shaikh",
    "Pathan",
    "Wagh",
    "Bhosale",
    "Salunkhe",
    "Mane",
    "Kamble",
    "Sawant",
    "Joshi",
]
JOB_TITLES = (
    "Machine Operator",
    "CNC Operator",
    "Welder",
    "Fitter",
    "Electrician",
    "Quality Inspector",
    "Assembly Technician",
    "Maintenance Technician",
    "Store Keeper",
    "Production Supervisor",
    "Sewing Machine Operator",
    "Field Technician",
)
COURSE_TITLES = (
    "Certificate course",
    "Short-term skill course",
    "Bridge module",
    "Apprenticeship preparation",
    "Upskilling programme",
)


@dataclass(frozen=True)
class StateData:
    """Where the generated files are and how many rows each has."""

    directory: Path
    workers: Path
    postings: Path
    courses: Path
    counts: dict[str, int]
    seconds: float


def read_taxonomy(path: Path = SKILLS_CSV) -> list[str]:
    """Skill URIs of the demo taxonomy (the benchmark's ~700 skills)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["conceptUri"] for row in csv.DictReader(handle)]


def zipf_popularity(n: int, exponent: float = ZIPF_EXPONENT) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** exponent
    return weights / weights.sum()


def sample_skill_sets(
    rng: np.random.Generator,
    log_popularity: np.ndarray,
    sizes: np.ndarray,
    block: int = 5000,
) -> list[np.ndarray]:
    """Per row, `sizes[i]` distinct skill indices drawn by popularity, without replacement (the
    Gumbel top-k trick, a block of rows at a time to bound memory)."""
    out: list[np.ndarray] = []
    largest = int(sizes.max()) if len(sizes) else 0
    for start in range(0, len(sizes), block):
        rows = sizes[start : start + block]
        keys = log_popularity + rng.gumbel(size=(len(rows), len(log_popularity)))
        top = np.argpartition(-keys, largest - 1, axis=1)[:, :largest]
        ranked = np.take_along_axis(top, np.argsort(-np.take_along_axis(keys, top, 1), 1), 1)
        out.extend(ranked[i, : rows[i]] for i in range(len(rows)))
    return out


def generate_state(
    out_dir: Path,
    *,
    workers: int = 100_000,
    postings: int = 10_000,
    courses: int = 2_000,
    seed: int = 2026,
    skills_csv: Path = SKILLS_CSV,
) -> StateData:
    """Write workers.csv, postings.csv and courses.csv (docs/imports.md formats) into `out_dir`."""
    if min(workers, postings, courses) < 0:
        raise ValueError("row counts must be ≥ 0")
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    uris = read_taxonomy(skills_csv)
    if len(uris) < 12:
        raise ValueError(f"{skills_csv} has too few skills ({len(uris)}) for 3–12 per row")
    n_skills = len(uris)
    popularity = zipf_popularity(n_skills)
    worker_order = rng.permutation(n_skills)  # worker_order[r] = skill of popularity rank r
    # Demand's order: the supply order with each rank moved by up to ~±15%.
    jitter = np.argsort(np.arange(n_skills) + rng.normal(0, 0.15 * n_skills, n_skills))
    posting_order = worker_order[jitter]
    worker_logp = np.empty(n_skills)
    worker_logp[worker_order] = np.log(popularity)
    posting_logp = np.empty(n_skills)
    posting_logp[posting_order] = np.log(popularity)

    names = list(DISTRICTS)
    district_p = np.array(list(DISTRICTS.values()), dtype=np.float64)
    district_p /= district_p.sum()

    paths = {
        "workers": out_dir / "workers.csv",
        "postings": out_dir / "postings.csv",
        "courses": out_dir / "courses.csv",
    }
    _write_workers(paths["workers"], rng, uris, worker_logp, names, district_p, workers)
    _write_postings(paths["postings"], rng, uris, posting_logp, names, district_p, postings)
    _write_courses(paths["courses"], rng, uris, posting_logp, names, district_p, courses)
    return StateData(
        directory=out_dir,
        workers=paths["workers"],
        postings=paths["postings"],
        courses=paths["courses"],
        counts={"workers": workers, "postings": postings, "courses": courses, "skills": n_skills},
        seconds=time.perf_counter() - started,
    )


def _write_workers(path, rng, uris, logp, districts, district_p, n) -> None:
    sizes = rng.integers(3, 11, size=n)
    skill_sets = sample_skill_sets(rng, logp, sizes)
    levels = rng.choice([1, 2, 3, 4], p=[0.25, 0.35, 0.28, 0.12], size=(n, 10))
    district = rng.choice(len(districts), p=district_p, size=n)
    gender = rng.choice(["male", "female", "transgender"], p=[0.7, 0.29, 0.01], size=n)
    birth = rng.integers(0, 365 * 37, size=n)
    visible = rng.random(n) < 0.85
    first = rng.integers(0, len(FIRST_NAMES), size=n)
    last = rng.integers(0, len(LAST_NAMES), size=n)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "worker_id",
                "name",
                "gender",
                "date_of_birth",
                "district",
                "state",
                "skills",
                "visible_to_employers",
            ]
        )
        for i in range(n):
            skills = ";".join(
                f"{uris[s]}|{levels[i, j]}" for j, s in enumerate(skill_sets[i].tolist())
            )
            writer.writerow(
                [
                    f"SW{i + 1:07d}",
                    f"{FIRST_NAMES[first[i]]} {LAST_NAMES[last[i]]}",
                    gender[i],
                    (date(1970, 1, 1) + timedelta(days=int(birth[i]))).isoformat(),
                    districts[district[i]],
                    STATE,
                    skills,
                    "yes" if visible[i] else "no",
                ]
            )


def _write_postings(path, rng, uris, logp, districts, district_p, n) -> None:
    sizes = rng.integers(3, 9, size=n)
    skill_sets = sample_skill_sets(rng, logp, sizes)
    essential = rng.random((n, 8)) < 0.67
    essential[:, 0] = True  # every posting has at least one essential skill
    min_level = rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15], size=(n, 8))
    district = rng.choice(len(districts), p=district_p, size=n)
    employers = max(1, n // 8)
    employer = rng.integers(0, employers, size=n)
    wage_min = rng.integers(10, 30, size=n) * 1000
    wage_span = rng.integers(0, 8, size=n) * 1000
    openings = rng.integers(1, 21, size=n)
    title = rng.integers(0, len(JOB_TITLES), size=n)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "posting_id",
                "employer_id",
                "employer_name",
                "title",
                "district",
                "openings",
                "essential_skills",
                "optional_skills",
                "wage_min_inr",
                "wage_max_inr",
                "status",
            ]
        )
        for i in range(n):
            picked = skill_sets[i].tolist()
            must = [
                uris[s] + (f"|{min_level[i, j]}" if min_level[i, j] > 1 else "")
                for j, s in enumerate(picked)
                if essential[i, j]
            ]
            nice = [
                uris[s] + (f"|{min_level[i, j]}" if min_level[i, j] > 1 else "")
                for j, s in enumerate(picked)
                if not essential[i, j]
            ]
            writer.writerow(
                [
                    f"SP{i + 1:06d}",
                    f"SEMP{employer[i] + 1:05d}",
                    f"State Employer {employer[i] + 1:05d} Pvt Ltd",
                    JOB_TITLES[title[i]],
                    districts[district[i]],
                    int(openings[i]),
                    ";".join(must),
                    ";".join(nice),
                    int(wage_min[i]),
                    int(wage_min[i] + wage_span[i]),
                    "open",
                ]
            )


def _write_courses(path, rng, uris, logp, districts, district_p, n) -> None:
    sizes = rng.integers(4, 13, size=n)
    skill_sets = sample_skill_sets(rng, logp, sizes)
    institutions = max(1, n // 5)
    institution = rng.integers(0, institutions, size=n)
    hours = rng.integers(2, 41, size=n) * 15
    fee = np.where(rng.random(n) < 0.4, 0, rng.integers(2, 26, size=n) * 1000)
    title = rng.integers(0, len(COURSE_TITLES), size=n)
    women_only = rng.random(n) < 0.05
    residential = rng.random(n) < 0.1
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "course_id",
                "institution_id",
                "institution_name",
                "title",
                "hours",
                "fee_inr",
                "skills",
                "mode",
                "women_only",
                "residential",
                "max_batch_size",
            ]
        )
        for i in range(n):
            writer.writerow(
                [
                    f"SC{i + 1:05d}",
                    f"SINS{institution[i] + 1:04d}",
                    f"Training Centre {institution[i] + 1:04d}, "
                    f"{districts[institution[i] % len(districts)]}",
                    f"{COURSE_TITLES[title[i]]} {i + 1}",
                    int(hours[i]),
                    int(fee[i]),
                    ";".join(uris[s] for s in skill_sets[i].tolist()),
                    "classroom",
                    "yes" if women_only[i] else "no",
                    "yes" if residential[i] else "no",
                    30,
                ]
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="default: a new temporary directory")
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--courses", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="kaushalsetu-state-"))
    data = generate_state(
        out, workers=args.workers, postings=args.postings, courses=args.courses, seed=args.seed
    )
    print(f"wrote {data.counts} to {data.directory} in {data.seconds:.1f} s", file=sys.stderr)
    print(data.directory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
