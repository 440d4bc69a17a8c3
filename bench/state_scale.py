"""State-scale matching benchmark: single-worker and single-posting latency, and bulk top-10 jobs.

Engine level (no database): the synthetic state of bench/generate_state.py is read back from its
CSV files into the engine's profiles; skill closeness uses the MiniLM label vectors of the ~700
skills (as the app's linker does; `--encoder hashing` for a model-free run).

* latency: `MatchIndex` over all workers and open postings, then p50/p95 of `rank_jobs` for random
  workers and of `rank_candidates` for random postings, limit 10 (one warm-up pass first);
* bulk: `matching.top_jobs_all` top-10 jobs for the first N workers, N in --bulk-sizes, each in a fresh
  subprocess that streams workers from the CSV, so its peak RSS is the bulk run's own memory
  (postings, closeness, one chunk of workers, the results of that chunk).

The same state through the database and the app is bench/state_app.py.

    python bench/state_scale.py [--data DIR] [--workers N] [--bulk-sizes 10000,50000,100000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.generate_state import SKILLS_CSV  # noqa: E402
from matching.candidate_matrix import CandidateMatrix  # noqa: E402
from matching.gaps import (  # noqa: E402
    DEFAULT_CLOSENESS_THRESHOLD,
    HeldSkill,
    RequiredSkill,
    SkillCloseness,
)
from matching.ranking import (  # noqa: E402
    MatchIndex,
    PostingProfile,
    WorkerProfile,
    rank_candidates,
    rank_jobs,
)
from matching.top_jobs_all import DEFAULT_CHUNK_SIZE, BulkJobMatcher  # noqa: E402

TOP_K = 10


# --- Reading the generated files back into the engine's inputs ------------------------------------


def _skill_cell(cell: str, default_level: int) -> list[tuple[str, int]]:
    out = []
    for item in filter(None, (part.strip() for part in cell.split(";"))):
        uri, _, level = item.partition("|")
        out.append((uri, int(level) if level else default_level))
    return out


def iter_workers(path: Path, limit: int | None = None) -> Iterator[WorkerProfile]:
    """Workers of a workers.csv (skills given by URI), streamed row by row."""
    with path.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if limit is not None and i >= limit:
                return
            yield WorkerProfile(
                worker_id=row["worker_id"],
                held=tuple(HeldSkill(u, u, level) for u, level in _skill_cell(row["skills"], 2)),
                district=row["district"] or None,
                visible=row.get("visible_to_employers", "yes") != "no",
            )


def read_postings(path: Path) -> list[PostingProfile]:
    """Open postings of a postings.csv, with the monthly wage as the middle of the range."""
    postings = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (row.get("status") or "open") != "open":
                continue
            required = [
                RequiredSkill(u, u, True, level)
                for u, level in _skill_cell(row["essential_skills"], 1)
            ]
            required += [
                RequiredSkill(u, u, False, level)
                for u, level in _skill_cell(row["optional_skills"], 1)
            ]
            low, high = row.get("wage_min_inr"), row.get("wage_max_inr")
            wages = [float(v) for v in (low, high) if v]
            postings.append(
                PostingProfile(
                    posting_id=row["posting_id"],
                    required=tuple(required),
                    title=row["title"],
                    employer=row["employer_name"],
                    district=row["district"] or None,
                    wage_inr=sum(wages) / len(wages) if wages else None,
                    openings=int(row["openings"]),
                )
            )
    return postings


def skill_vectors(encoder_name: str, cache: Path) -> dict[str, np.ndarray]:
    """Label vectors of the taxonomy skills, computed once per data directory and encoder."""
    with SKILLS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [(r["conceptUri"], r["preferredLabel"]) for r in csv.DictReader(handle)]
    target = cache / f"skill_vectors_{encoder_name}.npy"
    if target.exists():
        matrix = np.load(target)
    else:
        if encoder_name == "minilm":
            from matching.encoder import load_minilm

            encoder = load_minilm(adapter=None)  # closeness: the plain model, as the app
        else:
            from matching.encoder import HashingEncoder

            encoder = HashingEncoder()
        matrix = np.asarray(encoder.encode([label for _, label in rows]), dtype=np.float32)
        np.save(target, matrix)
    return {uri: matrix[i] for i, (uri, _) in enumerate(rows)}


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far. VmHWM, because ru_maxrss survives fork + exec
    and would report the parent's size in a fresh child."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def load_average() -> str:
    """The 1/5/15-minute load averages: wall times on a shared machine need them beside."""
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def percentile_ms(samples: Sequence[float], q: float) -> float:
    return float(np.percentile(np.array(samples) * 1000, q))


# --- Engine-level measurements --------------------------------------------------------------------


def latency(data: Path, encoder: str, threshold: float, queries: int, seed: int) -> dict:
    """Build the MatchIndex over everything, then time single queries."""
    started = time.perf_counter()
    workers = list(iter_workers(data / "workers.csv"))
    postings = read_postings(data / "postings.csv")
    read_seconds = time.perf_counter() - started
    closeness = SkillCloseness(skill_vectors(encoder, data), threshold=threshold)
    started = time.perf_counter()
    index = MatchIndex(workers, postings, closeness)
    build_seconds = time.perf_counter() - started
    rng = random.Random(seed)
    sample_workers = rng.sample(workers, min(queries, len(workers)))
    sample_postings = rng.sample(postings, min(queries, len(postings)))
    for worker in sample_workers[:20]:  # warm-up
        rank_jobs(worker, index, limit=TOP_K)
    jobs_times, candidate_times, jobs_cpu, candidate_cpu = [], [], [], []
    for worker in sample_workers:
        t0, c0 = time.perf_counter(), time.thread_time()
        rank_jobs(worker, index, limit=TOP_K)
        jobs_times.append(time.perf_counter() - t0)
        jobs_cpu.append(time.thread_time() - c0)
    for posting in sample_postings:
        t0, c0 = time.perf_counter(), time.thread_time()
        rank_candidates(posting, index, limit=TOP_K)
        candidate_times.append(time.perf_counter() - t0)
        candidate_cpu.append(time.thread_time() - c0)
    started = time.perf_counter()
    matrix = CandidateMatrix(workers, closeness)
    matrix_seconds = time.perf_counter() - started
    for posting in sample_postings[:20]:  # warm-up
        matrix.rank(posting, TOP_K)
    matrix_times, matrix_cpu = [], []
    for posting in sample_postings:
        t0, c0 = time.perf_counter(), time.thread_time()
        matrix.rank(posting, TOP_K)
        matrix_times.append(time.perf_counter() - t0)
        matrix_cpu.append(time.thread_time() - c0)
    neighbours = [len(closeness.neighbours(uri)) for uri in closeness._uris]
    return {
        "workers": len(workers),
        "postings": len(postings),
        "read_s": read_seconds,
        "index_build_s": build_seconds,
        "jobs_p50_ms": percentile_ms(jobs_times, 50),
        "jobs_p95_ms": percentile_ms(jobs_times, 95),
        "candidates_p50_ms": percentile_ms(candidate_times, 50),
        "candidates_p95_ms": percentile_ms(candidate_times, 95),
        "jobs_cpu_p95_ms": percentile_ms(jobs_cpu, 95),
        "matrix_build_s": matrix_seconds,
        "matrix_candidates_p50_ms": percentile_ms(matrix_times, 50),
        "matrix_candidates_p95_ms": percentile_ms(matrix_times, 95),
        "matrix_candidates_cpu_p95_ms": percentile_ms(matrix_cpu, 95),
        "candidates_cpu_p95_ms": percentile_ms(candidate_cpu, 95),
        "queries": len(sample_workers),
        "mean_neighbours": float(np.mean(neighbours)) if neighbours else 0.0,
        "peak_rss_mib": peak_rss_mib(),
    }


def bulk_child(data: Path, encoder: str, threshold: float, n_workers: int, chunk: int) -> dict:
    """One bulk run in this (fresh) process: postings and closeness, then workers streamed."""
    started = time.perf_counter()
    postings = read_postings(data / "postings.csv")
    closeness = SkillCloseness(skill_vectors(encoder, data), threshold=threshold)
    matcher = BulkJobMatcher(postings, closeness)
    prepare = time.perf_counter() - started
    rss_before = peak_rss_mib()
    parse_seconds = parse_cpu = 0.0

    def timed_workers() -> Iterator[WorkerProfile]:
        nonlocal parse_seconds, parse_cpu
        stream = iter_workers(data / "workers.csv", n_workers)
        while True:
            t0, c0 = time.perf_counter(), time.thread_time()
            worker = next(stream, None)
            parse_seconds += time.perf_counter() - t0
            parse_cpu += time.thread_time() - c0
            if worker is None:
                return
            yield worker

    started = time.perf_counter()
    cpu_started = time.process_time()
    count = listed = 0
    for _worker, jobs in matcher.iter_top_jobs(timed_workers(), TOP_K, chunk_size=chunk):
        count += 1
        listed += len(jobs)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "workers": count,
        "postings": len(postings),
        "prepare_s": prepare,
        "total_s": seconds,
        "csv_parse_s": parse_seconds,
        "bulk_s": seconds - parse_seconds,
        "cpu_s": cpu - parse_cpu,
        "csv_parse_cpu_s": parse_cpu,
        "load_average": load_average(),
        "per_1k_workers_s": (seconds - parse_seconds) / max(count, 1) * 1000,
        "jobs_listed": listed,
        "rss_before_bulk_mib": rss_before,
        "peak_rss_mib": peak_rss_mib(),
        "chunk_size": chunk,
    }


def bulk(data: Path, encoder: str, threshold: float, n_workers: int, chunk: int) -> dict:
    """`bulk_child` in a subprocess, so each size's peak memory is its own."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--data",
        str(data),
        "--encoder",
        encoder,
        "--threshold",
        str(threshold),
        "--chunk-size",
        str(chunk),
        "--bulk-child",
        str(n_workers),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- Entry point ------------------------------------------------------------------------------------


