"""The matching engine on the database: gaps, training plans, ranked jobs and candidates, and
cluster demand.

The engine (`matching/`) works on plain profiles. Building them from the tables takes a dozen
queries and the skill vectors, so the built inputs (`MatchData`) are kept per process and brought
up to date when the data they come from changes (`match_stamp`: a version raised by every write;
only the records in the change log since are read again). A query for one worker or one posting
is then a few dictionary look-ups in the engine's indexes.

Interpretations of the data model, in one place:

* A module has no fee of its own: it costs its course's fee pro rata by hours.
* Modules run inside their course's batches: a module's next batch is its course's.
* An offering's "next batch" is the earliest batch starting on or after `today` that still has a
  free seat; when every upcoming batch is full, the earliest upcoming one (with 0 free seats).
* An offering's district is that batch's district, else the institution's district.
* Courses carry no industry sector (institutions' sectors are "vocational training" and the like),
  so offerings have none and the demand report's sector filter keeps every course.
* Only workers the privacy rules let the engine use are matched (not erased, standing consent to
  "matching": app.auth.policy.worker_may_be_matched); only those an employer may be shown
  (visible, consent to share with employers, adult or guardian-verified) are candidates or count
  as supply.
* Women-only batches are open to female workers; no data says who wants or rules out residential
  training, so those preferences keep their defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.common import find_by_external_id, new_external_id
from app.employers.models import JobPosting
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.institutions.models import (
    Batch,
    Course,
    Enrolment,
    EnrolmentStatus,
)
from app.institutions.services import current_enrolment, upsert_enrolment
from app.matchmaking.match_inputs import match_data, next_batch, posting_profile, worker_profile
from app.matchmaking.profiles import OfferingTemplate
from app.placements.services import add_months
from app.workers.models import Worker
from matching.gaps import (
    Gap,
)
from matching.plans import TrainingPlan, plan_training
from matching.ranking import (
    PostingProfile,
    WorkerProfile,
    rank_jobs,
    trainable_candidates,
)

DEFAULT_TOP_K = 10
DEFAULT_TRAINABLE_HOURS = 120
# Why a plan's course cannot be joined now: none planned, or the next one full (a walk was told
# "no batch has a free seat" of a course with no batch at all).
NO_BATCH_PLANNED = N_(
    "No batch of %(course)s is planned yet: ask the institution when the next one starts."
)
NO_FREE_SEAT = N_("Every upcoming batch of %(course)s is full.")
# An enrolment's note when it came from a training plan: stored in English, like every record,
# and read in the reader's language (forms.message_text knows these).
PLAN_NOTE = N_("From the training plan for posting %(posting)s")
PLAN_MODULE_NOTE = N_(
    "From the training plan for posting %(posting)s; module %(module)s (%(title)s)"
)


# --- Gap and plan ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GapWithPlan:
    """A worker's gap against a posting and the training plan that closes it."""

    posting: PostingProfile
    worker: WorkerProfile
    gap: Gap
    plan: TrainingPlan
    offerings: Mapping[tuple[str, str | None], OfferingTemplate]
    labels: Mapping[str, str]


def gap_and_plan(worker: Worker, posting: JobPosting, today: date | None = None) -> GapWithPlan:
    """The gap of `worker` against `posting`, and the cheapest plan closing its partial and missing
    skills at the institutions, as of `today` (batches before it no longer count)."""
    today = today or date.today()
    data = match_data()
    worker_p = worker_profile(data, worker)
    posting_p = posting_profile(data, posting)
    gap = data.index.gap(worker_p, posting_p)
    plan = plan_training(gap.to_close, data.catalogue(today), worker_p.plan_preferences(today))
    return GapWithPlan(
        posting=posting_p,
        worker=worker_p,
        gap=gap,
        plan=plan,
        offerings={(t.course_id, t.module_id): t for t in data.templates},
        labels=data.labels,
    )


# --- Ranking ---------------------------------------------------------------------------------------
#
# Results are domain records the output schemas (app/matchmaking/schemas.py) serialise for the API
# and the CLI, and the pages render as they are: one shape, named once.


