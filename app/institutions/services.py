"""Course, module, batch and enrolment use cases. Services flush; the request or command commits.

Every upsert is keyed by the record's external id, so re-running an import changes nothing.
Rules that span fields or rows (dates in order, a batch of the right course, seats left) are
checked here on the final state of the record, so the API, the pages and imports share them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.audit.services import audit_correction
from app.common import (
    REQUIRED,
    find_by_external_id,
    new_record_id,
    require_fields,
    row_named_in,
)
from app.database import utcnow
from app.errors import CourseInUse, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.institutions.models import (
    SEAT_RELEASED,
    Batch,
    Course,
    Enrolment,
    EnrolmentStatus,
    Module,
    course_skill,
)
from app.organisations.models import Organisation, OrganisationKind
from app.privacy.services import enrolment_refusal  # privacy builds on this domain
from app.skills.models import Skill
from app.skills.services import skills_by_uri, unknown_skills
from app.vectors.index_backends import COURSE_NAMESPACE
from app.vectors.search import SearchHit, search_text
from app.vectors.sync import TextSource, document_text
from app.workers.models import Worker

COURSE_FIELDS = (
    "title",
    "syllabus",
    "nsqf_level",
    "qp_code",
    "hours",
    "fee_inr",
    "mode",
    "women_only",
    "residential",
    "max_batch_size",
    "duration_months",
)
MODULE_FIELDS = ("title", "hours", "is_bridge", "position")
BATCH_FIELDS = ("start_date", "seats", "district")
ENROLMENT_FIELDS = ("status", "enrolled_on", "completed_on", "certified", "certified_on", "notes")
ALREADY_ENROLLED = N_("%(name)s is already enrolled in %(course)s.")
BEFORE_BATCH = N_("Must not be before the batch starts (%(day)s).")
SEATS_OVER_MAX = N_("The course allows at most %(max)s seats in a batch.")
BATCH_OF_ANOTHER_COURSE = N_("Batch %(batch)s is not a batch of course %(course)s.")
MODULES_OVER_COURSE = N_(
    "The course's modules would come to %(total)s hours, more than its %(hours)s hours."
)
COURSE_UNDER_MODULES = N_(
    "The course's modules come to %(total)s hours: shorten or remove modules first."
)


# Courses ---------------------------------------------------------------------------------------


def course_by_external_id(external_id: str) -> Course | None:
    return find_by_external_id(Course, external_id)


def courses_of(institution: Organisation | None = None, *, archived: bool | None = None) -> Select:
    """A select of courses by title; of one institution when given; only the archived ones
    (archived=True) or only those on offer (archived=False) when asked."""
    statement = select(Course).order_by(Course.title, Course.id)
    if institution is not None:
        statement = statement.where(Course.institution_id == institution.id)
    if archived is not None:
        statement = statement.where(
            Course.archived_at.is_not(None) if archived else Course.archived_at.is_(None)
        )
    return statement


def course_texts() -> dict[str, str]:
    """What the course vectors are made of: per course, its title, the labels of the skills it
    teaches and its syllabus (the whole catalogue, as the course list shows it)."""
    labels: dict[int, list[str]] = defaultdict(list)
    for course_id, label in db.session.execute(
        select(course_skill.c.course_id, Skill.label).join(
            Skill, Skill.id == course_skill.c.skill_id
        )
    ):
        labels[course_id].append(label)
    rows = db.session.execute(select(Course.id, Course.title, Course.syllabus))
    return {str(row.id): document_text(row.title, labels[row.id], row.syllabus) for row in rows}


COURSE_VECTORS = TextSource(COURSE_NAMESPACE, Course, course_texts)


def search_courses(text: str, limit: int = 10) -> list[SearchHit[Course]]:
    """Courses closest in meaning to `text`, best first (the catalogue is public)."""

    def visible(ids: Sequence[str]) -> set[str]:
        # The catalogue is public; archived courses are no longer offered.
        archived = db.session.scalars(
            select(Course.id).where(Course.id.in_(map(int, ids)), Course.archived_at.is_not(None))
        )
        return set(ids) - {str(course_id) for course_id in archived}

    def load(ids: Sequence[str]) -> dict[str, Course]:
        statement = (
            select(Course)
            .where(Course.id.in_(map(int, ids)))
            # What CourseOut shows, in two queries instead of two per course.
            .options(joinedload(Course.institution), selectinload(Course.skills))
        )
        return {str(course.id): course for course in db.session.scalars(statement)}

    return search_text(COURSE_VECTORS, text, limit, visible, load)


def upsert_course(institution: Organisation, data: Mapping) -> tuple[Course, bool]:
    """Create or update the course `data["external_id"]` of `institution`; says if created.

    Keys: external_id, title, syllabus, nsqf_level, qp_code, hours, fee_inr, mode, women_only,
    residential, max_batch_size, duration_months, skills (a list of skill URIs).
    A course of another institution is refused rather than moved.
    """
    require_fields(data, ["external_id"])
    course = course_by_external_id(data["external_id"])
    if course is None:
        return _add_course(institution, data["external_id"], {}, data), True
    if course.institution_id != institution.id:
        raise ValidationFailed(
            {"external_id": [f"Course {course.external_id} belongs to another institution."]}
        )
    return update_course(course, data), False


def create_course(institution: Organisation, data: Mapping) -> Course:
    """A new course; an id is made up when none is given (courses added on a page)."""
    return _add_course(institution, *new_record_id(Course, data, "C", "course"), data)


def _add_course(
    institution: Organisation, external_id: str, id_errors: Mapping[str, list[str]], data: Mapping
) -> Course:
    """The course of `create_course`, whose id has been looked up once already (by it, or by
    `upsert_course`); `id_errors` are that look-up's, reported with the missing fields."""
    if institution.kind is not OrganisationKind.institution:
        raise ValidationFailed(
            {"institution": [f"{institution.external_id} is not an institution."]}
        )
    require_fields(data, ["title", "hours"], found=id_errors)
    course = Course(external_id=external_id, institution=institution)
    db.session.add(course)
    return update_course(course, data)


