"""API schemas for placements and retention checks: separate input and output shapes."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.dates import HappenedOn, PlacementStart
from app.institutions.schemas import WorkerRefOut
from app.organisations.schemas import OrganisationRefOut
from app.placements.models import EmploymentType, Verification
from app.placements.services import RETENTION_MONTHS, retention_check_record

EXTERNAL_ID = validate.Length(min=1, max=64)


class PlacementIn(Schema):
    external_id = fields.String(validate=EXTERNAL_ID)
    worker = fields.String(required=True, validate=EXTERNAL_ID)
    employer = fields.String(
        allow_none=True,
        validate=EXTERNAL_ID,
        metadata={"description": "The employer's id; null for self-employment."},
    )
    posting = fields.String(allow_none=True, validate=EXTERNAL_ID)
    placed_on = PlacementStart(required=True)
    monthly_wage_inr = fields.Integer(required=True, validate=validate.Range(0, 10_000_000))
    employment_type = fields.Enum(EmploymentType, by_value=True, load_default=EmploymentType.wage)
    ended_on = HappenedOn(allow_none=True)
    verification = fields.Enum(Verification, by_value=True, load_default=Verification.none)
    verified_on = HappenedOn(allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def dates_in_order(self, data, **_kwargs):
        """What the input alone shows; the service checks the merged record again."""
        placed, ended = data.get("placed_on"), data.get("ended_on")
        if placed and ended and ended < placed:
            raise ValidationError("Must not be before placed_on.", "ended_on")


class PlacementPatch(Schema):
    """The worker of a placement is fixed; the rest can be corrected."""

    employer = fields.String(allow_none=True, validate=EXTERNAL_ID)
    posting = fields.String(allow_none=True, validate=EXTERNAL_ID)
    placed_on = PlacementStart()
    monthly_wage_inr = fields.Integer(validate=validate.Range(0, 10_000_000))
    employment_type = fields.Enum(EmploymentType, by_value=True)
    ended_on = HappenedOn(allow_none=True)
    verification = fields.Enum(Verification, by_value=True)
    verified_on = HappenedOn(allow_none=True)


class RetentionCheckIn(Schema):
    months = fields.Integer(required=True, validate=validate.OneOf(RETENTION_MONTHS))
    employed = fields.Boolean(required=True)
    appointment_letter = fields.Boolean(load_default=False)
    salary_slip = fields.Boolean(load_default=False)
    bank_credit = fields.Boolean(load_default=False)
    verified_on = HappenedOn(allow_none=True, load_default=None)
    verified_by = fields.String(
        allow_none=True, load_default=None, validate=validate.Length(max=254)
    )


class RetentionCheckOut(Schema):
    months = fields.Integer()
    employed = fields.Boolean()
    appointment_letter = fields.Boolean()
    salary_slip = fields.Boolean()
    bank_credit = fields.Boolean()
    verified_on = fields.Date(allow_none=True)
    verified_by = fields.String(allow_none=True)
    verified = fields.Function(
        lambda check: retention_check_record(check).verifies,
        metadata={
            "description": "Counts in verified retention: still employed, with an appointment "
            "letter, salary slip or bank credit as evidence, on a recorded date (verified_on). "
            "Reported retention needs only that the placement has not ended."
        },
    )


class PlacementOut(Schema):
    id = fields.String(attribute="external_id")
    worker = fields.Nested(WorkerRefOut)
    employer = fields.Nested(OrganisationRefOut, allow_none=True)
    posting = fields.Function(
        lambda placement: placement.posting.external_id if placement.posting else None
    )
    placed_on = fields.Date()
    monthly_wage_inr = fields.Integer()
    employment_type = fields.Enum(EmploymentType, by_value=True)
    ended_on = fields.Date(allow_none=True)
    verification = fields.Enum(Verification, by_value=True)
    verified_on = fields.Date(allow_none=True)
    retention_checks = fields.List(fields.Nested(RetentionCheckOut))
    enrolment = fields.Function(
        lambda placement: placement.enrolment.external_id if placement.enrolment else None,
        metadata={"description": "The training that led to the job, completed within 12 months."},
    )
    application = fields.Method(
        "hired_from", metadata={"description": "The application whose hire created it, if any."}
    )
    sources = fields.Method(
        "evidence",
        metadata={"description": "Who recorded it: 'institution', 'hire' (an employer), or both."},
    )

    def hired_from(self, placement) -> str | None:
        return placement.hire.external_id if placement.hire else None

    def evidence(self, placement) -> list[str]:
        sources = ["institution"] if placement.recorded_by_institution else []
        return sources + (["hire"] if placement.hire else [])


class PlacementQuery(Schema):
    worker = fields.String(validate=EXTERNAL_ID)
    employer = fields.String(validate=EXTERNAL_ID)
