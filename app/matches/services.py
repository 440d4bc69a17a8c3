"""The matching engine on the database: gaps, training plans, ranked jobs and candidates, and
cluster demand.

The engine (`matching/`) works on plain profiles. Building them from the tables takes a dozen
queries and the skill vectors, so the built inputs (`MatchData`) are kept per process and rebuilt
only when the data they come from changes (`match_stamp`: a version raised by every write). A
query for one worker or one posting is then a few dictionary look-ups in the engine's indexes.

Interpretations of the data model, in one place:

* A module has no fee of its own: it costs its course's fee pro rata by hours.
* Modules run inside their course's batches: a module's next batch is its course's.
* An offering's "next batch" is the earliest batch starting on or after `today` that still has a
  free seat; when every upcoming batch is full, the earliest upcoming one (with 0 free seats).
* An offering's district is that batch's district, else the institution's district.
* Courses carry no industry sector (institutions' sectors are "vocational training" and the like),
  so offerings have none and the demand report's sector filter keeps every course.
* Only workers the privacy rules let the engine use are matched (not erased, standing consent to
  "matching": app.privacy.policy.worker_may_be_matched); only those an employer may be shown
  (visible, consent to share with employers, adult or guardian-verified) are candidates or count
  as supply.
* Women-only batches are open to female workers; no data says who wants or rules out residential
  training, so those preferences keep their defaults.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, case, func, select, union

from app.auth import policy
from app.employers.models import JobPosting, PostingSkill, PostingStatus
from app.extensions import db
from app.institutions.models import (
    Batch,
    Course,
    Enrolment,
    EnrolmentStatus,
    Module,
    course_skill,
    module_skill,
)
from app.matches.changes import has_uncommitted_changes, matching_version
from app.organisations.models import Organisation
from app.skills.linking import get_linker
from app.skills.models import Skill
from app.workers.models import Gender, Worker, WorkerSkill
from matching.bulk import CandidateMatrix
from matching.demand import (
    ESSENTIAL_DEMAND,
    OPTIONAL_DEMAND,
    DemandReport,
    ScheduledBatch,
    cluster_demand,
)
from matching.gaps import (
    Gap,
    HeldSkill,
    RequiredSkill,
    SkillCloseness,
)
from matching.plans import Offering, OfferingCatalogue, TrainingPlan, plan_training
from matching.ranking import (
    MatchIndex,
    PostingProfile,
    WorkerProfile,
    rank_jobs,
    trainable_candidates,
)

DEFAULT_TOP_K = 10
DEFAULT_TRAINABLE_HOURS = 120
HEATMAP_SKILLS = 20
NO_SECTOR = "(no sector)"
_CATALOGUES_KEPT = 8  # catalogues per distinct `today`; a server only ever asks for a few days
_build_lock = threading.Lock()


class UnknownRecord(LookupError):
    """An external id that names no record (the CLI turns it into exit code 1)."""


class MatchingNotAllowed(LookupError):
    """The worker may not be matched: no standing consent to matching, or their data was erased."""


# --- What the engine needs, built from the tables ----------------------------------------------


@dataclass(frozen=True, slots=True)
class CourseBatch:
    """One batch as planning sees it: when, where, and how many seats are still free."""

    external_id: str
    start: date
    free_seats: int
    district: str | None


@dataclass(frozen=True, slots=True)
class OfferingTemplate:
    """A course or module without its batch: the batch depends on `today`."""

    course_id: str
    module_id: str | None
    title: str
    course_title: str
    institution: str
    skills: frozenset[str]
    hours: float
    fee_inr: float
    district: str | None
    women_only: bool
    residential: bool
    max_batch_size: int | None


@dataclass
class MatchData:
    """Everything the engine needs, built from the database once per change of `stamp`."""

    stamp: tuple
    index: MatchIndex
    closeness: SkillCloseness
    labels: dict[str, str]
    templates: tuple[OfferingTemplate, ...]
    batches: dict[str, tuple[CourseBatch, ...]]  # course external id → batches by start date
    posting_wages: dict[str, tuple[int | None, int | None]]
    catalogues: dict[date, OfferingCatalogue] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _matrix: CandidateMatrix | None = field(default=None, init=False, repr=False)
    _matrix_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def candidate_matrix(self) -> CandidateMatrix:
        """The visible workers as arrays, for ranking a posting's candidates with vector operations.

        Built on first use, not with the rest: it takes seconds at state scale (100k workers),
        and the match data is rebuilt after every change to the tables, most often for queries
        that never rank candidates (a worker's jobs, gaps, plans, `flask recommend`). Its own lock,
        so catalogue look-ups do not wait behind the build."""
        with self._matrix_lock:
            if self._matrix is None:
                self._matrix = CandidateMatrix(self.index.workers.values(), self.closeness)
            return self._matrix

    def catalogue(self, today: date) -> OfferingCatalogue:
        """The offerings with their next batch as of `today` (kept for a few recent days)."""
        with self.lock:
            found = self.catalogues.get(today)
            if found is None:
                found = OfferingCatalogue(self.offerings(today))
                if len(self.catalogues) >= _CATALOGUES_KEPT:
                    self.catalogues.pop(next(iter(self.catalogues)))
                self.catalogues[today] = found
            return found

    def offerings(self, today: date) -> list[Offering]:
        out = []
        for template in self.templates:
            batch = next_batch(self.batches.get(template.course_id, ()), today)
            out.append(
                Offering(
                    course_id=template.course_id,
                    module_id=template.module_id,
                    title=template.title,
                    skills=template.skills,
                    hours=template.hours,
                    fee_inr=template.fee_inr,
                    next_batch_start=batch.start if batch else None,
                    free_seats=batch.free_seats if batch else None,
                    district=(batch.district if batch else None) or template.district,
                    women_only=template.women_only,
                    residential=template.residential,
                    sector=None,
                    max_batch_size=template.max_batch_size,
                )
            )
        return out

    def label(self, uri: str) -> str:
        return self.labels.get(uri, uri)


def next_batch(batches: Iterable[CourseBatch], today: date) -> CourseBatch | None:
    """The earliest batch from `today` on with a free seat, else the earliest upcoming full one."""
    upcoming = [batch for batch in batches if batch.start >= today]
    with_seats = [batch for batch in upcoming if batch.free_seats > 0]
    if with_seats:
        return with_seats[0]
    return upcoming[0] if upcoming else None


def match_stamp() -> tuple:
    """What the match data is built from: the matching data version, raised by every committed
    write matching depends on (app/versions.py: one primary-key read, where fingerprinting
    the tables took 200 ms at 100,000 workers), today's date (who counts as an adult, and so may
    be shown to employers, moves daily), the encoder and the closeness threshold."""
    return (
        matching_version(db.session),
        date.today(),
        current_app.config["ENCODER"],
        closeness_threshold(),
    )


def match_data() -> MatchData:
    """The process's match data, rebuilt first if the data changed since it was built.

    While one request rebuilds it, the others are served the data it replaces rather than wait:
    at state scale a rebuild takes seconds, and each committed write starts one. A session that
    has written matching data but not committed it gets data built from what it sees, neither
    taken from nor kept in the cache.
    """
    if has_uncommitted_changes(db.session):
        return build_match_data(match_stamp())
    stamp = match_stamp()
    state: MatchData | None = current_app.extensions.get("match_data")
    if state is not None and state.stamp == stamp:
        return state
    if state is None:
        _build_lock.acquire()
    elif not _build_lock.acquire(blocking=False):
        return state  # being rebuilt by another request: stale by at most one rebuild
    try:
        stamp = match_stamp()
        state = current_app.extensions.get("match_data")
        if state is None or state.stamp != stamp:
            state = build_match_data(stamp)
            current_app.extensions["match_data"] = state
        return state
    finally:
        _build_lock.release()


def build_match_data(stamp: tuple) -> MatchData:
    """Read workers, postings, courses, modules and batches and prepare the engine's inputs."""
    skills = skill_rows()
    workers = [profile for _, profile in worker_profiles(skills)]
    postings, wages = open_posting_profiles(skills)
    templates, batches = _offering_templates(lambda skill_id: skills[skill_id][0])
    closeness = skill_closeness(closeness_skill_uris(skills), threshold=float(stamp[-1]))
    return MatchData(
        stamp=stamp,
        index=MatchIndex(workers, postings, closeness),
        closeness=closeness,
        labels=dict(skills.values()),
        templates=templates,
        batches=batches,
        posting_wages=wages,
    )