def update_course(course: Course, data: Mapping) -> Course:
    """Change only the fields present in `data`; `skills` replaces the course's skills."""
    for field in COURSE_FIELDS:
        if field in data:
            value = data[field]
            if field == "syllabus":
                value = value or ""
            elif field == "qp_code":
                value = value or None
            setattr(course, field, value)
    if "skills" in data:
        set_course_skills(course, data["skills"] or [])
    if "hours" in data:
        _refuse_modules_over_course(course, COURSE_UNDER_MODULES)
    db.session.flush()
    return course


def _refuse_modules_over_course(course: Course, message: str) -> None:
    """The one rule on a course's hours: its modules, which split the course, may not come to
    more than it lasts (a module of 400 hours in a course of 300 is a slip of one figure)."""
    total = sum(module.hours or 0 for module in course.modules)
    if course.hours and total > course.hours:
        raise ValidationFailed({"hours": [message % {"total": total, "hours": course.hours}]})


def set_course_skills(course: Course, uris: Iterable[str]) -> None:
    """Replace the course's skills; one unknown URI rejects the whole list, naming it.

    Skills a module of the course teaches are kept: a module's skills are a subset of its course's.
    """
    wanted = list(dict.fromkeys(uri.strip() for uri in uris if uri and uri.strip()))
    found = skills_by_uri(wanted)
    unknown = unknown_skills(wanted, found)
    if unknown:
        raise ValidationFailed({"skills": unknown})
    taught_by_modules = {skill.uri: skill for module in course.modules for skill in module.skills}
    keep = {**taught_by_modules, **found}
    course.skills[:] = [keep[uri] for uri in dict.fromkeys([*wanted, *taught_by_modules])]
    db.session.flush()


@dataclass(frozen=True)
class CourseRecords:
    """What hangs off a course: what deleting it would remove, or archiving it would keep."""

    modules: int
    batches: int
    enrolments: int  # every enrolment, whatever its status
    completed: int
    certified: int

    @property
    def deletable(self) -> bool:
        """Only a course nobody ever enrolled in may be deleted; the others are archived."""
        return self.enrolments == 0


