"""The importer of each kind of file (workers, courses, postings, enrolments, placements, and the
demo's modules and batches): its columns and the domain service that writes a row."""

from __future__ import annotations

from app.auth import policy
from app.auth.models import Role
from app.common import find_by_external_id
from app.employers.models import JobPosting
from app.employers.schemas import PostingIn
from app.employers.services import add_new_postings, upsert_posting
from app.i18n import N_
from app.imports.importers import Column, Importer, OrganisationRows, RowInvalid, refuse
from app.imports.rows import (
    CsvRow,
    Message,
    clean,
)
from app.institutions.models import Batch, Course, Enrolment, Module
from app.institutions.schemas import BatchIn, CourseIn, EnrolmentIn, ModuleIn
from app.institutions.services import (
    course_by_external_id,
    upsert_batch,
    upsert_course,
    upsert_enrolment,
    upsert_module,
)
from app.organisations.models import OrganisationKind
from app.placements.models import Placement
from app.placements.schemas import PlacementIn
from app.placements.services import upsert_placement
from app.privacy.services import record_import_consent, record_import_consents_for_new
from app.workers.models import Worker
from app.workers.schemas import WorkerIn
from app.workers.services import add_new_workers, upsert_worker


class WorkerImporter(Importer):
    kind = "workers"
    model = Worker
    schema = WorkerIn()
    id_column = "worker_id"
    columns = (
        Column("worker_id", "external_id", "ref", required=True, required_cell=True),
        Column("name", "name", required=True, required_cell=True),
        Column("gender", "gender", required=True, required_cell=True),
        Column("date_of_birth", "date_of_birth", required=True, required_cell=True),
        Column("district", "district", required=True, required_cell=True),
        Column("state", "state", required=True, required_cell=True),
        Column("skills", "skills", "skills"),
        Column("education", "education"),
        Column("languages", "languages", "list"),
        Column("phone", "phone"),
        Column("email", "email"),
        Column("visible_to_employers", "visible_to_employers", "bool"),
        Column("social_category", "social_category"),
        Column("disability", "disability", "bool"),
        Column("profile_text", "profile_text"),
    )

    def skill_values(self, column, items, errors):
        values = []
        for reference, level in items:
            uri = self.resolve(column, reference, errors)
            if uri is not None:
                item = {"uri": uri}
                if level is not None:
                    item["proficiency"] = level
                values.append(item)
        return values

    def write(self, row, data):
        """Upsert the worker; a new worker's consent, collected offline by whoever sends the
        file, is recorded once (never restored after a withdrawal, never for an erased worker)."""
        worker, created = upsert_worker(data)
        record_import_consent(worker, given_by=self.run.consent_given_by)
        return worker, created

    adds_in_bulk = True

    def add_new(self, rows):
        """`write` for many new workers at once: the same checks, and the same one consent."""
        ids, errors = add_new_workers([data for _, data in rows])
        record_import_consents_for_new(
            [worker_id for worker_id in ids if worker_id is not None],
            given_by=self.run.consent_given_by,
        )
        return self.row_errors(errors)

    def extra_state(self, record) -> tuple:
        return (tuple(sorted((s.skill.uri, s.proficiency, s.source.value) for s in record.skills)),)


