"""Applications: apply, invite, move along the pipeline, hire (which creates the placement), and
the figures built from them. Services flush; the request or command commits.

The moves themselves are app/applications/states.py; who may make them is app/auth/policy.py.
Every move is kept as an ApplicationEvent and tells the other side through a notice.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import Select, func, select, true
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import Conflict

from app.applications.models import Application, ApplicationEvent
from app.applications.states import (
    ENDED,
    OPEN,
    PIPELINE,
    REAPPLIABLE,
    Actor,
    ApplicationStatus,
    MoveNotAllowed,
    check_move,
    first_status,
    reached,
)
from app.auth import policy
from app.auth.models import User
from app.common import new_external_id, require_fields
from app.employers.models import JobPosting, PostingStatus
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.institutions.models import Enrolment, EnrolmentStatus
from app.notices import services as notices
from app.placements import services as placements
from app.placements.models import Placement
from app.workers.models import Gender, Worker
from indicators.records import is_youth

S = ApplicationStatus
NOTE_LIMIT = 1000
TRAINING_LOOKBACK = timedelta(days=365)


class ApplicationConflict(Conflict):
    """A second application to the same posting, or a move the status does not allow (409);
    a refused move names both statuses, so a page can word them in its language."""

    def __init__(self, description: str, moving: tuple | None = None) -> None:
        super().__init__(description)
        self.moving = moving


ALREADY = N_("You already have an application for this job.")
ALREADY_INVITED = N_("This worker already applied or was invited for this job.")
NOT_OPEN = N_("This job is no longer open.")
CANNOT_SHARE = N_(
    "To apply, allow sharing your profile with employers (My data); a worker under 18 also "
    "needs a guardian's consent verified by their institution."
)
NOT_VISIBLE = N_("This worker cannot be invited: they are not visible to employers.")
INTERVIEW_PASSED = N_("That day has passed: give the interview day from today on.")
START_BEFORE_POSTING = N_(
    "The job cannot start before it was advertised: give the day the worker starts."
)
WRONG_MOVE = N_("An application that is %(current)s cannot be moved to %(wanted)s.")


def _clean_note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise ValidationFailed({"note": [f"Longer than maximum length {NOTE_LIMIT}."]})
    return note


def application_of(worker: Worker, posting: JobPosting) -> Application | None:
    return db.session.scalar(
        select(Application).where(
            Application.worker_id == worker.id, Application.posting_id == posting.id
        )
    )


def _record(
    application: Application,
    before: ApplicationStatus | None,
    after: ApplicationStatus,
    actor: Actor,
    user: User | None,
    note: str = "",
) -> None:
    application.status = after
    application.events.append(
        ApplicationEvent(
            from_status=before, to_status=after, actor=actor, actor_user=user, note=note
        )
    )


def _facts(application: Application) -> dict:
    posting = application.posting
    return {
        "application": application.external_id,
        "job": posting.title,
        "employer": posting.employer.name,
        "worker": application.worker.name,
    }


def path_for(endpoint: str, **values) -> str:
    """A page's path, also outside a request (imports, CLI): a notice links to where to act."""
    return current_app.url_map.bind("").build(endpoint, values)


def _tell_employer(application: Application, kind: str, note: str = "") -> None:
    notices.notify(
        notices.accounts_of_employer(application.posting.employer_id),
        kind,
        {**_facts(application), "note": note},
        link=path_for("applications.pipeline", posting_id=application.posting.external_id),
    )


def _tell_worker(application: Application, kind: str, **extra) -> None:
    notices.notify(
        notices.accounts_of_worker(application.worker),
        kind,
        {**_facts(application), **extra},
        link=path_for("applications.mine"),
    )


def apply(worker: Worker, posting: JobPosting, user: User | None, note: str = "") -> Application:
    """The worker applies to an open posting; one application per worker and posting. One the
    worker withdrew, or the system closed (consent withdrawn, then given again), is made again:
    the same application, applied once more, its history kept."""
    note = _clean_note(note)
    if posting.status is not PostingStatus.open:
        raise ApplicationConflict(NOT_OPEN)
    application = application_of(worker, posting)
    if application is not None and application.status not in REAPPLIABLE:
        raise ApplicationConflict(ALREADY)
    if not policy.may_share_with_employers(worker):
        raise ValidationFailed({"worker": [CANNOT_SHARE]})
    if application is None:
        application = Application(
            external_id=new_external_id("AP"), posting=posting, worker=worker, note=note
        )
        db.session.add(application)
        before = None
    else:
        before = application.status
        check_move(before, S.applied, Actor.worker)
        # What the last round carried (an interview day, an offer) does not carry over.
        application.note, application.interview_on, application.interview_place = note, None, None
        application.offered_wage_inr = None
    _record(application, before, first_status(invited=False), Actor.worker, user, note)
    db.session.flush()
    _tell_employer(application, "application.applied", note)
    return application


