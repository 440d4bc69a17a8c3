"""HTTP under load: locust, headless, at a constant request rate against gunicorn on loopback.

A fresh database (SQLite in a temporary folder, or with --database a PostgreSQL server URL: a
database of its own there) is migrated and seeded with the demo cluster; then
gunicorn (gunicorn.conf.py, bound to 127.0.0.1 only) serves it, bearer tokens are issued for demo
users of every role, each gunicorn process is warmed up (model load and match data, reported
separately), and locust reads the API at --rps for --duration seconds: postings, a worker's jobs,
an employer's candidates, cluster demand, skill search and courses, a worker's gaps, and (with
--page-users) signed-in pages. With --state-workers N, a synthetic state (bench/generate_state.py:
N workers, N/10 postings, N/50 courses) is imported on top of the demo cluster with the bulk
importers, so the same people read and write at state scale. With --write-rps, writers replace a
worker's skills (2 in 5 writes), a posting's skills (2 in 5) and enrol workers (1 in 5), each
write followed at once by a read that must reflect it (a read that does not counts as a
failure). Once the processes are warm, gunicorn restarts its workers (SIGHUP), which start from
the match data snapshot the first ones wrote, as after a deploy; the memory of each worker
process (RSS, PSS, USS, peak: bench/process_memory.py) is taken then and after the load. The run
stops by itself; gunicorn is stopped with SIGTERM and the folder removed.

    python bench/http_load.py [--duration 300] [--rps 50] [--users 25] [--write-rps 5]
                              [--state-workers 100000] [--page-users 5] [--json]

Prints requests, failures, 5xx, p50/p95/p99 (locust, client side; and from gunicorn's access
log, server side) and achieved RPS against the targets: ≤ 1 % failures, no 5xx, p95 ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.databases import FreshDatabase  # noqa: E402
from bench.generate_state import generate_state, read_taxonomy  # noqa: E402
from bench.process_memory import children_of, memory_of  # noqa: E402

BIN = Path(sys.executable).parent
# locust from requirements-bench.txt (make bench installs it here); LOCUST names another one
LOCUST = os.environ.get("LOCUST", str(BIN / "locust"))
LOOPBACK = "127.0.0.1"
WORKERS = [f"worker{n}@demo.kaushalsetu.in" for n in range(1, 6)]
EMPLOYERS = [f"{name}@demo.kaushalsetu.in" for name in ("forge", "diecast", "machining", "tier1")]
READERS = ["iti@demo.kaushalsetu.in", "admin@demo.kaushalsetu.in"]
ACCESS_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \S+ (?P<ms>\d+)ms'
)
TARGETS = {"failures_pct": 1.0, "status_5xx": 0, "p95_ms": 300.0}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def seeded_environment(folder: Path, database_url: str) -> dict[str, str]:
    """Environment of a migrated, demo-seeded database at ``database_url``."""
    env = {
        **os.environ,
        "KAUSHALSETU_INSTANCE": str(folder),
        "DATABASE_URL": database_url,
        "VECTOR_CACHE_DIR": str(folder / "vectors"),
        "SECRET_KEY": secrets.token_hex(32),
        "MATCH_SNAPSHOT_DIR": str(folder / "match_data"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    for args in (["instance", "init"], ["db", "upgrade"], ["seed", "demo"]):
        flask(env, *args)
    return env


def import_state(env: dict[str, str], folder: Path, workers: int) -> tuple[dict, list[str]]:
    """Import a generated state (workers, a tenth as many postings, a fiftieth as many courses)
    with the bulk importers; seconds per file, and some of its worker ids (to enrol)."""
    data = generate_state(
        folder / "state",
        workers=workers,
        postings=max(1, workers // 10),
        courses=max(1, workers // 50),
    )
    seconds = {}
    for kind in ("courses", "postings", "workers"):
        started = time.perf_counter()
        flask(env, "import", kind, str(data.directory / f"{kind}.csv"))
        seconds[kind] = time.perf_counter() - started
    with (data.directory / "workers.csv").open(encoding="utf-8") as handle:
        ids = [row[0] for row in csv.reader(handle)][1:]
    return seconds, random.Random(14).sample(ids, min(2000, len(ids)))


def flask(env: dict[str, str], *args: str) -> str:
    """Run one `flask --app wsgi` command; its stdout, or a clear error with its stderr."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed: {done.stderr.strip()[-800:]}")
    return done.stdout