class CourseImporter(OrganisationRows):
    kind = "courses"
    model = Course
    schema = CourseIn()
    id_column = "course_id"
    columns = (
        Column("course_id", "external_id", "ref", required=True, required_cell=True),
        Column("institution_id", None, "ref", required=True, required_cell=True),
        Column("institution_name", None, required=True, required_cell=True),
        Column("title", "title", required=True, required_cell=True),
        Column("hours", "hours", required=True, required_cell=True),
        Column("fee_inr", "fee_inr", required=True, required_cell=True),
        Column("skills", "skills", "skills", required=True, required_cell=True),
        Column("syllabus", "syllabus"),
        Column("nsqf_level", "nsqf_level"),
        Column("qp_code", "qp_code"),
        Column("mode", "mode"),
        Column("women_only", "women_only", "bool"),
        Column("residential", "residential", "bool"),
        Column("max_batch_size", "max_batch_size"),
        Column("duration_months", "duration_months"),
    )

    def skill_values(self, column, items, errors):
        uris = []
        for reference, level in items:
            if level is not None:
                self.run.warn_once(
                    column.name,
                    Message(
                        N_("A “|N” level on a course skill is ignored (courses teach a skill).")
                    ),
                )
            uri = self.resolve(column, reference, errors)
            if uri is not None:
                uris.append(uri)
        return uris

    organisation_column = "institution_id"
    own_rows_only = N_("You may import courses of your institution (%(id)s) only.")
    others_record = N_("Course %(id)s is another institution's.")

    def organisation_of(self, record):
        return record.institution

    def write(self, row, data):
        institution = self.organisation(
            row, OrganisationKind.institution, "institution_id", "institution_name"
        )
        return upsert_course(institution, data)

    def extra_state(self, record) -> tuple:
        return (tuple(sorted(skill.uri for skill in record.skills)),)


class PostingImporter(OrganisationRows):
    kind = "postings"
    model = JobPosting
    schema = PostingIn()
    id_column = "posting_id"
    columns = (
        Column("posting_id", "external_id", "ref", required=True, required_cell=True),
        Column("employer_id", None, "ref", required=True, required_cell=True),
        Column("employer_name", None, required=True, required_cell=True),
        Column("title", "title", required=True, required_cell=True),
        Column("district", "district", required=True, required_cell=True),
        Column("openings", "openings", required=True, required_cell=True),
        Column("essential_skills", "skills", "skills", required=True, required_cell=True),
        Column("optional_skills", "skills", "skills", required=True),
        Column("description", "description"),
        Column("wage_min_inr", "wage_min_inr"),
        Column("wage_max_inr", "wage_max_inr"),
        Column("shift", "shift"),
        Column("status", "status"),
        Column("posted_on", "posted_on"),
    )

    def skill_values(self, column, items, errors):
        essential = column.name == "essential_skills"
        values = []
        for reference, level in items:
            uri = self.resolve(column, reference, errors)
            if uri is not None:
                values.append({"uri": uri, "essential": essential, "min_proficiency": level or 1})
        return values

    organisation_column = "employer_id"
    own_rows_only = N_("You may import your own postings (%(id)s) only.")
    others_record = N_("Posting %(id)s is another employer's.")

    def organisation_of(self, record):
        return record.employer

    def write(self, row, data):
        employer = self.organisation(row, OrganisationKind.employer, "employer_id", "employer_name")
        return upsert_posting(employer, data)

    adds_in_bulk = True

    def add_new(self, rows):
        """`write` for many new postings at once; a row whose employer cannot be used or may not
        be written by this user fails alone."""
        errors: dict[int, RowInvalid] = {}
        items, positions = [], []
        for position, (row, data) in enumerate(rows):
            try:
                self.check_access(row, data, None)
                employer = self.organisation(
                    row, OrganisationKind.employer, "employer_id", "employer_name"
                )
            except RowInvalid as exc:
                errors[position] = exc
                continue
            items.append((employer, data))
            positions.append(position)
        _ids, failed = add_new_postings(items)
        errors.update((positions[index], found) for index, found in self.row_errors(failed).items())
        return errors

    def extra_state(self, record) -> tuple:
        return (
            tuple(sorted((s.skill.uri, s.essential, s.min_proficiency) for s in record.skills)),
        )


