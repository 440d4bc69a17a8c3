"""Fair use: one account cannot slow the platform for everyone.

Expensive requests fall into groups (skill linking, semantic search, matching work, imports,
exports, registration). Before such a request runs, three rules apply, in this order:

1. **Limits per account** (per address for visitors), from ``FAIR_USE_LIMITS`` in the config,
   kept in Flask-Limiter's storage (Redis when ``REDIS_URL`` is set, so every process counts
   together). Over a limit: 429 with Retry-After. An administrator can lift them for an
   integration account (``flask users fair-use EMAIL --lift``).
2. **One at a time per account** for the groups in ``FAIR_USE_ONE_AT_A_TIME`` (linking): eight
   parallel streams from one account run as one; the rest get 429 at once, at no cost.
3. **A bounded pool of heavy work** per machine: at most ``FAIR_USE_SLOTS[group]`` such requests
   run at once across all gunicorn processes (file locks in the instance folder), so a burst
   holds at most that many cores and cheap reads keep theirs. A request that cannot get a slot
   within ``FAIR_USE_WAIT_SECONDS`` gets 503 with Retry-After.

The linker's own budget (units per text, processor seconds per request) is in
``app.skills.linking``; docs/fair_use.md gives the worst-case cost of each endpoint.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from app.errors import Busy
from app.extensions import limiter

# Endpoint → group. Posting and course forms only link when their "Suggest" button was pressed.
GROUPS = {
    "skills_api.SkillLinking": "linking",
    "workers.describe_work": "linking",
    "postings_api.PostingSearch": "search",
    "institutions_api.CourseSearch": "search",
    "matchmaking_api.WorkerGap": "matching",
    "matchmaking_api.WorkerJobs": "matching",
    "matchmaking_api.PostingTrainable": "matching",
    "matchmaking_api.ClusterDemand": "matching",
    "matchmaking.job_gap": "matching",
    "matchmaking.jobs_for_me": "matching",
    "matchmaking.demand": "matching",
    "imports.admin_upload": "imports",
    "imports.employer_upload": "imports",
    "imports.institution_upload": "imports",
    "outcomes.export": "exports",
    "outcomes.institution_export": "exports",
    "matchmaking.demand_csv": "exports",
    "privacy.my_data_download": "exports",
    "privacy_api.PersonalData": "exports",
    "privacy_api.PersonalDataCsv": "exports",
    "privacy.register": "registration",
}
SUGGEST_FORMS = {
    "employers.new_posting",
    "employers.edit_posting",
    "institutions.new_course",
    "institutions.edit_course",
}
# Reading a page of a form, or a list of candidates, costs little: only these methods count.
COUNTED_METHODS = {
    "imports": {"POST"},
    "registration": {"POST"},
    "linking": {"POST"},
}
BUSY_RETRY_AFTER = 2
# The limits library's memory storage starts its expiry timer thread racily when several threads
# count at once ("threads can only be started once", a 500): count one at a time per process.
_counter_lock = threading.Lock()


def request_group() -> str | None:
    """The fair-use group of the current request, or None for cheap requests."""
    endpoint = request.endpoint or ""
    if endpoint in SUGGEST_FORMS and request.method == "POST" and "suggest" in request.form:
        return "linking"
    if endpoint == "matchmaking.candidates" and request.args.get("tab") == "trainable":
        return "matching"
    group = GROUPS.get(endpoint)
    if group is None or request.method not in COUNTED_METHODS.get(group, {"GET", "POST"}):
        return None
    return group


def account_key() -> tuple[str, bool]:
    """Whom a request counts against: the signed-in account (by id), else the address; and
    whether that account's limits are lifted."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}", bool(getattr(current_user, "fair_use_exempt", False))
    return f"addr:{get_remote_address()}", False


def check_limits(group: str, key: str) -> None:
    """Count the request against the group's limits; 429 with Retry-After when one is spent."""
    spec = current_app.config["FAIR_USE_LIMITS"].get(group)
    if isinstance(spec, dict):
        role = current_user.role.value if current_user.is_authenticated else None
        spec = spec.get(role) or spec.get("*")
    if not spec:
        return
    strategy = limiter.limiter
    for item in parse_many(spec):
        with _counter_lock:
            allowed = strategy.hit(item, "fair-use", group, key)
        if not allowed:
            with _counter_lock:
                reset_at, _remaining = strategy.get_window_stats(item, "fair-use", group, key)
            seconds = max(1, math.ceil(reset_at - time.time()))
            raise TooManyRequests(
                _(
                    "Too many requests of this kind from your account: try again in "
                    "%(seconds)s seconds.",
                    seconds=seconds,
                ),
                retry_after=seconds,
            )


@dataclass
class HeldLock:
    handle: int

    def release(self) -> None:
        try:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
        finally:
            os.close(self.handle)


def _try_lock(path: Path) -> HeldLock | None:
    handle = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        return None
    return HeldLock(handle)


def lock_dir() -> Path:
    path = Path(current_app.config["FAIR_USE_LOCK_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def one_at_a_time(group: str, key: str) -> HeldLock:
    """The account's only running request of the group, or 429 at once."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    held = _try_lock(lock_dir() / f"account-{group}-{digest}.lock")
    if held is None:
        raise TooManyRequests(
            _(
                "Your previous request of this kind is still running: wait for it to finish, "
                "then try again."
            ),
            retry_after=BUSY_RETRY_AFTER,
        )
    return held


def heavy_work_slot(group: str) -> HeldLock | None:
    """One of the group's slots on this machine, waiting a little for one; 503 if none frees."""
    slots = current_app.config["FAIR_USE_SLOTS"].get(group)
    if not slots:
        return None
    paths = [lock_dir() / f"slot-{group}-{n}.lock" for n in range(slots)]
    give_up = time.monotonic() + current_app.config["FAIR_USE_WAIT_SECONDS"]
    while True:
        for path in paths:
            held = _try_lock(path)
            if held is not None:
                return held
        if time.monotonic() >= give_up:
            raise Busy(
                _("The server is busy with other heavy requests: try again in a moment."),
                retry_after=BUSY_RETRY_AFTER,
            )
        time.sleep(0.05)


def before_request() -> None:
    group = g.get("fair_use_group")
    if group is None:
        return
    key, exempt = account_key()
    if limiter.enabled and not exempt:
        check_limits(group, key)
    held: list[HeldLock] = []
    g.fair_use_locks = held
    if group in current_app.config["FAIR_USE_ONE_AT_A_TIME"] and not exempt:
        held.append(one_at_a_time(group, key))
    slot = heavy_work_slot(group)
    if slot is not None:
        held.append(slot)


def release_locks(_exc: BaseException | None = None) -> None:
    for held in g.pop("fair_use_locks", []):
        held.release()


# Groups whose requests compute and write nothing, so their transactions need no write lock
# (app.database); "Describe your work" links too, but saves the worker's text first.
COMPUTE_ONLY = {"linking", "search", "matching"}
WRITES_BEFORE_LINKING = {"workers.describe_work"}


def classify_request(_endpoint: str | None, _values: dict | None) -> None:
    """Before any database work of the request: its fair-use group (for ``before_request``), and
    whether it only computes."""
    g.fair_use_group = request_group()
    g.computes_only = (
        g.fair_use_group in COMPUTE_ONLY and request.endpoint not in WRITES_BEFORE_LINKING
    )


def register(app: Flask) -> None:
    app.url_value_preprocessor(classify_request)
    app.before_request(before_request)
    app.teardown_request(release_locks)