# The pieces of the match data, shared with `flask recommend all` (app/matches/bulk.py), which
# builds workers a page at a time instead of keeping them all: one way to build each profile.

SkillRows = Mapping[int, tuple[str, str]]


def skill_rows() -> dict[int, tuple[str, str]]:
    """Every skill's id → (uri, label): profiles name skills by uri, the tables by id."""
    return {
        skill_id: (uri, label)
        for skill_id, uri, label in db.session.execute(select(Skill.id, Skill.uri, Skill.label))
    }


def worker_profiles(
    skills: SkillRows, where: ColumnElement[bool] | None = None, limit: int | None = None
) -> list[tuple[int, WorkerProfile]]:
    """The profiles of the workers the engine may match (`worker_may_be_matched`) that also meet
    `where`, in id order, at most `limit`, each with its row id (a page's last id is the key of
    the next page). Two queries: the workers, with whether an employer may see them, then their
    skills."""
    visible = case((policy.employer_candidate_clause(), True), else_=False)
    statement = (
        select(Worker.id, Worker.external_id, Worker.district, Worker.gender, visible)
        .where(policy.worker_may_be_matched())
        .order_by(Worker.id)
        .limit(limit)
    )
    if where is not None:
        statement = statement.where(where)
    rows = db.session.execute(statement).all()
    if not rows:
        return []
    held: dict[int, list[HeldSkill]] = {row[0]: [] for row in rows}
    for worker_id, skill_id, level in db.session.execute(
        # The id range of the page: workers in it that may not be matched are dropped below.
        select(WorkerSkill.worker_id, WorkerSkill.skill_id, WorkerSkill.proficiency).where(
            WorkerSkill.worker_id.between(rows[0][0], rows[-1][0])
        )
    ):
        found = held.get(worker_id)
        if found is not None:
            uri, label = skills[skill_id]
            found.append(HeldSkill(uri, label, level))
    return [
        (
            worker_id,
            WorkerProfile(
                worker_id=external_id,
                held=tuple(held[worker_id]),
                district=district,
                visible=bool(shown),
                women_only_ok=gender is Gender.female,
            ),
        )
        for worker_id, external_id, district, gender, shown in rows
    ]