@dataclass(frozen=True, slots=True)
class JobForWorker:
    """An open posting that fits a worker, with the wage range as posted (the engine ranks by one
    wage) and the gap of the worker's skills against it."""

    posting_id: str
    title: str
    employer: str
    district: str | None
    sector: str | None
    wage_min_inr: int | None
    wage_max_inr: int | None
    openings: int
    fit: int
    gap: Gap


@dataclass(frozen=True, slots=True)
class Candidate:
    """What an employer may see of a ranked candidate: an id, a district and the skills' fit."""

    worker_id: str
    district: str | None
    fit: int
    gap: Gap


@dataclass(frozen=True, slots=True)
class TrainableCandidate(Candidate):
    """A candidate who fits once `plan` (its items, fewest hours first) is done."""

    plan: TrainingPlan

    @property
    def training_hours(self) -> float:
        return self.plan.total_hours


def jobs_for_worker(worker: Worker, top_k: int = DEFAULT_TOP_K) -> list[JobForWorker]:
    """Open postings that fit `worker`, best first (fit, same district, wage, openings)."""
    data = match_data()
    matches = rank_jobs(worker_profile(data, worker), data.index, limit=top_k)
    out = []
    for match in matches:
        p = match.posting
        low, high = data.posting_wages.get(p.posting_id, (None, None))
        out.append(
            JobForWorker(
                posting_id=p.posting_id,
                title=p.title,
                employer=p.employer,
                district=p.district,
                sector=p.sector,
                wage_min_inr=low,
                wage_max_inr=high,
                openings=p.openings,
                fit=match.fit,
                gap=match.gap,
            )
        )
    return out


def candidates_for_posting(posting: JobPosting, top_k: int = DEFAULT_TOP_K) -> list[Candidate]:
    """Workers visible to employers who fit `posting`, best first."""
    data = match_data()
    posting_p = posting_profile(data, posting)
    out = []
    # Ranked over every visible worker at once (equal to `rank_candidates`); gaps only for the list.
    for found in data.candidate_matrix().rank(posting_p, top_k):
        worker = data.index.workers[found.worker_id]
        gap = data.index.gap(worker, posting_p)
        out.append(Candidate(worker.worker_id, worker.district, gap.fit, gap))
    return out


def fits_to_posting(posting: JobPosting, workers: Iterable[Worker]) -> dict[int, int]:
    """worker row id → their fit (0–100) to `posting`, as the candidate list ranks it: the
    employer weighs each applicant by it. Workers the engine may not match (no standing consent
    to matching, data erased) have none."""
    data = match_data()
    posting_p = posting_profile(data, posting)
    fits = {}
    for worker in workers:
        found = data.index.workers.get(worker.external_id)
        if found is not None:
            fits[worker.id] = data.index.gap(found, posting_p).fit
    return fits


def trainable_candidates_for_posting(
    posting: JobPosting,
    max_hours: float = DEFAULT_TRAINABLE_HOURS,
    top_k: int = DEFAULT_TOP_K,
    today: date | None = None,
) -> list[TrainableCandidate]:
    """Visible workers not yet fitting `posting` whose training plan closes the whole gap within
    `max_hours`, fewest hours first."""
    today = today or date.today()
    data = match_data()
    found = trainable_candidates(
        posting_profile(data, posting),
        data.index,
        data.catalogue(today),
        today=today,
        max_hours=max_hours,
        limit=top_k,
    )
    return [
        TrainableCandidate(c.worker.worker_id, c.worker.district, c.fit, c.gap, c.plan)
        for c in found
        if c.worker.visible
    ]


def people_and_courses(rows: Sequence[Candidate]) -> tuple[dict[str, Worker], dict[tuple, str]]:
    """What a candidate list shows an employer beside the ranking: the workers (their names and
    experience; the rows are visible workers only) and each plan item's course or module with
    its institution, by name instead of code."""
    workers = {
        worker.external_id: worker
        for worker in db.session.scalars(
            select(Worker).where(Worker.external_id.in_([row.worker_id for row in rows]))
        )
    }
    course_ids = {
        item.course_id
        for row in rows
        if isinstance(row, TrainableCandidate)
        for item in row.plan.items
    }
    courses = {
        course.external_id: course
        for course in db.session.scalars(
            select(Course)
            .where(Course.external_id.in_(course_ids))
            .options(selectinload(Course.modules), joinedload(Course.institution))
        )
    }
    names = {}
    for course in courses.values():
        names[(course.external_id, None)] = f"{course.title} · {course.institution.name}"
        for module in course.modules:
            names[(course.external_id, module.external_id)] = (
                f"{module.title} ({course.title}) · {course.institution.name}"
            )
    return workers, names


