"""Page forms for an administrator's employers and institutions and their staff logins. The rules
live in the API's input schema (OrganisationIn) and the services, which the views load through."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField

from app.forms import DISTRICT_INPUT, STATE_INPUT, PageForm, as_choices
from app.organisations.schemas import OrganisationIn
from app.vocabulary import MSME_SIZE_LABELS, ORGANISATION_TYPE_LABELS, SECTOR_LABELS

EMPLOYER_TIERS = ("tier1", "tier2", "tier3")
INSTITUTION_TYPES = ("iti", "polytechnic", "training_partner", "university")


def type_choices(codes: tuple[str, ...]) -> list:
    return as_choices([("", "—"), *((code, ORGANISATION_TYPE_LABELS[code]) for code in codes)])


class OrganisationForm(PageForm):
    input_schema = OrganisationIn

    external_id = StringField(
        _l("Id"), description=_l("Leave empty for a new id; the id never changes afterwards.")
    )
    name = StringField(_l("Name"))
    sector = SelectField(
        _l("Sector"), choices=as_choices([("", "—"), *SECTOR_LABELS.items()]), validate_choice=False
    )
    district = StringField(_l("District"), render_kw=DISTRICT_INPUT)
    state = StringField(_l("State"), render_kw=STATE_INPUT)
    msme_size = SelectField(
        _l("Size"),
        choices=as_choices([("", "—"), *MSME_SIZE_LABELS.items()]),
        validate_choice=False,
    )
    # Each shown for its own kind only; the API's schema checks what is sent.
    tier = SelectField(
        _l("Supplier tier"), choices=type_choices(EMPLOYER_TIERS), validate_choice=False
    )
    institution_type = SelectField(
        _l("Type of institution"), choices=type_choices(INSTITUTION_TYPES), validate_choice=False
    )
    cluster = SelectField(_l("Cluster"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Save"))


class LoginForm(PageForm):
    """A staff login of an organisation: an email or a mobile number. No password is typed: the
    person sets their own with a one-time code shown once to the administrator."""

    email = StringField(_l("Email"), render_kw={"type": "email", "autocomplete": "off"})
    phone = StringField(_l("Mobile number"), render_kw={"type": "tel", "autocomplete": "off"})
    submit = SubmitField(_l("Add the login"))
