"""Who may see or do what: every access rule of the app, each a predicate and, where lists are
filtered, its SQL clause. Views, the API, the CLI and the importers all ask this module.

It imports models only, never a domain service, so it never joins an import cycle. Personal-data
rules (consent, erasure, minors: DPDP Act 2023) are here too, as the clauses other domains filter
with; the privacy services record consent and the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, Select, Text, and_, cast, exists, false, or_, select
from sqlalchemy.orm import aliased

from app.applications.models import Application
from app.applications.states import SHARES_CONTACT, Actor
from app.auth.models import Role, User
from app.employers.models import JobPosting, PostingStatus
from app.extensions import db
from app.institutions.models import Course, Enrolment
from app.placements.models import Placement
from app.privacy.models import Consent, Grievance, GuardianConsent
from app.privacy.notice import PURPOSES
from app.workers.models import Worker

ADULT_AGE = 18
ALL_PURPOSES = tuple(PURPOSES["en"])


# --- Roles and ownership ------------------------------------------------------------------------


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role is Role.admin


def owns_organisation(user: User, organisation_id: int | None) -> bool:
    return (
        user.is_authenticated
        and user.organisation_id is not None
        and user.organisation_id == organisation_id
    )


def can_manage_org_record(user: User, organisation_id: int) -> bool:
    """Admins, or the employer or institution that owns the record."""
    return is_admin(user) or owns_organisation(user, organisation_id)


def workers_enrolled_with(institution_id: int) -> Select:
    """A select of the ids of workers with any enrolment at the institution."""
    return (
        select(Enrolment.worker_id)
        .join(Course, Enrolment.course_id == Course.id)
        .where(Course.institution_id == institution_id)
    )


def worker_enrolled_with(worker_id: int, institution_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Enrolment.worker_id == worker_id,
                    Enrolment.course_id == Course.id,
                    Course.institution_id == institution_id,
                )
            )
        )
    )


def admin_or_institution_of(user: User, worker) -> bool:
    """Administrators, or an institution the worker enrolled with: who looks after a trainee's
    records (placements, a guardian's consent)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role is Role.admin:
        return True
    return (
        user.role is Role.institution
        and user.organisation_id is not None
        and worker_enrolled_with(worker.id, user.organisation_id)
    )


def may_issue_reset_codes(user: User) -> bool:
    """Whether `user` may give anyone a one-time password code (can_issue_reset_code for some
    target): administrators and institutions; a page for anyone else need not look up the login."""
    return is_admin(user) or (user.is_authenticated and user.role is Role.institution)


def can_issue_reset_code(user: User, target: User) -> bool:
    """Who may give someone a one-time password code: an administrator for anyone, or an
    institution for a worker enrolled with it (who knows them in person)."""
    if is_admin(user):
        return True
    return (
        may_issue_reset_codes(user)
        and target.role is Role.worker
        and target.worker is not None
        and admin_or_institution_of(user, target.worker)
    )


# --- Personal data: who may be processed (DPDP) -------------------------------------------------


def adult_cutoff(today: date | None = None) -> date:
    """The latest date of birth of someone who is 18 today."""
    today = today or date.today()
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - ADULT_AGE, day=28)


def came_of_age_clause(since: date, today: date) -> ColumnElement[bool]:
    """Workers who turned 18 after `since`, up to `today`: the day moved them from minors (shown
    to employers only with a verified guardian's consent) to adults."""
    return and_(
        Worker.date_of_birth > adult_cutoff(since), Worker.date_of_birth <= adult_cutoff(today)
    )


def is_minor(worker: Worker, today: date | None = None) -> bool:
    return worker.date_of_birth > adult_cutoff(today)


def standing_consent_clause(purpose: str | None = None) -> ColumnElement[bool]:
    """The worker's latest consent record is not withdrawn (and lists `purpose`), as
    app.workers.services.current_consent decides for one worker.

    Purposes are a JSON list of fixed keys: matching the quoted key in its text works the same on
    SQLite and PostgreSQL.
    """
    if purpose is not None and purpose not in ALL_PURPOSES:
        raise ValueError(f"Unknown purpose {purpose!r}; known: {', '.join(ALL_PURPOSES)}.")
    latest, later = aliased(Consent), aliased(Consent)
    conditions = [
        latest.worker_id == Worker.id,
        latest.withdrawn_at.is_(None),
        ~exists().where(
            later.worker_id == latest.worker_id,
            or_(
                later.given_at > latest.given_at,
                and_(later.given_at == latest.given_at, later.id > latest.id),
            ),
        ),
    ]
    if purpose is not None:
        conditions.append(cast(latest.purposes, Text).like(f'%"{purpose}"%'))
    return exists().where(*conditions)