def print_table(title: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print(f"\n{title}")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="generated data (default: new)")
    parser.add_argument("--workers", type=int, default=100_000, help="workers to generate")
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--courses", type=int, default=2_000)
    parser.add_argument("--bulk-sizes", default="10000,50000,100000")
    parser.add_argument("--queries", type=int, default=300, help="single queries timed")
    parser.add_argument("--encoder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument("--threshold", type=float, default=DEFAULT_CLOSENESS_THRESHOLD)
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE)
    parser.add_argument("--json", action="store_true", help="print one JSON line at the end")
    parser.add_argument("--keep", action="store_true", help="keep generated data and database")
    parser.add_argument("--bulk-child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.bulk_child is not None:
        result = bulk_child(
            args.data, args.encoder, args.threshold, args.bulk_child, args.chunk_size
        )
        print(json.dumps(result))
        return 0

    data = args.data
    generated = data is None
    if data is None:  # in a child process, so its memory is not counted as the index's
        data = Path(tempfile.mkdtemp(prefix="kaushalsetu-state-"))
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).with_name("generate_state.py")),
                *("--out", str(data), "--workers", str(args.workers)),
                *("--postings", str(args.postings), "--courses", str(args.courses)),
            ],
            check=True,
        )
    try:
        return run_benchmarks(args, data)
    finally:
        if generated and not args.keep:
            shutil.rmtree(data, ignore_errors=True)


