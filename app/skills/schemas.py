"""API schemas for skills and linked-skill suggestions."""

from __future__ import annotations

from marshmallow import Schema, fields, validate
from marshmallow.utils import get_value

from app.i18n import api_language
from app.skills.labels import label_in
from app.skills.models import SkillKind


class LocalLabel(fields.String):
    """A skill's label in the language the API request asks for (``?lang=mr`` or
    Accept-Language), ESCO's English label where the skill has none in it; English by default.
    ``attribute`` names where the English label is, ``uri`` where the skill's URI is."""

    def __init__(self, *, uri: str = "uri", **kwargs) -> None:
        super().__init__(dump_only=True, **kwargs)
        self.uri_path = uri

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return label_in(get_value(obj, self.uri_path), value, api_language())


class SkillOut(Schema):
    uri = fields.String()
    label = LocalLabel()
    label_en = fields.String(attribute="label")
    alt_labels = fields.List(fields.String())
    aliases = fields.Method("alias_names")
    description = fields.String()
    kind = fields.Enum(SkillKind, by_value=True)

    def alias_names(self, skill) -> list[str]:
        return [alias.alias for alias in skill.aliases]


class SkillQuery(Schema):
    q = fields.String(validate=validate.Length(max=100))
    kind = fields.String(validate=validate.OneOf(["esco", "local"]))


class SkillRefIn(Schema):
    """A required or held skill by URI, with an essential flag and a level where it applies."""

    uri = fields.String(required=True, validate=validate.Length(min=1, max=255))
    essential = fields.Boolean(load_default=True)
    min_proficiency = fields.Integer(load_default=1, validate=validate.Range(1, 4))


class LinkIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    top_k = fields.Integer(load_default=10, validate=validate.Range(1, 50))


class LinkedSkillOut(Schema):
    uri = fields.String()
    label = LocalLabel()
    label_en = fields.String(attribute="label")
    score = fields.Float()
    present = fields.Boolean()
    span = fields.String(allow_none=True)
    proficiency = fields.Integer(
        allow_none=True,
        metadata={
            "description": "The level (1-4) the years of experience stated with the evidence "
            "suggest ('3 years', '5 saal', '३ वर्षे'); null when no years are stated."
        },
    )


class SkillUriQuery(Schema):
    uri = fields.String(required=True, validate=validate.Length(min=1, max=255))