def guardian_verified_clause() -> ColumnElement[bool]:
    return exists().where(
        GuardianConsent.worker_id == Worker.id, GuardianConsent.verified_on.is_not(None)
    )


def not_erased_clause() -> ColumnElement[bool]:
    return Worker.erased_at.is_(None)


def worker_may_be_matched() -> ColumnElement[bool]:
    """Workers the matching engine may use: not erased, standing consent to "matching"."""
    return and_(not_erased_clause(), standing_consent_clause("matching"))


def may_share_with_employers_clause(today: date | None = None) -> ColumnElement[bool]:
    """Workers whose profile may go to an employer: consented to "share_with_employers", not
    erased, and 18+ or with a guardian's consent verified by an institution."""
    return and_(
        not_erased_clause(),
        standing_consent_clause("share_with_employers"),
        or_(Worker.date_of_birth <= adult_cutoff(today), guardian_verified_clause()),
    )


def visible_to_employers_clause(today: date | None = None) -> ColumnElement[bool]:
    """Workers an employer may see: they chose to be visible and may share with employers."""
    return and_(Worker.visible_to_employers.is_(True), may_share_with_employers_clause(today))


def employer_candidate_clause(today: date | None = None) -> ColumnElement[bool]:
    """Candidates an employer may be shown for a posting: matchable and visible to employers."""
    return and_(worker_may_be_matched(), visible_to_employers_clause(today))


def findable_by_institutions_clause() -> ColumnElement[bool]:
    """Workers any institution may look up to enrol: not erased, and consented to institutions
    offering them courses ("training_referrals")."""
    return and_(not_erased_clause(), standing_consent_clause("training_referrals"))


def may_be_enrolled_clause() -> ColumnElement[bool]:
    """Workers an institution may newly enrol: not erased, with a standing consent."""
    return and_(not_erased_clause(), standing_consent_clause())


def _worker_passes(worker: Worker, clause: ColumnElement[bool]) -> bool:
    if worker.id is None:
        return False
    return db.session.scalar(select(Worker.id).where(Worker.id == worker.id, clause)) is not None


def may_be_matched(worker: Worker) -> bool:
    return _worker_passes(worker, worker_may_be_matched())


def is_visible_to_employers(worker: Worker, today: date | None = None) -> bool:
    return _worker_passes(worker, visible_to_employers_clause(today))


def may_share_with_employers(worker: Worker, today: date | None = None) -> bool:
    return _worker_passes(worker, may_share_with_employers_clause(today))


def can_verify_guardian_consent(user: User, worker: Worker) -> bool:
    """An officer of an institution the worker is enrolled with, or an administrator; never the
    worker themselves."""
    return admin_or_institution_of(user, worker)


# --- Workers ------------------------------------------------------------------------------------


def can_view_worker(user: User, worker) -> bool:
    """Admins; the worker; an institution the worker enrolled with; employers only when the worker
    chose to be visible, consented to sharing, is not erased and is an adult or guardian-verified."""
    if not user.is_authenticated:
        return False
    if user.role is Role.admin:
        return True
    if user.role is Role.worker:
        return user.worker_id == worker.id
    if user.role is Role.institution:
        return user.organisation_id is not None and worker_enrolled_with(
            worker.id, user.organisation_id
        )
    if user.role is Role.employer:
        return is_visible_to_employers(worker) or applied_to_employer(worker, user.organisation_id)
    return False


def can_edit_worker(user: User, worker) -> bool:
    return user.is_authenticated and (
        user.role is Role.admin or (user.role is Role.worker and user.worker_id == worker.id)
    )


def can_act_for_worker(user: User, worker: Worker) -> bool:
    """The worker and admins; an institution for workers enrolled with it (assessments, assisted
    registration)."""
    return can_edit_worker(user, worker) or (
        user.role is Role.institution and can_view_worker(user, worker)
    )


def workers_visible_to(user: User) -> Select:
    """Admins see all; an institution the workers enrolled in its courses; employers the workers
    who chose to be visible and may be shown (visible_to_employers_clause) and those who applied
    to them (can_view_worker); a worker only themselves. Erased workers are listed to
    administrators only."""
    statement = select(Worker).order_by(Worker.external_id)
    if not getattr(user, "is_authenticated", False):
        return statement.where(false())
    if user.role is Role.admin:
        return statement
    statement = statement.where(not_erased_clause())
    if user.role is Role.institution:
        if user.organisation_id is None:
            return statement.where(false())
        return statement.where(Worker.id.in_(workers_enrolled_with(user.organisation_id)))
    if user.role is Role.employer:
        return statement.where(
            or_(
                visible_to_employers_clause(),
                Worker.id.in_(applicants_of_employer(user.organisation_id)),
            )
        )
    if user.role is Role.worker and user.worker_id is not None:
        return statement.where(Worker.id == user.worker_id)
    return statement.where(false())


