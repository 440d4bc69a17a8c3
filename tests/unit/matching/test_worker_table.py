"""The worker table (profiles as arrays plus an overlay) reads back exactly the profiles it was
given, after any sequence of changes: as a mapping, by skill, in counts per district, and after a
pickle round trip; the arrays are never written to (they may be a read-only mapped file)."""

from __future__ import annotations

import pickle
import random
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.demand import cluster_demand
from matching.gaps import HeldSkill, RequiredSkill
from matching.ranking import PostingProfile, WorkerProfile
from matching.worker_table import WorkerTable

URIS = [f"http://example.org/skill/{n}" for n in range(8)]
DISTRICTS = ["Pune", "Satara", "सातारा", None]
TODAY = date(2026, 12, 4)
IDS = ["W1", "W2", "W10", "w-ä", "Z", "W1x", 7, 12]  # str ids (one not ASCII) and int ids


def a_worker(r: random.Random, worker_id: str | int) -> WorkerProfile:
    held = tuple(
        HeldSkill(r.choice(URIS), r.choice(["label", "other label"]), r.randint(1, 4))
        for _ in range(r.randint(0, 5))
    )
    return WorkerProfile(
        worker_id,
        held,
        district=r.choice(DISTRICTS),
        visible=r.random() < 0.75,
        name=r.choice(["", "Asha", "आशा"]),
        wants_women_only=r.random() < 0.3,
        women_only_ok=r.random() < 0.5,
        wants_residential=r.random() < 0.3,
        cannot_residential=r.random() < 0.3,
    )


def read_back(table: WorkerTable) -> tuple:
    as_dict = dict(table.items())
    assert len(table) == len(as_dict) == len(list(table))
    for worker_id, profile in as_dict.items():
        assert worker_id in table and table[worker_id] == profile
        assert table.get(worker_id) == profile
    holders = {uri: sorted(map(str, table.holders(uri))) for uri in URIS}
    counts = {
        d: table.holder_counts(lambda home, d=d: home is None or home == d) for d in DISTRICTS
    }
    visible = sorted(map(str, table.visible_ids()))
    return as_dict, holders, counts, table.held_uris(), table.districts_held(), visible


def expected(profiles: dict) -> tuple:
    holders = {
        uri: sorted(str(k) for k, p in profiles.items() if p.visible and uri in p.held_map)
        for uri in URIS
    }
    counts = {}
    for d in DISTRICTS:
        found: dict[str, int] = {}
        for p in profiles.values():
            if p.visible and (p.district is None or p.district == d):
                for uri in p.held_map:
                    found[uri] = found.get(uri, 0) + 1
        counts[d] = found
    held = {uri for p in profiles.values() if p.visible for uri in p.held_map}
    visible = sorted(str(k) for k, p in profiles.items() if p.visible)
    return profiles, holders, counts, held, {p.district for p in profiles.values()}, visible


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    steps=st.lists(
        st.lists(st.tuples(st.booleans(), st.sampled_from(IDS)), max_size=6), max_size=4
    ),
)
def test_reads_back_its_profiles_after_any_changes(seed, steps):
    r = random.Random(seed)
    profiles = {worker_id: a_worker(r, worker_id) for worker_id in IDS if r.random() < 0.7}
    table = WorkerTable.from_profiles(profiles.values())
    for array in table.base.values():
        array.flags.writeable = False  # as a mapped snapshot: any write would raise
    assert read_back(table) == expected(profiles)
    for step in steps:
        before = read_back(table)
        changed, removed = {}, set()
        for drop, worker_id in step:
            if drop:
                removed.add(worker_id)
                changed.pop(worker_id, None)
            else:
                changed[worker_id] = a_worker(r, worker_id)
                removed.discard(worker_id)
        new = table.updated(changed.values(), removed=removed)
        assert read_back(table) == before  # the old table is untouched
        for worker_id in removed:
            profiles.pop(worker_id, None)
        profiles.update(changed)
        table = new
        assert read_back(table) == expected(profiles)
        assert read_back(pickle.loads(pickle.dumps(table))) == expected(profiles)


def test_supply_in_cluster_demand_counts_the_tables_visible_workers_of_the_district():
    r = random.Random(3)
    workers = [a_worker(r, f"W{n}") for n in range(60)]
    postings = [
        PostingProfile(f"P{n}", (RequiredSkill(URIS[n % 8], "l", True, 1),))
        for n in range(7)  # the last skill is in no posting: no supply row for it
    ]
    table = WorkerTable.from_profiles(workers).updated(
        [a_worker(r, "W3"), a_worker(r, "W99")], removed=["W4"]
    )
    for district in (None, "Pune", "Satara"):
        report = cluster_demand(postings, table, [], today=TODAY, district=district)
        by_hand = {
            uri: sum(
                1
                for p in table.values()
                if p.visible and uri in p.held_map and p.district in (None, district or p.district)
            )
            for uri in URIS[:7]
        }
        assert {row.uri: row.supply for row in report.rows} == by_hand


def test_refuses_what_a_match_index_refused():
    worker = WorkerProfile("W1", ())
    with pytest.raises(ValueError, match="duplicate worker_id"):
        WorkerTable.from_profiles([worker, worker])
    with pytest.raises(TypeError, match="expected WorkerProfile"):
        WorkerTable.from_profiles([("W1", ())])  # type: ignore[list-item]
    assert np.asarray(WorkerTable.from_profiles([]).base["ids"]).size == 0
