"""/api/v1/postings: thin handlers over the posting services."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload, selectinload

from app.auth import policy
from app.auth.access import require, role_required
from app.auth.models import ANY_ROLE, Role
from app.common import get_by_external_id, paginated
from app.employers import services
from app.employers.models import JobPosting, PostingSkill
from app.employers.schemas import PostingHitOut, PostingIn, PostingOut, PostingPatch, PostingQuery
from app.errors import ValidationFailed
from app.extensions import db
from app.organisations.models import Organisation, OrganisationKind
from app.vectors.schemas import TextSearchQuery

blp = Blueprint("postings_api", __name__, url_prefix="/api/v1/postings", description="Job postings")


def employer_for_new_posting(data: dict) -> Organisation:
    """An employer posts for itself; an administrator names the employer."""
    if current_user.role is Role.employer:
        return current_user.organisation
    external_id = data.pop("employer", None)
    employer = db.session.query(Organisation).filter_by(external_id=external_id).one_or_none()
    if employer is None or employer.kind is not OrganisationKind.employer:
        raise ValidationFailed({"employer": ["Name an existing employer by its id."]})
    return employer


@blp.route("")
class PostingCollection(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(PostingQuery, location="query")
    @blp.response(200, PostingOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Postings you may see: an employer's own, open ones for workers, all for others."""
        statement = policy.postings_visible_to(current_user).options(
            # What PostingOut shows, in two queries instead of two per posting.
            joinedload(JobPosting.employer),
            selectinload(JobPosting.skills).joinedload(PostingSkill.skill),
        )
        if "status" in query:
            statement = statement.where(JobPosting.status == query["status"])
        if "district" in query:
            statement = statement.where(JobPosting.district == query["district"])
        if "employer" in query:
            statement = statement.join(JobPosting.employer).where(
                Organisation.external_id == query["employer"]
            )
        return paginated(statement, pagination_parameters)

    @blp.arguments(PostingIn)
    @blp.response(201, PostingOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def post(self, data):
        """Create a posting with its required skills (employers for themselves; admins)."""
        if current_user.role not in (Role.employer, Role.admin):
            require(False, "posting", None)
        posting = services.create_posting(employer_for_new_posting(data), data)
        return posting


@blp.route("/search")
class PostingSearch(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(TextSearchQuery, location="query")
    @blp.response(200, PostingHitOut(many=True))
    def get(self, query):
        """Open postings closest in meaning to `q`, best first, with their cosine score; among
        the postings you may list (an employer's own, every open one for others)."""
        return services.search_postings(current_user, query["q"], query["limit"])


@blp.route("/<external_id>")
class PostingItem(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, PostingOut)
    def get(self, external_id):
        posting = get_by_external_id(JobPosting, external_id)
        require(policy.can_view_posting(current_user, posting), "posting", external_id)
        return posting

    @blp.arguments(PostingPatch(partial=True))
    @blp.response(200, PostingOut)
    def patch(self, data, external_id):
        posting = get_by_external_id(JobPosting, external_id)
        require(
            policy.can_manage_org_record(current_user, posting.employer_id), "posting", external_id
        )
        data.pop("external_id", None)
        services.update_posting(posting, data)
        return posting

    @blp.response(204)
    def delete(self, external_id):
        posting = get_by_external_id(JobPosting, external_id)
        require(
            policy.can_manage_org_record(current_user, posting.employer_id), "posting", external_id
        )
        services.delete_posting(posting)
