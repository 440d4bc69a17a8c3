"""The engine's match structures as the number of workers grows (100k, 200k, 400k, 1M): what a
serving process holds, and what several processes share.

For each size, in a fresh process: a generated state (bench/generate_state.py: that many workers;
--postings open postings), its profiles read back, the worker table (matching/worker_table.py),
the MatchIndex and the CandidateMatrix built (seconds, peak RSS), written as a snapshot
(app/matchmaking/snapshots.py: arrays as .npy files). Then two loader processes at once, as two
gunicorn workers would: each maps the snapshot, times 300 random workers' jobs (`rank_jobs`, top
10) and 300 postings' candidates (`CandidateMatrix.rank`; `rank_candidates`, the reference, for
50), the supply count of cluster demand,
and applying 10 changed workers (`MatchIndex.updated` + `CandidateMatrix.updated`); their RSS,
PSS and USS are read while both are running (bench/process_memory.py).

    python bench/worker_table_scale.py [--sizes 100000,200000,400000,1000000] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from app.matchmaking.snapshots import read_mapped, write_mapped  # noqa: E402
from bench.generate_state import generate_state  # noqa: E402
from bench.process_memory import memory_of  # noqa: E402
from bench.state_scale import (  # noqa: E402
    iter_workers,
    load_average,
    peak_rss_mib,
    percentile_ms,
    read_postings,
    skill_vectors,
)
from matching.candidate_matrix import CandidateMatrix  # noqa: E402
from matching.gaps import SkillCloseness  # noqa: E402
from matching.ranking import MatchIndex, rank_candidates, rank_jobs  # noqa: E402
from matching.worker_table import WorkerTable  # noqa: E402

TOP_K = 10
THRESHOLD = 0.75


def build_child(folder: Path, workers: int, postings: int, encoder: str) -> dict:
    """Generate, read, build and write the snapshot of one size; figures of this process."""
    data = generate_state(folder / "state", workers=workers, postings=postings, courses=100)
    started = time.perf_counter()
    profiles = list(iter_workers(data.directory / "workers.csv"))
    offers = read_postings(data.directory / "postings.csv")
    read_seconds = time.perf_counter() - started
    closeness = SkillCloseness(skill_vectors(encoder, folder), threshold=THRESHOLD)
    profiles_rss = peak_rss_mib()
    started = time.perf_counter()
    table = WorkerTable.from_profiles(profiles)
    table_seconds = time.perf_counter() - started
    del profiles
    gc.collect()
    started = time.perf_counter()
    index = MatchIndex(table, offers, closeness)
    index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    matrix = CandidateMatrix(table, closeness)
    matrix_seconds = time.perf_counter() - started
    started = time.perf_counter()
    (folder / "snapshot").mkdir()
    write_mapped(folder / "snapshot", {"index": index, "matrix": matrix})
    write_seconds = time.perf_counter() - started
    files = list((folder / "snapshot").iterdir())
    return {
        "workers": len(table),
        "postings": len(offers),
        "held_skills": len(table.base["skill"]),
        "read_s": read_seconds,
        "profiles_peak_rss_mib": profiles_rss,
        "table_build_s": table_seconds,
        "index_build_s": index_seconds,
        "matrix_build_s": matrix_seconds,
        "snapshot_write_s": write_seconds,
        "table_mib": sum(a.nbytes for a in table.base.values()) / 2**20,
        "snapshot_mib": sum(f.stat().st_size for f in files) / 2**20,
        "build_peak_rss_mib": peak_rss_mib(),
    }


def load_child(folder: Path, seed: int) -> None:
    """Map the snapshot, time queries and an update, print the figures, then wait on stdin so
    the parent can read this process's memory beside the other loader's."""
    started = time.perf_counter()
    found = read_mapped(folder / "snapshot")
    index, matrix = found["index"], found["matrix"]
    load_seconds = time.perf_counter() - started
    rng = random.Random(seed)
    table = index.workers
    ids = [table.id_of_row(row) for row in rng.sample(range(table.rows), 300)]
    postings = rng.sample(list(index.postings.values()), min(300, len(index.postings)))
    jobs, candidates = [], []
    for worker_id in ids:
        t0 = time.perf_counter()
        rank_jobs(index.workers[worker_id], index, limit=TOP_K)
        jobs.append(time.perf_counter() - t0)
    for posting in postings:
        t0 = time.perf_counter()
        matrix.rank(posting, TOP_K)
        candidates.append(time.perf_counter() - t0)
    reference = []  # rank_candidates: the reference, and the path of trainable candidates
    for posting in postings[:50]:
        t0 = time.perf_counter()
        rank_candidates(posting, index, limit=TOP_K)
        reference.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    table.holder_counts(lambda home: True)
    supply_seconds = time.perf_counter() - t0
    changed = [index.workers[worker_id] for worker_id in ids[:10]]
    updates = []
    for _ in range(5):
        t0 = time.perf_counter()
        index = index.updated(changed)
        matrix = matrix.updated(changed)
        updates.append(time.perf_counter() - t0)
    print(
        json.dumps(
            {
                "load_s": load_seconds,
                "jobs_p50_ms": percentile_ms(jobs, 50),
                "jobs_p95_ms": percentile_ms(jobs, 95),
                "candidates_p50_ms": percentile_ms(candidates, 50),
                "candidates_p95_ms": percentile_ms(candidates, 95),
                "rank_candidates_p50_ms": percentile_ms(reference, 50),
                "rank_candidates_p95_ms": percentile_ms(reference, 95),
                "supply_ms": supply_seconds * 1000,
                "update_10_workers_p50_ms": percentile_ms(updates, 50),
                "peak_rss_mib": peak_rss_mib(),
            }
        ),
        flush=True,
    )
    sys.stdin.read()  # until the parent has read the memory of both loaders


def measure(workers: int, postings: int, encoder: str, vectors: Path) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="kaushalsetu-table-scale-"))
    try:
        for name in vectors.glob("skill_vectors_*.npy"):
            shutil.copy(name, folder / name.name)
        script = str(Path(__file__).resolve())
        built = subprocess.run(
            [
                *(sys.executable, script, "--build-child", str(folder)),
                *(str(workers), str(postings), "--encoder", encoder),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            raise RuntimeError(built.stderr.strip()[-800:])
        result = json.loads(built.stdout.strip().splitlines()[-1])
        for name in folder.glob("skill_vectors_*.npy"):
            shutil.copy(name, vectors / name.name)
        loaders = [
            subprocess.Popen(
                [sys.executable, script, "--load-child", str(folder), str(seed)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for seed in (1, 2)
        ]
        loaded = [json.loads(loader.stdout.readline()) for loader in loaders]
        memory = [memory_of(loader.pid) for loader in loaders]
        for loader in loaders:
            loader.communicate("")
        result["loaders"] = [{**a, **b} for a, b in zip(loaded, memory, strict=True)]
        result["load_average"] = load_average()
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def report(results: list[dict]) -> None:
    print("Worker table at scale (two loader processes mapping one snapshot)")
    for r in results:
        print(
            f"  {r['workers']:,} workers ({r['held_skills']:,} held skills) × {r['postings']:,} "
            f"postings: read {r['read_s']:.1f} s (profiles peak RSS {r['profiles_peak_rss_mib']:.0f}"
            f" MiB); build table {r['table_build_s']:.1f} s, index {r['index_build_s']:.1f} s, "
            f"matrix {r['matrix_build_s']:.2f} s; arrays {r['table_mib']:.1f} MiB, snapshot "
            f"{r['snapshot_mib']:.1f} MiB written in {r['snapshot_write_s']:.2f} s; "
            f"load average {r['load_average']}"
        )
        for n, m in enumerate(r["loaders"], 1):
            print(
                f"    loader {n}: mapped in {m['load_s']:.2f} s; jobs p50/p95 "
                f"{m['jobs_p50_ms']:.1f}/{m['jobs_p95_ms']:.1f} ms, candidates "
                f"{m['candidates_p50_ms']:.1f}/{m['candidates_p95_ms']:.1f} ms (rank_candidates "
                f"{m['rank_candidates_p50_ms']:.0f}/{m['rank_candidates_p95_ms']:.0f} ms), supply "
                f"{m['supply_ms']:.0f} ms, 10 workers applied {m['update_10_workers_p50_ms']:.1f}"
                f" ms; RSS {m['rss']:.0f}, PSS {m['pss']:.0f}, USS {m['uss']:.0f}, peak "
                f"{m['peak_rss']:.0f} MiB"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,200000,400000,1000000")
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--encoder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--build-child", nargs=3, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--load-child", nargs=2, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_child:
        folder, workers, postings = args.build_child
        found = build_child(Path(folder), int(workers), int(postings), args.encoder)
        print(json.dumps(found))
        return 0
    if args.load_child:
        load_child(Path(args.load_child[0]), int(args.load_child[1]))
        return 0
    vectors = Path(tempfile.mkdtemp(prefix="kaushalsetu-vectors-"))
    try:
        results = []
        for size in [int(s) for s in args.sizes.split(",")]:
            print(f"   {size:,} workers ...", file=sys.stderr, flush=True)
            results.append(measure(size, args.postings, args.encoder, vectors))
    finally:
        shutil.rmtree(vectors, ignore_errors=True)
    report(results)
    if args.json:
        print(json.dumps({"sizes": results, "cpus": os.cpu_count()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