# --- Matching -----------------------------------------------------------------------------------


def can_see_matches_of(user: User, worker: Worker) -> bool:
    """The worker, admins, and an institution the worker is enrolled with (a training officer
    planning with them) — never an employer: a worker's job list and gaps are their own."""
    return user.role is not Role.employer and can_view_worker(user, worker)


def can_see_gap_against(user: User, posting: JobPosting) -> bool:
    """Workers plan against open postings only, as they see no other."""
    return user.role is not Role.worker or posting.status is PostingStatus.open


# --- Postings -----------------------------------------------------------------------------------


def can_view_posting(user: User, posting: JobPosting) -> bool:
    """Employers their own postings; workers open ones; institutions and admins all."""
    if user.role is Role.employer:
        return user.organisation_id == posting.employer_id
    if user.role is Role.worker:
        return posting.status is PostingStatus.open
    return True


def postings_visible_to(user: User) -> Select:
    """The list form of can_view_posting, newest first."""
    statement = select(JobPosting).order_by(JobPosting.posted_on.desc(), JobPosting.id.desc())
    if user.role is Role.employer:
        return statement.where(JobPosting.employer_id == user.organisation_id)
    if user.role is Role.worker:
        return statement.where(JobPosting.status == PostingStatus.open)
    return statement


# --- Enrolments ---------------------------------------------------------------------------------


def can_view_enrolment(user: User, enrolment: Enrolment) -> bool:
    if user.role is Role.worker:
        return user.worker_id == enrolment.worker_id
    return can_manage_org_record(user, enrolment.course.institution_id)


def can_cancel_enrolment(user: User, enrolment: Enrolment) -> bool:
    """The worker enrolled (their own choice to withdraw before the batch starts), or an admin.
    The institution records a dropout instead."""
    if user.role is Role.worker:
        return user.worker_id is not None and user.worker_id == enrolment.worker_id
    return is_admin(user)


def enrolments_visible_to(user: User) -> Select:
    """Admins all; an institution its own courses' enrolments; a worker their own; else none."""
    statement = select(Enrolment).order_by(Enrolment.enrolled_on.desc(), Enrolment.id.desc())
    if user.role is Role.admin:
        return statement
    if user.role is Role.institution and user.organisation_id is not None:
        return statement.join(Enrolment.course).where(Course.institution_id == user.organisation_id)
    if user.role is Role.worker and user.worker_id is not None:
        return statement.where(Enrolment.worker_id == user.worker_id)
    return statement.where(False)


# --- Placements ---------------------------------------------------------------------------------


def can_record_placement_for(user: User, worker: Worker) -> bool:
    """Admins, or an institution the worker enrolled with: it records what became of its trainees."""
    return admin_or_institution_of(user, worker)


def placements_visible_to(user: User) -> Select:
    """Admins all; an institution placements of workers enrolled with it; an employer its own
    placements; a worker their own. Newest first."""
    statement = select(Placement).order_by(Placement.placed_on.desc(), Placement.id.desc())
    if user.role is Role.admin:
        return statement
    if user.role is Role.institution and user.organisation_id is not None:
        return statement.where(Placement.worker_id.in_(workers_enrolled_with(user.organisation_id)))
    if user.role is Role.employer and user.organisation_id is not None:
        return statement.where(Placement.employer_id == user.organisation_id)
    if user.role is Role.worker and user.worker_id is not None:
        return statement.where(Placement.worker_id == user.worker_id)
    return statement.where(False)


def can_see_placement(user: User, placement: Placement) -> bool:
    """placements_visible_to for one placement."""
    return _listed(placements_visible_to(user), Placement.id, placement.id)


def _listed(statement: Select, id_column, record_id: int) -> bool:
    """Whether a list rule (`*_visible_to`) lets the record through: one rule for the list and
    for the single record."""
    found = db.session.scalar(statement.where(id_column == record_id).with_only_columns(id_column))
    return found is not None


# --- Grievances ---------------------------------------------------------------------------------


