"""Snapshots of the match data on disk, so a new process serves its first matching request without
building it: after a full build the process writes its match data (in a thread of its own, not in
the request) to MATCH_SNAPSHOT_DIR under the data version it was built at; a process starting
later loads the newest snapshot of the same encoder, threshold and database (not newer than its
version or day), then applies the change log since its version, and on a later day the workers
who came of age (app/matchmaking/match_inputs.py), like any process that is behind.

A snapshot is a pickle the app wrote itself, in the instance folder: never point
MATCH_SNAPSHOT_DIR at files anyone else can write. Empty MATCH_SNAPSHOT_DIR turns snapshots off.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_FORMAT = 1
_KEPT = 2  # snapshots kept per key: the newest, and the one a starting process may be reading
# What a snapshot holds: the MatchData fields built from the tables (not its caches or locks).
FIELDS = (
    "index",
    "closeness",
    "labels",
    "templates",
    "batches",
    "posting_wages",
    "skills",
    "worker_ids",
    "posting_ids",
)


def _key(stamp: tuple, database: str) -> str:
    """What a snapshot must share with the process loading it: the stamp's encoder and threshold
    (all but the version and the day), and the database it was read from."""
    text = repr((stamp[2:], database))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _path(directory: Path, key: str, version: int) -> Path:
    return directory / f"match-{key}-{version:015d}.pickle"


def save(directory: Path, stamp: tuple, database: str, fields: dict[str, Any]) -> Path:
    """Write `fields` (see FIELDS) as the snapshot at `stamp`; older ones of its key go."""
    directory.mkdir(parents=True, exist_ok=True)
    key = _key(stamp, database)
    target = _path(directory, key, int(stamp[0]))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".match-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump((_FORMAT, stamp[1], fields), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)  # readers see a whole file or none
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for old in sorted(directory.glob(f"match-{key}-*.pickle"))[:-_KEPT]:
        old.unlink(missing_ok=True)
    return target


def load(directory: Path, stamp: tuple, database: str) -> tuple[int, date, dict[str, Any]] | None:
    """(version, day, fields) of the newest snapshot for `stamp` not newer than its version and
    day, or None."""
    key = _key(stamp, database)
    found: list[tuple[int, Path]] = []
    for path in directory.glob(f"match-{key}-*.pickle"):
        try:
            version = int(path.stem.rsplit("-", 1)[1])
        except ValueError:
            continue
        if version <= int(stamp[0]):
            found.append((version, path))
    for version, path in sorted(found, reverse=True):
        try:
            with path.open("rb") as handle:
                form, day, fields = pickle.load(handle)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError, AttributeError, ImportError):
            log.warning("Match data snapshot %s could not be read; trying an older one.", path)
            continue
        if form == _FORMAT and day <= stamp[1] and set(fields) >= set(FIELDS):
            return version, day, fields
    return None
