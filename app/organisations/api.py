"""/api/v1/employers and /api/v1/institutions: anyone logged in reads, administrators write."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import Select

from app.auth.access import role_required
from app.auth.models import ANY_ROLE, Role
from app.common import new_external_id, paginated
from app.organisations import services
from app.organisations.models import Cluster, Organisation, OrganisationKind
from app.organisations.schemas import (
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    OrganisationQuery,
)

blp = Blueprint(
    "organisations_api", __name__, url_prefix="/api/v1", description="Employers and institutions"
)
ID_PREFIX = {OrganisationKind.employer: "EMP", OrganisationKind.institution: "INS"}


def filtered(statement: Select, query: dict) -> Select:
    if "district" in query:
        statement = statement.where(Organisation.district == query["district"])
    if "sector" in query:
        statement = statement.where(Organisation.sector == query["sector"])
    if "cluster" in query:
        statement = statement.join(Organisation.cluster).where(
            Cluster.external_id == query["cluster"]
        )
    return statement


def organisation_or_404(external_id: str, kind: OrganisationKind) -> Organisation:
    """An employer id under /institutions (or the reverse) is simply not found there."""
    organisation = services.organisation_by_external_id(external_id, kind)
    if organisation is None:
        abort(404, description=f"No {kind.value} with id {external_id!r}.")
    return organisation


def add_routes(kind: OrganisationKind, path: str) -> None:
    """The same five endpoints for employers and for institutions."""

    class Collection(MethodView):
        @role_required(*ANY_ROLE)
        @blp.arguments(OrganisationQuery, location="query")
        @blp.response(200, OrganisationOut(many=True))
        @blp.paginate()
        def get(self, query, pagination_parameters):
            statement = filtered(services.organisations_of_kind(kind), query)
            return paginated(statement, pagination_parameters)

        @role_required(Role.admin)
        @blp.arguments(OrganisationIn)
        @blp.response(201, OrganisationOut)
        @blp.alt_response(422, description="Invalid input, one message per field.")
        def post(self, data):
            if not data.get("external_id"):
                data["external_id"] = new_external_id(ID_PREFIX[kind])
            organisation = services.create_organisation({**data, "kind": kind})
            return organisation

    class Item(MethodView):
        @role_required(*ANY_ROLE)
        @blp.response(200, OrganisationOut)
        def get(self, external_id):
            return organisation_or_404(external_id, kind)

        @role_required(Role.admin)
        @blp.arguments(OrganisationPatch(partial=True))
        @blp.response(200, OrganisationOut)
        @blp.alt_response(422, description="Invalid input, one message per field.")
        def patch(self, data, external_id):
            organisation = organisation_or_404(external_id, kind)
            data.pop("external_id", None)
            services.update_organisation(organisation, data)
            return organisation

    Collection.__name__ = f"{kind.value.title()}Collection"
    Item.__name__ = f"{kind.value.title()}Item"
    Collection.get.__doc__ = f"Every {kind.value}, by name (any logged-in user)."
    Collection.post.__doc__ = f"Create an {kind.value} (administrators)."
    Item.get.__doc__ = f"One {kind.value}."
    Item.patch.__doc__ = f"Change an {kind.value}'s details (administrators); its kind is fixed."
    blp.route(path, endpoint=f"{kind.value}s")(Collection)
    blp.route(f"{path}/<external_id>", endpoint=f"{kind.value}")(Item)


add_routes(OrganisationKind.employer, "/employers")
add_routes(OrganisationKind.institution, "/institutions")
