"""API schemas for employers and institutions: separate input and output shapes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.organisations.models import OrganisationKind
from app.places import District, State

EXTERNAL_ID = validate.Length(min=1, max=64)


class OrganisationIn(Schema):
    """An employer or institution as an administrator creates it; the URL fixes the kind."""

    external_id = fields.String(validate=EXTERNAL_ID)
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    sector = fields.String(allow_none=True, validate=validate.Length(max=100))
    district = District(allow_none=True, validate=validate.Length(max=100))
    state = State(allow_none=True, validate=validate.Length(max=100))
    msme_size = fields.String(
        allow_none=True, validate=validate.OneOf(["micro", "small", "medium", "large"])
    )
    tier = fields.String(allow_none=True, validate=validate.Length(max=20))
    institution_type = fields.String(allow_none=True, validate=validate.Length(max=40))
    cluster = fields.String(
        allow_none=True,
        validate=EXTERNAL_ID,
        metadata={"description": "The cluster's id, or null for none."},
    )


class OrganisationPatch(OrganisationIn):
    """The same fields, loaded with partial=True: only what is sent changes."""


class ClusterRefOut(Schema):
    id = fields.String(attribute="external_id")
    name = fields.String()


class OrganisationOut(Schema):
    id = fields.String(attribute="external_id")
    kind = fields.Enum(OrganisationKind, by_value=True)
    name = fields.String()
    sector = fields.String(allow_none=True)
    district = fields.String(allow_none=True)
    state = fields.String(allow_none=True)
    msme_size = fields.String(allow_none=True)
    tier = fields.String(allow_none=True)
    institution_type = fields.String(allow_none=True)
    cluster = fields.Nested(ClusterRefOut, allow_none=True)


class OrganisationRefOut(Schema):
    """How other records name the organisation they belong to."""

    id = fields.String(attribute="external_id")
    name = fields.String()


class OrganisationQuery(Schema):
    district = fields.String(validate=validate.Length(max=100))
    sector = fields.String(validate=validate.Length(max=100))
    cluster = fields.String(validate=EXTERNAL_ID)
