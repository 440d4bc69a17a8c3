"""Locust users for bench/http_load.py: API traffic of the demo cluster's roles (reads: postings,
courses, skills, a worker's jobs and gaps, a posting's candidates, demand), signed-in page views
(a worker's jobs, an employer's candidates, an institution's demand), plus (with --write-rps)
writers, each write followed at once by a read that must reflect it.

Not run on its own: bench/http_load.py seeds a database, starts gunicorn on loopback, issues the
bearer tokens and passes them here in KAUSHALSETU_LOAD_PERSONAS (JSON), with the target rate per
user in KAUSHALSETU_LOAD_USER_RPS. Each simulated user takes one persona (round robin) and asks
only what that role may read, so every non-2xx answer is a real failure, not a permission test.
Writers (KAUSHALSETU_LOAD_WRITERS users sharing KAUSHALSETU_LOAD_WRITE_RPS): a worker replaces
their skills (PUT /api/v1/workers/[id]/skills) and reads their jobs (a gap naming a skill they no
longer hold is a failure); an employer replaces a posting's skills (PATCH /api/v1/postings/[id])
and reads its candidates (every gap must name exactly the new skills); an institution enrols a
worker (POST /api/v1/enrolments) and reads that worker's enrolments (it must be listed). A failed
check is reported as "read does not reflect the write".
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from datetime import date

from locust import HttpUser, constant_throughput, task

PERSONAS: list[dict] = json.loads(os.environ.get("KAUSHALSETU_LOAD_PERSONAS", "[]"))
USER_RPS = float(os.environ.get("KAUSHALSETU_LOAD_USER_RPS", "1"))
# kind of write → {"users": how many writers, "rps": cycles a second of each}
WRITERS: dict[str, dict] = json.loads(os.environ.get("KAUSHALSETU_LOAD_WRITERS", "{}"))
PAGE_USERS = int(os.environ.get("KAUSHALSETU_LOAD_PAGE_USERS", "0"))
PASSWORD = os.environ.get("KAUSHALSETU_LOAD_PASSWORD", "demo-pass-2026")
ENROL_WORKERS: list[str] = json.loads(os.environ.get("KAUSHALSETU_LOAD_ENROL_WORKERS", "[]"))
NOT_REFLECTED = "read does not reflect the write"
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
        own = f"/api/v1/workers/{persona['worker']}"
        gaps = [
            (f"{own}/gap/{posting}", "/api/v1/workers/[id]/gap/[posting]")
            for posting in persona.get("postings", [])[:2]
        ]
        return common + [(f"{own}/jobs", "/api/v1/workers/[id]/jobs")] * 2 + gaps
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


ROLES = ("worker", "employer", "reader")
_next_page_reader = itertools.count()


class PageReader(HttpUser):
    """A person signed in with the login form reading their role's matching page."""

    wait_time = constant_throughput(USER_RPS)
    fixed_count = PAGE_USERS

    def on_start(self) -> None:
        # The roles in turn: a worker, an employer, an institution, another worker, ...
        by_role = [[p for p in PERSONAS if p["role"] == role] for role in ROLES]
        n = next(_next_page_reader)
        people = by_role[n % len(by_role)] or PERSONAS
        persona = people[(n // len(by_role)) % len(people)]
        page = self.client.get("/login", name="/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        self.client.post(
            "/login",
            data={
                "csrf_token": token.group(1) if token else "",
                "login": persona["email"],
                "password": PASSWORD,
            },
            name="POST /login",
        )
        if persona["role"] == "worker":
            self.page = ("/worker/jobs", "page /worker/jobs")
        elif persona["role"] == "employer":
            self.page = (
                f"/employer/postings/{persona['postings'][0]}/candidates",
                "page /employer/postings/[id]/candidates",
            )
        else:
            self.page = ("/institution/demand", "page /institution/demand")

    @task
    def read(self) -> None:
        url, name = self.page
        with self.client.get(url, name=name, catch_response=True) as answer:
            if answer.status_code != 200 or "/login" in answer.url:  # not signed in
                answer.failure(f"status {answer.status_code} at {answer.url}")


def read_after_write(client, url: str, name: str, reflects) -> None:
    """Read `url` at once after a write: a failure unless it answers 200 and `reflects(body)`."""
    with client.get(url, name=name, catch_response=True) as read:
        if read.status_code != 200:
            read.failure(f"status {read.status_code}")
        elif not reflects(read.json()):
            read.failure(NOT_REFLECTED)


def _writers(role: str) -> list[dict]:
    return [p for p in PERSONAS if p["role"] == role]


_next_writer = itertools.count()


class SkillWriter(HttpUser):
    """A worker replacing their skills, then reading their jobs at once (one write and one read
    per cycle, at the rate KAUSHALSETU_LOAD_WRITERS gives)."""

    wait_time = constant_throughput(WRITERS.get("skills", {}).get("rps", 1.0))
    fixed_count = WRITERS.get("skills", {}).get("users", 0)

    def on_start(self) -> None:
        workers = _writers("worker")
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

        def names_only_held_skills(jobs: list) -> bool:
            named = {skill["uri"] for job in jobs for skill in job["gap"]["covered"]} | {
                skill["via_uri"] for job in jobs for skill in job["gap"]["partial"]
            }
            return named <= held

        read_after_write(
            self.client,
            f"/api/v1/workers/{self.worker}/jobs",
            "/api/v1/workers/[id]/jobs after a write",
            names_only_held_skills,
        )


_next_posting_writer = itertools.count()


class PostingWriter(HttpUser):
    """An employer replacing one of its postings' required skills, then reading its candidates:
    every candidate's gap must name exactly the new skills."""

    wait_time = constant_throughput(WRITERS.get("postings", {}).get("rps", 1.0))
    fixed_count = WRITERS.get("postings", {}).get("users", 0)

    def on_start(self) -> None:
        employers = _writers("employer")
        if not employers or not SKILL_URIS:
            raise RuntimeError("no employer personas or skills: run bench/http_load.py")
        n = next(_next_posting_writer)
        persona = employers[n % len(employers)]
        self.client.headers["Authorization"] = f"Bearer {persona['token']}"
        own = persona["postings"]
        self.posting = own[(n // len(employers)) % len(own)]

    @task
    def write_then_read(self) -> None:
        chosen = random.sample(SKILL_URIS, random.randint(3, 6))
        items = [
            {
                "uri": uri,
                "essential": random.random() < 0.7,
                "min_proficiency": random.randint(1, 3),
            }
            for uri in chosen
        ]
        answer = self.client.patch(
            f"/api/v1/postings/{self.posting}",
            json={"skills": items},
            name="PATCH /api/v1/postings/[id] (skills)",
        )
        if answer.status_code != 200:
            return

        def names_the_new_skills(candidates: list) -> bool:
            parts = ("covered", "partial", "missing")
            return all(
                {s["uri"] for part in parts for s in candidate["gap"][part]} == set(chosen)
                for candidate in candidates
            )

        read_after_write(
            self.client,
            f"/api/v1/postings/{self.posting}/candidates",
            "/api/v1/postings/[id]/candidates after a write",
            names_the_new_skills,
        )


class EnrolmentWriter(HttpUser):
    """An institution enrolling a worker in one of its courses, then reading that worker's
    enrolments: the new one must be there."""

    wait_time = constant_throughput(WRITERS.get("enrolments", {}).get("rps", 1.0))
    fixed_count = WRITERS.get("enrolments", {}).get("users", 0)

    def on_start(self) -> None:
        institutions = [p for p in PERSONAS if p.get("courses")]
        if not institutions or not ENROL_WORKERS:
            raise RuntimeError("no institution persona with courses: run bench/http_load.py")
        persona = institutions[0]
        self.client.headers["Authorization"] = f"Bearer {persona['token']}"
        self.courses = persona["courses"]

    @task
    def write_then_read(self) -> None:
        worker = random.choice(ENROL_WORKERS)
        answer = self.client.post(
            "/api/v1/enrolments",
            json={
                "worker": worker,
                "course": random.choice(self.courses),
                "enrolled_on": date.today().isoformat(),
            },
            name="POST /api/v1/enrolments",
        )
        if answer.status_code != 201:
            return
        made = answer.json()["id"]
        read_after_write(
            self.client,
            f"/api/v1/enrolments?worker={worker}&page_size=100",
            "/api/v1/enrolments?worker= after a write",
            lambda enrolments: made in {enrolment["id"] for enrolment in enrolments},
        )
