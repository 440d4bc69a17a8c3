"""The upload form: CSRF, the file, its kind and the dry-run switch. The rules for the rows live in
the domain input schemas the importer loads every row through."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, SubmitField

from app.forms import PageForm

KIND_LABELS = {
    "workers": _l("Workers"),
    "courses": _l("Courses"),
    "postings": _l("Job postings"),
    "enrolments": _l("Enrolments"),
    "placements": _l("Placements"),
}


class ImportForm(PageForm):
    kind = SelectField(_l("What the file holds"))
    file = FileField(
        _l("CSV file (UTF-8, with a header row)"),
        validators=[
            FileRequired(_l("Choose a CSV file.")),
            FileAllowed(["csv"], _l("Only .csv files can be imported.")),
        ],
        render_kw={"accept": ".csv,text/csv"},
    )
    dry_run = BooleanField(_l("Check only (dry run): report problems, write nothing"), default=True)
    submit = SubmitField(_l("Import"))