def open_posting_profiles(
    skills: SkillRows,
) -> tuple[list[PostingProfile], dict[str, tuple[int | None, int | None]]]:
    """Open postings as the engine sees them, in id order, and each one's wage range by external
    id (the profile keeps only the monthly wage ranking sorts by)."""
    required: dict[int, list[RequiredSkill]] = {}
    for posting_id, skill_id, essential, level in db.session.execute(
        select(
            PostingSkill.posting_id,
            PostingSkill.skill_id,
            PostingSkill.essential,
            PostingSkill.min_proficiency,
        )
        .join(JobPosting, PostingSkill.posting_id == JobPosting.id)
        .where(JobPosting.status == PostingStatus.open)
        .order_by(PostingSkill.posting_id, PostingSkill.id)
    ):
        uri, label = skills[skill_id]
        required.setdefault(posting_id, []).append(RequiredSkill(uri, label, essential, level))
    postings = []
    wages: dict[str, tuple[int | None, int | None]] = {}
    for row in db.session.execute(
        select(
            JobPosting.id,
            JobPosting.external_id,
            JobPosting.title,
            JobPosting.district,
            JobPosting.openings,
            JobPosting.wage_min_inr,
            JobPosting.wage_max_inr,
            Organisation.name,
            Organisation.sector,
        )
        .join(Organisation, JobPosting.employer_id == Organisation.id)
        .where(JobPosting.status == PostingStatus.open)
        .order_by(JobPosting.id)
    ):
        wages[row.external_id] = (row.wage_min_inr, row.wage_max_inr)
        postings.append(
            PostingProfile(
                posting_id=row.external_id,
                required=tuple(required.get(row.id, ())),
                title=row.title,
                employer=row.name,
                district=row.district,
                sector=row.sector,
                wage_inr=monthly_wage(row.wage_min_inr, row.wage_max_inr),
                openings=row.openings,
            )
        )
    return postings, wages


def closeness_skill_uris(skills: SkillRows) -> set[str]:
    """Every skill a gap may meet: asked by any posting (a closed one's gap is shown too), held by
    any worker, taught by any course or module. Neighbours are searched among these, so the match
    data and a bulk run that both use this set find the same neighbours with the same similarity."""
    used = union(
        select(PostingSkill.skill_id),
        select(WorkerSkill.skill_id),
        select(course_skill.c.skill_id),
        select(module_skill.c.skill_id),
    )
    return {skills[skill_id][0] for skill_id in db.session.scalars(select(used.subquery().c[0]))}


def skill_closeness(uris: Iterable[str], threshold: float) -> SkillCloseness:
    """The closeness of `uris` by their label vectors (the taxonomy's linker is only asked when
    there is a skill: it refuses an empty taxonomy)."""
    ordered = sorted(set(uris))
    vectors = get_linker().vector_for(ordered) if ordered else []
    return SkillCloseness(dict(zip(ordered, vectors, strict=True)), threshold=threshold)


