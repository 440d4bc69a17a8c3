"""`make bench`: run every benchmark in bench/ and print one combined table.

Each runs in its own process, so one failing or missing input does not stop the others:

* bench/encoder_speed.py — the MiniLM encoder alone: start-up to the first vector in a new
  process, and sentences per second, on onnxruntime (used) and torch (the reference);
* bench/skill_linking.py — skill linking quality and speed on the ESCO validation splits;
* bench/multilingual.py — Marathi, Hindi and Hinglish worker statements beside their English
  renderings (RP@5 per language and the ratio);
* bench/state_scale.py — the engine alone: latency of one worker's jobs and one posting's
  candidates over 100,000 workers × 10,000 postings, bulk top-10 for 10k / 50k / 100k workers;
* bench/state_app.py — the same state loaded through the bulk importers into SQLite and into the
  PostgreSQL server (a database of its own), `flask recommend all`, and latency through
  app/matchmaking/services.py;
* bench/demo_latency.py — jobs and candidates through the app on the demo cluster;
* bench/fair_use_load.py — one account floods skill linking with 8 parallel streams of its
  largest accepted text for 30 s while another reads candidate lists once a second;
* bench/http_load.py — locust at 50 req/s for 5 minutes against gunicorn on loopback, on SQLite
  and on PostgreSQL; then the mixed load at state scale: 100,000 generated workers imported on
  the demo cluster in PostgreSQL, 45 reads/s (jobs, candidates, gaps, pages) with 5 writes/s
  (skills, postings, enrolments, each followed by a read that must reflect it) for 5 minutes,
  with each gunicorn worker's memory;
* bench/worker_table_scale.py — the match structures at 100k, 200k, 400k and 1M workers, two
  processes mapping one snapshot;
* bench/extractor_compare.py — the skill linker beside esco-skill-extractor (requirements-bench.txt).

About 70 minutes on 2 cores. `--quick` runs a reduced state (20,000 workers), SQLite only, and
skips the HTTP and extractor runs (a few minutes).

    python bench/run_all.py [--quick] [--only NAME ...] [--postgres URL]

Timings on a shared machine include waiting for the CPU: the table shows the load average too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH = PROJECT_ROOT / "bench"
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))
NAMES = [
    "encoder",
    "skill-linking",
    "multilingual",
    "state-scale",
    "state-app",
    "demo-latency",
    "fair-use",
    "http",
    "table-scale",
    "extractor",
]
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def machine() -> str:
    """CPU model, core count and memory, for the record next to the figures."""
    cpu = platform.processor() or "unknown CPU"
    memory = "unknown memory"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} × {cpu}, {memory}"


def run(name: str, args: list[str], timeout: float) -> dict:
    """Run one benchmark script; keep its output, its last JSON line (if any) and its time."""
    script = BENCH / args[0]
    if not script.exists():
        return {"name": name, "status": "missing", "seconds": 0.0, "output": ""}
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(script), *args[1:]],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"name": name, "status": f"timed out after {timeout:.0f} s", "seconds": timeout}
    seconds = time.perf_counter() - started
    result: dict = {
        "name": name,
        "status": "ok" if done.returncode == 0 else f"failed (exit {done.returncode})",
        "seconds": seconds,
        "output": done.stdout,
        "errors": done.stderr.strip().splitlines()[-5:],
    }
    for line in reversed(done.stdout.strip().splitlines()):
        if line.startswith("{"):
            result["json"] = json.loads(line)
            break
    return result


def _present_cells(value: dict) -> str:
    """The present flag's P / R / F1 of a multilingual summary row, as written and in English."""
    if "present" not in value:
        return ""
    own, english = value["present"], value["english_present"]
    return (
        f"; present P/R/F1 {own['p']:.1f}/{own['r']:.1f}/{own['f1']:.1f}"
        f" vs English {english['p']:.1f}/{english['r']:.1f}/{english['f1']:.1f}"
    )


def summary(result: dict) -> list[tuple[str, str]]:
    """The headline figures of one benchmark, as (measure, value) rows; one that failed gets a
    row saying so first, then its figures if it reported any (a benchmark that measured and
    missed a target exits non-zero after its report)."""
    if result["status"] == "ok":
        return _figures(result)
    errors = " | ".join(result.get("errors", []))
    if result.get("json"):
        return [(result["name"], f"{result['status']}: a target missed (see its report above)")] + [
            row for row in _figures(result) if not row[1].startswith("ok")
        ]
    return [(result["name"], (result["status"] + (f"; {errors}" if errors else ""))[:300])]


