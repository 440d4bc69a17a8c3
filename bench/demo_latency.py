"""Demo-scale latency through the app: `jobs_for_worker` and `candidates_for_posting` of
app/matchmaking/services.py on the seeded demo cluster (300 workers, 60 postings, real MiniLM).

A fresh SQLite database in a temporary instance folder is migrated and seeded (`flask db upgrade`,
`flask seed demo`); then, in this process, the first call builds the cached match data (timed
separately as the cold start) and every worker's and every open posting's query is timed warm.

    python bench/demo_latency.py [--encoder minilm|hashing] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))


def seeded_instance(encoder: str) -> dict[str, str]:
    """Environment of a fresh, migrated and seeded demo database."""
    instance = Path(tempfile.mkdtemp(prefix="kaushalsetu-demo-bench-"))
    env = {
        **os.environ,
        "KAUSHALSETU_INSTANCE": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'demo.db'}",
        "KAUSHALSETU_ENCODER": encoder,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    flask = [str(Path(sys.executable).with_name("flask")), "--app", "wsgi"]
    for args in (["instance", "init"], ["db", "upgrade"], ["seed", "demo"]):
        subprocess.run([*flask, *args], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    return env


def measure(encoder: str, repeats: int) -> dict:
    env = seeded_instance(encoder)
    os.environ.update(env)
    from sqlalchemy import select

    from app import create_app
    from app.employers.models import JobPosting, PostingStatus
    from app.extensions import db
    from app.matchmaking import services
    from app.workers.models import Worker

    app = create_app()
    with app.app_context():
        workers = list(db.session.scalars(select(Worker).order_by(Worker.id)))
        postings = list(
            db.session.scalars(select(JobPosting).where(JobPosting.status == PostingStatus.open))
        )
        started = time.perf_counter()
        services.jobs_for_worker(workers[0])
        cold = time.perf_counter() - started
        jobs_times, candidate_times = [], []
        for _ in range(repeats):
            for worker in workers:
                t0 = time.perf_counter()
                services.jobs_for_worker(worker)
                jobs_times.append(time.perf_counter() - t0)
            for posting in postings:
                t0 = time.perf_counter()
                services.candidates_for_posting(posting)
                candidate_times.append(time.perf_counter() - t0)

    def pct(samples: list[float], q: float) -> float:
        return float(np.percentile(np.array(samples) * 1000, q))

    return {
        "workers": len(workers),
        "open_postings": len(postings),
        "encoder": encoder,
        "cold_first_call_s": cold,
        "jobs_p50_ms": pct(jobs_times, 50),
        "jobs_p95_ms": pct(jobs_times, 95),
        "candidates_p50_ms": pct(candidate_times, 50),
        "candidates_p95_ms": pct(candidate_times, 95),
        "calls": len(jobs_times) + len(candidate_times),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON line at the end")
    args = parser.parse_args(argv)
    found = measure(args.encoder, args.repeats)
    print("\nDemo scale through app/matchmaking/services.py (SQLite, warm cache)")
    print(
        f"  data                       {found['workers']} workers × {found['open_postings']} open postings"
    )
    print(f"  first call (builds cache)  {found['cold_first_call_s']:.1f} s ({found['encoder']})")
    print(
        f"  jobs_for_worker            p50 {found['jobs_p50_ms']:.1f} ms, p95 {found['jobs_p95_ms']:.1f} ms"
    )
    print(
        f"  candidates_for_posting     p50 {found['candidates_p50_ms']:.1f} ms, p95 {found['candidates_p95_ms']:.1f} ms"
    )
    if args.json:
        print(json.dumps(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