def get_json(base: str, path: str, token: str | None = None, timeout: float = 60) -> object:
    request = urllib.request.Request(base + path)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def wait_ready(base: str, server: subprocess.Popen, timeout: float = 180) -> float:
    """Seconds until /readyz answers 200; fails if gunicorn exits first."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} before it was ready")
        try:
            get_json(base, "/readyz", timeout=2)
            return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn not ready after {timeout:.0f} s")


def personas(env: dict[str, str], base: str) -> list[dict]:
    """A bearer token per demo user, with the worker's own id and some open postings (for gaps),
    the employer's open postings, the institution's courses (to enrol in)."""
    found = []
    for email in WORKERS + EMPLOYERS + READERS:
        token = flask(env, "users", "token", email).strip().splitlines()[-1]
        # A dozen accounts stand for a state's thousands of people: their per-account request
        # limits (docs/fair_use.md) are lifted as for an integration; the machine-wide pool of
        # heavy work stays.
        flask(env, "users", "fair-use", email, "--lift")
        if email in WORKERS:
            own = get_json(base, "/api/v1/workers", token)
            postings = get_json(base, "/api/v1/postings?status=open&page_size=10", token)
            found.append(
                {
                    "role": "worker",
                    "email": email,
                    "token": token,
                    "worker": own[0]["id"],
                    "postings": [posting["id"] for posting in postings][:2],
                }
            )
        elif email in EMPLOYERS:
            postings = get_json(base, "/api/v1/postings?status=open&page_size=10", token)
            ids = [posting["id"] for posting in postings]
            if ids:
                found.append({"role": "employer", "email": email, "token": token, "postings": ids})
        else:
            reader = {"role": "reader", "email": email, "token": token}
            if email.startswith("iti@"):
                enrolments = get_json(base, "/api/v1/enrolments?page_size=100", token)
                reader["courses"] = sorted({e["course"]["id"] for e in enrolments})
            found.append(reader)
    return found


def warm_up(base: str, people: list[dict], rounds: int) -> tuple[float, Counter[int]]:
    """Hit the matching endpoints until every gunicorn process has built its match data; the
    seconds it took and the status codes seen (an error here shows up again under load)."""
    started = time.perf_counter()
    worker = next(p for p in people if p["role"] == "worker")
    employer = next(p for p in people if p["role"] == "employer")
    reader = next(p for p in people if p["role"] == "reader")
    paths = [
        (f"/api/v1/workers/{worker['worker']}/jobs", worker["token"]),
        (f"/api/v1/postings/{employer['postings'][0]}/candidates", employer["token"]),
        ("/api/v1/demand", reader["token"]),
    ]
    statuses: Counter[int] = Counter()

    def ask(path: str, token: str) -> None:
        try:
            get_json(base, path, token, timeout=300)
            statuses[200] += 1
        except urllib.error.HTTPError as error:
            statuses[error.code] += 1

    threads = [
        threading.Thread(target=ask, args=(path, token))
        for _ in range(rounds)
        for path, token in paths
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, statuses


def server_side(log: Path, offset: int) -> dict:
    """Status counts and latency percentiles from gunicorn's access log after ``offset``."""
    with log.open("rb") as handle:
        handle.seek(offset)
        lines = handle.read().decode("utf-8", "replace").splitlines()
    statuses: Counter[str] = Counter()
    millis = []
    for line in lines:
        match = ACCESS_LINE.search(line)
        if match and match["path"].startswith("/api/"):
            statuses[match["status"]] += 1
            millis.append(int(match["ms"]))
    values = np.array(millis or [0])
    return {
        "requests": len(millis),
        "statuses": dict(sorted(statuses.items())),
        "status_5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
        "p50_ms": float(np.percentile(values, 50)),
        "p95_ms": float(np.percentile(values, 95)),
        "p99_ms": float(np.percentile(values, 99)),
    }


def client_side(prefix: Path) -> dict:
    """The locust CSV's aggregated row and per-endpoint rows."""
    rows = list(csv.DictReader(prefix.with_name(prefix.name + "_stats.csv").open()))
    table = {}
    for row in rows:
        table[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
            "rps": float(row["Requests/s"]),
        }
    return table


def failure_rows(prefix: Path) -> list[dict]:
    path = prefix.with_name(prefix.name + "_failures.csv")
    return list(csv.DictReader(path.open())) if path.exists() else []


