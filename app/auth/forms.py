from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.forms import PageForm

# WTForms has no Marathi or Hindi messages of its own: ours are in the catalogues.
REQUIRED = _l("Please fill this in.")
TOO_LONG = _l("At most %(max)d characters.")


# Said before the first try (a walk learnt the rules only from refusals).
PASSWORD_HINT = _l(
    "At least 10 characters, and not a common word, name or year: a few words of your own are best."
)


class LoginForm(PageForm):
    login = StringField(
        _l("Email or phone"), validators=[DataRequired(REQUIRED), Length(max=254, message=TOO_LONG)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)]
    )
    submit = SubmitField(_l("Log in"))


class ForgotPasswordForm(PageForm):
    login = StringField(
        _l("Email or phone"), validators=[DataRequired(REQUIRED), Length(max=254, message=TOO_LONG)]
    )
    code = StringField(
        _l("One-time code"),
        validators=[DataRequired(REQUIRED), Length(max=20, message=TOO_LONG)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )
    new_password = PasswordField(
        _l("New password"),
        description=PASSWORD_HINT,
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, message=_l("At least %(min)d characters.")),
            Length(max=200, message=TOO_LONG),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Set the new password"))


class SendCodeForm(PageForm):
    login = StringField(
        _l("Email or phone"), validators=[DataRequired(REQUIRED), Length(max=254, message=TOO_LONG)]
    )
    submit = SubmitField(_l("Send me a code"))


class ResetCodeForm(FlaskForm):
    """The button that issues a one-time password code: carries the CSRF token only."""


class PasswordChangeForm(PageForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(
        _l("New password"),
        description=PASSWORD_HINT,
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, message=_l("At least %(min)d characters.")),
        ],
    )
    submit = SubmitField(_l("Change password"))