def closeness_threshold() -> float:
    """The similarity from which a held skill counts as close to a required one (config)."""
    return float(current_app.config["MATCH_CLOSENESS_THRESHOLD"])


def _offering_templates(uri_of) -> tuple[tuple[OfferingTemplate, ...], dict]:
    course_skills: dict[int, set[str]] = {}
    for course_id, skill_id in db.session.execute(
        select(course_skill.c.course_id, course_skill.c.skill_id)
    ):
        course_skills.setdefault(course_id, set()).add(uri_of(skill_id))
    module_skills: dict[int, set[str]] = {}
    for module_id, skill_id in db.session.execute(
        select(module_skill.c.module_id, module_skill.c.skill_id)
    ):
        module_skills.setdefault(module_id, set()).add(uri_of(skill_id))

    taken = dict(
        db.session.execute(
            select(Enrolment.batch_id, func.count(Enrolment.id))
            .where(Enrolment.batch_id.is_not(None), Enrolment.status != EnrolmentStatus.dropped)
            .group_by(Enrolment.batch_id)
        ).all()
    )
    course_ext: dict[int, str] = {}
    templates: list[OfferingTemplate] = []
    courses = db.session.execute(
        select(Course, Organisation.name, Organisation.district)
        .join(Organisation, Course.institution_id == Organisation.id)
        .order_by(Course.external_id)
    ).all()
    modules: dict[int, list[Module]] = {}
    for module in db.session.scalars(select(Module).order_by(Module.position, Module.id)):
        modules.setdefault(module.course_id, []).append(module)
    for course, institution, district in courses:
        course_ext[course.id] = course.external_id
        common = {
            "course_id": course.external_id,
            "course_title": course.title,
            "institution": institution,
            "district": district,
            "women_only": bool(course.women_only),
            "residential": bool(course.residential),
            "max_batch_size": course.max_batch_size,
        }
        skills = frozenset(course_skills.get(course.id, ()))
        if skills:
            templates.append(
                OfferingTemplate(
                    module_id=None,
                    title=course.title,
                    skills=skills,
                    hours=float(course.hours),
                    fee_inr=float(course.fee_inr),
                    **common,
                )
            )
        for module in modules.get(course.id, ()):
            skills = frozenset(module_skills.get(module.id, ()))
            if not skills:
                continue
            templates.append(
                OfferingTemplate(
                    module_id=module.external_id,
                    title=module.title,
                    skills=skills,
                    hours=float(module.hours),
                    fee_inr=module_fee(course.fee_inr, module.hours, course.hours),
                    **common,
                )
            )
    batches: dict[str, list[CourseBatch]] = {}
    for batch_id, external_id, course_id, start, seats, district in db.session.execute(
        select(
            Batch.id,
            Batch.external_id,
            Batch.course_id,
            Batch.start_date,
            Batch.seats,
            Batch.district,
        ).order_by(Batch.start_date, Batch.id)
    ):
        batches.setdefault(course_ext[course_id], []).append(
            CourseBatch(external_id, start, max(seats - taken.get(batch_id, 0), 0), district)
        )
    return tuple(templates), {key: tuple(value) for key, value in batches.items()}


def module_fee(course_fee: int, module_hours: int, course_hours: int) -> float:
    """A module's share of its course's fee, by hours, in whole rupees."""
    if course_hours <= 0:
        return float(course_fee)
    return float(round(course_fee * min(module_hours, course_hours) / course_hours))


def monthly_wage(low: int | None, high: int | None) -> float | None:
    """The wage ranking sorts by: the middle of the range, or whichever end is given."""
    if low is not None and high is not None:
        return (low + high) / 2
    if low is not None:
        return float(low)
    return float(high) if high is not None else None


# --- Profiles of one record ---------------------------------------------------------------------


def worker_profile(data: MatchData, worker: Worker) -> WorkerProfile:
    """The worker as the engine sees them; refused when the privacy rules exclude them."""
    found = data.index.workers.get(worker.external_id)
    if found is None:
        raise MatchingNotAllowed(
            f"Worker {worker.external_id} cannot be matched: matching needs their standing "
            'consent to the purpose "matching" (and data that was not erased).'
        )
    return found


def posting_profile(data: MatchData, posting: JobPosting) -> PostingProfile:
    """The posting from the index when open; a closed or filled posting is read directly."""
    found = data.index.postings.get(posting.external_id)
    if found is not None:
        return found
    return PostingProfile(
        posting_id=posting.external_id,
        required=tuple(
            RequiredSkill(row.skill.uri, row.skill.label, row.essential, row.min_proficiency)
            for row in posting.skills
        ),
        title=posting.title,
        employer=posting.employer.name,
        district=posting.district,
        sector=posting.employer.sector,
        wage_inr=monthly_wage(posting.wage_min_inr, posting.wage_max_inr),
        openings=posting.openings,
    )


