"""Page forms for employers' postings: CSRF and inputs; the rules live in PostingIn."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField

from app.employers.models import PostingStatus, Shift
from app.employers.schemas import PostingIn
from app.forms import DISTRICT_INPUT, PageForm, as_choices
from app.vocabulary import POSTING_STATUS_LABELS as STATUS_LABELS
from app.vocabulary import SHIFT_LABELS

NUMBER = {"type": "number", "min": "0"}
# What people read for the stored values (the form's options and the posting pages).


class PostingForm(PageForm):
    input_schema = PostingIn
    required_fields = ("employer",)  # an administrator posting chooses for whom

    employer = SelectField(_l("Employer"), choices=[], validate_choice=False)
    title = StringField(_l("Job title"))
    description = TextAreaField(
        _l("Describe the job"),
        render_kw={"rows": 6},
        description=_l(
            "Write it as you would in an advertisement: the skills are suggested from it."
        ),
    )
    district = StringField(_l("District"), render_kw=DISTRICT_INPUT)
    openings = StringField(_l("Openings"), default="1", render_kw={"type": "number", "min": "1"})
    wage_min_inr = StringField(_l("Monthly wage from (₹)"), render_kw=NUMBER)
    wage_max_inr = StringField(_l("Monthly wage up to (₹)"), render_kw=NUMBER)
    shift = SelectField(
        _l("Shift"), choices=as_choices(SHIFT_LABELS.items()), default=Shift.general.value
    )
    status = SelectField(
        _l("Status"), choices=as_choices(STATUS_LABELS.items()), default=PostingStatus.open.value
    )
    # Asked only when the new status ends open applications (posting_form_page).
    confirm_close = BooleanField(_l("Yes, end these applications"))
    skill_query = StringField(_l("Find skills by name"))
    suggest = SubmitField(_l("Suggest skills from the description"))
    find = SubmitField(_l("Find skills"))
    submit = SubmitField(_l("Save posting"))
