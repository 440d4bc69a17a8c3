"""/api/v1 applications and invitations: thin handlers over the application services."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.applications import services
from app.applications.models import Application
from app.applications.schemas import ApplicationIn, ApplicationOut, ApplicationPatch, InvitationIn
from app.auth import policy
from app.auth.access import require, role_required
from app.auth.models import ANY_ROLE, Role
from app.common import find_by_external_id, get_by_external_id, paginated
from app.employers.models import JobPosting
from app.errors import ValidationFailed
from app.workers.models import Worker

blp = Blueprint(
    "applications_api",
    __name__,
    url_prefix="/api/v1",
    description="Applications, invitations and the moves from applied to hired",
)


@blp.route("/postings/<posting_id>/applications")
class PostingApplications(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(ApplicationIn)
    @blp.response(201, ApplicationOut)
    @blp.alt_response(409, description="You already applied, or the posting is not open.")
    @blp.alt_response(422, description="Invalid input, or you do not share your profile.")
    def post(self, data, posting_id):
        """Apply for an open posting (the worker's token), with an optional short note."""
        posting = get_by_external_id(JobPosting, posting_id)
        worker = current_user.worker if current_user.role is Role.worker else None
        require(
            worker is not None and policy.can_apply_for(current_user, worker),
            "posting",
            posting_id,
        )
        return services.apply(worker, posting, current_user, data["note"])

    @blp.response(200, ApplicationOut(many=True))
    @blp.paginate()
    def get(self, pagination_parameters, posting_id):
        """Applications to the posting, oldest first (its employer; administrators)."""
        posting = get_by_external_id(JobPosting, posting_id)
        require(policy.can_read_applications_to(current_user, posting), "posting", posting_id)
        statement = (
            services.with_row_details(policy.applications_visible_to(current_user))
            .where(Application.posting_id == posting.id)
            .order_by(None)
            .order_by(Application.created_at, Application.id)
        )
        return paginated(statement, pagination_parameters)


@blp.route("/postings/<posting_id>/invitations")
class PostingInvitations(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(InvitationIn)
    @blp.response(201, ApplicationOut)
    @blp.alt_response(409, description="The worker already applied or was invited.")
    @blp.alt_response(422, description="Unknown worker, or not visible to employers.")
    def post(self, data, posting_id):
        """Invite a visible worker to apply (the posting's employer)."""
        posting = get_by_external_id(JobPosting, posting_id)
        require(policy.can_manage_applications_to(current_user, posting), "posting", posting_id)
        worker = find_by_external_id(Worker, data["worker_id"])
        if worker is None:
            raise ValidationFailed({"worker_id": [f"Unknown worker: {data['worker_id']}"]})
        return services.invite(posting, worker, current_user, data["note"])


@blp.route("/workers/<worker_id>/applications")
class WorkerApplications(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, ApplicationOut(many=True))
    @blp.paginate()
    def get(self, pagination_parameters, worker_id):
        """A worker's applications and invitations, newest first (the worker; administrators;
        an institution for its trainees)."""
        worker = get_by_external_id(Worker, worker_id)
        allowed = current_user.role is not Role.employer and policy.can_view_worker(
            current_user, worker
        )
        require(allowed, "worker", worker_id)
        statement = services.with_row_details(policy.applications_visible_to(current_user)).where(
            Application.worker_id == worker.id
        )
        return paginated(statement, pagination_parameters)


@blp.route("/applications/<external_id>")
class ApplicationItem(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, ApplicationOut)
    def get(self, external_id):
        application = get_by_external_id(Application, external_id)
        require(policy.can_view_application(current_user, application), "application", external_id)
        return application

    @blp.arguments(ApplicationPatch)
    @blp.response(200, ApplicationOut)
    @blp.alt_response(409, description="The application's status does not allow this move.")
    @blp.alt_response(422, description="Invalid input; hired needs start_date and wage.")
    def patch(self, data, external_id):
        """Move the application. Workers accept (applied) or decline an invitation, or withdraw;
        the posting's employer shortlists, interviews, offers, hires or rejects. Hired answers
        with the placement_id of the placement it created."""
        application = get_by_external_id(Application, external_id)
        actor = policy.application_actor(current_user, application)
        require(actor is not None, "application", external_id)
        wanted = services.Move.from_patch(data)
        return services.move(application, wanted, actor, current_user)