def invite(posting: JobPosting, worker: Worker, user: User | None, note: str = "") -> Application:
    """The employer invites a visible worker to apply; the worker accepts or declines. A note
    (when to come, whom to ask for) goes with the invitation to the worker's inbox and their
    application."""
    note = _clean_note(note)
    if posting.status is not PostingStatus.open:
        raise ApplicationConflict(NOT_OPEN)
    if not policy.is_visible_to_employers(worker):
        raise ValidationFailed({"worker_id": [NOT_VISIBLE]})
    if application_of(worker, posting) is not None:
        raise ApplicationConflict(ALREADY_INVITED)
    application = Application(
        external_id=new_external_id("AP"), posting=posting, worker=worker, invited=True
    )
    db.session.add(application)
    _record(application, None, first_status(invited=True), Actor.employer, user, note)
    db.session.flush()
    _tell_worker(application, "application.invited", **({"note": note} if note else {}))
    return application


MOVE_FIELDS = (
    "status",
    "note",
    "interview_on",
    "interview_place",
    "start_date",
    "monthly_wage_inr",
)


@dataclass
class Move:
    """A requested move and what it carries: an interview's day and place, an offer's wage, a
    hire's start date and wage."""

    status: ApplicationStatus
    note: str = ""
    interview_on: date | None = None
    interview_place: str | None = None
    start_date: date | None = None
    monthly_wage_inr: int | None = None

    @classmethod
    def from_patch(cls, data: dict) -> Move:
        """The move an ApplicationPatch (API body or page form) asks for."""
        return cls(**{name: data[name] for name in MOVE_FIELDS if name in data})


WORKER_KINDS = {
    S.applied: "application.accepted",
    S.declined: "application.declined",
    S.withdrawn: "application.withdrawn",
}


def move(application: Application, wanted: Move, actor: Actor, user: User | None) -> Application:
    """Move the application if the state machine allows it; a hire creates the placement."""
    current = application.status
    try:
        check_move(current, wanted.status, actor)
    except MoveNotAllowed:
        raise ApplicationConflict(
            WRONG_MOVE % {"current": current.value, "wanted": wanted.status.value},
            moving=(current, wanted.status),
        ) from None
    note = _clean_note(wanted.note)
    if wanted.status is S.hired:
        require_fields(asdict(wanted), ("start_date", "monthly_wage_inr"))
        # A start years before the posting (a slip of the year) would count a job in the
        # placement and retention figures that never ran. A start before the application is
        # allowed: a worker on trial may apply through the app to make it official.
        posted = application.posting.posted_on
        if posted is not None and wanted.start_date < posted:
            raise ValidationFailed({"start_date": [START_BEFORE_POSTING]})
    if wanted.status is S.applied and not policy.may_share_with_employers(application.worker):
        raise ValidationFailed({"worker": [CANNOT_SHARE]})
    if wanted.status is S.interview:
        if wanted.interview_on is not None and wanted.interview_on < date.today():
            raise ValidationFailed({"interview_on": [INTERVIEW_PASSED]})
        application.interview_on = wanted.interview_on
        application.interview_place = (wanted.interview_place or "").strip() or None
    if wanted.status is S.offered and wanted.monthly_wage_inr is not None:
        if problems := placements.monthly_wage_problems(wanted.monthly_wage_inr):
            raise ValidationFailed(problems)
        application.offered_wage_inr = wanted.monthly_wage_inr
    if wanted.status is S.hired:
        application.placement = placement_for_hire(
            application, wanted.start_date, wanted.monthly_wage_inr
        )
    _record(application, current, wanted.status, actor, user, note)
    db.session.flush()
    if actor is Actor.worker:
        _tell_employer(application, WORKER_KINDS[wanted.status], note)
    else:
        _tell_worker(
            application,
            f"application.{wanted.status.value}",
            note=note,
            interview_on=application.interview_on.isoformat() if application.interview_on else None,
            interview_place=application.interview_place,
            wage=wanted.monthly_wage_inr,
            start_date=wanted.start_date.isoformat() if wanted.start_date else None,
        )
    return application


