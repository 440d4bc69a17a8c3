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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.common import new_external_id
from app.employers.models import JobPosting
from app.errors import ValidationFailed
from app.extensions import db
from app.institutions.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
)
from app.institutions.services import upsert_enrolment
from app.matches.match_inputs import (
    OfferingTemplate,
    match_data,
    posting_profile,
    worker_profile,
)
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


def gap_for_worker_posting(
    worker: Worker, posting: JobPosting, today: date | None = None
) -> dict[str, Any]:
    """The CLI and API shape: fit, covered/partial/missing, the plan items and uncovered skills."""
    found = gap_and_plan(worker, posting, today)
    return {**found.gap.as_dict(), **plan_dict(found.plan)}


def plan_dict(plan: TrainingPlan) -> dict[str, Any]:
    return {
        "plan": [
            {
                "course": item.course_id,
                "module": item.module_id,
                "closes": list(item.closes),
                "hours": item.hours,
                "fee_inr": item.fee_inr,
                "next_batch_start": item.next_batch_start.isoformat()
                if item.next_batch_start
                else None,
            }
            for item in plan.items
        ],
        "uncovered": list(plan.uncovered),
    }


# --- Ranking ---------------------------------------------------------------------------------------


def jobs_for_worker(worker: Worker, top_k: int = DEFAULT_TOP_K) -> list[dict[str, Any]]:
    """Open postings that fit `worker`, best first (fit, same district, wage, openings)."""
    data = match_data()
    matches = rank_jobs(worker_profile(data, worker), data.index, limit=top_k)
    out = []
    for match in matches:
        p = match.posting
        low, high = data.posting_wages.get(p.posting_id, (None, None))
        out.append(
            {
                "posting_id": p.posting_id,
                "title": p.title,
                "employer": p.employer,
                "district": p.district,
                "sector": p.sector,
                "wage_min_inr": low,
                "wage_max_inr": high,
                "openings": p.openings,
                "fit": match.fit,
                "gap": match.gap.as_dict(),
            }
        )
    return out


def candidates_for_posting(posting: JobPosting, top_k: int = DEFAULT_TOP_K) -> list[dict[str, Any]]:
    """Workers visible to employers who fit `posting`, best first. Only what an employer may see:
    the worker's id, district, fit and how their skills meet the posting's."""
    data = match_data()
    posting_p = posting_profile(data, posting)
    out = []
    # Ranked over every visible worker at once (equal to `rank_candidates`); gaps only for the list.
    for found in data.candidate_matrix().rank(posting_p, top_k):
        worker = data.index.workers[found.worker_id]
        gap = data.index.gap(worker, posting_p)
        out.append(
            {
                "worker_id": worker.worker_id,
                "district": worker.district,
                "fit": gap.fit,
                "gap": gap.as_dict(),
            }
        )
    return out


def trainable_candidates_for_posting(
    posting: JobPosting,
    max_hours: float = DEFAULT_TRAINABLE_HOURS,
    top_k: int = DEFAULT_TOP_K,
    today: date | None = None,
) -> list[dict[str, Any]]:
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
        {
            "worker_id": c.worker.worker_id,
            "district": c.worker.district,
            "fit": c.fit,
            "training_hours": c.training_hours,
            "gap": c.gap.as_dict(),
            **plan_dict(c.plan),
        }
        for c in found
        if c.worker.visible
    ]


# --- Enrolment from a plan ------------------------------------------------------------------------


def enrol_from_plan(
    worker: Worker,
    posting: JobPosting,
    course_id: str,
    module_id: str | None,
    today: date | None = None,
) -> Enrolment:
    """Enrol `worker` in the next batch with free seats of a course on their plan for `posting`.

    Refused (ValidationFailed) when the course is not on the current plan, the worker is already
    enrolled in it, or no upcoming batch has a free seat. Flushes; the caller commits.
    """

    today = today or date.today()
    found = gap_and_plan(worker, posting, today)
    on_plan = any(
        item.course_id == course_id and item.module_id == (module_id or None)
        for item in found.plan.items
    )
    if not on_plan:
        raise ValidationFailed({"course": ["This course is not on your training plan any more."]})
    course = db.session.scalar(select(Course).where(Course.external_id == course_id))
    if course is None:
        raise ValidationFailed({"course": [f"Unknown course: {course_id}"]})
    already = db.session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.worker_id == worker.id,
            Enrolment.course_id == course.id,
            Enrolment.status == EnrolmentStatus.enrolled,
        )
    )
    if already:
        raise ValidationFailed({"course": [f"You are already enrolled in {course.title}."]})
    data = match_data()
    batch = next(
        (b for b in data.batches.get(course_id, ()) if b.start >= today and b.free_seats > 0),
        None,
    )
    if batch is None:
        raise ValidationFailed({"batch": [f"No upcoming batch of {course.title} has a free seat."]})
    notes = f"From the training plan for posting {posting.external_id}"
    if module_id:
        module = found.offerings.get((course_id, module_id))
        notes += f"; module {module_id}" + (f" ({module.title})" if module else "")
    enrolment, _created = upsert_enrolment(
        {
            "external_id": new_external_id("E"),
            "worker": worker.external_id,
            "course": course.external_id,
            "batch": batch.external_id,
            "status": EnrolmentStatus.enrolled,
            "enrolled_on": today,
            "notes": notes + ".",
        }
    )
    return enrolment
