"""Page forms of the matches pages: only the enrol confirmation posts, and it carries CSRF."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField


class EnrolFromPlanForm(FlaskForm):
    """Enrol in the batch the confirmation page showed, for one item of the worker's plan."""

    course = HiddenField()
    module = HiddenField()
    batch = HiddenField()
    submit = SubmitField(_l("Confirm enrolment"))
