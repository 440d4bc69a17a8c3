"""The engine's records read from the tables: worker and posting profiles, the courses and
modules on offer (without their batch, which depends on the day), skill rows and the closeness
between skills. app/matchmaking/match_inputs.py keeps them per process and up to date."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import ColumnElement, case, func, select

from app.auth import policy
from app.employers.models import JobPosting, PostingSkill, PostingStatus
from app.extensions import db
from app.institutions.models import (
    SEAT_RELEASED,
    Batch,
    Course,
    Enrolment,
    Module,
    course_skill,
    module_skill,
)
from app.organisations.models import Organisation
from app.skills.linking import get_linker
from app.skills.models import Skill
from app.workers.models import Gender, Worker, WorkerSkill
from matching.gaps import HeldSkill, RequiredSkill, SkillCloseness
from matching.ranking import PostingProfile, WorkerProfile

ID_CHUNK = 2000  # ids per IN (...) when reading records by id
# The pieces of the match data, shared with `flask recommend all` (app/matchmaking/recommend_all.py), which
# builds workers a page at a time instead of keeping them all: one way to build each profile.
SkillRows = Mapping[int, tuple[str, str]]


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


def skill_rows() -> dict[int, tuple[str, str]]:
    """Every skill's id → (uri, label): profiles name skills by uri, the tables by id."""
    return {
        skill_id: (uri, label)
        for skill_id, uri, label in db.session.execute(select(Skill.id, Skill.uri, Skill.label))
    }


def worker_profiles(
    skills: SkillRows,
    where: ColumnElement[bool] | None = None,
    limit: int | None = None,
    *,
    ids: Collection[int] | None = None,
) -> list[tuple[int, WorkerProfile]]:
    """The profiles of the workers the engine may match (`worker_may_be_matched`) that also meet
    `where` (or have one of `ids`), in id order, at most `limit`, each with its row id (a page's
    last id is the key of the next page). Two queries: the workers, with whether an employer may
    see them, then their skills."""
    if ids is not None:
        ordered = sorted(ids)
        found = []
        for start in range(0, len(ordered), ID_CHUNK):
            chunk = ordered[start : start + ID_CHUNK]
            found += _worker_profiles(skills, Worker.id.in_(chunk), None, chunk)
        return found
    return _worker_profiles(skills, where, limit, None)


def _worker_profiles(
    skills: SkillRows,
    where: ColumnElement[bool] | None,
    limit: int | None,
    ids: list[int] | None,
) -> list[tuple[int, WorkerProfile]]:
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
    shared: dict[tuple[int, int], HeldSkill] = {}
    # The id range of the page (or the ids asked for): workers in it that may not be matched
    # are dropped below.
    within = (
        WorkerSkill.worker_id.between(rows[0][0], rows[-1][0])
        if ids is None
        else WorkerSkill.worker_id.in_([row[0] for row in rows])
    )
    for worker_id, skill_id, level in db.session.execute(
        select(WorkerSkill.worker_id, WorkerSkill.skill_id, WorkerSkill.proficiency).where(within)
    ):
        found = held.get(worker_id)
        if found is not None:
            # One object per (skill, level), shared by every worker holding it: a few thousand
            # instead of one per worker's skill, less memory and a smaller snapshot.
            skill = shared.get((skill_id, level))
            if skill is None:
                uri, label = skills[skill_id]
                skill = shared[(skill_id, level)] = HeldSkill(uri, label, level)
            found.append(skill)
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
    rows, wages = posting_profiles(skills)
    return [profile for _, profile in rows], wages