def grievances_visible_to(user: User) -> Select:
    """Administrators see every grievance; a worker their own; nobody else any."""
    statement = select(Grievance).order_by(Grievance.created_at.desc(), Grievance.id.desc())
    if user.role is Role.admin:
        return statement
    if user.role is Role.worker and user.worker_id is not None:
        return statement.where(Grievance.worker_id == user.worker_id)
    return statement.where(false())


# --- Applications -------------------------------------------------------------------------------
#
# A worker applies for themselves; the posting's employer invites visible workers and moves the
# application; the worker accepts, declines or withdraws. Administrators read everything and move
# nothing (they are not party to a hire); an institution reads its trainees' applications.


def applications_of_employer(organisation_id: int | None) -> Select:
    """A select of the ids of applications to the employer's postings."""
    return (
        select(Application.id)
        .join(JobPosting, Application.posting_id == JobPosting.id)
        .where(JobPosting.employer_id == organisation_id)
    )


def applicants_of_employer(organisation_id: int | None) -> Select:
    """A select of the ids of workers who applied (or accepted an invitation) to one of the
    employer's postings and have not withdrawn."""
    return (
        select(Application.worker_id)
        .join(JobPosting, Application.posting_id == JobPosting.id)
        .where(
            JobPosting.employer_id == organisation_id,
            Application.status.in_(SHARES_CONTACT),
        )
    )


def applied_to_employer(worker: Worker, organisation_id: int | None) -> bool:
    """The worker applied (or accepted an invitation) to one of the employer's postings and has
    not withdrawn: the employer may then see the profile and the phone number, even when the
    worker is not listed to employers at large."""
    if organisation_id is None or worker.id is None:
        return False
    return _listed(applicants_of_employer(organisation_id), Application.worker_id, worker.id)


def can_apply_for(user: User, worker: Worker) -> bool:
    """Only the worker applies, and accepts or declines an invitation: it is their choice."""
    return user.is_authenticated and user.role is Role.worker and user.worker_id == worker.id


def can_manage_applications_to(user: User, posting: JobPosting) -> bool:
    """The posting's employer invites and moves applications; administrators only read them."""
    return (
        user.is_authenticated
        and user.role is Role.employer
        and owns_organisation(user, posting.employer_id)
    )


def can_read_applications_to(user: User, posting: JobPosting) -> bool:
    return is_admin(user) or can_manage_applications_to(user, posting)


def application_actor(user: User, application: Application) -> Actor | None:
    """The side `user` takes in moving the application, or None when they may not move it."""
    if can_apply_for(user, application.worker):
        return Actor.worker
    if can_manage_applications_to(user, application.posting):
        return Actor.employer
    return None


def applications_visible_to(user: User) -> Select:
    """Admins all; a worker their own; an employer those to its postings; an institution those of
    workers enrolled with it. Newest first."""
    statement = select(Application).order_by(Application.created_at.desc(), Application.id.desc())
    if not getattr(user, "is_authenticated", False):
        return statement.where(false())
    if user.role is Role.admin:
        return statement
    if user.role is Role.worker and user.worker_id is not None:
        return statement.where(Application.worker_id == user.worker_id)
    if user.role is Role.employer and user.organisation_id is not None:
        return statement.where(Application.id.in_(applications_of_employer(user.organisation_id)))
    if user.role is Role.institution and user.organisation_id is not None:
        return statement.where(
            Application.worker_id.in_(workers_enrolled_with(user.organisation_id))
        )
    return statement.where(false())


def can_view_application(user: User, application: Application) -> bool:
    """applications_visible_to for one application."""
    return _listed(applications_visible_to(user), Application.id, application.id)


def can_see_contact_of(user: User, worker: Worker) -> bool:
    """The phone number: the worker, admins, an institution the worker enrolled with, and an
    employer only once the worker applied to it or accepted its invitation."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role is Role.employer:
        return applied_to_employer(worker, user.organisation_id)
    return can_view_worker(user, worker)


def contacts_seen_by(user: User, workers: Iterable[Worker]) -> set[int]:
    """The ids of those of `workers` whose phone number `user` may see (`can_see_contact_of` for
    a list): one query for an employer's list of applicants, however long."""
    workers = [worker for worker in workers if worker.id is not None]
    if not getattr(user, "is_authenticated", False) or not workers:
        return set()
    if user.role is Role.employer:
        if user.organisation_id is None:
            return set()
        statement = applicants_of_employer(user.organisation_id).where(
            Application.worker_id.in_([worker.id for worker in workers])
        )
        return set(db.session.scalars(statement))
    return {worker.id for worker in workers if can_see_contact_of(user, worker)}