def reject_many(
    applications: Iterable[Application], note: str, user: User | None
) -> list[Application]:
    """Reject several applications with one note; all or none (a wrong one refuses the lot)."""
    return [move(a, Move(S.rejected, note=note), Actor.employer, user) for a in applications]


def close_open(applications: Iterable[Application], reason: str) -> int:
    """The system closes what is still open (posting closed or filled, consent withdrawn)."""
    closed = 0
    for application in applications:
        if application.status in OPEN:
            _record(application, application.status, S.closed, Actor.system, None, reason)
            _tell_worker(application, "application.closed", reason=reason)
            closed += 1
    db.session.flush()
    return closed


def close_for_posting(posting: JobPosting) -> int:
    """A posting that is no longer open closes its open applications."""
    if posting.status is PostingStatus.open or posting.id is None:
        return 0
    return close_open(_open_where(Application.posting_id == posting.id), "posting_closed")


def open_for_posting(posting: JobPosting) -> int:
    """How many of the posting's applications are still open: those closing it would end."""
    if posting.id is None:
        return 0
    return db.session.scalar(
        select(func.count(Application.id)).where(
            Application.posting_id == posting.id, Application.status.in_(OPEN)
        )
    )


def close_for_worker(worker: Worker) -> int:
    """A worker who may no longer share a profile with employers (consent withdrawn or narrowed,
    data erased) has their open applications closed."""
    if worker.id is None or policy.may_share_with_employers(worker):
        return 0
    return close_open(_open_where(Application.worker_id == worker.id), "consent_withdrawn")


def _open_where(condition) -> list[Application]:
    return list(
        db.session.scalars(select(Application).where(condition, Application.status.in_(OPEN)))
    )


def forget_worker(worker: Worker) -> int:
    """Erasure (after the worker's name was replaced): the worker's own words leave their
    applications and their history, and their name leaves the notices about them; the moves and dates stay (the funnel
    counts them). Says how many notices were cleaned."""
    applications = applications_of_worker(worker)
    for application in applications:
        application.note = ""
        for event in application.events:
            if event.actor is Actor.worker:
                event.note = ""
    cleaned = notices.forget_names(
        [application.external_id for application in applications],
        {"worker": worker.name, "note": ""},  # the name the erasure left (ERASED_NAME)
    )
    db.session.flush()
    return cleaned


# --- The hire and its placement -----------------------------------------------------------------


def training_behind(worker: Worker, start: date) -> Enrolment | None:
    """The course the worker completed in the 12 months before the job started, latest first."""
    return db.session.scalar(
        select(Enrolment)
        .where(
            Enrolment.worker_id == worker.id,
            Enrolment.status == EnrolmentStatus.completed,
            Enrolment.completed_on.is_not(None),
            Enrolment.completed_on <= start,
            Enrolment.completed_on >= start - TRAINING_LOOKBACK,
        )
        .order_by(Enrolment.completed_on.desc(), Enrolment.id.desc())
        .limit(1)
    )


def placement_for_hire(application: Application, start: date, wage: int) -> Placement:
    """The placement a hire creates, or the one an institution already recorded for this job,
    which then carries both sources of evidence."""
    posting, worker = application.posting, application.worker
    existing = placements.same_job(worker.id, posting.employer_id, start)
    if existing is not None:
        if existing.posting is None:
            existing.posting = posting
        if existing.enrolment is None:
            existing.enrolment = training_behind(worker, start)
        db.session.flush()
        return existing
    placement = placements.create_placement_of_hire(worker, posting, start, wage)
    placement.enrolment = training_behind(worker, start)
    db.session.flush()
    return placement


# --- Lists and figures --------------------------------------------------------------------------


def with_row_details(statement: Select) -> Select:
    """A list of applications with what its rows show (worker, posting and its employer,
    placement, history) loaded for the whole list at once: a page costs a fixed number of
    queries however many rows it has, not one more query per row."""
    return statement.options(
        joinedload(Application.worker),
        joinedload(Application.posting).joinedload(JobPosting.employer),
        joinedload(Application.placement),
        selectinload(Application.events),
    )


def applications_of_worker(worker: Worker, seen_by: User | None = None) -> list[Application]:
    """The worker's applications, newest first; only those ``seen_by`` may see when given (an
    employer: those to its own postings)."""
    statement = select(Application) if seen_by is None else policy.applications_visible_to(seen_by)
    return list(
        db.session.scalars(
            with_row_details(statement)
            .where(Application.worker_id == worker.id)
            .order_by(None)
            .order_by(Application.updated_at.desc(), Application.id.desc())
        )
    )


