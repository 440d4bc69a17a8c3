"""API schemas of the matching endpoints: query arguments in, ranked results and gaps out."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.matchmaking.services import DEFAULT_TOP_K, DEFAULT_TRAINABLE_HOURS
from app.skills.schemas import LocalLabel

MAX_TOP_K = 100


class TopKQuery(Schema):
    top_k = fields.Integer(load_default=DEFAULT_TOP_K, validate=validate.Range(1, MAX_TOP_K))


class TodayQuery(Schema):
    today = fields.Date(
        load_default=None, metadata={"description": "Plan as of this day; default today."}
    )


class TrainableQuery(TopKQuery, TodayQuery):
    max_hours = fields.Float(
        load_default=DEFAULT_TRAINABLE_HOURS, validate=validate.Range(0, 10_000)
    )


class DemandQuery(TodayQuery):
    sector = fields.String(load_default=None, validate=validate.Length(max=100))
    district = fields.String(load_default=None, validate=validate.Length(max=100))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class SkillStateOut(Schema):
    uri = fields.String()
    label = LocalLabel()
    label_en = fields.String(attribute="label")
    essential = fields.Boolean()


class RoundedFloat(fields.Float):
    """A float rounded to `places` decimals on output."""

    def __init__(self, places: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.places = places

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else round(float(value), self.places)


class PartialSkillOut(SkillStateOut):
    via_uri = fields.String()
    via_label = LocalLabel(uri="via_uri")
    via_label_en = fields.String(attribute="via_label")
    similarity = RoundedFloat(4)


FIT_DESCRIPTION = "0–100; 100 exactly when nothing is missing."


class GapPartsOut(Schema):
    fit = fields.Integer(metadata={"description": FIT_DESCRIPTION})
    covered = fields.List(fields.Nested(SkillStateOut))
    partial = fields.List(fields.Nested(PartialSkillOut))
    missing = fields.List(fields.Nested(SkillStateOut))


class PlanItemOut(Schema):
    course = fields.String(attribute="course_id")
    module = fields.String(attribute="module_id", allow_none=True)
    closes = fields.List(fields.String())
    hours = fields.Float()
    fee_inr = fields.Float()
    next_batch_start = fields.String(allow_none=True)


class PlanFieldsOut(Schema):
    """The training plan of a result that carries one (its ``plan``): the courses and modules
    to take, and the missing skills no course closes."""

    plan = fields.List(fields.Nested(PlanItemOut), attribute="plan.items")
    uncovered = fields.List(fields.String(), attribute="plan.uncovered")


class GapOut(PlanFieldsOut):
    """A worker's gap against a posting (services.GapWithPlan) with the plan that closes it."""

    fit = fields.Integer(attribute="gap.fit", metadata={"description": FIT_DESCRIPTION})
    covered = fields.List(fields.Nested(SkillStateOut), attribute="gap.covered")
    partial = fields.List(fields.Nested(PartialSkillOut), attribute="gap.partial")
    missing = fields.List(fields.Nested(SkillStateOut), attribute="gap.missing")


class JobMatchOut(Schema):
    posting_id = fields.String()
    title = fields.String()
    employer = fields.String()
    district = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    wage_min_inr = fields.Integer(allow_none=True)
    wage_max_inr = fields.Integer(allow_none=True)
    openings = fields.Integer()
    fit = fields.Integer()
    gap = fields.Nested(GapPartsOut)


class CandidateOut(Schema):
    """What an employer may see of a candidate: an id, a district and the skills' fit."""

    worker_id = fields.String()
    district = fields.String(allow_none=True)
    fit = fields.Integer()
    gap = fields.Nested(GapPartsOut)


class TrainableCandidateOut(CandidateOut, PlanFieldsOut):
    """A candidate who lacks skills a short training plan closes: its hours and the plan."""

    training_hours = fields.Float()


class DemandRowOut(Schema):
    uri = fields.String()
    label = fields.String()
    demand = fields.Float()
    supply = fields.Integer()
    capacity = fields.Integer()
    gap = fields.Float()
    postings = fields.Integer()
    taught = fields.Boolean()


class SuggestedBatchOut(Schema):
    course_id = fields.String()
    module_id = fields.String(allow_none=True)
    title = fields.String()
    seats = fields.Integer()
    hours = fields.Float()
    closes = fields.List(fields.String())
    district = fields.String(allow_none=True)


class DemandOut(Schema):
    rows = fields.List(fields.Nested(DemandRowOut))
    untaught = fields.List(fields.Nested(DemandRowOut))
    suggestions = fields.List(fields.Nested(SuggestedBatchOut))
