"""Worker profiles held as a few flat arrays instead of one Python object per worker, so a
process at state scale keeps them in megabytes, and several processes can share them: the arrays
are plain numpy arrays that a snapshot stores as .npy files and loads memory-mapped (read-only;
the pages are the operating system's file cache, shared by every process mapping the file).

A `WorkerTable` is a read-only mapping worker id → `WorkerProfile`: the profile is made from the
arrays when asked for. Workers changed later live in a small overlay (id → new profile, or None
for gone) that `updated` copies; the base arrays are never written, so a table handed to a reader
never changes under it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from matching.gaps import HeldSkill
from matching.profiles import Id, WorkerProfile, distinct_profiles

# Flag bits of one worker's row.
VISIBLE = 1
_WANTS_WOMEN_ONLY = 2
_WOMEN_ONLY_OK = 4
_WANTS_RESIDENTIAL = 8
_CANNOT_RESIDENTIAL = 16


def _in_arrays(worker_id: Id) -> bool:
    """Whether an id can be a row of the base arrays: a str (kept as UTF-8 bytes, whose byte order
    is the str order) not ending in NUL (numpy's fixed-width bytes drop trailing NULs)."""
    return isinstance(worker_id, str) and not worker_id.endswith("\0")


class WorkerTable(Mapping[Id, WorkerProfile]):
    """Worker id → `WorkerProfile`, the profiles held as arrays (rows in id order) plus an overlay
    of the workers changed since the arrays were made."""

    def __init__(
        self,
        base: dict[str, np.ndarray],
        skills: tuple[tuple[str, str], ...],
        uris: tuple[str, ...],
        districts: tuple[str | None, ...],
        overlay: dict[Id, WorkerProfile | None] | None = None,
        hidden: np.ndarray | None = None,
    ) -> None:
        self.base = base  # ids, starts, skill, level, district, flags, names, by_uri_*
        self.skills = skills  # skill number → (uri, label), as held
        self.uris = uris  # uri number → uri, of the inverted index
        self.districts = districts  # district number → district
        self.rows = len(base["ids"])
        self.overlay: dict[Id, WorkerProfile | None] = overlay or {}
        # Base rows whose id the overlay holds (replaced or removed).
        self.hidden = hidden if hidden is not None else np.zeros(self.rows, dtype=bool)
        self._uri_number = {uri: number for number, uri in enumerate(uris)}
        self._held_cache: dict[tuple[int, int], HeldSkill] = {}
        self._length = (
            self.rows
            - int(np.count_nonzero(self.hidden))
            + sum(1 for profile in self.overlay.values() if profile is not None)
        )

    # --- Building --------------------------------------------------------------------------------

    @classmethod
    def from_profiles(cls, profiles: Iterable[WorkerProfile]) -> WorkerTable:
        """A table of `profiles` (ids unique); ids that cannot be rows stay in the overlay."""
        rows: list[WorkerProfile] = []
        extra: dict[Id, WorkerProfile | None] = {}
        for profile in distinct_profiles(profiles, WorkerProfile):
            if _in_arrays(profile.worker_id):
                rows.append(profile)
            else:
                extra[profile.worker_id] = profile
        rows.sort(key=lambda profile: profile.worker_id)
        skill_number: dict[tuple[str, str], int] = {}
        uri_number: dict[str, int] = {}
        district_number: dict[str | None, int] = {}
        counts = np.zeros(len(rows) + 1, dtype=np.int64)
        skill: list[int] = []
        level: list[int] = []
        holders: list[tuple[int, int, int]] = []  # (uri number, row, level) of visible workers
        for row, profile in enumerate(rows):
            counts[row + 1] = len(profile.held)
            for held in profile.held:
                skill.append(skill_number.setdefault((held.uri, held.label), len(skill_number)))
                level.append(held.level)
            if profile.visible:  # the best level per uri, as the gap reads it
                for uri, held in profile.held_map.items():
                    number = uri_number.setdefault(uri, len(uri_number))
                    holders.append((number, row, held.level))
        flags = np.array(
            [
                (VISIBLE if p.visible else 0)
                | (_WANTS_WOMEN_ONLY if p.wants_women_only else 0)
                | (_WOMEN_ONLY_OK if p.women_only_ok else 0)
                | (_WANTS_RESIDENTIAL if p.wants_residential else 0)
                | (_CANNOT_RESIDENTIAL if p.cannot_residential else 0)
                for p in rows
            ],
            dtype=np.uint8,
        )
        base = {
            "ids": np.array([p.worker_id.encode() for p in rows], dtype=bytes)
            if rows
            else np.zeros(0, dtype="S1"),
            "starts": np.cumsum(counts),
            "skill": np.array(skill, dtype=np.int32),
            "level": np.array(level, dtype=np.int8),
            "district": np.array(
                [district_number.setdefault(p.district, len(district_number)) for p in rows],
                dtype=np.int32,
            ),
            "flags": flags,
            "names": np.array([p.name.encode() for p in rows], dtype=bytes)
            if rows
            else np.zeros(0, dtype="S1"),
        }
        base.update(_by_uri(holders, len(uri_number)))
        return cls(base, tuple(skill_number), tuple(uri_number), tuple(district_number), extra)

    def updated(
        self, workers: Iterable[WorkerProfile] = (), *, removed: Iterable[Id] = ()
    ) -> WorkerTable:
        """A new table with `workers` added or replaced and the `removed` ids gone; this one and
        the base arrays are left as they were (the overlay and the hidden flags are copied)."""
        overlay = dict(self.overlay)
        hidden: np.ndarray | None = None
        workers = list(workers)
        for worker_id in [*removed, *(w.worker_id for w in workers)]:
            row = self.row_of(worker_id)
            if row is not None:
                if hidden is None:
                    hidden = self.hidden.copy()
                hidden[row] = True
                overlay[worker_id] = None
            else:
                overlay.pop(worker_id, None)
        for worker in workers:
            overlay[worker.worker_id] = worker
        table = WorkerTable.__new__(WorkerTable)
        table.__dict__.update(self.__dict__)  # the base, skills, districts and caches are shared
        table.overlay = overlay
        table.hidden = self.hidden if hidden is None else hidden
        table._length = (
            self.rows
            - int(np.count_nonzero(table.hidden))
            + sum(1 for profile in overlay.values() if profile is not None)
        )
        return table

    # --- Reading ---------------------------------------------------------------------------------

    def row_of(self, worker_id: Id) -> int | None:
        """The base row of `worker_id` (hidden or not), or None."""
        if not self.rows or not _in_arrays(worker_id):
            return None
        key = worker_id.encode()  # type: ignore[union-attr]
        ids = self.base["ids"]
        row = int(np.searchsorted(ids, key))
        return row if row < self.rows and ids[row] == key else None

    def id_of_row(self, row: int) -> str:
        return self.base["ids"][row].decode()

    def row_profile(self, row: int) -> WorkerProfile:
        """The profile of base row `row` as the arrays hold it."""
        base = self.base
        start, end = int(base["starts"][row]), int(base["starts"][row + 1])
        flags = int(base["flags"][row])
        return WorkerProfile(
            worker_id=base["ids"][row].decode(),
            held=tuple(
                self._held(number, level)
                for number, level in zip(
                    base["skill"][start:end].tolist(),
                    base["level"][start:end].tolist(),
                    strict=True,
                )
            ),
            district=self.districts[int(base["district"][row])],
            visible=bool(flags & VISIBLE),
            name=base["names"][row].decode(),
            wants_women_only=bool(flags & _WANTS_WOMEN_ONLY),
            women_only_ok=bool(flags & _WOMEN_ONLY_OK),
            wants_residential=bool(flags & _WANTS_RESIDENTIAL),
            cannot_residential=bool(flags & _CANNOT_RESIDENTIAL),
        )

    def _held(self, number: int, level: int) -> HeldSkill:
        found = self._held_cache.get((number, level))
        if found is None:
            uri, label = self.skills[number]
            found = self._held_cache.setdefault((number, level), HeldSkill(uri, label, level))
        return found

    def __getitem__(self, worker_id: Id) -> WorkerProfile:
        if worker_id in self.overlay:
            found = self.overlay[worker_id]
            if found is None:
                raise KeyError(worker_id)
            return found
        row = self.row_of(worker_id)
        if row is None:
            raise KeyError(worker_id)
        return self.row_profile(row)

    def __contains__(self, worker_id: object) -> bool:
        if worker_id in self.overlay:
            return self.overlay[worker_id] is not None  # type: ignore[index]
        return self.row_of(worker_id) is not None  # type: ignore[arg-type]

    def __len__(self) -> int:
        return self._length

    def live_rows(self) -> np.ndarray:
        """Base rows not replaced or removed since."""
        return np.flatnonzero(~self.hidden)

    def __iter__(self) -> Iterator[Id]:
        ids = self.base["ids"]
        for row in self.live_rows().tolist():
            yield ids[row].decode()
        yield from (key for key, profile in self.overlay.items() if profile is not None)

    def values(self) -> Iterator[WorkerProfile]:  # type: ignore[override]
        for row in self.live_rows().tolist():
            yield self.row_profile(row)
        yield from (profile for profile in self.overlay.values() if profile is not None)

    def items(self) -> Iterator[tuple[Id, WorkerProfile]]:  # type: ignore[override]
        for profile in self.values():
            yield profile.worker_id, profile

    # --- The visible workers by skill (the candidates' side) ----------------------------------

    def visible_ids(self) -> list[Id]:
        """Ids of the visible workers, in the table's order, read from the flags without making
        their profiles (a list of everyone visible scores only a few of them)."""
        rows = self.live_rows()
        rows = rows[(self.base["flags"][rows] & VISIBLE) != 0]
        ids = self.base["ids"]
        found: list[Id] = [ids[row].decode() for row in rows.tolist()]
        found += [key for key, _ in self.visible_overlay()]
        return found

    def visible_holders(self, uri: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(base rows ascending, their best levels) of the visible workers holding `uri`, views
        of the base arrays; rows hidden since are included (callers drop them)."""
        number = self._uri_number.get(uri)
        if number is None:
            return None
        starts = self.base["by_uri_starts"]
        start, end = int(starts[number]), int(starts[number + 1])
        return self.base["by_uri_rows"][start:end], self.base["by_uri_levels"][start:end]

    def holders(self, uri: str) -> list[Id]:
        """Ids of the visible workers holding `uri`."""
        found: list[Id] = []
        base = self.visible_holders(uri)
        if base is not None:
            ids = self.base["ids"]
            rows = base[0]
            found += [ids[row].decode() for row in rows[~self.hidden[rows]].tolist()]
        return found + self.overlay_holders(uri)

    def overlay_holders(self, uri: str) -> list[Id]:
        """Ids of the visible workers of the overlay holding `uri`."""
        return [key for key, held in self.visible_overlay() if uri in held]

    def visible_overlay(self) -> list[tuple[Id, Mapping[str, HeldSkill]]]:
        """(id, held skills by URI) of the visible workers of the overlay, in its order."""
        return [
            (key, profile.held_map)
            for key, profile in self.overlay.items()
            if profile is not None and profile.visible
        ]

    def held_uris(self) -> set[str]:
        """The skills some visible worker holds."""
        rows = self.base["by_uri_rows"]
        starts = self.base["by_uri_starts"]
        uris = {
            uri
            for number, uri in enumerate(self.uris)
            if np.any(~self.hidden[rows[starts[number] : starts[number + 1]]])
        }
        for _, held in self.visible_overlay():
            uris.update(held)
        return uris

    def holder_counts(self, keep_district: Callable[[str | None], bool]) -> dict[str, int]:
        """Per skill, how many visible workers of the districts `keep_district` accepts hold it
        (the supply side of demand), counted on the arrays without making any profile."""
        base = self.base
        keep = np.array([bool(keep_district(d)) for d in self.districts] or [False])
        counted = keep[base["district"]] & ~self.hidden if self.rows else np.zeros(0, bool)
        starts = base["by_uri_starts"]
        uri_of_entry = np.repeat(np.arange(len(self.uris)), np.diff(starts))
        per_uri = np.bincount(
            uri_of_entry, weights=counted[base["by_uri_rows"]], minlength=len(self.uris)
        )
        counts = {uri: int(n) for uri, n in zip(self.uris, per_uri.tolist(), strict=True) if n}
        for profile in self.overlay.values():
            if profile is not None and profile.visible and keep_district(profile.district):
                for uri in profile.held_map:
                    counts[uri] = counts.get(uri, 0) + 1
        return counts

    def districts_held(self) -> set[str | None]:
        """The districts of the workers in the table."""
        codes = np.unique(np.asarray(self.base["district"])[~self.hidden])
        found = {self.districts[code] for code in codes.tolist()}
        found.update(p.district for p in self.overlay.values() if p is not None)
        return found

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            WorkerTable,
            (self.base, self.skills, self.uris, self.districts, self.overlay, self.hidden),
        )


def _by_uri(holders: list[tuple[int, int, int]], uris: int) -> dict[str, np.ndarray]:
    """The inverted index as three arrays: per uri number, the visible rows holding it
    (ascending) and their levels."""
    found = np.array(holders, dtype=np.int64).reshape(-1, 3)
    order = np.lexsort((found[:, 1], found[:, 0]))
    per_uri = np.bincount(found[:, 0], minlength=uris) if uris else np.zeros(0, np.int64)
    return {
        "by_uri_starts": np.concatenate([[0], np.cumsum(per_uri)]).astype(np.int64),
        "by_uri_rows": found[order, 1].astype(np.int32),
        "by_uri_levels": found[order, 2].astype(np.int8),
    }


class RowIds(Mapping[int, str]):
    """Row id → external id of many records, as two arrays (row ids ascending) plus an overlay of
    the changes since; read-only like the table, so a snapshot can map it too."""

    def __init__(
        self,
        keys: np.ndarray,
        values: np.ndarray,
        overlay: dict[int, str | None] | None = None,
    ) -> None:
        self.keys = keys
        self.values_ = values
        self.overlay: dict[int, str | None] = overlay or {}
        self._length = len(keys) + sum(
            (value is not None) - (self._base(key) is not None)
            for key, value in self.overlay.items()
        )

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[int, str]]) -> RowIds:
        found = sorted(pairs)
        keys = np.array([key for key, _ in found], dtype=np.int64)
        values = [value.encode() for _, value in found]
        extra: dict[int, str | None] = {}
        if any(value.endswith(b"\0") for value in values):  # fixed-width bytes drop NULs
            extra = dict(found)
            keys, values = np.zeros(0, np.int64), []
        return cls(keys, np.array(values or [b""], dtype=bytes)[: len(keys)], extra)

    def _base(self, key: int) -> str | None:
        row = int(np.searchsorted(self.keys, key))
        if row < len(self.keys) and self.keys[row] == key:
            return self.values_[row].decode()
        return None

    def __getitem__(self, key: int) -> str:
        found = self.overlay[key] if key in self.overlay else self._base(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[int]:
        for key in self.keys.tolist():
            if key not in self.overlay:
                yield key
        yield from (key for key, value in self.overlay.items() if value is not None)

    def __len__(self) -> int:
        return self._length

    def updated(self, changed: Mapping[int, str | None]) -> RowIds:
        """A new map with `changed` applied (None: the key is gone); this one is left as it was."""
        return RowIds(self.keys, self.values_, {**self.overlay, **changed})

    def __reduce__(self) -> tuple[Any, ...]:
        return (RowIds, (self.keys, self.values_, self.overlay))


__all__ = ["VISIBLE", "RowIds", "WorkerTable"]