def applications_to(posting: JobPosting) -> list[Application]:
    return list(
        db.session.scalars(
            with_row_details(select(Application))
            .where(Application.posting_id == posting.id)
            .order_by(Application.created_at, Application.id)
        )
    )


def by_status(applications: Iterable[Application]) -> dict[ApplicationStatus, list[Application]]:
    """The pipeline's columns: the open steps in order, then the ended ones."""
    columns: dict[ApplicationStatus, list[Application]] = {
        status: [] for status in (S.invited, *PIPELINE, *sorted(ENDED - {S.hired}))
    }
    for application in applications:
        columns[application.status].append(application)
    return columns


def statuses_of_worker(worker: Worker) -> dict[str, ApplicationStatus]:
    """posting external id -> status of the worker's application (the jobs lists show it)."""
    return dict(
        db.session.execute(
            select(JobPosting.external_id, Application.status)
            .join(JobPosting, Application.posting_id == JobPosting.id)
            .where(Application.worker_id == worker.id)
        ).all()
    )


def statuses_of_workers(posting: JobPosting) -> dict[int, ApplicationStatus]:
    """worker id -> status of their application to the posting (candidate lists show it)."""
    return dict(
        db.session.execute(
            select(Application.worker_id, Application.status).where(
                Application.posting_id == posting.id
            )
        ).all()
    )


@dataclass
class PostingCounts:
    applied: int = 0
    shortlisted: int = 0
    hired: int = 0
    days_to_hire: float | None = None


def counts_per_posting(postings: Iterable[JobPosting]) -> dict[int, PostingCounts]:
    """Per posting: how many applied, were shortlisted (or went further), were hired, and the
    median days from application to hire."""
    ids = [posting.id for posting in postings]
    counts = {posting_id: PostingCounts() for posting_id in ids}
    if not ids:
        return counts
    history = _histories(Application.posting_id.in_(ids))
    days: dict[int, list[int]] = defaultdict(list)
    for (posting_id, _worker, _gender, _born), steps in history.items():
        statuses = [status for status, _at in steps]
        row = counts[posting_id]
        row.applied += reached(statuses, S.applied)
        row.shortlisted += reached(statuses, S.shortlisted)
        if S.hired in statuses:
            row.hired += 1
            applied_at = next(at for status, at in steps if status is S.applied)
            hired_at = next(at for status, at in steps if status is S.hired)
            days[posting_id].append((hired_at.date() - applied_at.date()).days)
    for posting_id, values in days.items():
        counts[posting_id].days_to_hire = statistics.median(values)
    return counts


def _histories(condition) -> dict[tuple, list]:
    """(posting id, worker id, gender, date of birth) -> [(status, at), ...] in order."""
    rows = db.session.execute(
        select(
            Application.posting_id,
            Application.worker_id,
            Worker.gender,
            Worker.date_of_birth,
            ApplicationEvent.to_status,
            ApplicationEvent.at,
        )
        .join(ApplicationEvent, ApplicationEvent.application_id == Application.id)
        .join(Worker, Worker.id == Application.worker_id)
        .where(condition)
        .order_by(ApplicationEvent.at, ApplicationEvent.id)
    )
    history: dict[tuple, list] = defaultdict(list)
    for posting_id, worker_id, gender, born, status, at in rows:
        history[(posting_id, worker_id, gender, born)].append((status, at))
    return history


FUNNEL_STEPS = (S.applied, S.shortlisted, S.hired)


def funnel() -> list[dict]:
    """Applied → shortlisted → hired, for everyone and by gender and youth (15–29 on the day of
    the application): plain count rows for the outcome tables' disclosure control."""
    groups = ["all", *(f"gender:{gender.value}" for gender in Gender), "youth", "older"]
    rows: dict[str, Counter] = {group: Counter() for group in groups}
    for (_posting, _worker, gender, born), steps in _histories(true()).items():
        statuses = [status for status, _at in steps]
        youth = "youth" if is_youth(born, steps[0][1].date()) else "older"
        for step in FUNNEL_STEPS:
            if reached(statuses, step):
                for group in ("all", f"gender:{gender.value}", youth):
                    rows[group][step.value] += 1
    return [
        {"group": group, **{step.value: rows[group][step.value] for step in FUNNEL_STEPS}}
        for group in groups
    ]
