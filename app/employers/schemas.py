"""API schemas for job postings: separate input and output shapes."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.employers.models import PostingStatus, Shift
from app.employers.services import wage_problems
from app.places import District
from app.skills.schemas import LocalLabel, SkillRefIn


class PostingIn(Schema):
    external_id = fields.String(validate=validate.Length(min=1, max=64))
    title = fields.String(required=True, validate=validate.Length(min=2, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=20000))
    openings = fields.Integer(load_default=1, validate=validate.Range(1, 10000))
    wage_min_inr = fields.Integer(allow_none=True, validate=validate.Range(0, 10_000_000))
    wage_max_inr = fields.Integer(allow_none=True, validate=validate.Range(0, 10_000_000))
    district = District(required=True, validate=validate.Length(min=2, max=100))
    shift = fields.Enum(Shift, by_value=True, load_default=Shift.general)
    status = fields.Enum(PostingStatus, by_value=True, load_default=PostingStatus.open)
    posted_on = fields.Date(allow_none=True)
    skills = fields.List(fields.Nested(SkillRefIn), load_default=list)
    employer = fields.String(
        validate=validate.Length(min=1, max=64),
        metadata={"description": "The employer's id; administrators only."},
    )

    @validates_schema(skip_on_field_errors=False)
    def wage_range_allowed(self, data, **_kwargs):
        """The service's wage rule (floor, order), said with the other fields' mistakes: a wage of
        ₹5 was refused only once the empty title was filled in."""
        problems = wage_problems(data.get("wage_min_inr"), data.get("wage_max_inr"))
        if problems:
            raise ValidationError(problems)


class PostingPatch(PostingIn):
    """The same fields, loaded with partial=True: only what is sent changes, no defaults."""


class PostingSkillOut(Schema):
    uri = fields.String(attribute="skill.uri")
    label = LocalLabel(attribute="skill.label", uri="skill.uri")
    label_en = fields.String(attribute="skill.label")
    essential = fields.Boolean()
    min_proficiency = fields.Integer()


class EmployerRefOut(Schema):
    id = fields.String(attribute="external_id")
    name = fields.String()


class PostingOut(Schema):
    id = fields.String(attribute="external_id")
    employer = fields.Nested(EmployerRefOut)
    title = fields.String()
    description = fields.String()
    openings = fields.Integer()
    wage_min_inr = fields.Integer(allow_none=True)
    wage_max_inr = fields.Integer(allow_none=True)
    district = fields.String()
    shift = fields.Enum(Shift, by_value=True)
    status = fields.Enum(PostingStatus, by_value=True)
    posted_on = fields.Date(allow_none=True)
    skills = fields.List(fields.Nested(PostingSkillOut))


class PostingQuery(Schema):
    status = fields.Enum(PostingStatus, by_value=True)
    district = fields.String(validate=validate.Length(max=100))
    employer = fields.String(validate=validate.Length(max=64))


class PostingHitOut(Schema):
    score = fields.Float(metadata={"description": "Cosine similarity with the query, in [-1, 1]."})
    posting = fields.Nested(PostingOut, attribute="record")
