"""The upload form: CSRF, the file, its kind and the dry-run switch. The rules for the rows live in
the domain input schemas the importer loads every row through."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, SubmitField

KIND_LABELS = {
    "workers": "Workers",
    "courses": "Courses",
    "postings": "Job postings",
    "enrolments": "Enrolments",
    "placements": "Placements",
}


class ImportForm(FlaskForm):
    kind = SelectField("What the file holds")
    file = FileField(
        "CSV file (UTF-8, with a header row)",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv"], "Only .csv files can be imported."),
        ],
        render_kw={"accept": ".csv,text/csv"},
    )
    dry_run = BooleanField("Check only (dry run): report problems, write nothing", default=True)
    submit = SubmitField("Import")
