"""`make bench`: run every benchmark in bench/ and print one combined table.

Runs, each in its own process (so one failing or missing input does not stop the others):

* bench/skill_linking.py — skill linking quality and speed on the ESCO validation splits (defaults);
* bench/state_scale.py — engine latency and bulk top-10 at a reduced state scale by default
  (20,000 workers × 10,000 postings, bulk for 10k and 20k workers; a few minutes), or the full
  state (100,000 workers, bulk for 10k/50k/100k) with --full;
* bench/demo_latency.py — jobs and candidates through app/matches/services.py on the demo cluster;
* with --http: bench/http_load.py — locust at 50 req/s for 5 minutes against gunicorn on loopback;
* with --extractor: bench/extractor_compare.py — SkillLinker beside esco-skill-extractor (needs
  `pip install locust` / `pip install esco-skill-extractor` respectively; not run by default).

    python bench/run_all.py [--full] [--only NAME ...] [--db-workers N] [--http] [--extractor]

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


def summary(result: dict) -> list[tuple[str, str]]:
    """The headline figures of one benchmark, as (measure, value) rows."""
    found = result.get("json")
    name = result["name"]
    if result["status"] != "ok":
        return [(name, result["status"] + ("; " + " | ".join(result.get("errors", [])))[:300])]
    if name == "skill linking":
        lines = [line for line in result["output"].splitlines() if line.startswith("AVG")]
        return [(name, line) for line in lines] or [(name, "ok (see output above)")]
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
        for step, value in found.get("database", {}).items():
            if isinstance(value, float):
                rows.append((f"{name}: SQLite {step}", f"{value:.1f} s"))
        return rows
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
    if name == "http load" and found:
        return [
            (
                "http load",
                f"{found['requests']} requests at {found['achieved_rps']:.1f} req/s, "
                f"failures {found['failures_pct']:.2f} %, 5xx {found['status_5xx']}, "
                f"p50 {found['p50_ms']:.0f} ms, p95 {found['p95_ms']:.0f} ms, "
                f"p99 {found['p99_ms']:.0f} ms",
            )
        ]
    return [(name, "ok")]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="full state scale (100k workers)")
    parser.add_argument(
        "--only",
        nargs="*",
        choices=["skill-linking", "state-scale", "demo-latency", "http", "extractor"],
        help="run only these benchmarks",
    )
    parser.add_argument("--db-workers", type=int, default=0, help="state scale: DB path too")
    parser.add_argument("--http", action="store_true", help="also the HTTP load test (5 min)")
    parser.add_argument(
        "--extractor", action="store_true", help="also SkillLinker vs esco-skill-extractor"
    )
    parser.add_argument("--timeout", type=float, default=3600, help="per benchmark, seconds")
    args = parser.parse_args(argv)

    if args.full:
        state = ["--workers", "100000", "--bulk-sizes", "10000,50000,100000"]
        state_name = "state scale (100k workers)"
    else:
        state = ["--workers", "20000", "--bulk-sizes", "10000,20000"]
        state_name = "state scale (20k workers)"
    if args.db_workers:
        state += ["--db-workers", str(args.db_workers)]
    plan = [
        ("skill-linking", "skill linking", ["skill_linking.py"]),
        ("state-scale", state_name, ["state_scale.py", *state, "--json"]),
        ("demo-latency", "demo latency", ["demo_latency.py", "--json"]),
    ]
    if args.http or "http" in (args.only or ()):
        plan.append(("http", "http load", ["http_load.py", "--json"]))
    if args.extractor or "extractor" in (args.only or ()):
        plan.append(("extractor", "skill linker vs extractor", ["extractor_compare.py"]))
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
