"""/api/v1 courses, modules, batches and enrolments: thin handlers over the institution services.

Courses and batches are a public catalogue (any logged-in user reads them); only the owning
institution or an administrator changes them. Enrolments are personal data: the institution
of the course, the worker enrolled, and administrators.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth import policy
from app.auth.access import require, role_required
from app.auth.models import ANY_ROLE, Role
from app.common import get_by_external_id, paginated
from app.errors import ValidationFailed
from app.institutions import services, trainees
from app.institutions.models import Batch, Course, Enrolment
from app.institutions.schemas import (
    BatchIn,
    BatchOut,
    BatchPatch,
    BatchQuery,
    CourseHitOut,
    CourseIn,
    CourseOut,
    CoursePatch,
    CourseQuery,
    EnrolmentIn,
    EnrolmentOut,
    EnrolmentPatch,
    EnrolmentQuery,
    ModuleIn,
    ModuleOut,
)
from app.organisations.models import Organisation, OrganisationKind
from app.organisations.services import organisation_by_external_id
from app.vectors.schemas import TextSearchQuery
from app.workers.models import Worker

blp = Blueprint(
    "institutions_api",
    __name__,
    url_prefix="/api/v1",
    description="Courses, modules, batches and enrolments",
)


def institution_for_new_course(data: dict) -> Organisation:
    """An institution adds courses for itself; an administrator names the institution."""
    external_id = data.pop("institution", None)
    if current_user.role is Role.institution:
        return current_user.organisation
    institution = (
        organisation_by_external_id(external_id, OrganisationKind.institution)
        if external_id
        else None
    )
    if institution is None:
        raise ValidationFailed({"institution": ["Name an existing institution by its id."]})
    return institution


def require_course_owner(course: Course) -> None:
    require(
        policy.can_manage_org_record(current_user, course.institution_id),
        "course",
        course.external_id,
    )


def course_named_in(data: dict) -> Course | None:
    """The course a new batch or enrolment names, refusing one of another institution (403).

    An unknown id is left to the service, which reports it with the other field errors (422).
    """
    course = services.course_by_external_id(data.get("course", ""))
    if course is not None:
        require_course_owner(course)
    return course


# Courses ---------------------------------------------------------------------------------------


@blp.route("/courses")
class CourseCollection(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(CourseQuery, location="query")
    @blp.response(200, CourseOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Every course on offer, by title (a public catalogue); filter by institution, title or
        level; `include_archived=true` lists archived courses too."""
        archived = None if query["include_archived"] else False
        statement = services.courses_of(archived=archived).options(
            # What CourseOut shows, in two queries instead of two per course.
            joinedload(Course.institution),
            selectinload(Course.skills),
        )
        if "institution" in query:
            statement = statement.join(Course.institution).where(
                Organisation.external_id == query["institution"]
            )
        if "q" in query:
            statement = statement.where(
                func.lower(Course.title).contains(query["q"].lower(), autoescape=True)
            )
        if "nsqf_level" in query:
            statement = statement.where(Course.nsqf_level == query["nsqf_level"])
        return paginated(statement, pagination_parameters)

    @role_required(Role.institution, Role.admin)
    @blp.arguments(CourseIn)
    @blp.response(201, CourseOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def post(self, data):
        """Add a course with its skills (institutions for themselves; admins name one)."""
        course = services.create_course(institution_for_new_course(data), data)
        return course


@blp.route("/courses/search")
class CourseSearch(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(TextSearchQuery, location="query")
    @blp.response(200, CourseHitOut(many=True))
    def get(self, query):
        """Courses closest in meaning to `q`, best first, with their cosine score (the catalogue
        is public)."""
        return services.search_courses(query["q"], query["limit"])


@blp.route("/courses/<external_id>")
class CourseItem(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, CourseOut)
    def get(self, external_id):
        return get_by_external_id(Course, external_id)

    @blp.arguments(CoursePatch(partial=True))
    @blp.response(200, CourseOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def patch(self, data, external_id):
        """Change a course (its institution or an admin); `skills` replaces the list."""
        course = get_by_external_id(Course, external_id)
        require_course_owner(course)
        data.pop("external_id", None)
        data.pop("institution", None)
        services.update_course(course, data)
        return course

    @blp.response(204)
    @blp.alt_response(409, description="The course has enrolments: archive it instead.")
    def delete(self, external_id):
        """Delete a course nobody enrolled in, with its modules and batches; a course with
        enrolments is refused (409): archive it instead."""
        course = get_by_external_id(Course, external_id)
        require_course_owner(course)
        services.delete_course(course)


@blp.route("/courses/<external_id>/archive")
class CourseArchive(MethodView):
    decorators = [role_required(Role.institution, Role.admin)]

    @blp.response(200, CourseOut)
    def post(self, external_id):
        """Archive a course: it leaves the catalogue, training plans and matching; its batches,
        enrolments and outcomes stay (the owning institution or an admin)."""
        course = get_by_external_id(Course, external_id)
        require_course_owner(course)
        return services.archive_course(course)


@blp.route("/courses/<external_id>/restore")
class CourseRestore(MethodView):
    decorators = [role_required(Role.institution, Role.admin)]

    @blp.response(200, CourseOut)
    def post(self, external_id):
        """Offer an archived course again (the owning institution or an admin)."""
        course = get_by_external_id(Course, external_id)
        require_course_owner(course)
        return services.restore_course(course)


@blp.route("/courses/<external_id>/modules")
class ModuleCollection(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, ModuleOut(many=True))
    def get(self, external_id):
        """The course's modules in order, with the skills each teaches."""
        return get_by_external_id(Course, external_id).modules

    @blp.arguments(ModuleIn)
    @blp.response(201, ModuleOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def post(self, data, external_id):
        """Add a module; skills the course lacks are added to the course."""
        course = get_by_external_id(Course, external_id)
        require_course_owner(course)
        module = services.create_module(course, data)
        return module


# Batches ---------------------------------------------------------------------------------------


@blp.route("/batches")
class BatchCollection(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(BatchQuery, location="query")
    @blp.response(200, BatchOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Batches by start date (a public schedule); filter by course."""
        statement = services.batches_of()
        if "course" in query:
            statement = statement.join(Batch.course).where(Course.external_id == query["course"])
        return paginated(statement, pagination_parameters)

    @role_required(Role.institution, Role.admin)
    @blp.arguments(BatchIn)
    @blp.response(201, BatchOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def post(self, data):
        """Plan a batch of one of your courses (institutions; admins)."""
        course = course_named_in(data)
        if course is None:
            raise ValidationFailed({"course": [f"Unknown course: {data['course']}"]})
        batch = services.create_batch(course, data)
        return batch


@blp.route("/batches/<external_id>")
class BatchItem(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, BatchOut)
    def get(self, external_id):
        return get_by_external_id(Batch, external_id)

    @blp.arguments(BatchPatch(partial=True))
    @blp.response(200, BatchOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def patch(self, data, external_id):
        """Change the start date, seats or district (the course's institution or an admin)."""
        batch = get_by_external_id(Batch, external_id)
        require(
            policy.can_manage_org_record(current_user, batch.course.institution_id),
            "batch",
            external_id,
        )
        services.update_batch(batch, data)
        return batch


# Enrolments ------------------------------------------------------------------------------------


@blp.route("/enrolments")
class EnrolmentCollection(MethodView):
    decorators = [role_required(Role.worker, Role.institution, Role.admin)]

    @blp.arguments(EnrolmentQuery, location="query")
    @blp.response(200, EnrolmentOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Enrolments you may see: your courses' (institutions), your own (workers), all (admins)."""
        statement = policy.enrolments_visible_to(current_user)
        if "course" in query:
            course_ids = select(Course.id).where(Course.external_id == query["course"])
            statement = statement.where(Enrolment.course_id.in_(course_ids))
        if "batch" in query:
            statement = statement.join(Enrolment.batch).where(Batch.external_id == query["batch"])
        if "worker" in query:
            statement = statement.join(Enrolment.worker).where(
                Worker.external_id == query["worker"]
            )
        if "status" in query:
            statement = statement.where(Enrolment.status == query["status"])
        return paginated(statement, pagination_parameters)

    @role_required(Role.institution, Role.admin)
    @blp.arguments(EnrolmentIn)
    @blp.response(201, EnrolmentOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def post(self, data):
        """Enrol an existing worker in one of your courses (institutions; admins)."""
        course_named_in(data)
        enrolment = services.create_enrolment(data)
        return enrolment


@blp.route("/enrolments/<external_id>")
class EnrolmentItem(MethodView):
    decorators = [role_required(Role.worker, Role.institution, Role.admin)]

    @blp.response(200, EnrolmentOut)
    def get(self, external_id):
        enrolment = get_by_external_id(Enrolment, external_id)
        require(policy.can_view_enrolment(current_user, enrolment), "enrolment", external_id)
        return enrolment

    @blp.arguments(EnrolmentPatch(partial=True))
    @blp.response(200, EnrolmentOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def patch(self, data, external_id):
        """Record progress: batch, status, completion and certification (the institution; admins)."""
        enrolment = get_by_external_id(Enrolment, external_id)
        require(
            policy.can_manage_org_record(current_user, enrolment.course.institution_id),
            "enrolment",
            external_id,
        )
        services.correct_enrolment(enrolment, data)
        return enrolment


@blp.route("/enrolments/<external_id>/cancel")
class EnrolmentCancel(MethodView):
    decorators = [role_required(Role.worker, Role.admin)]

    @blp.response(200, EnrolmentOut)
    @blp.alt_response(422, description="The batch has started, or the enrolment is not current.")
    def post(self, external_id):
        """Cancel an enrolment before its batch starts (the worker enrolled; admins): its seat is
        freed and the record kept with status `cancelled`. After the start it is refused: the
        institution records a dropout instead."""
        enrolment = get_by_external_id(Enrolment, external_id)
        require(policy.can_cancel_enrolment(current_user, enrolment), "enrolment", external_id)
        trainees.cancel_enrolment(enrolment, actor_id=current_user.id)
        return enrolment
