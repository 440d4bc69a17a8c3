"""Page forms for institutions. They carry CSRF and render the inputs; the rules live in the
marshmallow input schemas, which the views load the submitted values through (form_payload)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Optional

from app.forms import DISTRICT_INPUT, MultiCheckboxField, PageForm, as_choices
from app.institutions.models import CourseMode, EnrolmentStatus
from app.institutions.schemas import BatchIn, CourseIn, EnrolmentIn, ModuleIn
from app.placements.models import EmploymentType, Verification
from app.placements.schemas import PlacementIn
from app.placements.services import RETENTION_MONTHS
from app.vocabulary import COURSE_MODE_LABELS as MODE_LABELS
from app.vocabulary import ENROLMENT_STATUS_LABELS, VERIFICATION_LABELS, YES_NO

NUMBER = {"type": "number", "min": "0"}
DATE = {"type": "date"}


class CourseForm(PageForm):
    input_schema = CourseIn
    required_fields = ("institution",)  # an administrator adding a course chooses whose

    institution = SelectField(_l("Institution"), choices=[], validate_choice=False)
    title = StringField(_l("Title"))
    qp_code = StringField(_l("Qualification Pack (QP) code"), description=_l("e.g. ASC/Q3502"))
    nsqf_level = StringField(
        _l("NSQF level"), render_kw={"type": "number", "min": "1", "max": "10"}
    )
    hours = StringField(_l("Hours"), render_kw={"type": "number", "min": "1"})
    duration_months = StringField(_l("Duration (months)"), render_kw={"type": "number", "min": "1"})
    fee_inr = StringField(_l("Fee (₹)"), default="0", render_kw=NUMBER)
    mode = SelectField(
        _l("Mode"),
        choices=as_choices(MODE_LABELS.items()),
        default=CourseMode.classroom.value,
    )
    max_batch_size = StringField(_l("Largest batch"), render_kw={"type": "number", "min": "1"})
    women_only = BooleanField(_l("Women only"))
    residential = BooleanField(_l("Residential"))
    syllabus = TextAreaField(_l("Syllabus"), render_kw={"rows": 6})
    # Skills typed by URI or exact name (the picker's chips post `skill`, its ticks `add_skill`).
    skills = TextAreaField(
        _l("Skill URIs or exact names, one per line"),
        render_kw={"rows": 3},
        description=_l("They join the skills taught when you save or search."),
    )
    skill_query = StringField(_l("Find skills by name"))
    find = SubmitField(_l("Find skills"))
    suggest = SubmitField(_l("Suggest skills from the syllabus"))
    submit = SubmitField(_l("Save course"))


class ModuleForm(PageForm):
    """A module of a course: its skills are ticked among the course's own."""

    input_schema = ModuleIn

    title = StringField(_l("Title"))
    hours = StringField(_l("Hours"), render_kw={"type": "number", "min": "1"})
    is_bridge = BooleanField(
        _l("Bridge module"),
        description=_l("Taken on its own by workers who lack only the skills it teaches."),
    )
    skills = MultiCheckboxField(_l("Skills it teaches"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Save module"))


class BatchForm(PageForm):
    input_schema = BatchIn

    course = SelectField(_l("Course"), choices=[], validate_choice=False)
    start_date = StringField(_l("Start date"), render_kw=DATE)
    seats = StringField(_l("Seats"), render_kw={"type": "number", "min": "1"})
    district = StringField(_l("District"), render_kw=DISTRICT_INPUT)
    submit = SubmitField(_l("Plan batch"))


class EnrolForm(PageForm):
    input_schema = EnrolmentIn

    worker = StringField(_l("Worker id"), description=_l("The worker's id, e.g. W0042."))
    enrolled_on = StringField(_l("Enrolled on"), render_kw=DATE)
    submit = SubmitField(_l("Enrol"))


class ConfirmForm(FlaskForm):
    """A button that changes something: carries the CSRF token and nothing else."""


class ProgressForm(FlaskForm):
    """One enrolment's next step: complete, drop out or certify, on a day."""

    action = HiddenField()
    on = StringField(_l("On"), render_kw=DATE)


ENROLMENT_ACTIONS = {
    "complete": {"status": EnrolmentStatus.completed.value, "date_field": "completed_on"},
    "drop": {"status": EnrolmentStatus.dropped.value, "date_field": None},
    "certify": {"status": None, "date_field": "certified_on"},
}


class PlacementForm(PageForm):
    input_schema = PlacementIn

    worker = StringField(_l("Worker id"), render_kw={"list": "enrolled-workers"})
    employment_type = SelectField(
        _l("Employment"),
        choices=as_choices(
            [
                (EmploymentType.wage.value, _l("Wage job")),
                (EmploymentType.self_employment.value, _l("Self-employed")),
            ]
        ),
        default=EmploymentType.wage.value,
    )
    employer = SelectField(_l("Employer"), choices=[], validate_choice=False)
    posting = StringField(_l("Posting id (optional)"))
    placed_on = StringField(_l("Placed on"), render_kw=DATE)
    monthly_wage_inr = StringField(_l("Monthly wage (₹)"), render_kw=NUMBER)
    verification = SelectField(
        _l("Evidence of placement"),
        choices=as_choices(VERIFICATION_LABELS.items()),
        default=Verification.none.value,
    )
    verified_on = StringField(_l("Verified on"), render_kw=DATE)
    submit = SubmitField(_l("Record placement"))


class RetentionCheckForm(FlaskForm):
    months = SelectField(
        _l("After"),
        choices=as_choices(
            [
                (str(n), lazy_ngettext("%(num)s month", "%(num)s months", n))
                for n in RETENTION_MONTHS
            ]
        ),
    )
    # Asked, never defaulted: an untouched box would record "no longer employed", which the
    # retention figures count against the institution and the worker's course.
    employed = RadioField(
        _l("Still employed"),
        choices=as_choices([("y", YES_NO[True]), ("n", YES_NO[False])]),
        validators=[Optional()],
        render_kw={"required": True},
    )
    appointment_letter = BooleanField(_l("Appointment letter"))
    salary_slip = BooleanField(_l("Salary slip"))
    bank_credit = BooleanField(_l("Bank credit"))
    verified_on = StringField(_l("Verified on"), render_kw=DATE)
    verified_by = StringField(_l("Verified by"))
    submit = SubmitField(_l("Save check"))


class EnrolmentCorrectionForm(FlaskForm):
    """Correct an enrolment's progress: status, dates, certificate (a changed record is audited)."""

    status = SelectField(_l("Status"), choices=as_choices(ENROLMENT_STATUS_LABELS.items()))
    enrolled_on = StringField(_l("Enrolled on"), render_kw=DATE)
    completed_on = StringField(_l("Completed on"), render_kw=DATE)
    certified = BooleanField(_l("Certified"))
    certified_on = StringField(_l("Certified on"), render_kw=DATE)
    submit = SubmitField(_l("Save the correction"))


class PlacementCorrectionForm(FlaskForm):
    """Correct a placement: employer, dates, wage, evidence (a changed record is audited)."""

    employment_type = PlacementForm.employment_type
    employer = SelectField(_l("Employer"), choices=[], validate_choice=False)
    posting = StringField(_l("Posting id (optional)"))
    placed_on = StringField(_l("Placed on"), render_kw=DATE)
    monthly_wage_inr = StringField(_l("Monthly wage (₹)"), render_kw=NUMBER)
    ended_on = StringField(_l("Ended on"), render_kw=DATE)
    verification = PlacementForm.verification
    verified_on = StringField(_l("Verified on"), render_kw=DATE)
    submit = SubmitField(_l("Save the correction"))