def course_records(course: Course) -> CourseRecords:
    """The counts a confirmation page states before a course is deleted or archived."""

    def count(statement) -> int:
        return db.session.scalar(statement) or 0

    enrolments = select(func.count(Enrolment.id)).where(Enrolment.course_id == course.id)
    return CourseRecords(
        modules=count(select(func.count(Module.id)).where(Module.course_id == course.id)),
        batches=count(select(func.count(Batch.id)).where(Batch.course_id == course.id)),
        enrolments=count(enrolments),
        completed=count(enrolments.where(Enrolment.status == EnrolmentStatus.completed)),
        certified=count(enrolments.where(Enrolment.certified.is_(True))),
    )


COURSE_HAS_ENROLMENTS = "Course %(id)s has %(count)s enrolments: archive it instead, so their records and outcomes stay."


def delete_course(course: Course) -> None:
    """Delete a course nobody enrolled in, with its modules and batches.

    A course with any enrolment is refused (CourseInUse): archive it instead.
    """
    records = course_records(course)
    if not records.deletable:
        raise CourseInUse(
            {
                "course": [
                    COURSE_HAS_ENROLMENTS % {"id": course.external_id, "count": records.enrolments}
                ]
            }
        )
    db.session.delete(course)
    db.session.flush()


def archive_course(course: Course) -> Course:
    """Withdraw the course from offers, plans and matching; its records and outcomes stay."""
    if course.archived_at is None:
        course.archived_at = utcnow()
        db.session.flush()
    return course


def restore_course(course: Course) -> Course:
    """Offer an archived course again."""
    if course.archived_at is not None:
        course.archived_at = None
        db.session.flush()
    return course


def refuse_if_archived(course: Course | None, field: str = "course") -> None:
    """New batches and enrolments go only to courses on offer."""
    if course is not None and course.archived_at is not None:
        raise ValidationFailed(
            {field: [f"Course {course.external_id} is archived: restore it first."]}
        )