def _figures(result: dict) -> list[tuple[str, str]]:
    found = result.get("json")
    name = result["name"]
    if name == "encoder speed" and found:
        return [
            (
                f"encoder: {backend}",
                f"first vector {run['first_vector']:.2f} s from process start, "
                f"{run['sentences_per_s']:.0f} sentences/s, {run['labels_per_s']:.0f} labels/s",
            )
            for backend, run in found.items()
        ]
    if name == "skill linking":
        lines = [line for line in result["output"].splitlines() if line.startswith("AVG")]
        return [(name, line) for line in lines] or [(name, "ok (see output above)")]
    if name == "multilingual linking" and found:
        return [
            (
                f"{name}: {key}",
                f"RP@5 {value['rp5']:.1f} vs English renderings {value['english_rp5']:.1f} "
                f"(ratio {value['ratio']:.2f}){_present_cells(value)}",
            )
            for key, value in found.items()
            if key.endswith("/all") or key.startswith("all/")
        ]
    if name.startswith("state scale") and found:
        lat = found["latency"]
        rows = [
            (
                f"{name}: jobs for a worker",
                f"p50 {lat['jobs_p50_ms']:.1f} ms, p95 {lat['jobs_p95_ms']:.1f} ms "
                f"(CPU p95 {lat['jobs_cpu_p95_ms']:.1f} ms) over {lat['workers']:,} workers",
            ),
            (
                f"{name}: candidates for a posting",
                f"p50 {lat['candidates_p50_ms']:.1f} ms, p95 {lat['candidates_p95_ms']:.1f} ms "
                f"(CPU p95 {lat['candidates_cpu_p95_ms']:.1f} ms) over {lat['postings']:,} postings",
            ),
            (
                f"{name}: candidates, CandidateMatrix",
                f"p50 {lat['matrix_candidates_p50_ms']:.1f} ms, "
                f"p95 {lat['matrix_candidates_p95_ms']:.1f} ms "
                f"(CPU p95 {lat['matrix_candidates_cpu_p95_ms']:.1f} ms)",
            ),
        ]
        for bulk in found["bulk"]:
            rows.append(
                (
                    f"{name}: bulk top-10, {bulk['workers']:,} workers",
                    f"wall {bulk['bulk_s']:.1f} s, CPU {bulk['cpu_s']:.1f} s, "
                    f"peak RSS {bulk['peak_rss_mib']:.0f} MiB",
                )
            )
        return rows
    if name == "state through the app" and found:
        from bench.state_app import rows_of

        return [
            (f"app: {measure}", value) for run in found["runs"] for measure, value in rows_of(run)
        ]
    if name == "demo latency" and found:
        return [
            (
                "demo: jobs_for_worker",
                f"p50 {found['jobs_p50_ms']:.1f} ms, p95 {found['jobs_p95_ms']:.1f} ms",
            ),
            (
                "demo: candidates_for_posting",
                f"p50 {found['candidates_p50_ms']:.1f} ms, p95 {found['candidates_p95_ms']:.1f} ms",
            ),
        ]
    if name == "fair use under a flood" and found:
        return [
            (
                f"{name}: the other account's reads",
                f"{found['reader_reads']} reads, statuses {found['reader_statuses']}, "
                f"p50 {found['reader_p50_ms']:.0f} ms, p95 {found['reader_p95_ms']:.0f} ms "
                f"(target: all 200, p95 <= 500 ms)",
            ),
            (
                f"{name}: the flooder ({found['streams']} streams, {found['text_chars']:,} chars)",
                f"statuses {found['flooder_statuses']}",
            ),
        ]
    if name.startswith("http load") and found:
        rows = [
            (
                name,
                f"{found['requests']} requests at {found['achieved_rps']:.1f} req/s, "
                f"failures {found['failures_pct']:.2f} %, 5xx {found['status_5xx']}, "
                f"p50 {found['p50_ms']:.0f} ms, p95 {found['p95_ms']:.0f} ms, "
                f"p99 {found['p99_ms']:.0f} ms",
            )
        ]
        if found.get("write_rps"):
            reads = found["server_reads"]
            rows.append(
                (
                    f"{name}: reads",
                    f"{found['not_reflected']} not reflecting their write; GET p95 (server) "
                    f"{reads['p95_ms']:.0f} ms (target <= 300 ms)",
                )
            )
        rows += [
            (
                f"{name}: worker process {n}",
                f"RSS {m['rss']:.0f} MiB, PSS {m['pss']:.0f}, USS {m['uss']:.0f}, "
                f"peak {m['peak_rss']:.0f} (target peak <= 600 MiB)",
            )
            for n, m in enumerate(found.get("memory_after", []), 1)
        ]
        return rows
    if name == "worker table at scale" and found:
        return [
            (
                f"{name}: {size['workers']:,} workers",
                f"arrays {size['table_mib']:.0f} MiB; loader RSS "
                + " / ".join(f"{m['rss']:.0f}" for m in size["loaders"])
                + ", PSS "
                + " / ".join(f"{m['pss']:.0f}" for m in size["loaders"])
                + f" MiB; jobs p95 {size['loaders'][0]['jobs_p95_ms']:.1f} ms, candidates p95 "
                f"{size['loaders'][0]['candidates_p95_ms']:.1f} ms",
            )
            for size in found["sizes"]
        ]
    if name == "skill linker vs extractor" and found:
        rows = []
        for run_name, run in found["runs"].items():
            ready, done = float(run["ready"]), float(run["done"])
            rows.append(
                (
                    f"{run_name} ({found['sentences']} sentences)",
                    f"start-up {ready:.2f} s, {found['sentences'] / (done - ready):.1f} sentences/s",
                )
            )
        return rows
    return [(name, "ok")]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="20k workers, SQLite only, no HTTP or extractor"
    )
    parser.add_argument("--only", nargs="*", choices=NAMES, help="run only these benchmarks")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help="PostgreSQL server for the database runs (a database of their own is created)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="per benchmark, seconds")
    args = parser.parse_args(argv)

    workers = "20000" if args.quick else "100000"
    bulk_sizes = "10000,20000" if args.quick else "10000,50000,100000"
    databases = ["--database", "sqlite"]
    if not args.quick:
        databases += ["--database", args.postgres]
    plan = [
        ("encoder", "encoder speed", ["encoder_speed.py"]),
        ("skill-linking", "skill linking", ["skill_linking.py"]),
        ("multilingual", "multilingual linking", ["multilingual.py"]),
        (
            "state-scale",
            f"state scale ({int(workers):,} workers)",
            ["state_scale.py", "--workers", workers, "--bulk-sizes", bulk_sizes, "--json"],
        ),
        (
            "state-app",
            "state through the app",
            ["state_app.py", "--workers", workers, *databases, "--json"],
        ),
        ("demo-latency", "demo latency", ["demo_latency.py", "--json"]),
        ("fair-use", "fair use under a flood", ["fair_use_load.py", "--json"]),
    ]
    if not args.quick:
        plan += [
            ("http", "http load, SQLite", ["http_load.py", "--json"]),
            (
                "http",
                "http load, PostgreSQL",
                ["http_load.py", "--database", args.postgres, "--json"],
            ),
            (
                "http",
                "http load with writes at 100,000 workers, PostgreSQL",
                [
                    *("http_load.py", "--database", args.postgres, "--rps", "45"),
                    *("--write-rps", "5", "--state-workers", "100000", "--json"),
                ],
            ),
            ("table-scale", "worker table at scale", ["worker_table_scale.py", "--json"]),
            ("extractor", "skill linker vs extractor", ["extractor_compare.py", "--json"]),
        ]
    started = time.perf_counter()
    results = []
    for key, name, script_args in plan:
        if args.only and key not in args.only:
            continue
        print(f"== {name} ...", file=sys.stderr, flush=True)
        result = run(name, script_args, args.timeout)
        results.append(result)
        if result.get("output"):
            print(result["output"].rstrip())
        print(f"== {name}: {result['status']} in {result['seconds']:.0f} s", file=sys.stderr)

    rows = [row for result in results for row in summary(result)]
    print("\nBenchmarks")
    print(f"  machine: {machine()}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"  date: {datetime.now().isoformat(timespec='minutes')}")
    width = max((len(name) for name, _ in rows), default=10)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print(f"  total time: {time.perf_counter() - started:.0f} s")
    return 0 if all(r["status"] == "ok" for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
