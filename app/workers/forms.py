"""Page forms for workers. They carry CSRF and render the inputs; the rules live in the marshmallow
input schemas (app/workers/schemas.py), which the views load the submitted values through."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

from app.forms import DISTRICT_INPUT, STATE_INPUT, MultiCheckboxField, PageForm, as_choices
from app.i18n import current_language
from app.places import place_label
from app.privacy.notice import purposes_in
from app.vocabulary import (
    EDUCATION_LABELS,
    GENDER_LABELS,
    SOCIAL_CATEGORY_LABELS,
    YES_NO,
    spoken_languages,
)
from app.workers.models import Education, Gender
from app.workers.schemas import WorkerIn, WorkerPatch
from app.workers.services import CONSENT_PURPOSES

# What each level means, said once on the skills page.
PROFICIENCY_CHOICES = [
    ("1", _l("1 · basic: can do it with help")),
    ("2", _l("2 · working: can do it alone on routine work")),
    ("3", _l("3 · independent: handles problems and set-ups")),
    ("4", _l("4 · expert: can teach others")),
]
# The levels' names alone, for the level boxes: a whole meaning was cut off in a box at 390 px.
PROFICIENCY_NAMES = [
    ("1", _l("1 · basic")),
    ("2", _l("2 · working")),
    ("3", _l("3 · independent")),
    ("4", _l("4 · expert")),
]
# Short names of the consent purposes, for staff pages (the worker reads the whole sentence).
# Who recorded a consent for the worker (`given_by` is "self", "<role>:<id>", "import" or "seed").


def choice_field(label, pairs, **kwargs) -> SelectField:
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
        # Registration asks it once, as a purpose of the consent (one control, not two).
        **(
            {"visible_to_employers": bool(form.visible_to_employers.data)}
            if "visible_to_employers" in form
            else {}
        ),
        "social_category": form.social_category.data or None,
        "disability": disability,
        "profile_text": form.profile_text.data or "",
    }


class WorkerProfileForm(PageForm):
    input_schema = WorkerIn

    name = StringField(_l("Name"))
    gender = choice_field(_l("Gender"), [(g.value, GENDER_LABELS[g.value]) for g in Gender])
    date_of_birth = StringField(_l("Date of birth"), render_kw={"type": "date"})
    district = StringField(_l("District"), render_kw=DISTRICT_INPUT)
    state = StringField(_l("State"), render_kw=STATE_INPUT)
    education = choice_field(
        _l("Education"),
        [("", "—")] + [(e.value, EDUCATION_LABELS.get(e.value, e.value)) for e in Education],
    )
    languages = StringField(_l("Languages"), description=_l("Separate with commas: Marathi, Hindi"))
    phone = StringField(
        _l("Mobile number"),
        description=_l("10 digits, e.g. 9876543210"),
        render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "tel"},
    )
    email = StringField(_l("Email"), render_kw={"type": "email"})
    visible_to_employers = BooleanField(
        _l("Employers may see my profile (name, district, age band, education, languages, skills)")
    )
    social_category = choice_field(
        _l("Social category (optional, never shown to employers)"),
        [("", _l("Prefer not to say")), *SOCIAL_CATEGORY_LABELS.items()],
    )
    disability = choice_field(
        _l("Disability (optional, never shown to employers)"),
        [("", _l("Prefer not to say")), ("yes", YES_NO[True]), ("no", YES_NO[False])],
    )
    profile_text = TextAreaField(
        _l("Describe your work"),
        description=_l("The machines, jobs and tools you have worked with, in your own words."),
        render_kw={"rows": 5},
    )
    submit = SubmitField(_l("Save profile"))

    def fill_from(self, worker) -> None:
        """Show the stored values when the page is first opened."""
        self.name.data = worker.name
        self.gender.data = worker.gender.value
        self.date_of_birth.data = worker.date_of_birth.isoformat()
        # Shown in the page's language as the profile shows them; saved back by their one name.
        self.district.data = place_label(worker.district)
        self.state.data = place_label(worker.state)
        self.education.data = worker.education.value if worker.education else ""
        self.languages.data = spoken_languages(worker.languages)
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

    q = StringField(_l("Find a skill"), render_kw={"placeholder": _l("e.g. TIG, CNC, 5S, welding")})


class SkillLevelForm(FlaskForm):
    """Add a skill at a level, or change the level of one held (the same fields)."""

    uri = HiddenField()
    proficiency = choice_field(_l("Level"), PROFICIENCY_CHOICES, default="2")


class SkillRemoveForm(FlaskForm):
    uri = HiddenField()


class ConsentForm(FlaskForm):
    purposes = MultiCheckboxField(
        _l("I agree that KaushalSetu may use my profile to:"),
        choices=as_choices(CONSENT_PURPOSES.items()),
    )
    submit = SubmitField(_l("I agree"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The purposes in the notice's own words, in the page's language (same keys in each).
        self.purposes.choices = as_choices(purposes_in(current_language()).items())


class WithdrawConsentForm(FlaskForm):
    submit = SubmitField(_l("Withdraw my consent"))


class DescribeWorkForm(PageForm):
    input_schema = WorkerPatch  # where the description's limit lives

    profile_text = TextAreaField(
        _l("Describe your work"),
        description=_l("The machines, jobs and tools you have worked with, in your own words."),
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("Save and suggest skills"))


class SuggestedSkillsForm(FlaskForm):
    """Skills suggested from the worker's own description; ticked ones are added."""

    uris = MultiCheckboxField(_l("Add these skills"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Add ticked skills"))