def course_counts(course_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per course: batches, enrolments (not dropped or cancelled) and certified enrolments, in
    three queries."""
    ids = list(course_ids)
    counts = {course_id: {"batches": 0, "enrolled": 0, "certified": 0} for course_id in ids}
    if not ids:
        return counts
    queries = {
        "batches": select(Batch.course_id, func.count(Batch.id))
        .where(Batch.course_id.in_(ids))
        .group_by(Batch.course_id),
        "enrolled": select(Enrolment.course_id, func.count(Enrolment.id))
        .where(Enrolment.course_id.in_(ids), Enrolment.status.not_in(SEAT_RELEASED))
        .group_by(Enrolment.course_id),
        "certified": select(Enrolment.course_id, func.count(Enrolment.id))
        .where(Enrolment.course_id.in_(ids), Enrolment.certified.is_(True))
        .group_by(Enrolment.course_id),
    }
    for key, statement in queries.items():
        for course_id, count in db.session.execute(statement):
            counts[course_id][key] = count
    return counts


# Modules ---------------------------------------------------------------------------------------


def upsert_module(course: Course, data: Mapping) -> tuple[Module, bool]:
    """Create or update the module `data["external_id"]` of `course`; says if created.

    Keys: external_id, title, hours, is_bridge, position, skills (URIs). A module's skills must be
    among its course's skills: any the course lacks are ADDED to the course, so a bridge module
    never teaches something the course does not list.
    """
    require_fields(data, ["external_id"])
    module = find_by_external_id(Module, data["external_id"])
    if module is None:
        return _add_module(course, data["external_id"], {}, data), True
    if module.course_id != course.id:
        raise ValidationFailed(
            {"external_id": [f"Module {module.external_id} belongs to another course."]}
        )
    return update_module(module, data), False


def create_module(course: Course, data: Mapping) -> Module:
    """A new module with a made-up id unless one is given."""
    return _add_module(course, *new_record_id(Module, data, "M", "module"), data)


def _add_module(
    course: Course, external_id: str, id_errors: Mapping[str, list[str]], data: Mapping
) -> Module:
    """The module of `create_module`, last of its course, whose id has been looked up once
    already (by it, or by `upsert_module`); `id_errors` are that look-up's, reported with the
    missing fields."""
    require_fields(data, ["title", "hours"], found=id_errors)
    module = Module(external_id=external_id, course=course, position=len(course.modules))
    db.session.add(module)
    return update_module(module, data)


def update_module(module: Module, data: Mapping) -> Module:
    for field in MODULE_FIELDS:
        if field in data and data[field] is not None:
            setattr(module, field, data[field])
    if data.get("hours") is not None:
        _refuse_modules_over_course(module.course, MODULES_OVER_COURSE)
    if "skills" in data:
        uris = list(dict.fromkeys(data["skills"] or []))
        found = skills_by_uri(uris)
        unknown = unknown_skills(uris, found)
        if unknown:
            raise ValidationFailed({"skills": unknown})
        module.skills[:] = [found[uri] for uri in uris]
        course_skills = {skill.uri for skill in module.course.skills}
        module.course.skills.extend(found[uri] for uri in uris if uri not in course_skills)
    db.session.flush()
    return module


# Batches ---------------------------------------------------------------------------------------


def batches_of(course: Course | None = None) -> Select:
    """A select of batches by start date; of one course when given."""
    statement = select(Batch).order_by(Batch.start_date, Batch.id)
    if course is not None:
        statement = statement.where(Batch.course_id == course.id)
    return statement


def upsert_batch(course: Course, data: Mapping) -> tuple[Batch, bool]:
    """Create or update the batch `data["external_id"]` of `course` (start_date, seats, district)."""
    require_fields(data, ["external_id"])
    batch = find_by_external_id(Batch, data["external_id"])
    if batch is None:
        return _add_batch(course, data["external_id"], {}, data), True
    if batch.course_id != course.id:
        raise ValidationFailed(
            {"external_id": [f"Batch {batch.external_id} belongs to another course."]}
        )
    return update_batch(batch, data), False


def create_batch(course: Course, data: Mapping) -> Batch:
    refuse_if_archived(course)
    return _add_batch(course, *new_record_id(Batch, data, "B", "batch"), data)


def _add_batch(
    course: Course, external_id: str, id_errors: Mapping[str, list[str]], data: Mapping
) -> Batch:
    """The batch of `create_batch`, whose id has been looked up once already (by it, or by
    `upsert_batch`); `id_errors` are that look-up's, reported with the missing fields."""
    require_fields(data, ["start_date", "seats"], found=id_errors)
    batch = Batch(external_id=external_id, course=course)
    db.session.add(batch)
    return update_batch(batch, data)


def update_batch(batch: Batch, data: Mapping) -> Batch:
    """Change the batch; seats may not drop below the workers already enrolled in it."""
    for field in BATCH_FIELDS:
        if field in data:
            value = data[field]
            setattr(batch, field, (value or None) if field == "district" else value)
    max_size = batch.course.max_batch_size
    if max_size is not None and batch.seats > max_size:
        raise ValidationFailed({"seats": [SEATS_OVER_MAX % {"max": max_size}]})
    if batch.id is not None and batch.seats < seats_taken(batch):
        raise ValidationFailed(
            {"seats": [f"{seats_taken(batch)} workers are already enrolled in this batch."]}
        )
    db.session.flush()
    return batch


def seats_taken(batch: Batch) -> int:
    """Enrolments in the batch that hold a seat: everyone who has not dropped out or cancelled."""
    if batch.id is None:
        return 0
    return db.session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.batch_id == batch.id, Enrolment.status.not_in(SEAT_RELEASED)
        )
    )


def batch_free_seats(batch: Batch) -> int:
    """Seats not yet taken by a current or completed enrolment (never below zero)."""
    return max(batch.seats - seats_taken(batch), 0)