def run_benchmarks(args: argparse.Namespace, data: Path) -> int:
    sizes = [int(s) for s in args.bulk_sizes.split(",") if s.strip()]
    skill_vectors(args.encoder, data)  # encode once, before anything is timed

    lat = latency(data, args.encoder, args.threshold, args.queries, seed=1)
    rows = [
        ("data", f"{lat['workers']:,} workers × {lat['postings']:,} open postings"),
        ("closeness", f"{args.encoder}, threshold {args.threshold}, "
         f"{lat['mean_neighbours']:.1f} neighbours per skill"),
        ("read CSV → profiles", f"{lat['read_s']:.1f} s"),
        ("MatchIndex build", f"{lat['index_build_s']:.1f} s"),
        ("jobs for a worker (top 10)",
         f"p50 {lat['jobs_p50_ms']:.1f} ms, p95 {lat['jobs_p95_ms']:.1f} ms "
         f"(CPU p95 {lat['jobs_cpu_p95_ms']:.1f} ms; {lat['queries']} queries)"),
        ("candidates for a posting (top 10)",
         f"p50 {lat['candidates_p50_ms']:.1f} ms, p95 {lat['candidates_p95_ms']:.1f} ms "
         f"(CPU p95 {lat['candidates_cpu_p95_ms']:.1f} ms)"),
        ("candidates, CandidateMatrix (top 10)",
         f"p50 {lat['matrix_candidates_p50_ms']:.1f} ms, p95 {lat['matrix_candidates_p95_ms']:.1f} ms "
         f"(CPU p95 {lat['matrix_candidates_cpu_p95_ms']:.1f} ms; build {lat['matrix_build_s']:.1f} s)"),
        ("peak RSS (index + all profiles)", f"{lat['peak_rss_mib']:.0f} MiB"),
        ("machine", f"{os.cpu_count()} CPUs, load average {load_average()} (shared: wall > CPU)"),
    ]  # fmt: skip
    results: dict = {"latency": lat, "bulk": []}
    for size in sizes:
        if size > lat["workers"]:
            continue
        found = bulk(data, args.encoder, args.threshold, size, args.chunk_size)
        results["bulk"].append(found)
        rows.append(
            (
                f"bulk top-10, {found['workers']:,} workers",
                f"wall {found['bulk_s']:.1f} s, CPU {found['cpu_s']:.1f} s "
                f"(+ CSV parsing {found['csv_parse_s']:.1f} s), "
                f"peak RSS {found['peak_rss_mib']:.0f} MiB (load {found['load_average']})",
            )
        )
    if args.keep or args.data:
        rows.append(("data directory", str(data)))
    print_table("State scale (engine level)", rows)
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
