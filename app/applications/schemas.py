"""API schemas for applications and invitations: separate input and output shapes.

A worker's phone number is in the output only for those who may see it (policy.can_see_contact_of:
an employer once the worker applied or accepted its invitation); otherwise the key is left out.
"""

from __future__ import annotations

from flask import g
from flask_login import current_user
from marshmallow import Schema, fields, post_dump, pre_dump, validate

from app.applications.services import NOTE_LIMIT
from app.applications.states import Actor, ApplicationStatus
from app.auth import policy
from app.dates import PlacementStart
from app.organisations.schemas import OrganisationRefOut

EXTERNAL_ID = validate.Length(min=1, max=64)
WAGE = validate.Range(0, 10_000_000)


class ApplicationIn(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=NOTE_LIMIT))


class InvitationIn(Schema):
    worker_id = fields.String(required=True, validate=EXTERNAL_ID)
    note = fields.String(load_default="", validate=validate.Length(max=NOTE_LIMIT))


class ApplicationPatch(Schema):
    """A move. Workers: applied (accept an invitation), declined, withdrawn. The posting's
    employer: shortlisted, interview, offered, hired (with start_date and monthly_wage_inr),
    rejected."""

    status = fields.Enum(ApplicationStatus, by_value=True, required=True)
    note = fields.String(load_default="", validate=validate.Length(max=NOTE_LIMIT))
    start_date = PlacementStart()
    monthly_wage_inr = fields.Integer(validate=WAGE)
    interview_on = fields.Date()
    interview_place = fields.String(validate=validate.Length(max=200))


class ApplicantOut(Schema):
    id = fields.String(attribute="external_id")
    name = fields.String()
    district = fields.String()
    phone = fields.Method("contact_phone")

    def contact_phone(self, worker) -> str | None:
        shown = g.get("contacts_shown")  # set by ApplicationOut for the whole list at once
        if shown is None:
            shown = policy.contacts_seen_by(current_user, [worker])
        return worker.phone if worker.id in shown else None

    @post_dump
    def leave_out_hidden_phone(self, data, **_kwargs):
        if data.get("phone") is None:
            data.pop("phone", None)
        return data


class PostingRefOut(Schema):
    id = fields.String(attribute="external_id")
    title = fields.String()
    employer = fields.Nested(OrganisationRefOut)


class ApplicationEventOut(Schema):
    from_status = fields.Enum(ApplicationStatus, by_value=True, allow_none=True)
    to_status = fields.Enum(ApplicationStatus, by_value=True)
    actor = fields.Enum(Actor, by_value=True)
    note = fields.String()
    at = fields.DateTime()


class ApplicationOut(Schema):
    @pre_dump(pass_collection=True)
    def note_contacts_shown(self, applications, many, **_kwargs):
        """Whose phone numbers the reader may see, asked once for the list, not once a row."""
        listed = applications if many else [applications]
        g.contacts_shown = policy.contacts_seen_by(current_user, [a.worker for a in listed])
        return applications

    id = fields.String(attribute="external_id")
    posting_id = fields.Function(lambda application: application.posting.external_id)
    worker_id = fields.Function(lambda application: application.worker.external_id)
    status = fields.Enum(ApplicationStatus, by_value=True)
    invited = fields.Boolean()
    note = fields.String()
    interview_on = fields.Date(allow_none=True)
    interview_place = fields.String(allow_none=True)
    offered_wage_inr = fields.Integer(allow_none=True)
    placement_id = fields.Function(
        lambda application: application.placement.external_id if application.placement else None
    )
    posting = fields.Nested(PostingRefOut)
    worker = fields.Nested(ApplicantOut)
    history = fields.List(fields.Nested(ApplicationEventOut), attribute="events")
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
