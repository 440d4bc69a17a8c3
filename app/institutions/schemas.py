"""API schemas for courses, modules, batches and enrolments: separate input and output shapes.

The same input schemas validate the pages' forms and bulk imports; rules across records
(unknown ids, a batch of another course, seats left) are the services' job.
"""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.dates import HappenedOn
from app.i18n import N_
from app.institutions.models import CourseMode, EnrolmentStatus
from app.institutions.services import batch_free_seats
from app.organisations.schemas import OrganisationRefOut
from app.places import District
from app.skills.schemas import LocalLabel

EXTERNAL_ID = validate.Length(min=1, max=64)
SKILL_URI = validate.Length(min=1, max=255)
QP_CODE_FORM = re.compile(r"[A-Z0-9]+(?:[/.-][A-Z0-9]+)+")
QP_CODE_WRONG = N_("Write the code as the qualification pack gives it, e.g. ASC/Q3502.")


class QpCode(fields.String):
    """A Qualification Pack code as written on the pack: sector letters and a number joined by
    "/" or "-" ("ASC/Q3502", newer National Qualification Register codes with dashes), read in
    capitals; a walk saved "garbage code" and "asc-3908 xyz"."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        code = text.strip().upper() if text else ""
        if not code:
            return None
        if (
            len(code) > 40
            or not QP_CODE_FORM.fullmatch(code)
            or not any(character.isdigit() for character in code)
        ):
            raise ValidationError(QP_CODE_WRONG)
        return code


class CourseIn(Schema):
    external_id = fields.String(validate=EXTERNAL_ID)
    title = fields.String(required=True, validate=validate.Length(min=2, max=200))
    syllabus = fields.String(load_default="", validate=validate.Length(max=50000))
    nsqf_level = fields.Integer(allow_none=True, validate=validate.Range(1, 10))
    qp_code = QpCode(allow_none=True)
    hours = fields.Integer(required=True, validate=validate.Range(1, 10000))
    fee_inr = fields.Integer(load_default=0, validate=validate.Range(0, 10_000_000))
    mode = fields.Enum(CourseMode, by_value=True, load_default=CourseMode.classroom)
    women_only = fields.Boolean(load_default=False)
    residential = fields.Boolean(load_default=False)
    max_batch_size = fields.Integer(allow_none=True, validate=validate.Range(1, 1000))
    duration_months = fields.Integer(allow_none=True, validate=validate.Range(1, 60))
    skills = fields.List(
        fields.String(validate=SKILL_URI),
        load_default=list,
        metadata={"description": "Skill URIs the course teaches."},
    )
    institution = fields.String(
        validate=EXTERNAL_ID,
        metadata={"description": "The institution's id; administrators only."},
    )


class CoursePatch(CourseIn):
    """The same fields, loaded with partial=True: only what is sent changes, no defaults."""


class ModuleIn(Schema):
    external_id = fields.String(validate=EXTERNAL_ID)
    title = fields.String(required=True, validate=validate.Length(min=2, max=200))
    hours = fields.Integer(required=True, validate=validate.Range(1, 10000))
    is_bridge = fields.Boolean(load_default=False)
    position = fields.Integer(validate=validate.Range(0, 1000))
    skills = fields.List(
        fields.String(validate=SKILL_URI),
        load_default=list,
        metadata={"description": "Skill URIs; any the course lacks are added to the course."},
    )


class BatchIn(Schema):
    external_id = fields.String(validate=EXTERNAL_ID)
    course = fields.String(required=True, validate=EXTERNAL_ID)
    start_date = fields.Date(required=True)
    seats = fields.Integer(required=True, validate=validate.Range(1, 1000))
    district = District(allow_none=True, validate=validate.Length(max=100))


class BatchPatch(Schema):
    """A batch stays in its course; only the schedule, seats and place change."""

    start_date = fields.Date()
    seats = fields.Integer(validate=validate.Range(1, 1000))
    district = District(allow_none=True, validate=validate.Length(max=100))


class EnrolmentIn(Schema):
    external_id = fields.String(validate=EXTERNAL_ID)
    worker = fields.String(required=True, validate=EXTERNAL_ID)
    course = fields.String(required=True, validate=EXTERNAL_ID)
    batch = fields.String(allow_none=True, validate=EXTERNAL_ID)
    status = fields.Enum(EnrolmentStatus, by_value=True, load_default=EnrolmentStatus.enrolled)
    enrolled_on = HappenedOn(required=True)
    completed_on = HappenedOn(allow_none=True)
    certified = fields.Boolean(load_default=False)
    certified_on = HappenedOn(allow_none=True)
    notes = fields.String(load_default="", validate=validate.Length(max=5000))

    @validates_schema(skip_on_field_errors=False)
    def dates_in_order(self, data, **_kwargs):
        """What can be told from the input alone; the service checks the merged record again."""
        errors: dict[str, list[str]] = {}
        enrolled, completed = data.get("enrolled_on"), data.get("completed_on")
        certified_on = data.get("certified_on")
        if enrolled and completed and completed < enrolled:
            errors["completed_on"] = [N_("Must not be before enrolled_on.")]
        if certified_on and "certified" in data and not data["certified"]:
            errors["certified_on"] = [N_("Give certified_on only when certified is true.")]
        elif enrolled and certified_on and certified_on < enrolled:
            errors["certified_on"] = [N_("Must not be before enrolled_on.")]
        if errors:
            raise ValidationError(errors)


class EnrolmentPatch(Schema):
    """The worker and the course of an enrolment are fixed; its progress changes."""

    batch = fields.String(allow_none=True, validate=EXTERNAL_ID)
    status = fields.Enum(EnrolmentStatus, by_value=True)
    enrolled_on = HappenedOn()
    completed_on = HappenedOn(allow_none=True)
    certified = fields.Boolean()
    certified_on = HappenedOn(allow_none=True)
    notes = fields.String(validate=validate.Length(max=5000))


class SkillRefOut(Schema):
    uri = fields.String()
    label = LocalLabel()
    label_en = fields.String(attribute="label")


class CourseRefOut(Schema):
    id = fields.String(attribute="external_id")
    title = fields.String()


class CourseOut(Schema):
    id = fields.String(attribute="external_id")
    institution = fields.Nested(OrganisationRefOut)
    title = fields.String()
    syllabus = fields.String()
    nsqf_level = fields.Integer(allow_none=True)
    qp_code = fields.String(allow_none=True)
    hours = fields.Integer()
    fee_inr = fields.Integer()
    mode = fields.Enum(CourseMode, by_value=True)
    women_only = fields.Boolean()
    residential = fields.Boolean()
    max_batch_size = fields.Integer(allow_none=True)
    duration_months = fields.Integer(allow_none=True)
    skills = fields.List(fields.Nested(SkillRefOut))
    archived = fields.Boolean(
        metadata={"description": "Withdrawn from offers; its batches and enrolments stay."}
    )
    archived_at = fields.DateTime(allow_none=True)


class CourseHitOut(Schema):
    score = fields.Float(metadata={"description": "Cosine similarity with the query, in [-1, 1]."})
    course = fields.Nested(CourseOut, attribute="record")


class ModuleOut(Schema):
    id = fields.String(attribute="external_id")
    course = fields.String(attribute="course.external_id")
    title = fields.String()
    hours = fields.Integer()
    is_bridge = fields.Boolean()
    position = fields.Integer()
    skills = fields.List(fields.Nested(SkillRefOut))


class BatchOut(Schema):
    id = fields.String(attribute="external_id")
    course = fields.Nested(CourseRefOut)
    institution = fields.Nested(OrganisationRefOut, attribute="course.institution")
    start_date = fields.Date()
    seats = fields.Integer()
    free_seats = fields.Method("get_free_seats")
    district = fields.String(allow_none=True)

    def get_free_seats(self, batch) -> int:
        return batch_free_seats(batch)


class WorkerRefOut(Schema):
    id = fields.String(attribute="external_id")
    name = fields.String()


class EnrolmentOut(Schema):
    id = fields.String(attribute="external_id")
    worker = fields.Nested(WorkerRefOut)
    course = fields.Nested(CourseRefOut)
    institution = fields.Nested(OrganisationRefOut, attribute="course.institution")
    batch = fields.Function(
        lambda enrolment: enrolment.batch.external_id if enrolment.batch else None
    )
    status = fields.Enum(EnrolmentStatus, by_value=True)
    enrolled_on = fields.Date()
    completed_on = fields.Date(allow_none=True)
    certified = fields.Boolean()
    certified_on = fields.Date(allow_none=True)
    notes = fields.String()


class CourseQuery(Schema):
    institution = fields.String(validate=EXTERNAL_ID)
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "In the title."})
    nsqf_level = fields.Integer(validate=validate.Range(1, 10))
    include_archived = fields.Boolean(
        load_default=False,
        metadata={"description": "Also list archived courses (left out by default)."},
    )


class BatchQuery(Schema):
    course = fields.String(validate=EXTERNAL_ID)


class EnrolmentQuery(Schema):
    course = fields.String(validate=EXTERNAL_ID)
    batch = fields.String(validate=EXTERNAL_ID)
    worker = fields.String(validate=EXTERNAL_ID)
    status = fields.Enum(EnrolmentStatus, by_value=True)
