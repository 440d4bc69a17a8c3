"""Page forms for personal-data requests. They carry CSRF and render inputs; the rules are in the
services (and the workers input schema for a registration), shared with the API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField, TextAreaField

from app.auth.forms import PASSWORD_HINT
from app.forms import MultiCheckboxField, PageForm, as_choices
from app.i18n import current_language
from app.privacy.notice import PURPOSES, notice_language
from app.privacy.schemas import GrievanceIn, GuardianConsentIn
from app.vocabulary import GRIEVANCE_STATUS_LABELS, GUARDIAN_RELATION_LABELS
from app.workers.forms import WorkerProfileForm, choice_field

ERASE_CONFIRMATION = "ERASE"
# The word a worker types to confirm erasure, in the page's language; the English word always works
# (a worker helped by someone reading English, or a script).
ERASE_WORD = _l("ERASE")


class RegistrationForm(WorkerProfileForm):
    """A worker creates their own profile and login, after reading the notice and consenting."""

    required_fields = ("password",)
    visible_to_employers = None  # the consent's "show my profile to employers" decides it
    password = PasswordField(_l("Password"), description=PASSWORD_HINT)
    purposes = MultiCheckboxField(
        _l("I have read the notice above and agree that KaushalSetu may use my data to:"),
        choices=as_choices(PURPOSES["en"].items()),
    )
    submit = SubmitField(_l("Create my profile"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The purposes in the words of the notice the page shows (same keys in every language).
        language = notice_language(current_language())
        self.purposes.choices = as_choices(PURPOSES[language].items())


class GuardianConsentForm(PageForm):
    input_schema = GuardianConsentIn

    guardian_name = StringField(_l("Parent's or guardian's name"))
    relation = choice_field(_l("Relation"), GUARDIAN_RELATION_LABELS.items())
    given_on = StringField(_l("Date the consent was given"), render_kw={"type": "date"})
    submit = SubmitField(_l("Record guardian's consent"))

    @staticmethod
    def relation_label(value: str) -> str:
        """A recorded relation (``mother``) as the page's language says it."""
        return str(GUARDIAN_RELATION_LABELS.get(value, value))


class VerifyGuardianForm(FlaskForm):
    submit = SubmitField(_l("Verify"))


class ErasureForm(PageForm):
    required_fields = ("confirm",)

    confirm = StringField(_l("Type %(word)s to confirm", word=ERASE_WORD))
    submit = SubmitField(_l("Erase my personal data"))


class GrievanceForm(PageForm):
    input_schema = GrievanceIn

    subject = StringField(_l("Subject"))
    text = TextAreaField(_l("What is the problem?"), render_kw={"rows": 5})
    submit = SubmitField(_l("Send grievance"))


class GrievanceUpdateForm(FlaskForm):
    status = choice_field(_l("Status"), GRIEVANCE_STATUS_LABELS.items())
    response = TextAreaField(
        _l("Response to the worker"),
        description=_l("Needed to resolve or reject."),
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("Save"))