# Enrolments ------------------------------------------------------------------------------------


def upsert_enrolment(data: Mapping, *, by_the_worker: bool = False) -> tuple[Enrolment, bool]:
    """Create or update the enrolment `data["external_id"]`; says whether it was created.
    `by_the_worker`: the worker enrols themselves (from their training plan), which needs no
    consent to institutions reaching them (privacy.services.enrolment_refusal).

    Keys: external_id, worker (worker id), course (course id), batch (batch id or None),
    status, enrolled_on, completed_on, certified, certified_on, notes.
    """
    require_fields(data, ["external_id"])
    enrolment = find_by_external_id(Enrolment, data["external_id"])
    if enrolment is None:
        return _add_enrolment(data["external_id"], {}, data, by_the_worker=by_the_worker), True
    return update_enrolment(enrolment, data), False


def create_enrolment(data: Mapping) -> Enrolment:
    """A new enrolment; worker, course and enrolled_on are required, the id is made up if absent."""
    return _add_enrolment(*new_record_id(Enrolment, data, "E", "enrolment"), data)


def _add_enrolment(
    external_id: str,
    id_errors: Mapping[str, list[str]],
    data: Mapping,
    *,
    by_the_worker: bool = False,
) -> Enrolment:
    """The enrolment of `create_enrolment`, whose id has been looked up once already (by it, or
    by `upsert_enrolment`); `id_errors` are that look-up's, reported with the fields' own."""
    require_fields(data, ("worker", "course", "enrolled_on"), found=id_errors)
    enrolment = Enrolment(external_id=external_id, status=EnrolmentStatus.enrolled, notes="")
    return _apply_enrolment(enrolment, data, new=True, by_the_worker=by_the_worker)


def update_enrolment(enrolment: Enrolment, data: Mapping) -> Enrolment:
    """Change only the fields present in `data`, then check the whole record's rules."""
    return _apply_enrolment(enrolment, data, new=False)


def _apply_enrolment(
    enrolment: Enrolment, data: Mapping, new: bool, *, by_the_worker: bool = False
) -> Enrolment:
    errors: dict[str, list[str]] = {}
    worker = row_named_in(data, "worker", Worker, errors, enrolment.worker)
    if new and worker is not None and "worker" not in errors:
        refusal = enrolment_refusal(worker, by_the_worker=by_the_worker)
        if refusal:
            errors["worker"] = [refusal]
    course = row_named_in(data, "course", Course, errors, enrolment.course)
    if (
        course is not None
        and course.archived_at is not None
        and (new or course.id != enrolment.course_id)
    ):
        errors["course"] = [f"Course {course.external_id} is archived: restore it first."]
    batch = row_named_in(data, "batch", Batch, errors, enrolment.batch, optional=True)
    if course is not None and batch is not None and batch.course_id != course.id:
        errors["batch"] = [
            BATCH_OF_ANOTHER_COURSE % {"batch": batch.external_id, "course": course.external_id}
        ]
    values = {field: getattr(enrolment, field) for field in ENROLMENT_FIELDS}
    values.update({field: data[field] for field in ENROLMENT_FIELDS if field in data})
    try:
        values["status"] = EnrolmentStatus(values["status"] or EnrolmentStatus.enrolled)
    except ValueError:
        choices = ", ".join(status.value for status in EnrolmentStatus)
        raise ValidationFailed({"status": [f"Must be one of: {choices}."]}) from None
    values["certified"] = bool(values["certified"])
    values["notes"] = values["notes"] or ""
    rule_values = {field: values[field] for field in ENROLMENT_FIELDS if field != "notes"}
    for field, messages in enrolment_rule_errors(**rule_values).items():
        errors.setdefault(field, []).extend(messages)
    if (
        new
        and worker is not None
        and course is not None
        and not {"worker", "course"} & set(errors)
        and values["status"] is EnrolmentStatus.enrolled
        and current_enrolment(worker, course)
    ):
        errors["worker"] = [ALREADY_ENROLLED % {"name": worker.name, "course": course.title}]
    completed_on = values["completed_on"]
    if batch is not None and completed_on is not None and completed_on < batch.start_date:
        errors.setdefault("completed_on", []).append(
            BEFORE_BATCH % {"day": batch.start_date.isoformat()}
        )
    takes_seat = values["status"].holds_seat
    if (
        batch is not None
        and "batch" not in errors
        and takes_seat
        and (new or batch.id != enrolment.batch_id or not enrolment.status.holds_seat)
        and batch_free_seats(batch) < 1
    ):
        errors.setdefault("batch", []).append(f"Batch {batch.external_id} has no free seats.")
    if errors:
        raise ValidationFailed(errors)
    enrolment.worker, enrolment.course, enrolment.batch = worker, course, batch
    for field, value in values.items():
        setattr(enrolment, field, value)
    if new:
        db.session.add(enrolment)
    db.session.flush()
    return enrolment


