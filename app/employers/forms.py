"""Page forms for employers' postings: CSRF and inputs; the rules live in PostingIn."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField

from app.employers.models import PostingStatus, Shift
from app.forms import as_choices

NUMBER = {"type": "number", "min": "0"}


class PostingForm(FlaskForm):
    employer = SelectField("Employer", choices=[], validate_choice=False)
    title = StringField("Job title")
    description = TextAreaField(
        "Describe the job",
        render_kw={"rows": 6},
        description="Write it as you would in an advertisement: the skills are suggested from it.",
    )
    district = StringField("District")
    openings = StringField("Openings", default="1", render_kw={"type": "number", "min": "1"})
    wage_min_inr = StringField("Monthly wage from (₹)", render_kw=NUMBER)
    wage_max_inr = StringField("Monthly wage up to (₹)", render_kw=NUMBER)
    shift = SelectField(
        "Shift", choices=as_choices((s.value, s.value.title()) for s in Shift), default="general"
    )
    status = SelectField(
        "Status",
        choices=as_choices((s.value, s.value.title()) for s in PostingStatus),
        default="open",
    )
    skill_query = StringField("Find skills by name")
    suggest = SubmitField("Suggest skills from the description")
    find = SubmitField("Find skills")
    submit = SubmitField("Save posting")