def posting_profiles(
    skills: SkillRows, where: ColumnElement[bool] | None = None
) -> tuple[list[tuple[int, PostingProfile]], dict[str, tuple[int | None, int | None]]]:
    """`open_posting_profiles` of the open postings that meet `where`, each with its row id."""
    required: dict[int, list[RequiredSkill]] = {}
    statement = (
        select(
            PostingSkill.posting_id,
            PostingSkill.skill_id,
            PostingSkill.essential,
            PostingSkill.min_proficiency,
        )
        .join(JobPosting, PostingSkill.posting_id == JobPosting.id)
        .where(JobPosting.status == PostingStatus.open)
        .order_by(PostingSkill.posting_id, PostingSkill.id)
    )
    for posting_id, skill_id, essential, level in db.session.execute(
        statement if where is None else statement.where(where)
    ):
        uri, label = skills[skill_id]
        required.setdefault(posting_id, []).append(RequiredSkill(uri, label, essential, level))
    postings = []
    wages: dict[str, tuple[int | None, int | None]] = {}
    statement = (
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
    )
    for row in db.session.execute(statement if where is None else statement.where(where)):
        wages[row.external_id] = (row.wage_min_inr, row.wage_max_inr)
        postings.append(
            (
                row.id,
                PostingProfile(
                    posting_id=row.external_id,
                    required=tuple(required.get(row.id, ())),
                    title=row.title,
                    employer=row.name,
                    district=row.district,
                    sector=row.sector,
                    wage_inr=monthly_wage(row.wage_min_inr, row.wage_max_inr),
                    openings=row.openings,
                ),
            )
        )
    return postings, wages


def closeness_skill_uris(skills: SkillRows) -> set[str]:
    """Every skill of the taxonomy: a gap may meet any of them (a posting, worker or course can
    name any), and the closeness then depends on the taxonomy alone, so a write never changes it.
    The match data and a bulk run both use this set: the same neighbours, the same similarity."""
    return {uri for uri, _ in skills.values()}


def skill_closeness(uris: Iterable[str], threshold: float) -> SkillCloseness:
    """The closeness of `uris` by their label vectors (the taxonomy's linker is only asked when
    there is a skill: it refuses an empty taxonomy)."""
    ordered = sorted(set(uris))
    vectors = get_linker().vector_for(ordered) if ordered else []
    return SkillCloseness(dict(zip(ordered, vectors, strict=True)), threshold=threshold)


def closeness_threshold() -> float:
    """The similarity from which a held skill counts as close to a required one (config)."""
    return float(current_app.config["MATCH_CLOSENESS_THRESHOLD"])


def offering_templates(uri_of) -> tuple[tuple[OfferingTemplate, ...], dict]:
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

    templates: list[OfferingTemplate] = []
    courses = db.session.execute(
        select(Course, Organisation.name, Organisation.district)
        .join(Organisation, Course.institution_id == Organisation.id)
        .where(Course.archived_at.is_(None))  # an archived course is offered to no one
        .order_by(Course.external_id)
    ).all()
    modules: dict[int, list[Module]] = {}
    for module in db.session.scalars(select(Module).order_by(Module.position, Module.id)):
        modules.setdefault(module.course_id, []).append(module)
    for course, institution, district in courses:
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
    for course, batch in batch_seats():
        batches.setdefault(course, []).append(batch)
    return tuple(templates), {key: tuple(value) for key, value in batches.items()}


def batch_seats(batch_ids: Collection[int] | None = None) -> list[tuple[str, CourseBatch]]:
    """The batches of courses on offer (all of them, or those of `batch_ids`) in start order, each
    with its course's external id and its free seats after the enrolments holding one: read here
    for the whole catalogue and for the few batches an enrolment changed alike."""
    taken_query = (
        select(Enrolment.batch_id, func.count(Enrolment.id))
        .where(Enrolment.batch_id.is_not(None), Enrolment.status.not_in(SEAT_RELEASED))
        .group_by(Enrolment.batch_id)
    )
    batch_query = (
        select(
            Batch.id,
            Batch.external_id,
            Course.external_id,
            Batch.start_date,
            Batch.seats,
            Batch.district,
        )
        .join(Course, Batch.course_id == Course.id)
        .where(Course.archived_at.is_(None))  # a batch of an archived course is offered to no one
        .order_by(Batch.start_date, Batch.id)
    )
    if batch_ids is not None:
        ids = sorted(batch_ids)
        taken_query = taken_query.where(Enrolment.batch_id.in_(ids))
        batch_query = batch_query.where(Batch.id.in_(ids))
    taken = dict(db.session.execute(taken_query).all())
    return [
        (course, CourseBatch(external_id, start, max(seats - taken.get(batch_id, 0), 0), district))
        for batch_id, external_id, course, start, seats, district in db.session.execute(batch_query)
    ]


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