# --- Enrolment from a plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanEnrolment:
    """What enrolling from a plan item would do, shown to the worker before anything is written:
    the course (always the whole course: modules run inside their course's batches), the module
    the plan needs when it is one, and the batch the seat is taken in."""

    course: Course
    module_id: str | None
    module_title: str | None
    module_hours: float | None
    batch: Batch
    district: str | None

    @property
    def whole_course(self) -> bool:
        return self.module_id is None

    @property
    def ends_about(self) -> date | None:
        """The batch's last month, from the course's duration (no batch records an end date)."""
        months = self.course.duration_months
        if not months:
            return None
        return add_months(self.batch.start_date, months)


def plan_enrolment(
    worker: Worker,
    posting: JobPosting,
    course_id: str,
    module_id: str | None,
    today: date | None = None,
) -> PlanEnrolment:
    """What enrolling `worker` from their plan for `posting` in a course (or module) would do.

    Refused (ValidationFailed) when the course is not on the current plan, the worker is already
    enrolled in it, or no upcoming batch has a free seat. Writes nothing.
    """
    today = today or date.today()
    found = gap_and_plan(worker, posting, today)
    on_plan = any(
        item.course_id == course_id and item.module_id == (module_id or None)
        for item in found.plan.items
    )
    if not on_plan:
        raise ValidationFailed({"course": ["This course is not on your training plan any more."]})
    course = find_by_external_id(Course, course_id)
    if course is None:
        raise ValidationFailed({"course": [f"Unknown course: {course_id}"]})
    if current_enrolment(worker, course) is not None:
        raise ValidationFailed({"course": [f"You are already enrolled in {course.title}."]})
    upcoming = next_batch(match_data().batches.get(course_id, ()), today)
    if upcoming is None:
        raise ValidationFailed({"batch": [NO_BATCH_PLANNED % {"course": course.title}]})
    batch = find_by_external_id(Batch, upcoming.external_id) if upcoming.free_seats > 0 else None
    if batch is None:
        raise ValidationFailed({"batch": [NO_FREE_SEAT % {"course": course.title}]})
    module = found.offerings.get((course_id, module_id)) if module_id else None
    return PlanEnrolment(
        course=course,
        module_id=module_id or None,
        module_title=module.title if module else None,
        module_hours=module.hours if module else None,
        batch=batch,
        district=batch.district or course.institution.district,
    )


def enrol_from_plan(
    worker: Worker,
    posting: JobPosting,
    offer: PlanEnrolment,
    batch_id: str,
    today: date | None = None,
) -> Enrolment:
    """Enrol `worker` as the confirmation page showed: in batch `batch_id` of the course `offer`
    (`plan_enrolment` now) says. When that batch is no longer the one they would get (it filled
    up, or an earlier one opened), nothing is written (BatchChanged): they confirm the new one
    first. Flushes; the caller commits.
    """
    today = today or date.today()
    if offer.batch.external_id != batch_id:
        raise BatchChanged({"batch": [BATCH_CHANGED]})
    notes = PLAN_NOTE % {"posting": posting.external_id}
    if offer.module_id and offer.module_title:
        notes = PLAN_MODULE_NOTE % {
            "posting": posting.external_id,
            "module": offer.module_id,
            "title": offer.module_title,
        }
    enrolment, _created = upsert_enrolment(
        {
            "external_id": new_external_id("E"),
            "worker": worker.external_id,
            "course": offer.course.external_id,
            "batch": offer.batch.external_id,
            "status": EnrolmentStatus.enrolled,
            "enrolled_on": today,
            "notes": notes + ".",
        },
        by_the_worker=True,
    )
    return enrolment


BATCH_CHANGED = "The batch has changed since you looked: check the new one and confirm again."


class BatchChanged(ValidationFailed):
    """The batch a worker confirmed is not the one they would get now."""
