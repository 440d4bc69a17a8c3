"""Pages for personal data: the notice (in the page's language, the others one tap away),
self-registration with consent, a worker's data download, erasure and grievances, guardian
consent for minors, and the administrators' grievance desk."""

from __future__ import annotations

from datetime import date, datetime

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from marshmallow import ValidationError

from app import transactions
from app.auth import policy
from app.auth.access import own_worker, require, role_required
from app.auth.models import Role
from app.auth.services import create_user, logins_taken, password_problems, record_login
from app.common import get_by_external_id
from app.errors import ValidationFailed
from app.extensions import db
from app.forms import form_payload, message_text, refusals_on, show_errors, warn_district_slip
from app.i18n import N_, current_language, format_day, format_moment
from app.places import place_label
from app.privacy import services
from app.privacy.forms import (
    ERASE_CONFIRMATION,
    ERASE_WORD,
    ErasureForm,
    GrievanceForm,
    GrievanceUpdateForm,
    GuardianConsentForm,
    RegistrationForm,
    VerifyGuardianForm,
)
from app.privacy.models import Grievance, GrievanceStatus
from app.privacy.notice import LANGUAGES, NOTICE_VERSION, notice, notice_language
from app.privacy.schemas import GuardianConsentIn
from app.vocabulary import (
    GRIEVANCE_STATUS_LABELS,
    GUARDIAN_RELATION_LABELS,
    RECORD_FIELD_LABELS,
    record_value,
)
from app.workers.forms import worker_form_data
from app.workers.models import Worker
from app.workers.schemas import WorkerIn
from app.workers.services import SHARE_PURPOSE, consent_values
from app.workers.views import profile_page

bp = Blueprint("privacy", __name__)

# Names of the sections and fields of services.personal_data as the "My data" page shows them;
# the downloads keep the keys. A key missing here is shown as it is, with spaces.
DATA_LABELS = {
    **RECORD_FIELD_LABELS,
    "worker": _l("Profile"),
    "skills": _l("Skills"),
    "consents": _l("Consents"),
    "guardian_consents": _l("Guardian consents"),
    "enrolments": _l("Enrolments"),
    "placements": _l("Placements"),
    "retention_checks": _l("Retention checks"),
    "grievances": _l("Grievances"),
    "applications": _l("Job applications"),
    "application_steps": _l("Steps of your applications"),
    "notices": _l("Messages to you"),
    "accounts": _l("Logins"),
    "external_id": _l("Id"),
    "id": _l("Id"),
    "name": _l("Name"),
    "gender": _l("Gender"),
    "date_of_birth": _l("Date of birth"),
    "district": _l("District"),
    "state": _l("State"),
    "education": _l("Education"),
    "languages": _l("Languages"),
    "phone": _l("Mobile number"),
    "email": _l("Email"),
    "visible_to_employers": _l("Visible to employers"),
    "social_category": _l("Social category"),
    "disability": _l("Disability"),
    "profile_text": _l("Description of your work"),
    "created_at": _l("Created"),
    "updated_at": _l("Updated"),
    "erased_at": _l("Erased"),
    "uri": _l("ESCO address"),
    "label": _l("Skill"),
    "proficiency": _l("Level"),
    "source": _l("Source"),
    "notice_version": _l("Notice version"),
    "purposes": _l("Purposes"),
    "given_at": _l("Given"),
    "given_by": _l("Given by"),
    "withdrawn_at": _l("Withdrawn on"),
    "guardian_name": _l("Parent's or guardian's name"),
    "relation": _l("Relation"),
    "given_on": _l("Given on"),
    "recorded_at": _l("Recorded"),
    "verified": _l("Verified"),
    "course": _l("Course"),
    "institution": _l("Institution"),
    "placement": _l("Placement"),
    "months": _l("Months"),
    "subject": _l("Subject"),
    "text": _l("Text"),
    "response": _l("Response"),
    "role": _l("Role"),
    "active": _l("Active"),
    "last_login_at": _l("Last log in"),
    "job": _l("Job"),
    "note": _l("Note"),
    "interview_on": _l("Interview day"),
    "interview_place": _l("Place"),
    "offered_wage_inr": _l("Offered wage (₹ a month)"),
    "application": _l("Application"),
    "at": _l("When"),
    "to_status": _l("Step"),
    "by": _l("By"),
    "read_at": _l("Read"),
}


def notices() -> list[dict]:
    """The notice in every language, the page's language first: pages show that one and keep the
    others one tap away."""
    shown = notice_language(current_language())
    return [notice(shown)] + [notice(language) for language in LANGUAGES if language != shown]