class EnrolmentImporter(Importer):
    kind = "enrolments"
    model = Enrolment
    schema = EnrolmentIn()
    id_column = "enrolment_id"
    columns = (
        Column("enrolment_id", "external_id", "ref", required=True, required_cell=True),
        Column("worker_id", "worker", required=True, required_cell=True),
        Column("course_id", "course", required=True, required_cell=True),
        Column("enrolled_on", "enrolled_on", required=True, required_cell=True),
        Column("status", "status", required=True, required_cell=True),
        Column("completed_on", "completed_on", required=True),
        Column("certified", "certified", "bool", required=True, required_cell=True),
        Column("certified_on", "certified_on", required=True),
        Column("batch_id", "batch"),
    )
    references = (("worker_id", Worker), ("course_id", Course), ("batch_id", Batch))

    def check_access(self, row, data, existing):
        user = self.run.user
        if user is None or user.role is Role.admin:
            return
        course = course_by_external_id(data["course"])
        if course is not None and course.institution_id != user.organisation_id:
            raise refuse(
                "course_id",
                Message(N_("Course %(id)s is another institution's."), id=course.external_id),
            )
        if existing is not None and existing.course.institution_id != user.organisation_id:
            raise refuse(
                "enrolment_id",
                Message(N_("Enrolment %(id)s is another institution's."), id=existing.external_id),
            )

    def write(self, row, data):
        return upsert_enrolment(data)


class PlacementImporter(Importer):
    kind = "placements"
    model = Placement
    schema = PlacementIn()
    id_column = "placement_id"
    columns = (
        Column("placement_id", "external_id", "ref", required=True, required_cell=True),
        Column("worker_id", "worker", required=True, required_cell=True),
        Column("employer_id", "employer", required=True),
        Column("employer_name", None, required=True, required_cell=True),
        Column("placed_on", "placed_on", required=True, required_cell=True),
        Column("monthly_wage_inr", "monthly_wage_inr", required=True, required_cell=True),
        Column("employment_type", "employment_type", required=True, required_cell=True),
        Column("ended_on", "ended_on", required=True),
        Column("posting_id", "posting"),
        Column("verification", "verification"),
    )
    references = (("worker_id", Worker), ("posting_id", JobPosting))

    def check_access(self, row, data, existing):
        user = self.run.user
        if user is None or user.role is Role.admin:
            return
        worker = find_by_external_id(Worker, data["worker"])
        if worker is not None and not policy.can_record_placement_for(user, worker):
            raise refuse(
                "worker_id",
                Message(
                    N_("Worker %(id)s has no enrolment with your institution."),
                    id=worker.external_id,
                ),
            )
        if existing is not None and not policy.can_record_placement_for(user, existing.worker):
            raise refuse(
                "placement_id",
                Message(
                    N_("Placement %(id)s is of a worker not enrolled with you."),
                    id=existing.external_id,
                ),
            )

    def write(self, row, data):
        if data.get("employer"):
            self.organisation(row, OrganisationKind.employer, "employer_id", "employer_name")
        return upsert_placement(data)


class ModuleImporter(Importer):
    kind = "modules"
    model = Module
    schema = ModuleIn()
    id_column = "module_id"
    columns = (
        Column("module_id", "external_id", "ref", required=True, required_cell=True),
        Column("course_id", None, "ref", required=True, required_cell=True),
        Column("title", "title", required=True, required_cell=True),
        Column("hours", "hours", required=True, required_cell=True),
        Column("skills", "skills", "skills", required=True),
        Column("is_bridge", "is_bridge", "bool"),
    )
    skill_values = CourseImporter.skill_values

    def write(self, row, data):
        return upsert_module(course_of(row), data)

    def extra_state(self, record) -> tuple:
        return (tuple(sorted(skill.uri for skill in record.skills)),)


class BatchImporter(Importer):
    kind = "batches"
    model = Batch
    schema = BatchIn()
    id_column = "batch_id"
    columns = (
        Column("batch_id", "external_id", "ref", required=True, required_cell=True),
        Column("course_id", "course", required=True, required_cell=True),
        Column("start_date", "start_date", required=True, required_cell=True),
        Column("seats", "seats", required=True, required_cell=True),
        Column("district", "district"),
    )

    def write(self, row, data):
        return upsert_batch(course_of(row), data)


def course_of(row: CsvRow) -> Course:
    external_id = clean(row.cells["course_id"])
    course = course_by_external_id(external_id)
    if course is None:
        raise RowInvalid({"course_id": [Message(N_("Unknown course: %(id)s"), id=external_id)]})
    return course


IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        WorkerImporter,
        CourseImporter,
        PostingImporter,
        EnrolmentImporter,
        PlacementImporter,
        ModuleImporter,
        BatchImporter,
    )
}
