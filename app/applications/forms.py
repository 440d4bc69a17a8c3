"""Page forms of applications. They carry CSRF and render inputs; the rules are the API's input
schemas (app/applications/schemas.py), which the views load the values through."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField

from app.applications.services import NOTE_LIMIT

DATE = {"type": "date"}
# Any whole rupee: a wage like ₹19,550 is written as it is (the server holds the floor).
WAGE = {"type": "number", "min": "0", "step": "1", "inputmode": "numeric"}


class ApplyForm(FlaskForm):
    note = TextAreaField(
        _l("A short note to the employer (optional)"),
        render_kw={"rows": 2, "maxlength": NOTE_LIMIT},
    )


class MoveForm(FlaskForm):
    """One move of an application: the status, and what an interview, offer or hire carries."""

    status = HiddenField()
    note = TextAreaField(_l("Note (optional)"), render_kw={"rows": 2, "maxlength": NOTE_LIMIT})
    interview_on = StringField(_l("Interview day"), render_kw=DATE)
    interview_place = StringField(_l("Place"), render_kw={"maxlength": 200})
    start_date = StringField(_l("Start date"), render_kw=DATE)
    monthly_wage_inr = StringField(_l("Monthly wage (₹)"), render_kw=WAGE)


class RejectManyForm(FlaskForm):
    note = TextAreaField(
        _l("Note to the workers (optional)"), render_kw={"rows": 2, "maxlength": NOTE_LIMIT}
    )
    submit = SubmitField(_l("Not selected: tell the ticked workers"))


class InviteForm(FlaskForm):
    worker_id = HiddenField()
    note = TextAreaField(
        _l("A note for the worker (optional): when to come, whom to ask for"),
        render_kw={"rows": 2, "maxlength": NOTE_LIMIT},
    )
    submit = SubmitField(_l("Invite to apply"))