@bp.get("/privacy/notice")
def notice_page():
    """The itemised notice, public: anyone can read it before giving any data."""
    return render_template("privacy/notice.html", notices=notices())


# --- Registration: the notice first, and no profile without consent ----------------------------


@bp.route("/worker/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        created = create_registration(form)
        if created is not None:
            session.clear()
            record_login(created)
            login_user(created, remember=False)
            flash(_("Your profile is created and your consent recorded. Welcome!"), "success")
            warn_district_slip(created.worker.district, created.worker.state)
            return redirect(url_for("workers.profile"))
    return render_template("privacy/register.html", form=form, notices=notices())


def create_registration(form: RegistrationForm):
    """Worker, consent and login in one unit of work; any problem leaves nothing behind."""

    try:
        data = WorkerIn().load(worker_form_data(form))
    except ValidationError as exc:
        # Everything wrong is said at once: the consent's and the password's rules are asked
        # too (they write nothing), not only after the profile's fields are right.
        show_errors(form, {**exc.messages, **registration_problems(form)})
        ask_password_again(form)
        return None
    try:
        data["visible_to_employers"] = SHARE_PURPOSE in (form.purposes.data or [])
        worker = services.create_worker_with_consent(
            data,
            notice_version=NOTICE_VERSION,
            purposes=form.purposes.data or [],
            given_by="self",
        )
        user = create_user(
            email=data.get("email"),
            phone=data.get("phone"),
            password=form.password.data or "",
            role=Role.worker,
            worker=worker,
        )
    except ValidationFailed as exc:
        transactions.discard()
        errors = {key.removeprefix("consent."): value for key, value in exc.errors.items()}
        if "notice_version" in errors:
            errors["purposes"] = errors.pop("notice_version")
        show_errors(form, {**registration_problems(form), **errors})
        ask_password_again(form)
        return None
    services.record_privacy_event(
        "consent_given", worker, user, {"purposes": list(form.purposes.data or [])}
    )
    return user


ALREADY_REGISTERED = N_(
    "This already has an account: log in with it, or use “Forgot your password?” on the login page."
)


def registration_problems(form: RegistrationForm) -> dict[str, list[str]]:
    """The consent's and the password's errors of a registration, and a phone or email that
    already has an account, checked without writing: a walk was told of her phone only after
    fixing everything else, and retyping her password twice."""
    problems = password_problems(
        form.password.data or "", [form.email.data, form.phone.data, form.name.data]
    )
    for field in logins_taken(form.email.data, form.phone.data):
        problems[field] = [ALREADY_REGISTERED]
    try:
        consent_values(NOTICE_VERSION, form.purposes.data or [], "self")
    except ValidationFailed as exc:
        problems.update({key: value for key, value in exc.errors.items() if key == "purposes"})
    return problems


def ask_password_again(form: RegistrationForm) -> None:
    """A refused registration's page never sends the password back: say so where it was typed."""
    if form.password.data and not form.password.errors:
        form.password.errors = [_("Type your password again.")]


# --- A worker's own data: download, erasure --------------------------------------------------


def readable(section: str, field: str, value):
    """One value of the worker's own data as they read it: codes named, moments and days in the
    page's language (the download keeps the stored codes and ISO dates)."""
    if not isinstance(value, str):
        return record_value(section, field, value)
    if field.endswith("_at") or field == "at":
        return format_moment(datetime.fromisoformat(value))
    if field.endswith("_on") or field == "date_of_birth":
        return format_day(date.fromisoformat(value))
    if field in ("district", "state"):
        return place_label(value)
    if field == "notes":  # a note the app wrote (from a training plan) in the reader's words
        return message_text(value)
    return record_value(section, field, value)


@bp.get("/worker/my-data")
@role_required(Role.worker)
def my_data():
    worker = own_worker()
    return render_template(
        "privacy/my_data.html",
        worker=worker,
        data=services.personal_data(worker),
        labels=DATA_LABELS,
        readable=readable,
    )


@bp.get("/worker/my-data.<fmt>")
@role_required(Role.worker)
def my_data_download(fmt: str):
    worker = own_worker()
    if fmt not in ("json", "csv"):
        abort(404)
    data = services.personal_data(worker)
    services.record_privacy_event("personal_data_exported", worker, current_user, {"format": fmt})
    if fmt == "json":
        response = jsonify(data)
    else:
        # With a byte-order mark, so a spreadsheet reads Marathi and Hindi names right.
        response = Response("\ufeff" + services.personal_data_csv(data), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="kaushalsetu-{worker.external_id}.{fmt}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/worker/erase", methods=["GET", "POST"])
@role_required(Role.worker)
def erase():
    worker = own_worker()
    form = ErasureForm()
    if form.validate_on_submit():
        if (form.confirm.data or "").strip() not in {ERASE_CONFIRMATION, str(ERASE_WORD)}:
            form.confirm.errors = [_("Type %(word)s in capitals to confirm.", word=ERASE_WORD)]
        else:
            services.erase_worker(worker, current_user)
            logout_user()
            session.clear()
            flash(
                _(
                    "Your personal data is erased and your login closed. Training and placement "
                    "records are kept without your name for scheme audits."
                ),
                "info",
            )
            return redirect(url_for("main.index"))
    return render_template("privacy/erase.html", form=form, worker=worker)


# --- Guardian consent for minors -------------------------------------------------------------


@bp.post("/worker/guardian-consent")
@role_required(Role.worker)
def record_guardian_consent():
    worker = own_worker()
    form = GuardianConsentForm()
    if not form.validate_on_submit():
        abort(400, description=N_("The form expired; please try again."))
    with refusals_on(form) as saving:
        data = GuardianConsentIn().load(form_payload(form, GuardianConsentIn()))
        services.record_guardian_consent(
            worker, data["guardian_name"], data["relation"].value, data["given_on"], current_user
        )
    if not saving.done:  # said beside the boxes, with what was typed (a walk lost all three)
        return profile_page(worker, guardian_form=form), 422
    flash(
        _("Recorded. Your training institution will verify it with your parent or guardian."),
        "success",
    )
    return redirect(url_for("workers.profile"))


@bp.get("/institution/guardian-consents")
@role_required(Role.institution, Role.admin)
def guardian_consents():
    """Guardian consents of minors enrolled with this institution, unverified first."""
    return render_template(
        "privacy/guardian_consents.html",
        records=services.guardian_consents_for(current_user),
        verify_form=VerifyGuardianForm(),
        relations=GUARDIAN_RELATION_LABELS,
    )


@bp.post("/institution/guardian-consents/<worker_id>/verify")
@role_required(Role.institution, Role.admin)
def verify_guardian_consent(worker_id: str):
    worker = get_by_external_id(Worker, worker_id)
    require(policy.can_verify_guardian_consent(current_user, worker), "worker", worker_id)
    if not VerifyGuardianForm().validate_on_submit():
        abort(400, description=N_("The form expired; please try again."))
    record = services.latest_guardian_consent(worker)
    if record is None:
        abort(404, description=N_("No guardian consent is recorded for this worker."))
    services.verify_guardian_consent(record, current_user)
    flash(_("Guardian's consent verified."), "success")
    return redirect(url_for("privacy.guardian_consents"))


# --- Grievances ------------------------------------------------------------------------------


@bp.route("/worker/grievances", methods=["GET", "POST"])
@role_required(Role.worker)
def worker_grievances():
    worker = own_worker()
    form = GrievanceForm()
    if form.validate_on_submit():
        with refusals_on(form) as saving:
            services.file_grievance(worker, form.subject.data, form.text.data, current_user)
        if saving.done:
            flash(_("Your grievance is recorded. You can follow its status here."), "success")
            return redirect(url_for("privacy.worker_grievances"))
    rows = db.session.scalars(policy.grievances_visible_to(current_user)).all()
    return render_template(
        "privacy/grievances.html", form=form, grievances=rows, labels=GRIEVANCE_STATUS_LABELS
    )


@bp.get("/admin/grievances")
@role_required(Role.admin)
def admin_grievances():
    status = request.args.get("status", "")
    statement = policy.grievances_visible_to(current_user)
    if status in GRIEVANCE_STATUS_LABELS:
        statement = statement.where(Grievance.status == GrievanceStatus(status))
    return render_template(
        "privacy/admin_grievances.html",
        grievances=db.session.scalars(statement).all(),
        labels=GRIEVANCE_STATUS_LABELS,
        status=status,
    )


@bp.route("/admin/grievances/<external_id>", methods=["GET", "POST"])
@role_required(Role.admin)
def admin_grievance(external_id: str):
    grievance = get_by_external_id(Grievance, external_id)
    form = GrievanceUpdateForm()
    if request.method == "GET":
        form.status.data = grievance.status.value
        form.response.data = grievance.response
    elif form.validate_on_submit():
        with refusals_on(form) as saving:
            services.update_grievance(
                grievance, form.status.data, form.response.data or "", current_user
            )
        if saving.done:
            flash(_("Grievance updated."), "success")
            return redirect(url_for("privacy.admin_grievances"))
    return render_template(
        "privacy/admin_grievance.html",
        grievance=grievance,
        form=form,
        labels=GRIEVANCE_STATUS_LABELS,
    )
