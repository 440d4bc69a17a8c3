"""API schemas for personal-data requests: guardian consent, grievances, erasure results."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.privacy.models import GrievanceStatus, GuardianRelation
from app.privacy.notice import LANGUAGES


class GuardianConsentIn(Schema):
    guardian_name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    relation = fields.Enum(GuardianRelation, by_value=True, required=True)
    given_on = fields.Date(required=True)


class GuardianConsentOut(Schema):
    worker = fields.String(attribute="worker.external_id")
    guardian_name = fields.String()
    relation = fields.Enum(GuardianRelation, by_value=True)
    given_on = fields.Date()
    recorded_at = fields.DateTime()
    verified = fields.Function(lambda record: record.verified_on is not None)
    verified_on = fields.DateTime(allow_none=True)


class GrievanceIn(Schema):
    subject = fields.String(required=True, validate=validate.Length(min=3, max=200))
    text = fields.String(required=True, validate=validate.Length(min=10, max=5000))
    worker = fields.String(
        validate=validate.Length(max=64),
        metadata={"description": "Administrators filing for a worker: the worker's id."},
    )


class GrievancePatch(Schema):
    status = fields.Enum(GrievanceStatus, by_value=True, required=True)
    response = fields.String(validate=validate.Length(max=5000))


class GrievanceOut(Schema):
    id = fields.String(attribute="external_id")
    worker = fields.String(attribute="worker.external_id")
    subject = fields.String()
    text = fields.String()
    status = fields.Enum(GrievanceStatus, by_value=True)
    response = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ErasureOut(Schema):
    worker = fields.String()
    erased_at = fields.DateTime()
    kept = fields.Dict(keys=fields.String(), values=fields.Integer())


class NoticeQuery(Schema):
    lang = fields.String(load_default="en", validate=validate.OneOf(list(LANGUAGES)))