def current_enrolment(worker: Worker, course: Course) -> Enrolment | None:
    """The worker's enrolment in the course that is still running (status enrolled), if any: a
    worker takes one batch of a course at a time (a double tap enrolled one twice)."""
    return db.session.scalar(
        select(Enrolment)
        .where(
            Enrolment.worker_id == worker.id,
            Enrolment.course_id == course.id,
            Enrolment.status == EnrolmentStatus.enrolled,
        )
        .limit(1)
    )


def enrolment_rule_errors(
    *,
    status: EnrolmentStatus,
    enrolled_on: date | None,
    completed_on: date | None,
    certified: bool,
    certified_on: date | None,
) -> dict[str, list[str]]:
    """The rules of an enrolment's dates and status, one message per broken rule and field."""
    errors: dict[str, list[str]] = {}
    if enrolled_on is None:
        errors["enrolled_on"] = [REQUIRED]
    if completed_on is not None and enrolled_on is not None and completed_on < enrolled_on:
        errors["completed_on"] = ["Must not be before enrolled_on."]
    if status is EnrolmentStatus.completed and completed_on is None:
        errors.setdefault("completed_on", []).append(
            N_("A completed enrolment needs completed_on.")
        )
    if certified_on is not None and not certified:
        errors["certified_on"] = ["Give certified_on only when certified is true."]
    elif certified_on is not None and enrolled_on is not None and certified_on < enrolled_on:
        errors["certified_on"] = ["Must not be before enrolled_on."]
    elif certified_on is not None and completed_on is not None and certified_on < completed_on:
        # A certificate follows the assessment at the course's end (a walk dated one a month
        # before the trainee completed, and it was kept).
        errors["certified_on"] = [N_("Must not be before completed_on.")]
    if certified and status is EnrolmentStatus.dropped:
        errors["certified"] = ["A worker who dropped out cannot be certified."]
    elif certified and status is EnrolmentStatus.cancelled:
        errors["certified"] = ["A cancelled enrolment cannot be certified."]
    elif certified and certified_on is None:
        # An undated certificate counts in no outcome figure: it was accepted without a word.
        errors["certified_on"] = [N_("A certified enrolment needs certified_on.")]
    return errors


def enrolment_record(enrolment: Enrolment) -> dict:
    """The fields of an enrolment a correction can change, as the audit trail shows them."""
    return {
        "batch": enrolment.batch.external_id if enrolment.batch else None,
        **{field: getattr(enrolment, field) for field in ENROLMENT_FIELDS},
    }


def correct_enrolment(enrolment: Enrolment, data: Mapping) -> Enrolment:
    """Change the enrolment's progress (status, completion, certification, dates) under the same
    rules as any change, and audit it: each changed field with its old and new value."""
    before = enrolment_record(enrolment)
    update_enrolment(enrolment, data)
    audit_correction("enrolment", enrolment.external_id, before, enrolment_record(enrolment))
    return enrolment


def record_certification(enrolment: Enrolment, certified_on: date) -> Enrolment:
    """Mark the enrolment certified on a day, under the same rules as any other change."""
    return update_enrolment(enrolment, {"certified": True, "certified_on": certified_on})
