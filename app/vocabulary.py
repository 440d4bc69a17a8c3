"""What people read for the codes the database stores (a gender, a shift, a status, a purpose).

One place, so a form's options, a list's badge, a worker's own data page and a staff page name a
value the same way in every language. Keyed by the stored string (an enum's ``.value``): look up
``MAP.get(member.value, member.value)`` and an unknown code shows as itself rather than failing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from babel import Locale
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.i18n import LANGUAGES

GENDER_LABELS = {"female": _l("Female"), "male": _l("Male"), "transgender": _l("Transgender")}
EDUCATION_LABELS = {
    "none": _l("No schooling"),
    "primary": _l("Primary"),
    "secondary": _l("Secondary (10th)"),
    "higher_secondary": _l("Higher secondary (12th)"),
    "iti": _l("ITI"),
    "diploma": _l("Diploma"),
    "graduate": _l("Graduate"),
    "postgraduate": _l("Postgraduate"),
}
SOCIAL_CATEGORY_LABELS = {"sc": "SC", "st": "ST", "obc": "OBC", "general": _l("General")}
SKILL_SOURCE_LABELS = {
    "self_declared": _l("self-declared"),
    "assessed": _l("assessed"),
    "certified": _l("certified"),
}
AGE_BAND_LABELS = {"under 18": _l("under 18")}
# Short names of the consent purposes, for staff pages and lists (the worker reads the sentence).
PURPOSE_NAMES = {
    "matching": _l("matching"),
    "share_with_employers": _l("shown to employers"),
    "training_referrals": _l("training offers"),
    "outcome_tracking": _l("follow-up of outcomes"),
}
# Who recorded a consent for the worker (`given_by` is "self", "<role>:<id>", "import" or "seed").
GIVEN_BY_LABELS = {
    "self": _l("you"),
    "institution": _l("your institution"),
    "admin": _l("an administrator"),
    "employer": _l("an employer"),
    "import": _l("a data import"),
    "seed": _l("the demo data"),
}
ROLE_LABELS = {
    "worker": _l("worker"),
    "employer": _l("employer"),
    "institution": _l("institution"),
    "admin": _l("administrator"),
}
YES_NO = {True: _l("Yes"), False: _l("No")}
# The languages a worker speaks are stored by their English names (the import format's words).
SPOKEN_LANGUAGE_LABELS = {
    "Marathi": _l("Marathi"),
    "Hindi": _l("Hindi"),
    "English": _l("English"),
    "Kannada": _l("Kannada"),
    "Telugu": _l("Telugu"),
    "Tamil": _l("Tamil"),
    "Gujarati": _l("Gujarati"),
    "Bengali": _l("Bengali"),
    "Urdu": _l("Urdu"),
    "Odia": _l("Odia"),
}

# Sectors are written freely by organisations; the cluster's usual ones are named per language.
SECTOR_LABELS = {
    "auto components": _l("auto components"),
    "auto electricals": _l("auto electricals"),
    "battery recycling": _l("battery recycling"),
    "die casting": _l("die casting"),
    "e-waste recycling": _l("e-waste recycling"),
    "fabrication": _l("fabrication"),
    "food processing": _l("food processing"),
    "forging": _l("forging"),
    "foundry": _l("foundry"),
    "gears and transmissions": _l("gears and transmissions"),
    "heat treatment": _l("heat treatment"),
    "higher education": _l("higher education"),
    "industrial automation": _l("industrial automation"),
    "leather": _l("leather"),
    "machining": _l("machining"),
    "metal processing": _l("metal processing"),
    "plastics moulding": _l("plastics moulding"),
    "sheet metal and pressings": _l("sheet metal and pressings"),
    "skill training": _l("skill training"),
    "surface treatment": _l("surface treatment"),
    "sustainability services": _l("sustainability services"),
    "technical education": _l("technical education"),
    "textiles": _l("textiles"),
    "tubes and profiles": _l("tubes and profiles"),
    "vocational training": _l("vocational training"),
}

SHIFT_LABELS = {
    "general": _l("General shift"),
    "day": _l("Day shift"),
    "night": _l("Night shift"),
    "rotating": _l("Rotating shift"),
}
POSTING_STATUS_LABELS = {"open": _l("Open"), "filled": _l("Filled"), "closed": _l("Closed")}
APPLICATION_STATUS_LABELS = {
    "invited": _l("Invited"),
    "applied": _l("Applied"),
    "shortlisted": _l("Shortlisted"),
    "interview": _l("Interview"),
    "offered": _l("Offered"),
    "hired": _l("Hired"),
    "rejected": _l("Not selected"),
    "withdrawn": _l("Withdrawn"),
    "declined": _l("Declined"),
    "closed": _l("Closed"),
}
# Who moved an application a step, as the worker's own data names them.
APPLICATION_ACTOR_LABELS = {
    "worker": _l("you"),
    "employer": _l("the employer"),
    "system": _l("KaushalSetu"),
}
COURSE_MODE_LABELS = {
    "classroom": _l("Classroom"),
    "online": _l("Online"),
    "blended": _l("Blended"),
    "on_the_job": _l("On the job"),
}
ENROLMENT_STATUS_LABELS = {
    "enrolled": _l("enrolled"),
    "completed": _l("completed"),
    "dropped": _l("dropped out"),
    "cancelled": _l("cancelled"),
}
VERIFICATION_LABELS = {
    "none": _l("Not verified"),
    "appointment_letter": _l("Appointment letter"),
    "salary_slip": _l("Salary slip"),
    "bank_credit": _l("Bank credit"),
}
EMPLOYMENT_TYPE_LABELS = {"wage": _l("wage job"), "self": _l("self-employment")}
GRIEVANCE_STATUS_LABELS = {
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "resolved": _l("Resolved"),
    "rejected": _l("Rejected"),
}
GUARDIAN_RELATION_LABELS = {
    "mother": _l("Mother"),
    "father": _l("Father"),
    "guardian": _l("Guardian"),
}

# What an organisation is (its kind), as the cluster overview names it.
ORGANISATION_KIND_LABELS = {"employer": _l("Employer"), "institution": _l("Institution")}
# An employer's place in the supply chain (tier) and an institution's type, as organisations are
# imported; the cluster overview names them.
# An employer's size under the MSME Act.
MSME_SIZE_LABELS = {
    "micro": _l("Micro"),
    "small": _l("Small"),
    "medium": _l("Medium"),
    "large": _l("Large"),
}
ORGANISATION_TYPE_LABELS = {
    "tier1": _l("Tier 1 supplier"),
    "tier2": _l("Tier 2 supplier"),
    "tier3": _l("Tier 3 supplier"),
    "iti": _l("ITI"),
    "polytechnic": _l("Polytechnic"),
    "training_partner": _l("Training partner"),
    "university": _l("University"),
}
# What an audit event records (its action) and the kind of record it names (its object_type).
AUDIT_ACTION_LABELS = {
    "access_denied": _l("Access refused"),
    "login": _l("Login"),
    "password_changed": _l("Password changed"),
    "password_reset": _l("Password reset"),
    "password_reset_code_issued": _l("Password reset code issued"),
    "password_reset_code_sent": _l("Password reset code sent"),
    "sessions_ended": _l("Logged out everywhere"),
    "user_disabled": _l("Account disabled"),
    "user_enabled": _l("Account let in again"),
    "user_created": _l("Account created"),
    "organisation_created": _l("Organisation added"),
    "organisation_updated": _l("Organisation corrected"),
    "applications_closed": _l("Applications ended with their posting"),
    "token_issued": _l("API token issued"),
    "fair_use_lifted": _l("Fair-use limits lifted"),
    "fair_use_restored": _l("Fair-use limits restored"),
    "import": _l("Data imported"),
    "enrolment_cancelled": _l("Enrolment cancelled"),
    "record_corrected": _l("Record corrected"),
    "outcomes_viewed": _l("Outcomes viewed"),
    "outcomes_exported": _l("Outcomes exported"),
    "worker_history_viewed": _l("Worker's history viewed"),
    "personal_data_view": _l("Personal data viewed"),
    "personal_data_export": _l("Personal data exported"),
    "personal_data_exported": _l("Personal data exported"),
    "personal_data_erased": _l("Personal data erased"),
    "consent_given": _l("Consent given"),
    "consent_withdrawn": _l("Consent withdrawn"),
    "guardian_consent_recorded": _l("Guardian's consent recorded"),
    "guardian_consent_verified": _l("Guardian's consent verified"),
    "grievance_filed": _l("Grievance raised"),
    "grievance_updated": _l("Grievance updated"),
}
AUDIT_OUTCOME_LABELS = {"ok": _l("ok"), "refused": _l("refused")}
RECORD_TYPE_LABELS = {
    "worker": ROLE_LABELS["worker"],
    "user": _l("account"),
    "organisation": _l("organisation"),
    "posting": _l("job posting"),
    "application": _l("application"),
    "course": _l("course"),
    "batch": _l("batch"),
    "enrolment": _l("enrolment"),
    "placement": _l("placement"),
    "retention_check": _l("retention check"),
    "grievance": _l("grievance"),
    "import": _l("data import"),
    "outcome_report": _l("outcome report"),
}

# A worker's own records (the "My data" page): which names a field's codes take, per section.
RECORD_VALUE_LABELS: dict[tuple[str | None, str], dict] = {
    (None, "gender"): GENDER_LABELS,
    (None, "education"): EDUCATION_LABELS,
    (None, "social_category"): SOCIAL_CATEGORY_LABELS,
    (None, "purposes"): PURPOSE_NAMES,
    (None, "languages"): SPOKEN_LANGUAGE_LABELS,
    (None, "role"): ROLE_LABELS,
    (None, "relation"): GUARDIAN_RELATION_LABELS,
    (None, "employment_type"): EMPLOYMENT_TYPE_LABELS,
    (None, "verification"): VERIFICATION_LABELS,
    ("skills", "source"): SKILL_SOURCE_LABELS,
    ("enrolments", "status"): ENROLMENT_STATUS_LABELS,
    ("grievances", "status"): GRIEVANCE_STATUS_LABELS,
    ("applications", "status"): APPLICATION_STATUS_LABELS,
    ("application_steps", "to_status"): APPLICATION_STATUS_LABELS,
    ("application_steps", "by"): APPLICATION_ACTOR_LABELS,
}


def spoken_languages(names: Iterable[str] | None) -> str:
    """A worker's languages in the page's language, as one line ("मराठी, हिंदी")."""
    return ", ".join(label_of(SPOKEN_LANGUAGE_LABELS, name) for name in names or ())


def canonical_spoken_language(written: str) -> str:
    """The stored (English) name of a language however it was written, in any language the pages
    are in: "मराठी" and "marathi" are "Marathi", "हिंदी" and "हिन्दी" are "Hindi"; a language not
    in the list stays as written."""
    return _spoken_language_names().get(written.casefold(), written)


@cache
def _spoken_language_names() -> dict[str, str]:
    """Every name of each listed language, in each language the pages are in, to its code."""
    names = {}
    for code, label in SPOKEN_LANGUAGE_LABELS.items():
        names[code.casefold()] = code
        for locale in LANGUAGES:
            with force_locale(locale):
                names[str(label).casefold()] = code
    for locale, own_name in LANGUAGES.items():  # "हिन्दी", as the language picker writes it
        names[own_name.casefold()] = Locale.parse(locale).get_display_name("en")
    return names


def label_of(labels: dict, value: Any) -> Any:
    """The readable name of one stored code (an enum member or its string); unknown codes as is."""
    code = getattr(value, "value", value)
    label = labels.get(code) if isinstance(code, str | bool) else None
    return code if label is None else str(label)


def sector_label(sector: str | None) -> str:
    """A sector as written by its organisation, in the reader's language where it is a usual one."""
    if not sector:
        return ""
    label = SECTOR_LABELS.get(" ".join(sector.casefold().split()))
    return sector if label is None else str(label)