def worst_read_p95(client: dict) -> float:
    """The largest p95 (client side) of any read endpoint: every GET of the API or a page, the
    reads after writes included; the login and the writes left out."""
    reads = [
        row["p95_ms"]
        for name, row in client.items()
        if name not in ("Aggregated", "/login") and name.split()[0] not in ("PUT", "PATCH", "POST")
    ]
    return max(reads, default=0.0)


def server_reads(log: Path, offset: int) -> dict:
    """p50/p95 of every GET after `offset` in gunicorn's access log (API and pages; not the
    login page): the reads' own latency, server side."""
    with log.open("rb") as handle:
        handle.seek(offset)
        lines = handle.read().decode("utf-8", "replace").splitlines()
    millis = [
        int(match["ms"])
        for match in map(ACCESS_LINE.search, lines)
        if match and match["method"] == "GET" and not match["path"].startswith("/login")
    ]
    values = np.array(millis or [0])
    return {
        "requests": len(millis),
        "p50_ms": float(np.percentile(values, 50)),
        "p95_ms": float(np.percentile(values, 95)),
    }


class LoadSampler(threading.Thread):
    """The 1-minute load average every 10 s while the test runs, for the record."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(10):
            self.samples.append(os.getloadavg()[0])


def restart_from_snapshot(server: subprocess.Popen, snapshots: Path, timeout: float = 300) -> float:
    """Once the first processes' snapshot is on disk, SIGHUP: gunicorn starts new workers (they
    load the snapshot) and stops the old ones. Seconds until the new ones are all there."""
    started = time.perf_counter()
    while not any(snapshots.glob("match-*")) and time.perf_counter() - started < timeout:
        time.sleep(0.5)
    old = set(children_of(server.pid))
    count = len(old)
    server.send_signal(signal.SIGHUP)
    while time.perf_counter() - started < timeout:
        now = set(children_of(server.pid))
        if len(now) == count and not now & old:
            return time.perf_counter() - started
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not restart its workers")


def worker_memory(server: subprocess.Popen) -> list[dict[str, float]]:
    """RSS, PSS, USS and peak RSS (MiB) of each gunicorn worker process."""
    return [memory_of(pid) for pid in children_of(server.pid)]


def stop_server(server: subprocess.Popen) -> int:
    """SIGTERM, gunicorn's graceful shutdown; SIGKILL only if it hangs past its grace time."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return server.returncode


