"""Page forms for institutions. They carry CSRF and render the inputs; the rules live in the
marshmallow input schemas, which the views load the submitted values through (form_payload)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

from app.forms import as_choices
from app.institutions.models import CourseMode, EnrolmentStatus
from app.outcomes.models import EmploymentType, Verification

NUMBER = {"type": "number", "min": "0"}
DATE = {"type": "date"}
MODE_LABELS = {
    CourseMode.classroom: "Classroom",
    CourseMode.online: "Online",
    CourseMode.blended: "Blended",
    CourseMode.on_the_job: "On the job",
}
VERIFICATION_LABELS = {
    Verification.none: "Not verified",
    Verification.appointment_letter: "Appointment letter",
    Verification.salary_slip: "Salary slip",
    Verification.bank_credit: "Bank credit",
}


class CourseForm(FlaskForm):
    institution = SelectField("Institution", choices=[], validate_choice=False)
    title = StringField("Title")
    qp_code = StringField("Qualification Pack (QP) code", description="e.g. ASC/Q3502")
    nsqf_level = StringField("NSQF level", render_kw={"type": "number", "min": "1", "max": "10"})
    hours = StringField("Hours", render_kw={"type": "number", "min": "1"})
    duration_months = StringField("Duration (months)", render_kw={"type": "number", "min": "1"})
    fee_inr = StringField("Fee (₹)", default="0", render_kw=NUMBER)
    mode = SelectField(
        "Mode",
        choices=as_choices((mode.value, label) for mode, label in MODE_LABELS.items()),
        default=CourseMode.classroom.value,
    )
    max_batch_size = StringField("Largest batch", render_kw={"type": "number", "min": "1"})
    women_only = BooleanField("Women only")
    residential = BooleanField("Residential")
    syllabus = TextAreaField("Syllabus", render_kw={"rows": 6})
    skills = TextAreaField(
        "Skills taught (one skill URI per line)",
        render_kw={"rows": 5, "class": "font-monospace small"},
        description="Find skills by name below and tick them to add them.",
    )
    skill_query = StringField("Find skills by name")
    find = SubmitField("Find skills")
    suggest = SubmitField("Suggest skills from the syllabus")
    submit = SubmitField("Save course")


class BatchForm(FlaskForm):
    course = SelectField("Course", choices=[], validate_choice=False)
    start_date = StringField("Start date", render_kw=DATE)
    seats = StringField("Seats", render_kw={"type": "number", "min": "1"})
    district = StringField("District")
    submit = SubmitField("Plan batch")


class EnrolForm(FlaskForm):
    worker = StringField("Worker id", description="The worker's id, e.g. W0042.")
    enrolled_on = StringField("Enrolled on", render_kw=DATE)
    submit = SubmitField("Enrol")


class ConfirmForm(FlaskForm):
    """A button that changes something: carries the CSRF token and nothing else."""


class ProgressForm(FlaskForm):
    """One enrolment's next step: complete, drop out or certify, on a day."""

    action = HiddenField()
    on = StringField("On", render_kw=DATE)


ENROLMENT_ACTIONS = {
    "complete": {"status": EnrolmentStatus.completed.value, "date_field": "completed_on"},
    "drop": {"status": EnrolmentStatus.dropped.value, "date_field": None},
    "certify": {"status": None, "date_field": "certified_on"},
}


class PlacementForm(FlaskForm):
    worker = StringField("Worker id", render_kw={"list": "enrolled-workers"})
    employment_type = SelectField(
        "Employment",
        choices=as_choices(
            [
                (EmploymentType.wage.value, "Wage job"),
                (EmploymentType.self_employment.value, "Self-employed"),
            ]
        ),
        default=EmploymentType.wage.value,
    )
    employer = SelectField("Employer", choices=[], validate_choice=False)
    posting = StringField("Posting id (optional)")
    placed_on = StringField("Placed on", render_kw=DATE)
    monthly_wage_inr = StringField("Monthly wage (₹)", render_kw=NUMBER)
    verification = SelectField(
        "Evidence of placement",
        choices=as_choices((kind.value, label) for kind, label in VERIFICATION_LABELS.items()),
        default=Verification.none.value,
    )
    verified_on = StringField("Verified on", render_kw=DATE)
    submit = SubmitField("Record placement")


class RetentionCheckForm(FlaskForm):
    months = SelectField(
        "After", choices=as_choices([("3", "3 months"), ("6", "6 months"), ("12", "12 months")])
    )
    employed = BooleanField("Still employed")
    appointment_letter = BooleanField("Appointment letter")
    salary_slip = BooleanField("Salary slip")
    bank_credit = BooleanField("Bank credit")
    verified_on = StringField("Verified on", render_kw=DATE)
    verified_by = StringField("Verified by")
    submit = SubmitField("Save check")
