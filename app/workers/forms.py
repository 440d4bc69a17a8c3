"""Page forms for workers. They carry CSRF and render the inputs; the rules live in the marshmallow
input schemas (app/workers/schemas.py), which the views load the submitted values through."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)

from app.forms import as_choices
from app.workers.models import Education, Gender
from app.workers.services import CONSENT_PURPOSES

PROFICIENCY_CHOICES = [
    ("1", "1 · basic: can do it with help"),
    ("2", "2 · working: can do it alone on routine work"),
    ("3", "3 · independent: handles problems and set-ups"),
    ("4", "4 · expert: can teach others"),
]
EDUCATION_LABELS = {
    "none": "No schooling",
    "primary": "Primary",
    "secondary": "Secondary (10th)",
    "higher_secondary": "Higher secondary (12th)",
    "iti": "ITI",
    "diploma": "Diploma",
    "graduate": "Graduate",
    "postgraduate": "Postgraduate",
}


def choice_field(label: str, pairs, **kwargs) -> SelectField:
    """A select whose value the input schema checks (so its message is the same as the API's)."""
    return SelectField(label, choices=as_choices(pairs), validate_choice=False, **kwargs)


def worker_form_data(form: FlaskForm) -> dict:
    """The submitted values in the shape the input schema reads (lists split, yes/no as bools)."""
    languages = (form.languages.data or "").replace(";", ",").split(",")
    disability = {"yes": True, "no": False}.get(form.disability.data or "")
    return {
        "name": form.name.data or "",
        "gender": form.gender.data or "",
        "date_of_birth": form.date_of_birth.data or "",
        "district": form.district.data or "",
        "state": form.state.data or "",
        "education": form.education.data or None,
        "languages": [language.strip() for language in languages if language.strip()],
        "phone": form.phone.data or None,
        "email": form.email.data or None,
        "visible_to_employers": bool(form.visible_to_employers.data),
        "social_category": form.social_category.data or None,
        "disability": disability,
        "profile_text": form.profile_text.data or "",
    }


class WorkerProfileForm(FlaskForm):
    name = StringField("Name")
    gender = choice_field("Gender", [(g.value, g.value.capitalize()) for g in Gender])
    date_of_birth = StringField("Date of birth", render_kw={"type": "date"})
    district = StringField("District")
    state = StringField("State")
    education = choice_field(
        "Education",
        [("", "—")] + [(e.value, EDUCATION_LABELS.get(e.value, e.value)) for e in Education],
    )
    languages = StringField("Languages", description="Separate with commas: Marathi, Hindi")
    phone = StringField("Mobile number", description="10 digits, e.g. 9876543210")
    email = StringField("Email", render_kw={"type": "email"})
    visible_to_employers = BooleanField(
        "Employers may see my profile (name, district, age band, education, languages, skills)"
    )
    social_category = choice_field(
        "Social category (optional, never shown to employers)",
        [
            ("", "Prefer not to say"),
            ("sc", "SC"),
            ("st", "ST"),
            ("obc", "OBC"),
            ("general", "General"),
        ],
    )
    disability = choice_field(
        "Disability (optional, never shown to employers)",
        [("", "Prefer not to say"), ("yes", "Yes"), ("no", "No")],
    )
    profile_text = TextAreaField(
        "Describe your work",
        description="The machines, jobs and tools you have worked with, in your own words.",
        render_kw={"rows": 5},
    )
    submit = SubmitField("Save profile")

    def fill_from(self, worker) -> None:
        """Show the stored values when the page is first opened."""
        self.name.data = worker.name
        self.gender.data = worker.gender.value
        self.date_of_birth.data = worker.date_of_birth.isoformat()
        self.district.data = worker.district
        self.state.data = worker.state
        self.education.data = worker.education.value if worker.education else ""
        self.languages.data = ", ".join(worker.languages or [])
        self.phone.data = worker.phone or ""
        self.email.data = worker.email or ""
        self.visible_to_employers.data = worker.visible_to_employers
        self.social_category.data = worker.social_category or ""
        self.disability.data = {True: "yes", False: "no"}.get(worker.disability, "")
        self.profile_text.data = worker.profile_text


class SkillSearchForm(FlaskForm):
    """A GET form: searching changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    q = StringField("Find a skill", render_kw={"placeholder": "e.g. TIG, CNC, 5S, welding"})


class SkillLevelForm(FlaskForm):
    """Add a skill at a level, or change the level of one held (the same fields)."""

    uri = HiddenField()
    proficiency = choice_field("Level", PROFICIENCY_CHOICES, default="2")


class SkillRemoveForm(FlaskForm):
    uri = HiddenField()


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ConsentForm(FlaskForm):
    purposes = MultiCheckboxField(
        "I agree that KaushalSetu may use my profile to:",
        choices=as_choices(CONSENT_PURPOSES.items()),
    )
    submit = SubmitField("I agree")


class WithdrawConsentForm(FlaskForm):
    submit = SubmitField("Withdraw my consent")


class DescribeWorkForm(FlaskForm):
    profile_text = TextAreaField(
        "Describe your work",
        description="The machines, jobs and tools you have worked with, in your own words.",
        render_kw={"rows": 4},
    )
    submit = SubmitField("Save and suggest skills")


class SuggestedSkillsForm(FlaskForm):
    """Skills suggested from the worker's own description; ticked ones are added."""

    uris = MultiCheckboxField("Add these skills", choices=[], validate_choice=False)
    submit = SubmitField("Add ticked skills")
