"""Locust users for bench/http_load.py: read-only API traffic of the demo cluster's roles.

Not run on its own: bench/http_load.py seeds a database, starts gunicorn on loopback, issues the
bearer tokens and passes them here in KAUSHALSETU_LOAD_PERSONAS (JSON), with the target rate per
user in KAUSHALSETU_LOAD_USER_RPS. Each simulated user takes one persona (round robin) and asks
only what that role may read, so every non-2xx answer is a real failure, not a permission test.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, constant_throughput, task

PERSONAS: list[dict] = json.loads(os.environ.get("KAUSHALSETU_LOAD_PERSONAS", "[]"))
USER_RPS = float(os.environ.get("KAUSHALSETU_LOAD_USER_RPS", "1"))
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
