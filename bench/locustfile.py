"""Locust users for bench/http_load.py: API traffic of the demo cluster's roles, read-only, plus
(with --write-rps) workers replacing their skills and reading their jobs right after.

Not run on its own: bench/http_load.py seeds a database, starts gunicorn on loopback, issues the
bearer tokens and passes them here in KAUSHALSETU_LOAD_PERSONAS (JSON), with the target rate per
user in KAUSHALSETU_LOAD_USER_RPS. Each simulated user takes one persona (round robin) and asks
only what that role may read, so every non-2xx answer is a real failure, not a permission test.
A writer (KAUSHALSETU_LOAD_WRITE_RPS, its own users) replaces a worker's skills (PUT
/api/v1/workers/[id]/skills) and at once reads that worker's jobs: a job whose gap still names a
skill the worker no longer holds is a failure ("read does not reflect the write").
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, constant_throughput, task

PERSONAS: list[dict] = json.loads(os.environ.get("KAUSHALSETU_LOAD_PERSONAS", "[]"))
USER_RPS = float(os.environ.get("KAUSHALSETU_LOAD_USER_RPS", "1"))
WRITERS = int(os.environ.get("KAUSHALSETU_LOAD_WRITERS", "0"))
WRITER_RPS = float(os.environ.get("KAUSHALSETU_LOAD_WRITER_RPS", "1"))
SKILL_URIS: list[str] = json.loads(os.environ.get("KAUSHALSETU_LOAD_SKILLS", "[]"))
SKILL_QUERIES = ("weld", "cnc", "paint", "machin", "safety", "electr", "quality", "press")
_next_persona = itertools.count()


def requests_for(persona: dict) -> list[tuple[str, str]]:
    """(URL, stats name) pairs this persona may ask, repeated by weight: the role's own matching
    endpoint twice as often as each shared list. ``{q}`` is filled with a skill query per call."""
    common = [
        ("/api/v1/postings", "/api/v1/postings"),
        ("/api/v1/courses", "/api/v1/courses"),
        ("/api/v1/skills?q={q}", "/api/v1/skills?q="),
    ]
    role = persona["role"]
    if role == "worker":
        return (
            common
            + [(f"/api/v1/workers/{persona['worker']}/jobs", "/api/v1/workers/[id]/jobs")] * 2
        )
    if role == "employer":
        own = (persona["postings"] * 2)[:2]  # one or two of its postings, two entries
        return common + [
            (f"/api/v1/postings/{posting}/candidates", "/api/v1/postings/[id]/candidates")
            for posting in own
        ]
    # institutions and admins read cluster demand
    return common + [("/api/v1/demand", "/api/v1/demand")] * 2


class ReadOnlyUser(HttpUser):
    """One signed-in persona reading at a constant rate (requests per second per user)."""

    wait_time = constant_throughput(USER_RPS)
    weight = 1

    def on_start(self) -> None:
        if not PERSONAS:
            raise RuntimeError("KAUSHALSETU_LOAD_PERSONAS is empty: run bench/http_load.py")
        persona = PERSONAS[next(_next_persona) % len(PERSONAS)]
        self.client.headers["Authorization"] = f"Bearer {persona['token']}"
        self.choices = requests_for(persona)

    @task
    def read(self) -> None:
        url, name = random.choice(self.choices)
        self.client.get(url.format(q=random.choice(SKILL_QUERIES)), name=name)


_next_writer = itertools.count()


class SkillWriter(HttpUser):
    """A worker replacing their skills, then reading their jobs at once (one write and one read
    per cycle, `KAUSHALSETU_LOAD_WRITER_RPS` cycles a second)."""

    wait_time = constant_throughput(WRITER_RPS)
    fixed_count = WRITERS  # exactly this many writers, whatever the readers' count

    def on_start(self) -> None:
        workers = [p for p in PERSONAS if p["role"] == "worker"]
        if not workers or not SKILL_URIS:
            raise RuntimeError("no worker personas or skills: run bench/http_load.py")
        persona = workers[next(_next_writer) % len(workers)]
        self.client.headers["Authorization"] = f"Bearer {persona['token']}"
        self.worker = persona["worker"]

    @task
    def write_then_read(self) -> None:
        chosen = random.sample(SKILL_URIS, random.randint(3, 6))
        items = [{"uri": uri, "proficiency": random.randint(1, 4)} for uri in chosen]
        answer = self.client.put(
            f"/api/v1/workers/{self.worker}/skills",
            json={"skills": items},
            name="PUT /api/v1/workers/[id]/skills",
        )
        if answer.status_code != 200:
            return
        held = set(chosen)
        with self.client.get(
            f"/api/v1/workers/{self.worker}/jobs",
            name="/api/v1/workers/[id]/jobs after a write",
            catch_response=True,
        ) as read:
            if read.status_code != 200:
                read.failure(f"status {read.status_code}")
                return
            named = {skill["uri"] for job in read.json() for skill in job["gap"]["covered"]} | {
                skill["via_uri"] for job in read.json() for skill in job["gap"]["partial"]
            }
            if not named <= held:
                read.failure("read does not reflect the write")
