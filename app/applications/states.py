"""The life of an application as a state machine, in plain Python (no Flask, no database), so the
pages, the API and the property tests share one table of allowed moves.

A worker applies (or accepts an employer's invitation); the employer moves the application
forward (a step may be skipped: a small forge often hires straight after a talk) or rejects it;
the worker may withdraw until hired; the system closes what is still open when the posting closes
or the worker withdraws consent. An application the worker withdrew or the system closed may be
made again by the worker (the same application, applied once more: one per worker and posting);
one rejected, declined or hired never moves again.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class ApplicationStatus(enum.StrEnum):
    invited = "invited"
    applied = "applied"
    shortlisted = "shortlisted"
    interview = "interview"
    offered = "offered"
    hired = "hired"
    rejected = "rejected"
    withdrawn = "withdrawn"
    declined = "declined"
    closed = "closed"


class Actor(enum.StrEnum):
    """Who moves an application: its worker, the posting's employer, or the system."""

    worker = "worker"
    employer = "employer"
    system = "system"


S = ApplicationStatus
# The employer's forward steps, in order; any later step may be taken from an earlier one.
PIPELINE = (S.applied, S.shortlisted, S.interview, S.offered, S.hired)
OPEN = frozenset({S.invited, S.applied, S.shortlisted, S.interview, S.offered})
ENDED = frozenset(S) - OPEN
# Ended applications the worker may make again (the posting must be open: apply checks it).
REAPPLIABLE = frozenset({S.withdrawn, S.closed})
# Statuses that share the worker's contact details with the employer (the worker applied).
SHARES_CONTACT = frozenset({S.applied, S.shortlisted, S.interview, S.offered, S.hired})


def _employer_moves() -> dict[ApplicationStatus, frozenset[ApplicationStatus]]:
    moves = {}
    for position, status in enumerate(PIPELINE[:-1]):
        moves[status] = frozenset(PIPELINE[position + 1 :]) | {S.rejected}
    return moves


ALLOWED: dict[Actor, dict[ApplicationStatus, frozenset[ApplicationStatus]]] = {
    Actor.worker: {
        S.invited: frozenset({S.applied, S.declined}),
        **{status: frozenset({S.withdrawn}) for status in PIPELINE[:-1]},
        **{status: frozenset({S.applied}) for status in REAPPLIABLE},
    },
    Actor.employer: _employer_moves(),
    Actor.system: {status: frozenset({S.closed}) for status in OPEN},
}


class MoveNotAllowed(Exception):
    """A move the state machine does not allow; the message says why, for people."""

    def __init__(self, current: ApplicationStatus, wanted: ApplicationStatus, actor: Actor):
        self.current, self.wanted, self.actor = current, wanted, actor
        super().__init__(
            f"An application that is {current.value} cannot be moved to {wanted.value} "
            f"by the {actor.value}."
        )


def next_statuses(current: ApplicationStatus, actor: Actor) -> frozenset[ApplicationStatus]:
    """Where `actor` may move an application that is `current`."""
    return ALLOWED[actor].get(current, frozenset())


def check_move(current: ApplicationStatus, wanted: ApplicationStatus, actor: Actor) -> None:
    if wanted not in next_statuses(current, actor):
        raise MoveNotAllowed(current, wanted, actor)


def first_status(invited: bool) -> ApplicationStatus:
    return S.invited if invited else S.applied


def replay(moves: Iterable[tuple[ApplicationStatus | None, ApplicationStatus, Actor]]):
    """The status a history of (from, to, actor) moves ends in, checking each move: the history
    kept with an application must replay to its current status."""
    current: ApplicationStatus | None = None
    for before, after, actor in moves:
        if before != current:
            raise ValueError(f"history broken: {before} recorded after {current}")
        if current is None:
            if after not in (S.invited, S.applied):
                raise ValueError(f"an application starts invited or applied, not {after}")
        else:
            check_move(current, after, actor)
        current = after
    return current


def reached(history: Iterable[ApplicationStatus], status: ApplicationStatus) -> bool:
    """Whether an application's history passed through `status` or a later pipeline step (a
    shortlisted-then-hired application counts as shortlisted in the funnel, and so does one
    hired straight away)."""
    if status not in PIPELINE:
        return status in set(history)
    later = set(PIPELINE[PIPELINE.index(status) :])
    return any(step in later for step in history)