def run(args: argparse.Namespace) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="kaushalsetu-http-load-"))
    database = FreshDatabase(args.database, folder, name=args.database_name)
    server = None
    try:
        started = time.perf_counter()
        env = seeded_environment(folder, database.url)
        seed_seconds = time.perf_counter() - started
        import_seconds: dict = {}
        enrol_workers: list[str] = []
        if args.state_workers:
            import_seconds, enrol_workers = import_state(env, folder, args.state_workers)
        port = args.port or free_port()
        base = f"http://{LOOPBACK}:{port}"
        server_env = {
            **env,
            "WEB_CONCURRENCY": str(args.workers),
            "GUNICORN_THREADS": str(args.threads),
        }
        log = folder / "gunicorn.log"
        with log.open("wb") as log_handle:
            server = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "--config",
                    "gunicorn.conf.py",
                    "--bind",
                    f"{LOOPBACK}:{port}",
                    "wsgi:app",
                ],
                cwd=PROJECT_ROOT,
                env=server_env,
                stdout=log_handle,
                stderr=subprocess.STDOUT,
            )
        ready_seconds = wait_ready(base, server)
        people = personas(env, base)
        warm_seconds, warm_statuses = warm_up(base, people, rounds=2 * args.workers)
        restart_seconds = restart_from_snapshot(server, folder / "match_data")
        snapshot_warm_seconds, snapshot_statuses = warm_up(base, people, rounds=args.workers)
        memory_before = worker_memory(server)
        offset = log.stat().st_size
        prefix = folder / "locust"
        writers = {}
        if args.write_rps > 0:
            own_workers = [p["worker"] for p in people if p["role"] == "worker"]
            employers = [p for p in people if p["role"] == "employer"]
            shares = {
                "skills": (len(own_workers), 0.4),
                "postings": (len(employers), 0.4),
                "enrolments": (1, 0.2),
            }
            writers = {
                kind: {"users": users, "rps": args.write_rps * share / users}
                for kind, (users, share) in shares.items()
            }
            enrol_workers = enrol_workers or own_workers
        page_users = min(args.page_users, args.users - 1)
        locust_env = {
            **env,
            "KAUSHALSETU_LOAD_PERSONAS": json.dumps(people),
            "KAUSHALSETU_LOAD_USER_RPS": str(args.rps / args.users),
            "KAUSHALSETU_LOAD_WRITERS": json.dumps(writers),
            "KAUSHALSETU_LOAD_PAGE_USERS": str(page_users),
            "KAUSHALSETU_LOAD_ENROL_WORKERS": json.dumps(enrol_workers),
            "KAUSHALSETU_LOAD_SKILLS": json.dumps(read_taxonomy()),
        }
        writer_users = sum(kind["users"] for kind in writers.values())
        sampler = LoadSampler()
        load_before = os.getloadavg()
        sampler.start()
        done = subprocess.run(
            [
                LOCUST,
                "-f",
                str(PROJECT_ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                base,
                "--users",
                str(args.users + writer_users),
                "--spawn-rate",
                str(args.users + writer_users),
                "--run-time",
                f"{args.duration}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=PROJECT_ROOT,
            env=locust_env,
            capture_output=True,
            text=True,
            timeout=args.duration + 120,
        )
        sampler.stop.set()
        load_after = os.getloadavg()
        if not prefix.with_name("locust_stats.csv").exists():
            raise RuntimeError(f"locust wrote no statistics: {done.stderr.strip()[-800:]}")
        client = client_side(prefix)
        server_stats = server_side(log, offset)
        memory_after = worker_memory(server)
        exit_code = stop_server(server)
        total = client["Aggregated"]
        return {
            "duration_s": args.duration,
            "target_rps": args.rps,
            "write_rps": args.write_rps,
            "users": args.users,
            "gunicorn_workers": args.workers,
            "threads": args.threads,
            "seed_s": seed_seconds,
            "state_workers": args.state_workers,
            "import_s": import_seconds,
            "ready_s": ready_seconds,
            "warm_up_s": warm_seconds,
            "warm_up_statuses": dict(warm_statuses),
            "restart_s": restart_seconds,
            "snapshot_warm_up_s": snapshot_warm_seconds,
            "snapshot_warm_up_statuses": dict(snapshot_statuses),
            "memory_before": memory_before,
            "memory_after": memory_after,
            "page_users": page_users,
            "not_reflected": sum(
                int(row["Occurrences"])
                for row in failure_rows(prefix)
                if "does not reflect" in row["Error"]
            ),
            "worst_read_p95_ms": worst_read_p95(client),
            "server_reads": server_reads(log, offset),
            "requests": total["requests"],
            "failures": total["failures"],
            "failures_pct": 100 * total["failures"] / max(1, total["requests"]),
            "status_5xx": server_stats["status_5xx"],
            "p50_ms": total["p50_ms"],
            "p95_ms": total["p95_ms"],
            "p99_ms": total["p99_ms"],
            "achieved_rps": total["rps"],
            "endpoints": {name: row for name, row in client.items() if name != "Aggregated"},
            "server": server_stats,
            "load_before": load_before,
            "load_after": load_after,
            "load_samples": sampler.samples,
            "locust_exit": done.returncode,
            "gunicorn_exit": exit_code,
            "cpus": os.cpu_count(),
            "database": database.kind,
        }
    finally:
        if server is not None:
            stop_server(server)
        database.drop()
        if args.keep:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def report(result: dict) -> None:
    met = {
        "failures_pct": result["failures_pct"] <= TARGETS["failures_pct"],
        "status_5xx": result["status_5xx"] <= TARGETS["status_5xx"],
        "p95_ms": result["p95_ms"] <= TARGETS["p95_ms"],
    }
    verdict = {key: "met" if ok else "MISSED" for key, ok in met.items()}
    server = result["server"]
    samples = result["load_samples"]
    print(
        f"HTTP load: {result['duration_s']} s at {result['target_rps']} req/s target "
        f"+ {result['write_rps']} writes/s, "
        f"{result['users']} locust users, gunicorn {result['gunicorn_workers']} workers × "
        f"{result['threads']} threads on {LOOPBACK}, {result['cpus']} CPUs, "
        f"{result['database']}"
    )
    print(
        f"  set-up: seed {result['seed_s']:.1f} s, ready {result['ready_s']:.1f} s, "
        f"warm-up (model + match data per process) {result['warm_up_s']:.1f} s, statuses "
        f"{result['warm_up_statuses']} (not in the figures below)"
    )
    if result["state_workers"]:
        took = ", ".join(f"{kind} {s:.0f} s" for kind, s in result["import_s"].items())
        print(f"  state: {result['state_workers']:,} workers imported on the demo ({took})")
    print(
        f"  restarted from the snapshot in {result['restart_s']:.1f} s, warm-up "
        f"{result['snapshot_warm_up_s']:.1f} s, statuses {result['snapshot_warm_up_statuses']}"
    )
    for when in ("before", "after"):
        print(
            f"  memory per worker process {when} the load (MiB): "
            + "; ".join(
                f"RSS {m['rss']:.0f}, PSS {m['pss']:.0f}, USS {m['uss']:.0f}, peak {m['peak_rss']:.0f}"
                for m in result[f"memory_{when}"]
            )
        )
    print(f"  requests {result['requests']}, achieved {result['achieved_rps']:.1f} req/s")
    reads = result["server_reads"]
    print(
        f"  reads not reflecting their write: {result['not_reflected']}; reads (GET, server) "
        f"{reads['requests']}: p50 {reads['p50_ms']:.0f} ms, p95 {reads['p95_ms']:.0f} ms; "
        f"worst read endpoint p95 (client) {result['worst_read_p95_ms']:.0f} ms"
    )
    print(
        f"  failures {result['failures']} ({result['failures_pct']:.2f} %, target ≤ 1 %: "
        f"{verdict['failures_pct']}); 5xx {result['status_5xx']} (target 0: "
        f"{verdict['status_5xx']}); statuses {server['statuses']}"
    )
    print(
        f"  latency (locust, client): p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms "
        f"(target ≤ 300 ms: {verdict['p95_ms']}), p99 {result['p99_ms']:.0f} ms"
    )
    print(
        f"  latency (gunicorn access log, server): p50 {server['p50_ms']:.0f} ms, "
        f"p95 {server['p95_ms']:.0f} ms, p99 {server['p99_ms']:.0f} ms over {server['requests']}"
    )
    for name, row in sorted(result["endpoints"].items()):
        print(
            f"    {name:<36} n {row['requests']:>6}  fail {row['failures']:>4}  "
            f"p50 {row['p50_ms']:>5.0f}  p95 {row['p95_ms']:>5.0f}  p99 {row['p99_ms']:>5.0f} ms"
        )
    during = f"{min(samples):.1f}–{max(samples):.1f}" if samples else "n/a"
    print(
        f"  load average (1 min): before {result['load_before'][0]:.2f}, during {during}, "
        f"after {' '.join(f'{x:.2f}' for x in result['load_after'])}"
    )
    print(f"  locust exit {result['locust_exit']}, gunicorn exit {result['gunicorn_exit']}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=300, help="seconds of load (default 300)")
    parser.add_argument("--rps", type=float, default=50.0, help="total requests per second")
    parser.add_argument("--users", type=int, default=25, help="locust users sharing the rate")
    parser.add_argument(
        "--write-rps",
        type=float,
        default=0.0,
        help="skill replacements per second, each followed by a read of that worker's jobs",
    )
    parser.add_argument(
        "--database-name",
        default="kaushalsetu_bench_http",
        help="the PostgreSQL database made (and dropped) for the run",
    )
    parser.add_argument(
        "--state-workers",
        type=int,
        default=0,
        help="import a generated state of this many workers on top of the demo (0: demo only)",
    )
    parser.add_argument(
        "--page-users", type=int, default=5, help="of --users, how many read signed-in pages"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--database",
        default="sqlite",
        help="sqlite (default: a file in the temporary folder) or a PostgreSQL server URL, on "
        "which a database kaushalsetu_bench_http is created and dropped",
    )
    parser.add_argument("--json", action="store_true", help="also print the result as JSON")
    args = parser.parse_args(argv)
    if (
        args.duration <= 0
        or args.rps <= 0
        or args.users <= 0
        or args.workers <= 0
        or args.threads <= 0
        or args.write_rps < 0
    ):
        parser.error("--duration, --rps, --users, --workers and --threads must be positive")
    result = run(args)
    report(result)
    if args.json:
        print(json.dumps(result))
    ok = (
        result["not_reflected"] == 0
        and result["failures_pct"] <= TARGETS["failures_pct"]
        and result["status_5xx"] <= TARGETS["status_5xx"]
        and result["p95_ms"] <= TARGETS["p95_ms"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
