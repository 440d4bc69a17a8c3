"""API schemas for workers: input and output apart, and a public shape for employers that never
carries date of birth, social category, disability or contact details."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates

from app.places import District, State
from app.skills.schemas import LocalLabel
from app.workers import services
from app.workers.models import Education, Gender, SkillSource


class PhoneNumber(fields.String):
    """An Indian mobile number, stored as +91XXXXXXXXXX."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return services.normalise_phone(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class WorkerSkillIn(Schema):
    uri = fields.String(required=True, validate=validate.Length(min=1, max=255))
    proficiency = fields.Integer(
        load_default=services.DEFAULT_PROFICIENCY,
        validate=validate.Range(services.MIN_PROFICIENCY, services.MAX_PROFICIENCY),
        metadata={"description": "1 basic, 2 working, 3 independent, 4 can teach others."},
    )
    source = fields.Enum(
        SkillSource,
        by_value=True,
        load_default=SkillSource.self_declared,
        metadata={"description": "assessed and certified: institutions and administrators only."},
    )


class WorkerSkillOut(Schema):
    uri = fields.String(attribute="skill.uri")
    label = LocalLabel(attribute="skill.label", uri="skill.uri")
    label_en = fields.String(attribute="skill.label")
    proficiency = fields.Integer()
    source = fields.Enum(SkillSource, by_value=True)


class WorkerSkillsIn(Schema):
    skills = fields.List(fields.Nested(WorkerSkillIn), required=True)


class WorkerIn(Schema):
    """A worker record as sent by an administrator or institution (and the edit-profile page)."""

    # Optional fields a form leaves blank arrive as "": treat them as not given.
    BLANK_IS_NONE = ("education", "phone", "email", "social_category", "disability")

    external_id = fields.String(validate=validate.Length(min=1, max=64))
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    gender = fields.Enum(Gender, by_value=True, required=True)
    date_of_birth = fields.Date(required=True)
    district = District(required=True, validate=validate.Length(min=2, max=100))
    state = State(required=True, validate=validate.Length(min=2, max=100))
    education = fields.Enum(Education, by_value=True, allow_none=True)
    languages = fields.List(
        fields.String(validate=validate.Length(min=1, max=40)),
        load_default=list,
        validate=validate.Length(max=12),
    )
    phone = PhoneNumber(allow_none=True)
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    visible_to_employers = fields.Boolean(load_default=False)
    social_category = fields.String(
        allow_none=True, validate=validate.OneOf(services.SOCIAL_CATEGORIES)
    )
    disability = fields.Boolean(allow_none=True)
    profile_text = fields.String(load_default="", validate=validate.Length(max=5000))
    skills = fields.List(fields.Nested(WorkerSkillIn))

    @pre_load
    def blank_to_none(self, data, **_kwargs):
        if not isinstance(data, dict):
            return data
        return {
            key: (None if key in self.BLANK_IS_NONE and value == "" else value)
            for key, value in data.items()
        }

    @validates("date_of_birth")
    def plausible_date_of_birth(self, value, **_kwargs):
        problem = services.date_of_birth_problem(value)
        if problem:
            raise ValidationError(problem)


class WorkerPatch(WorkerIn):
    """What a worker or administrator may change, loaded with partial=True: no id, no skills
    (they have their own endpoint), and no field outside this list is accepted."""

    class Meta:
        exclude = ("external_id", "skills")


class ConsentIn(Schema):
    notice_version = fields.String(
        load_default=services.CONSENT_NOTICE_VERSION, validate=validate.Length(min=1, max=20)
    )
    purposes = fields.List(
        fields.String(validate=validate.OneOf(list(services.CONSENT_PURPOSES))),
        required=True,
        validate=validate.Length(min=1),
    )


class ConsentOut(Schema):
    notice_version = fields.String()
    purposes = fields.List(fields.String())
    given_at = fields.DateTime()
    given_by = fields.String()
    withdrawn_at = fields.DateTime(allow_none=True)


class WorkerCreateIn(WorkerIn):
    """A new worker from the API: only together with the worker's consent to the current notice
    (DPDP Act s.6); an institution or administrator recording it is named in `given_by`."""

    consent = fields.Nested(ConsentIn, required=True)


class WorkerPublicOut(Schema):
    """What an employer sees: no date of birth, social category, disability, phone or email."""

    id = fields.String(attribute="external_id")
    name = fields.String()
    gender = fields.Enum(Gender, by_value=True)
    age_band = fields.Method("band")
    district = fields.String()
    education = fields.Enum(Education, by_value=True, allow_none=True)
    languages = fields.List(fields.String())
    skills = fields.List(fields.Nested(WorkerSkillOut))
    profile_text = fields.String(metadata={"description": "The worker's own words on their work."})

    def band(self, worker) -> str:
        return services.age_band(worker.date_of_birth)


class WorkerOut(WorkerPublicOut):
    """The full record: for the worker themselves, their institution and administrators."""

    date_of_birth = fields.Date()
    state = fields.String()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    visible_to_employers = fields.Boolean()
    social_category = fields.String(allow_none=True)
    disability = fields.Boolean(allow_none=True)
    consent = fields.Method("standing_consent")
    erased_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()

    def standing_consent(self, worker) -> dict | None:
        consent = services.current_consent(worker)
        return None if consent is None else ConsentOut().dump(consent)


class WorkerQuery(Schema):
    district = fields.String(validate=validate.Length(max=100))
    skill = fields.String(
        validate=validate.Length(max=255), metadata={"description": "Holds this skill URI."}
    )
