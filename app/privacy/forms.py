"""Page forms for personal-data requests. They carry CSRF and render inputs; the rules are in the
services (and the workers input schema for a registration), shared with the API."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField, TextAreaField

from app.forms import as_choices
from app.privacy.models import GrievanceStatus, GuardianRelation
from app.privacy.notice import PURPOSES
from app.workers.forms import MultiCheckboxField, WorkerProfileForm, choice_field

ERASE_CONFIRMATION = "ERASE"
GRIEVANCE_STATUS_LABELS = {
    status.value: status.value.replace("_", " ").capitalize() for status in GrievanceStatus
}


class RegistrationForm(WorkerProfileForm):
    """A worker creates their own profile and login, after reading the notice and consenting."""

    password = PasswordField("Password", description="At least 10 characters.")
    purposes = MultiCheckboxField(
        "I have read the notice above and agree that KaushalSetu may use my data to:",
        choices=as_choices(PURPOSES["en"].items()),
    )
    submit = SubmitField("Create my profile")


class GuardianConsentForm(FlaskForm):
    guardian_name = StringField("Parent's or guardian's name")
    relation = choice_field(
        "Relation", [(relation.value, relation.value.capitalize()) for relation in GuardianRelation]
    )
    given_on = StringField("Date the consent was given", render_kw={"type": "date"})
    submit = SubmitField("Record guardian's consent")


class VerifyGuardianForm(FlaskForm):
    submit = SubmitField("Verify")


class ErasureForm(FlaskForm):
    confirm = StringField(f"Type {ERASE_CONFIRMATION} to confirm")
    submit = SubmitField("Erase my personal data")


class GrievanceForm(FlaskForm):
    subject = StringField("Subject")
    text = TextAreaField("What is the problem?", render_kw={"rows": 5})
    submit = SubmitField("Send grievance")


class GrievanceUpdateForm(FlaskForm):
    status = choice_field("Status", GRIEVANCE_STATUS_LABELS.items())
    response = TextAreaField(
        "Response to the worker",
        description="Needed to resolve or reject.",
        render_kw={"rows": 4},
    )
    submit = SubmitField("Save")
