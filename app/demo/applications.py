"""The demo's history of applications, built from the demo's own records so it agrees with them:
every placement made against a posting was a hire (applied, shortlisted, interviewed, offered,
hired, a few weeks before the job started), and the open postings have applicants at every step
(some shortlisted or called for interview, some not selected, some withdrawn, some invited).

Written directly with back-dated events rather than through the application services: these are
moves that happened before the demo starts, so nobody is sent a notice for them, and a closed
posting's past hires are allowed. Re-running adds nothing that is already there.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.applications.models import Application, ApplicationEvent
from app.applications.services import training_behind
from app.applications.states import Actor, ApplicationStatus
from app.auth import policy
from app.employers.models import JobPosting, PostingStatus
from app.extensions import db
from app.placements.models import Placement
from app.workers.models import Worker

S = ApplicationStatus
HIRE_STEPS = ((S.applied, 24), (S.shortlisted, 18), (S.interview, 14), (S.offered, 8), (S.hired, 5))
# What became of the applicants to an open posting, in turn: a believable spread.
OPEN_PATHS = (
    (S.applied,),
    (S.applied, S.shortlisted),
    (S.applied, S.rejected),
    (S.applied, S.shortlisted, S.interview),
    (S.invited,),
    (S.applied, S.withdrawn),
    (S.applied,),
    (S.invited, S.applied, S.shortlisted),
)
APPLICANTS_PER_POSTING = (3, 6)
NOTES = {
    S.applied: "",
    S.rejected: "We chose a candidate with more press-shop experience.",
    S.withdrawn: "I took a job closer to home.",
    S.interview: "",
}


def _stable(*parts: str) -> int:
    """A number that depends only on the ids, so the demo is the same on every machine."""
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _history(
    application: Application, steps: list[tuple[ApplicationStatus, datetime]], note: str = ""
) -> None:
    before = None
    for status, at in steps:
        actor = Actor.worker if status in (S.applied, S.withdrawn, S.declined) else Actor.employer
        application.events.append(
            ApplicationEvent(
                from_status=before,
                to_status=status,
                actor=actor,
                at=at,
                note=note if status is steps[-1][0] else "",
            )
        )
        before = status
    application.status = before
    application.created_at = steps[0][1]
    application.updated_at = steps[-1][1]


def _taken() -> set[tuple[int, int]]:
    return set(db.session.execute(select(Application.posting_id, Application.worker_id)).all())


def hires_from_placements(taken: set[tuple[int, int]]) -> int:
    """Each placement made against a posting becomes the hire that led to it."""
    created = 0
    placements = db.session.scalars(
        select(Placement).where(Placement.posting_id.is_not(None)).order_by(Placement.id)
    )
    for placement in placements:
        if (placement.posting_id, placement.worker_id) in taken:
            continue
        application = Application(
            external_id=f"AP-{placement.external_id}",
            posting_id=placement.posting_id,
            worker_id=placement.worker_id,
            placement=placement,
            offered_wage_inr=placement.monthly_wage_inr,
            interview_place="Plant gate, HR office",
        )
        steps = [
            (status, _moment(placement.placed_on - timedelta(days=d))) for status, d in HIRE_STEPS
        ]
        application.interview_on = placement.placed_on - timedelta(days=12)
        if placement.enrolment is None:  # the training behind the job, as a hire records it
            placement.enrolment = training_behind(placement.worker, placement.placed_on)
        _history(application, steps)
        db.session.add(application)
        taken.add((placement.posting_id, placement.worker_id))
        created += 1
    return created


def applicants_for_open_postings(taken: set[tuple[int, int]], today: date) -> int:
    """A few applicants per open posting, from workers who may share their profile, those in the
    posting's district first."""
    workers = list(
        db.session.scalars(
            select(Worker)
            .where(policy.visible_to_employers_clause(today))
            .order_by(Worker.external_id)
        )
    )
    created = 0
    postings = db.session.scalars(
        select(JobPosting).where(JobPosting.status == PostingStatus.open).order_by(JobPosting.id)
    )
    for posting in postings:
        low, high = APPLICANTS_PER_POSTING
        wanted = low + _stable(posting.external_id) % (high - low + 1)
        pool = sorted(
            workers,
            key=lambda w: (
                w.district != posting.district,
                _stable(posting.external_id, w.external_id),
            ),
        )
        start = posting.posted_on or today - timedelta(days=30)
        for turn, worker in enumerate(pool[:wanted]):
            if (posting.id, worker.id) in taken:
                continue
            path = OPEN_PATHS[_stable(worker.external_id, posting.external_id) % len(OPEN_PATHS)]
            first = min(start + timedelta(days=2 + turn), today - timedelta(days=len(path)))
            steps = [
                (status, _moment(first + timedelta(days=3 * i))) for i, status in enumerate(path)
            ]
            application = Application(
                external_id=f"AP-{posting.external_id}-{worker.external_id}",
                posting=posting,
                worker=worker,
                invited=path[0] is S.invited,
                note="I can join at one month's notice."
                if turn % 3 == 0 and path[0] is S.applied
                else "",
            )
            if path[-1] is S.interview:
                application.interview_on = today + timedelta(days=3 + turn)
                application.interview_place = "HR office, plant gate 2"
            _history(application, steps, NOTES.get(path[-1], ""))
            db.session.add(application)
            taken.add((posting.id, worker.id))
            created += 1
    return created


def load_applications(today: date | None = None) -> tuple[int, int]:
    """Hires behind the placements, and applicants to open postings; (created, already there)."""
    today = today or date.today()
    taken = _taken()
    before = len(taken)
    created = hires_from_placements(taken) + applicants_for_open_postings(taken, today)
    db.session.flush()
    return created, before
