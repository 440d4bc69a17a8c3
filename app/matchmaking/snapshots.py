"""Snapshots of the match data on disk, so a new process serves its first matching request without
building it: after a full build the process writes its match data (in a thread of its own, not in
the request) to MATCH_SNAPSHOT_DIR under the data version it was built at; a process starting
later loads the newest snapshot of the same encoder, threshold and database (not newer than its
version or day), then applies the change log since its version, and on a later day the workers
who came of age (app/matchmaking/match_inputs.py), like any process that is behind.

A snapshot is a folder: a pickle of the match data whose large numpy arrays (the worker table of
matching/worker_table.py, the skill vectors) are kept beside it as .npy files and loaded
memory-mapped, read-only. Every process loading the same snapshot maps the same files, so those
pages are held once on the machine (the file cache), not once per process; a process changes them
only by making new arrays of its own (the overlay of workers changed since).

It is a pickle the app wrote itself, in the instance folder: never point MATCH_SNAPSHOT_DIR at
files anyone else can write. Empty MATCH_SNAPSHOT_DIR turns snapshots off.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

# 1: one pickle file; 2: a folder, large arrays as .npy files mapped on load; 3: the skill
# closeness's cached similarities are exact cosines (matching/gaps.py), so older snapshots are
# built again.
_FORMAT = 3
MAPPED_BYTES = 64 * 1024  # arrays at least this large are written as .npy and mapped
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
    return directory / f"match-{key}-{version:015d}"


class _Pickler(pickle.Pickler):
    """Writes each large numpy array of plain numbers to its own .npy file in `folder`."""

    def __init__(self, file: Any, folder: Path) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.folder = folder
        self.written = 0

    def persistent_id(self, obj: Any) -> str | None:
        if (
            (type(obj) is np.ndarray or isinstance(obj, np.memmap))
            and not obj.dtype.hasobject
            and obj.size
            and obj.nbytes >= MAPPED_BYTES
        ):
            name = f"array-{self.written:05d}.npy"
            self.written += 1
            np.save(self.folder / name, np.ascontiguousarray(obj), allow_pickle=False)
            return name
        return None


class _Unpickler(pickle.Unpickler):
    """Maps each .npy file the pickle names, read-only."""

    def __init__(self, file: Any, folder: Path) -> None:
        super().__init__(file)
        self.folder = folder

    def persistent_load(self, pid: Any) -> np.ndarray:
        name = str(pid)
        if "/" in name or not name.startswith("array-") or not name.endswith(".npy"):
            raise pickle.UnpicklingError(f"unexpected array reference {name!r}")
        return np.load(self.folder / name, mmap_mode="r", allow_pickle=False)


def write_mapped(folder: Path, value: Any) -> None:
    """Pickle `value` into `folder` (data.pickle), its large arrays as .npy files beside it."""
    with (folder / "data.pickle").open("wb") as out:
        _Pickler(out, folder).dump(value)


def read_mapped(folder: Path) -> Any:
    """What `write_mapped` wrote, its arrays mapped read-only from their files."""
    with (folder / "data.pickle").open("rb") as handle:
        return _Unpickler(handle, folder).load()


def save(directory: Path, stamp: tuple, database: str, fields: dict[str, Any]) -> Path:
    """Write `fields` (see FIELDS) as the snapshot at `stamp`; older ones of its key go."""
    directory.mkdir(parents=True, exist_ok=True)
    key = _key(stamp, database)
    target = _path(directory, key, int(stamp[0]))
    temporary = Path(tempfile.mkdtemp(dir=directory, prefix=".match-", suffix=".tmp"))
    try:
        write_mapped(temporary, (_FORMAT, stamp[1], fields))
        try:
            os.rename(temporary, target)  # readers see a whole folder or none
        except OSError:
            if not (target / "data.pickle").is_file():
                raise
            shutil.rmtree(temporary, ignore_errors=True)  # the same snapshot, already there
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    # A process that mapped an older snapshot keeps its pages: removing a mapped file only
    # removes its name.
    for old in sorted(directory.glob(f"match-{key}-*[0-9]"))[:-_KEPT]:
        shutil.rmtree(old, ignore_errors=True)
    for old in directory.glob(f"match-{key}-*.pickle"):  # format 1, which no process reads now
        old.unlink(missing_ok=True)
    return target


def load(directory: Path, stamp: tuple, database: str) -> tuple[int, date, dict[str, Any]] | None:
    """(version, day, fields) of the newest snapshot for `stamp` not newer than its version and
    day, or None."""
    key = _key(stamp, database)
    found: list[tuple[int, Path]] = []
    for path in directory.glob(f"match-{key}-*[0-9]"):
        try:
            version = int(path.name.rsplit("-", 1)[1])
        except ValueError:
            continue
        if version <= int(stamp[0]):
            found.append((version, path))
    for version, path in sorted(found, reverse=True):
        try:
            form, day, fields = read_mapped(path)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError, AttributeError, ImportError):
            log.warning("Match data snapshot %s could not be read; trying an older one.", path)
            continue
        if form == _FORMAT and day <= stamp[1] and set(fields) >= set(FIELDS):
            return version, day, fields
    return None
