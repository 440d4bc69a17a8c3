"""State scale through the app: the synthetic state loaded with the bulk importers, then bulk
recommendations and single-query latency through app/matchmaking/services.py, on SQLite or PostgreSQL.

Steps, each a `flask --app wsgi` command in its own process (wall time and peak RSS measured):
migrate a fresh database, import the demo taxonomy, `flask import courses|postings|workers` the
files of bench/generate_state.py (100,000 workers, 10,000 postings, 2,000 courses by default),
`flask recommend all --top-k 10`. Then, in a fresh process, the first matching call (which builds
the process's match data: the cold start) and p50/p95 of `jobs_for_worker` and
`candidates_for_posting` for random workers and open postings; then read after write: a worker's
skills replaced (`set_worker_skills`, as PUT /api/v1/workers/{id}/skills) or a posting's
required skills, committed, and at once that worker's jobs and a posting's candidates read
(p50/p95 of each read, which includes bringing the match data up to date from the change log;
each read is checked to reflect the write). Last, another fresh process: its first matching call
with the snapshot the first process left (MATCH_SNAPSHOT_DIR) and the writes since applied.

    python bench/state_app.py [--data DIR] [--workers N] [--database sqlite|postgresql://...]

With a PostgreSQL server URL, a database `kaushalsetu_bench_state` is created on it and dropped
at the end (never the database the tests use): bench/databases.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.databases import FreshDatabase  # noqa: E402
from bench.generate_state import SKILLS_CSV  # noqa: E402

TOP_K = 10


def peak_rss_of(process) -> float:
    """Poll a running process (and its children) for its largest resident set, in MiB."""
    import psutil

    peak = 0
    try:
        watched = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                total = watched.memory_info().rss + sum(
                    child.memory_info().rss for child in watched.children(recursive=True)
                )
            except psutil.Error:
                break
            peak = max(peak, total)
            time.sleep(0.1)
    except psutil.Error:
        pass
    return peak / 2**20


def run_step(env: dict[str, str], args: list[str]) -> dict:
    """One flask command: wall seconds, peak RSS and its last lines of output."""
    flask = [str(Path(sys.executable).with_name("flask")), "--app", "wsgi"]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*flask, *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak: list[float] = []
    watcher = threading.Thread(target=lambda: peak.append(peak_rss_of(process)), daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    watcher.join(timeout=5)
    tail = [line[:200] for line in (stdout + "\n" + stderr).splitlines() if line.strip()][-3:]
    if process.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed: " + " | ".join(tail))
    return {"seconds": seconds, "peak_rss_mib": peak[0] if peak else 0.0, "last_line": tail[-1]}


def latency_child(samples: int, seed: int) -> dict:
    """In this (fresh) process: the cold first call, then warm single queries, then reads after
    writes."""
    from sqlalchemy import func, select

    from app import create_app
    from app.auth.policy import worker_may_be_matched
    from app.employers.models import JobPosting, PostingStatus
    from app.extensions import db
    from app.matchmaking import match_inputs, services
    from app.workers.models import Worker

    app = create_app()
    with app.app_context():
        rng = random.Random(seed)
        worker_ids = list(db.session.scalars(select(Worker.id).where(worker_may_be_matched())))
        posting_ids = list(
            db.session.scalars(select(JobPosting.id).where(JobPosting.status == PostingStatus.open))
        )
        workers = [
            db.session.get(Worker, i) for i in rng.sample(worker_ids, min(samples, len(worker_ids)))
        ]
        postings = [
            db.session.get(JobPosting, i)
            for i in rng.sample(posting_ids, min(samples, len(posting_ids)))
        ]
        started = time.perf_counter()
        services.jobs_for_worker(workers[0], top_k=TOP_K)
        cold = time.perf_counter() - started
        services.candidates_for_posting(postings[0], top_k=TOP_K)  # any lazily built parts
        timings: dict[str, list[float]] = {
            "jobs": [],
            "candidates": [],
            "jobs_cpu": [],
            "cand_cpu": [],
        }
        for worker in workers:
            t0, c0 = time.perf_counter(), time.thread_time()
            services.jobs_for_worker(worker, top_k=TOP_K)
            timings["jobs"].append(time.perf_counter() - t0)
            timings["jobs_cpu"].append(time.thread_time() - c0)
        for posting in postings:
            t0, c0 = time.perf_counter(), time.thread_time()
            services.candidates_for_posting(posting, top_k=TOP_K)
            timings["candidates"].append(time.perf_counter() - t0)
            timings["cand_cpu"].append(time.thread_time() - c0)
        counts = {
            "workers": db.session.scalar(select(func.count(Worker.id))),
            "open_postings": len(posting_ids),
        }
        after_write = read_after_write(app, workers, postings, rng)
        if match_inputs._saving is not None:
            match_inputs._saving.join()  # the snapshot the next process starts from
        # The same with a full build after every write, as before the change log (no snapshots
        # written): a few writes, for comparison.
        app.config.update(MATCH_CHANGES_MAX=0, MATCH_SNAPSHOT_DIR="")
        rebuilt = read_after_write(app, workers[:20], postings[:20], rng)
        after_write.update({f"rebuild_{name}": value for name, value in rebuilt.items()})

    def pct(values: list[float], q: float) -> float:
        return float(np.percentile(np.array(values) * 1000, q))

    import resource

    return {
        **counts,
        "cold_s": cold,
        "queries": len(workers),
        "jobs_p50_ms": pct(timings["jobs"], 50),
        "jobs_p95_ms": pct(timings["jobs"], 95),
        "jobs_cpu_p95_ms": pct(timings["jobs_cpu"], 95),
        "candidates_p50_ms": pct(timings["candidates"], 50),
        "candidates_p95_ms": pct(timings["candidates"], 95),
        "candidates_cpu_p95_ms": pct(timings["cand_cpu"], 95),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **after_write,
    }


def read_after_write(app, workers: list, postings: list, rng: random.Random) -> dict:
    """Writes, each committed, each followed at once by the reads that must reflect it: for a
    worker whose skills were replaced, their jobs (and a posting's candidates); for a posting whose
    skills were replaced, its candidates (and the jobs of a worker holding one of them)."""
    from sqlalchemy import select

    from app.employers.services import set_posting_skills
    from app.extensions import db
    from app.matchmaking import match_inputs, services
    from app.skills.models import Skill
    from app.transactions import unit_of_work
    from app.workers.services import set_worker_skills

    uris = list(db.session.scalars(select(Skill.uri).order_by(Skill.id)))
    timings: dict[str, list[float]] = {"write": [], "jobs": [], "candidates": []}
    # Even writes: a worker's skills, then their jobs read first; odd: a posting's, candidates first.
    stale = 0
    for n, (worker, posting) in enumerate(zip(workers, postings, strict=False)):
        chosen = rng.sample(uris, 5)
        started = time.perf_counter()
        with unit_of_work():
            if n % 2 == 0:
                set_worker_skills(
                    worker, [{"uri": uri, "proficiency": rng.randint(1, 4)} for uri in chosen]
                )
            else:
                set_posting_skills(
                    posting, [{"uri": uri, "essential": True, "proficiency": 1} for uri in chosen]
                )
        timings["write"].append(time.perf_counter() - started)
        # The read of what was written comes first: it brings the match data up to date.
        for name in ("jobs", "candidates") if n % 2 == 0 else ("candidates", "jobs"):
            started = time.perf_counter()
            if name == "jobs":
                services.jobs_for_worker(worker, top_k=TOP_K)
            else:
                services.candidates_for_posting(posting, top_k=TOP_K)
            timings[name].append(time.perf_counter() - started)
        data = match_inputs.match_data()
        if n % 2 == 0:
            seen = set(data.index.workers[worker.external_id].held_map)
        else:
            seen = {req.uri for req in data.index.postings[posting.external_id].required}
        stale += seen != set(chosen)

    def pct(values: list[float], q: float) -> float:
        return float(np.percentile(np.array(values) * 1000, q))

    return {
        "raw_writes": len(timings["write"]),
        "raw_stale": stale,
        "raw_write_p95_ms": pct(timings["write"], 95),
        "raw_jobs_p50_ms": pct(timings["jobs"], 50),
        "raw_jobs_p95_ms": pct(timings["jobs"], 95),
        "raw_candidates_p50_ms": pct(timings["candidates"], 50),
        "raw_candidates_p95_ms": pct(timings["candidates"], 95),
    }


def snapshot_start_child() -> dict:
    """In a fresh process after the latency run: the first matching call, served from the
    snapshot the latency run left plus the change log since."""
    from sqlalchemy import select

    from app import create_app
    from app.auth.policy import worker_may_be_matched
    from app.extensions import db
    from app.matchmaking import match_inputs, services
    from app.workers.models import Worker

    app = create_app()
    with app.app_context():
        worker = db.session.get(
            Worker, db.session.scalar(select(Worker.id).where(worker_may_be_matched()).limit(1))
        )
        started = time.perf_counter()
        services.jobs_for_worker(worker, top_k=TOP_K)
        first = time.perf_counter() - started
        built = match_inputs.full_builds > 0
    return {"snapshot_first_call_s": first, "snapshot_used": not built}


def measure(
    data: Path, target: str, encoder: str, samples: int, name: str = "kaushalsetu_bench_state"
) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="kaushalsetu-state-app-"))
    database = FreshDatabase(target, folder, name=name)
    try:
        env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "KAUSHALSETU_INSTANCE": str(folder),
            "VECTOR_CACHE_DIR": str(folder / "vectors"),
            "KAUSHALSETU_ENCODER": encoder,
            "MATCH_SNAPSHOT_DIR": str(folder / "match_data"),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
        env.pop("REDIS_URL", None)  # inline: the command's own time, not a queue's
        output = folder / "recommendations.jsonl"
        steps = [
            ("instance", ["instance", "init"]),
            ("migrate", ["db", "upgrade"]),
            ("import taxonomy", ["taxonomy", "import-esco", str(SKILLS_CSV)]),
            ("import courses", ["import", "courses", str(data / "courses.csv")]),
            ("import postings", ["import", "postings", str(data / "postings.csv")]),
            ("import workers", ["import", "workers", str(data / "workers.csv")]),
            ("recommend all", ["recommend", "all", "--top-k", str(TOP_K), "--output", str(output)]),
        ]
        results: dict = {"database": database.kind, "encoder": encoder, "steps": {}}
        for name, args in steps:
            print(f"   {name} ...", file=sys.stderr, flush=True)
            results["steps"][name] = run_step(env, args)
        with output.open(encoding="utf-8") as handle:
            results["recommendation_lines"] = sum(1 for _ in handle)
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--latency-child", str(samples)],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if child.returncode != 0:
            raise RuntimeError("latency run failed: " + child.stderr.strip()[-800:])
        results["latency"] = json.loads(child.stdout.strip().splitlines()[-1])
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--snapshot-child"],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if child.returncode != 0:
            raise RuntimeError("snapshot start failed: " + child.stderr.strip()[-800:])
        results["latency"].update(json.loads(child.stdout.strip().splitlines()[-1]))
        results["load_average"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        return results
    finally:
        database.drop()
        shutil.rmtree(folder, ignore_errors=True)


def rows_of(found: dict) -> list[tuple[str, str]]:
    lat = found["latency"]
    db = found["database"]
    rows = [("data", f"{found['size']}; {db}; encoder {found['encoder']}")]
    for name, step in found["steps"].items():
        rows.append(
            (f"{db}: {name}", f"{step['seconds']:.1f} s, peak RSS {step['peak_rss_mib']:.0f} MiB")
        )
    rows += [
        (f"{db}: recommend all lines", f"{found['recommendation_lines']:,}"),
        (f"{db}: first call (builds match data)", f"{lat['cold_s']:.1f} s"),
        (
            f"{db}: jobs_for_worker",
            f"p50 {lat['jobs_p50_ms']:.1f} ms, p95 {lat['jobs_p95_ms']:.1f} ms "
            f"(CPU p95 {lat['jobs_cpu_p95_ms']:.1f} ms; {lat['queries']} queries)",
        ),
        (
            f"{db}: candidates_for_posting",
            f"p50 {lat['candidates_p50_ms']:.1f} ms, p95 {lat['candidates_p95_ms']:.1f} ms "
            f"(CPU p95 {lat['candidates_cpu_p95_ms']:.1f} ms)",
        ),
        (f"{db}: serving process peak RSS", f"{lat['peak_rss_mib']:.0f} MiB"),
        (
            f"{db}: read after write: worker's jobs (first read after half the writes)",
            f"p50 {lat['raw_jobs_p50_ms']:.1f} ms, p95 {lat['raw_jobs_p95_ms']:.1f} ms "
            f"({lat['raw_writes']} writes, {lat['raw_stale']} reads not reflecting theirs)",
        ),
        (
            f"{db}: read after write: posting's candidates (first after the other half)",
            f"p50 {lat['raw_candidates_p50_ms']:.1f} ms, p95 {lat['raw_candidates_p95_ms']:.1f} ms "
            f"(the write itself p95 {lat['raw_write_p95_ms']:.1f} ms)",
        ),
        (
            f"{db}: the same with a full build per write (as before)",
            f"jobs p50 {lat['rebuild_raw_jobs_p50_ms']:.0f} ms, p95 "
            f"{lat['rebuild_raw_jobs_p95_ms']:.0f} ms; candidates p50 "
            f"{lat['rebuild_raw_candidates_p50_ms']:.0f} ms, p95 "
            f"{lat['rebuild_raw_candidates_p95_ms']:.0f} ms ({lat['rebuild_raw_writes']} writes)",
        ),
        (
            f"{db}: first call of a new process, from the snapshot",
            f"{lat['snapshot_first_call_s']:.2f} s"
            + ("" if lat["snapshot_used"] else " (no snapshot: a full build)"),
        ),
        ("load average after", found["load_average"]),
    ]  # fmt: skip
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="generated data (default: new)")
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--courses", type=int, default=2_000)
    parser.add_argument(
        "--database",
        action="append",
        help="sqlite (default) or a PostgreSQL server URL; give it twice for both",
    )
    parser.add_argument("--encoder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument(
        "--database-name",
        default="kaushalsetu_bench_state",
        help="the PostgreSQL database made (and dropped) for the run",
    )
    parser.add_argument("--samples", type=int, default=300, help="single queries timed")
    parser.add_argument("--json", action="store_true", help="print one JSON line at the end")
    parser.add_argument("--latency-child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--snapshot-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.snapshot_child:
        print(json.dumps(snapshot_start_child()))
        return 0

    if args.latency_child is not None:
        print(json.dumps(latency_child(args.latency_child, seed=1)))
        return 0

    data = args.data
    generated = data is None
    if data is None:
        data = Path(tempfile.mkdtemp(prefix="kaushalsetu-state-"))
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).with_name("generate_state.py")),
                *("--out", str(data), "--workers", str(args.workers)),
                *("--postings", str(args.postings), "--courses", str(args.courses)),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    size = f"{args.workers:,} workers, {args.postings:,} postings, {args.courses:,} courses"
    try:
        results = []
        rows: list[tuple[str, str]] = []
        for target in args.database or ["sqlite"]:
            found = measure(data, target, args.encoder, args.samples, args.database_name)
            found["size"] = size
            results.append(found)
            rows += rows_of(found)
    finally:
        if generated:
            shutil.rmtree(data, ignore_errors=True)
    width = max(len(name) for name, _ in rows)
    print(
        "\nState scale through the app (bulk importers, recommend all, app/matchmaking/services.py)"
    )
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    if args.json:
        print(json.dumps({"runs": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
