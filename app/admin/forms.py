"""The administrator's search of the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from app.vocabulary import AUDIT_ACTION_LABELS, AUDIT_OUTCOME_LABELS


class ActivitySearchForm(FlaskForm):
    """A GET form: searching changes nothing, so it needs no CSRF token. Actions are offered
    by their names in the reader's language, one choice per name (two codes share "Personal
    data exported")."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    outcome = SelectField(_l("Outcome"), validators=[Optional()])
    who = StringField(
        _l("Who (login name)"),
        validators=[Optional(), Length(max=254)],
        render_kw={"placeholder": _l("e.g. iti@ or 98220")},
    )
    record = StringField(
        _l("Which record (id or login name)"),
        validators=[Optional(), Length(max=254)],
        render_kw={"placeholder": _l("e.g. W0012")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names: dict[str, str] = {}
        for code, label in AUDIT_ACTION_LABELS.items():
            names.setdefault(str(label), code)
        by_name = sorted(((code, name) for name, code in names.items()), key=lambda c: c[1])
        self.action.choices = [("", _l("Every action")), *by_name]
        self.outcome.choices = [("", _l("Any outcome")), *AUDIT_OUTCOME_LABELS.items()]

    def actions(self) -> list[str]:
        """The codes the chosen action's name stands for."""
        if not self.action.data:
            return []
        name = str(AUDIT_ACTION_LABELS[self.action.data])
        return [code for code, label in AUDIT_ACTION_LABELS.items() if str(label) == name]
