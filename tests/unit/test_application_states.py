"""The application state machine: no sequence of moves reaches an invalid state, and a history
replays to the status it ended in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.applications.states import (
    ENDED,
    OPEN,
    PIPELINE,
    REAPPLIABLE,
    Actor,
    ApplicationStatus,
    MoveNotAllowed,
    check_move,
    next_statuses,
    reached,
    replay,
)

S = ApplicationStatus
moves = st.lists(st.tuples(st.sampled_from(list(S)), st.sampled_from(list(Actor))), max_size=30)


@given(invited=st.booleans(), attempts=moves)
def test_no_sequence_of_moves_reaches_an_invalid_state(invited, attempts):
    current = S.invited if invited else S.applied
    history = [(None, current, Actor.employer if invited else Actor.worker)]
    for wanted, actor in attempts:
        try:
            check_move(current, wanted, actor)
        except MoveNotAllowed:
            assert wanted not in next_statuses(current, actor)
            continue
        # An allowed move leaves an ended application only when the worker applies again to
        # one they withdrew or the system closed; it never goes back along the pipeline, and
        # only the system closes.
        assert current in OPEN or (
            current in REAPPLIABLE and (wanted, actor) == (S.applied, Actor.worker)
        )
        if current in PIPELINE and wanted in PIPELINE:
            assert PIPELINE.index(wanted) > PIPELINE.index(current)
        assert (wanted is S.closed) == (actor is Actor.system)
        history.append((current, wanted, actor))
        current = wanted
    assert replay(history) is current
    if current in ENDED - REAPPLIABLE:
        assert all(not next_statuses(current, actor) for actor in Actor)


def test_who_may_make_which_move():
    assert next_statuses(S.invited, Actor.worker) == {S.applied, S.declined}
    assert S.withdrawn in next_statuses(S.offered, Actor.worker)
    assert S.withdrawn not in next_statuses(S.hired, Actor.worker)
    assert S.hired in next_statuses(S.applied, Actor.employer)  # a step may be skipped
    assert S.applied not in next_statuses(S.shortlisted, Actor.employer)  # never back
    assert not next_statuses(S.invited, Actor.employer) - {S.closed}
    with pytest.raises(MoveNotAllowed):
        check_move(S.applied, S.hired, Actor.worker)


def test_a_worker_may_apply_again_only_to_what_they_withdrew_or_the_system_closed():
    for ended in (S.withdrawn, S.closed):
        assert next_statuses(ended, Actor.worker) == {S.applied}
        assert not next_statuses(ended, Actor.employer)
    for final in (S.rejected, S.declined, S.hired):
        assert all(not next_statuses(final, actor) for actor in Actor)
    history = [
        (None, S.applied, Actor.worker),
        (S.applied, S.closed, Actor.system),
        (S.closed, S.applied, Actor.worker),
    ]
    assert replay(history) is S.applied


def test_a_broken_history_does_not_replay():
    with pytest.raises(ValueError):
        replay([(None, S.shortlisted, Actor.employer)])
    with pytest.raises(ValueError):
        replay([(None, S.applied, Actor.worker), (S.shortlisted, S.hired, Actor.employer)])
    with pytest.raises(MoveNotAllowed):
        replay([(None, S.applied, Actor.worker), (S.applied, S.hired, Actor.worker)])


def test_reached_counts_later_steps():
    assert reached([S.applied, S.hired], S.shortlisted)
    assert not reached([S.invited, S.declined], S.applied)
    assert reached([S.invited, S.applied, S.withdrawn], S.applied)
