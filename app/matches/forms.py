"""Page forms of the matches pages: only the enrol button posts, and it carries CSRF."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField


class EnrolFromPlanForm(FlaskForm):
    """Enrol in the next batch with free seats of one item of the worker's training plan."""

    course = HiddenField()
    module = HiddenField()
    submit = SubmitField(_l("Enrol"))
