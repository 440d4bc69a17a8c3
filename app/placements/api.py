"""/api/v1/placements: thin handlers over the placement services.

Institutions record what became of their trainees; employers read their own placements;
workers their own; administrators everything.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth import policy
from app.auth.access import require, require_may_place, role_required
from app.auth.models import ANY_ROLE, Role
from app.common import get_by_external_id, paginated
from app.organisations.models import Organisation
from app.placements import services
from app.placements.models import Placement
from app.placements.schemas import (
    PlacementIn,
    PlacementOut,
    PlacementPatch,
    PlacementQuery,
    RetentionCheckIn,
    RetentionCheckOut,
)
from app.workers.models import Worker

blp = Blueprint(
    "placements_api",
    __name__,
    url_prefix="/api/v1/placements",
    description="Placements and retention checks",
)


def placement_for_reader(external_id: str) -> Placement:
    """The placement if the user may see it: 404 when unknown, 403 when someone else's."""
    placement = get_by_external_id(Placement, external_id)
    require(policy.can_see_placement(current_user, placement), "placement", external_id)
    return placement


def require_recorder(placement: Placement) -> None:
    """Changes come from an admin or an institution the placed worker enrolled with."""
    require(
        policy.can_record_placement_for(current_user, placement.worker),
        "placement",
        placement.external_id,
    )


@blp.route("")
class PlacementCollection(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(PlacementQuery, location="query")
    @blp.response(200, PlacementOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Placements you may see, newest first, with their retention checks."""
        # The hire each row names (application, sources): one query for the page, not one a row.
        statement = policy.placements_visible_to(current_user).options(selectinload(Placement.hire))
        if "worker" in query:
            worker_ids = select(Worker.id).where(Worker.external_id == query["worker"])
            statement = statement.where(Placement.worker_id.in_(worker_ids))
        if "employer" in query:
            employer_ids = select(Organisation.id).where(
                Organisation.external_id == query["employer"]
            )
            statement = statement.where(Placement.employer_id.in_(employer_ids))
        return paginated(statement, pagination_parameters)

    @role_required(Role.institution, Role.admin)
    @blp.arguments(PlacementIn)
    @blp.response(201, PlacementOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def post(self, data):
        """Record a placement of a worker enrolled with your institution (institutions; admins)."""
        require_may_place(data["worker"])
        placement = services.create_placement(data)
        return placement


@blp.route("/<external_id>")
class PlacementItem(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, PlacementOut)
    def get(self, external_id):
        return placement_for_reader(external_id)

    @blp.arguments(PlacementPatch(partial=True))
    @blp.response(200, PlacementOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def patch(self, data, external_id):
        """Correct a placement: end date, wage, verification (its institution; admins)."""
        placement = get_by_external_id(Placement, external_id)
        require_recorder(placement)
        services.correct_placement(placement, data)
        return placement


@blp.route("/<external_id>/retention-checks")
class RetentionChecks(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(RetentionCheckIn)
    @blp.response(201, RetentionCheckOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def post(self, data, external_id):
        """Record whether the worker was still employed after 3, 6 or 12 months, with evidence.

        A second check for the same period replaces the first.
        """
        placement = get_by_external_id(Placement, external_id)
        require_recorder(placement)
        check = services.record_retention_check(placement, **data)
        return check