def worker_by_external_id(external_id: str) -> Worker:
    worker = db.session.scalar(select(Worker).where(Worker.external_id == external_id))
    if worker is None:
        raise UnknownRecord(f"No worker with id {external_id!r}.")
    return worker


def posting_by_external_id(external_id: str) -> JobPosting:
    posting = db.session.scalar(select(JobPosting).where(JobPosting.external_id == external_id))
    if posting is None:
        raise UnknownRecord(f"No posting with id {external_id!r}.")
    return posting


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


def gap_summary(gap: Gap) -> dict[str, Any]:
    """Counts and labels of a gap: enough for a list row or a chip list."""
    return {
        "covered": [c.label for c in gap.covered],
        "partial": [p.label for p in gap.partial],
        "missing": [m.label for m in gap.missing],
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


# --- Cluster demand --------------------------------------------------------------------------------


def cluster_demand_report(
    sector: str | None = None, district: str | None = None, today: date | None = None
) -> DemandReport:
    """Per skill: demand of open postings, supply of visible workers, free seats in upcoming
    batches and the gap; skills nobody teaches; suggested batches. Optionally one sector/district."""
    today = today or date.today()
    data = match_data()
    return cluster_demand(
        data.index.postings.values(),
        data.index.workers.values(),
        data.catalogue(today),
        today=today,
        batches=scheduled_batches(data),
        sector=sector,
        district=district,
    )


def scheduled_batches(data: MatchData) -> list[ScheduledBatch]:
    """Every batch's free seats, as capacity of its whole course (module skills are course skills;
    courses without skills teach nothing and are left out)."""
    courses = {t.course_id for t in data.templates if t.module_id is None}
    return [
        ScheduledBatch(course_id, None, batch.start, batch.free_seats)
        for course_id, batches in data.batches.items()
        if course_id in courses
        for batch in batches
    ]


def demand_filter_options() -> dict[str, list[str]]:
    """Sectors of the employers with open postings; districts of postings, workers and courses."""
    data = match_data()
    sectors = {p.sector for p in data.index.postings.values() if p.sector}
    districts = {p.district for p in data.index.postings.values() if p.district}
    districts |= {w.district for w in data.index.workers.values() if w.district}
    districts |= {t.district for t in data.templates if t.district}
    return {"sectors": sorted(sectors), "districts": sorted(districts)}


def demand_heatmap(
    report: DemandReport,
    by: str = "sector",
    sector: str | None = None,
    district: str | None = None,
    top_n: int = HEATMAP_SKILLS,
) -> dict[str, Any]:
    """Demand of the `top_n` most demanded skills of `report`, split by the posting's sector or
    district (same weights as the report: an opening counts 1 if essential, 0.5 if optional)."""
    if by not in ("sector", "district"):
        raise ValueError("by must be 'sector' or 'district'")
    data = match_data()
    top = sorted(report.rows, key=lambda r: (-r.demand, r.uri))[:top_n]
    wanted = {row.uri for row in top}
    cells: dict[tuple[str, str], float] = {}
    columns: set[str] = set()
    for posting in data.index.postings.values():
        if not (_in_area(posting.sector, sector) and _in_area(posting.district, district)):
            continue
        column = (posting.sector if by == "sector" else posting.district) or NO_SECTOR
        for req in posting.required:
            if req.uri in wanted:
                columns.add(column)
                weight = ESSENTIAL_DEMAND if req.essential else OPTIONAL_DEMAND
                cells[req.uri, column] = (
                    cells.get((req.uri, column), 0.0) + posting.openings * weight
                )
    ordered = sorted(columns)
    return {
        "by": by,
        "skills": [row.label for row in top],
        "uris": [row.uri for row in top],
        "columns": ordered,
        "values": [[cells.get((row.uri, column), 0.0) for column in ordered] for row in top],
    }


def _in_area(value: str | None, wanted: str | None) -> bool:
    # The demand report's rule: a record without a sector/district is not known to be elsewhere.
    return wanted is None or value is None or value == wanted


def demand_csv_rows(report: DemandReport) -> list[list[Any]]:
    return report.to_csv_rows()


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
    from app.common import new_external_id
    from app.errors import ValidationFailed
    from app.institutions.services import upsert_enrolment

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