def record_value(section: str | None, field: str, value: Any) -> Any:
    """A value of a worker's own record as they read it: codes named, lists of codes each named."""
    labels = RECORD_VALUE_LABELS.get((section, field)) or RECORD_VALUE_LABELS.get((None, field))
    if field == "given_by" and isinstance(value, str):
        labels = GIVEN_BY_LABELS
        value = value.split(":", 1)[0]
    if labels is None:
        return value
    if isinstance(value, list | tuple):
        return [label_of(labels, item) for item in value]
    return label_of(labels, value)


# The fields of the enrolment, placement and retention records, as a person reads their names:
# the worker's "My data" and the institution's list of corrections show the same words.
RECORD_FIELD_LABELS = {
    "batch": _l("Batch"),
    "status": _l("Status"),
    "enrolled_on": _l("Enrolled on"),
    "completed_on": _l("Completed on"),
    "certified": _l("Certified"),
    "certified_on": _l("Certified on"),
    "notes": _l("Notes"),
    "employer": _l("Employer"),
    "posting": _l("Posting"),
    "placed_on": _l("Placed on"),
    "monthly_wage_inr": _l("Monthly wage (₹)"),
    "employment_type": _l("Type of work"),
    "ended_on": _l("Ended on"),
    "verification": _l("Evidence of placement"),
    "verified_on": _l("Verified on"),
    "verified_by": _l("Verified by"),
    "employed": _l("Still employed"),
    "appointment_letter": _l("Appointment letter"),
    "salary_slip": _l("Salary slip"),
    "bank_credit": _l("Bank credit"),
}
