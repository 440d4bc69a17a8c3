"""Pages of the workers domain: a worker's own profile, skills and consent; a worker's page for
institutions, admins and employers (employers see the public fields only)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from app import transactions
from app.applications import services as applications
from app.applications.forms import InviteForm
from app.audit.services import audit_personal_data_view
from app.auth import policy
from app.auth.access import own_worker, role_required, viewable_worker
from app.auth.forms import ResetCodeForm
from app.auth.models import ANY_ROLE, Role, User
from app.common import find_by_external_id
from app.employers.models import JobPosting
from app.employers.services import most_wanted_skills
from app.errors import ValidationFailed
from app.extensions import db
from app.forms import messages_text, refusal_errors, refusals_on, warn_district_slip
from app.i18n import current_language
from app.privacy import services as privacy
from app.privacy.forms import GuardianConsentForm
from app.privacy.models import GuardianConsent
from app.privacy.notice import purposes_in
from app.skills.labels import skill_label, skill_matches
from app.skills.linking import suggest_skills
from app.vocabulary import (
    AGE_BAND_LABELS,
    EDUCATION_LABELS,
    GENDER_LABELS,
    GIVEN_BY_LABELS,
    PURPOSE_NAMES,
    SOCIAL_CATEGORY_LABELS,
    YES_NO,
)
from app.vocabulary import SKILL_SOURCE_LABELS as SOURCE_LABELS
from app.workers import services
from app.workers.forms import (
    PROFICIENCY_CHOICES,
    PROFICIENCY_NAMES,
    ConsentForm,
    DescribeWorkForm,
    SkillLevelForm,
    SkillRemoveForm,
    SkillSearchForm,
    SuggestedSkillsForm,
    WithdrawConsentForm,
    WorkerProfileForm,
    worker_form_data,
)
from app.workers.models import SkillSource, Worker
from app.workers.schemas import WorkerOut, WorkerPatch, WorkerPublicOut, WorkerSkillIn

bp = Blueprint("workers", __name__)
SUGGESTION_COUNT = 10


@bp.context_processor
def display_labels() -> dict:
    """Display names of stored values (gender, education, skill source...) in the page's language."""
    return {
        "gender_labels": GENDER_LABELS,
        "education_labels": EDUCATION_LABELS,
        "social_category_labels": SOCIAL_CATEGORY_LABELS,
        "source_labels": SOURCE_LABELS,
        "age_band_labels": AGE_BAND_LABELS,
        "purpose_names": PURPOSE_NAMES,
        "given_by_labels": GIVEN_BY_LABELS,
        "yes_no": YES_NO,
    }


def held_skills(worker: Worker) -> list:
    return sorted(worker.skills, key=lambda row: row.skill.label.lower())


@bp.get("/worker/profile")
@role_required(Role.worker)
def profile():
    return profile_page(own_worker())


def consent_choices(worker: Worker) -> ConsentForm:
    """The consent form with the uses the worker agrees to now ticked, so one can be dropped
    and the rest kept (a walk found only "withdraw everything")."""
    consent = services.current_consent(worker)
    return ConsentForm(formdata=None, purposes=list(consent.purposes) if consent else [])


def profile_page(worker: Worker, guardian_form: GuardianConsentForm | None = None) -> str:
    """The worker's own profile; `guardian_form` is a refused guardian's consent, shown again
    with what was typed and its messages beside the boxes."""
    minor = policy.is_minor(worker)
    return render_template(
        "workers/profile.html",
        **display_labels(),  # also when another blueprint's view shows the page
        worker=worker,
        shown=WorkerOut().dump(worker),
        minor=minor,
        guardian_verified=minor and privacy.guardian_verified(worker),
        guardian_records=guardian_records(worker) if minor else [],
        guardian_form=guardian_form or GuardianConsentForm(formdata=None),
        visible_now=policy.is_visible_to_employers(worker),
        may_be_matched=policy.may_be_matched(worker),
        consent=services.current_consent(worker),
        consent_form=consent_choices(worker),
        withdraw_form=WithdrawConsentForm(),
        purposes=purposes_in(current_language()),
        notice_version=services.CONSENT_NOTICE_VERSION,
    )


def guardian_records(worker: Worker) -> list[GuardianConsent]:
    return list(
        db.session.scalars(
            select(GuardianConsent)
            .where(GuardianConsent.worker_id == worker.id)
            .order_by(GuardianConsent.id)
        )
    )


@bp.route("/worker/profile/edit", methods=["GET", "POST"])
@role_required(Role.worker)
def edit_profile():
    worker = own_worker()
    form = WorkerProfileForm()
    if request.method == "GET":
        form.fill_from(worker)
    elif form.validate_on_submit():
        with refusals_on(form) as saving:
            data = WorkerPatch().load(worker_form_data(form))
            share = data.pop("visible_to_employers", worker.visible_to_employers)
            services.update_worker(worker, data)
            services.follow_sharing_choice(worker, share)
        if saving.done:
            flash(_("Your profile is saved."), "success")
            warn_district_slip(worker.district, worker.state)
            return redirect(url_for("workers.profile"))
    return render_template("workers/edit.html", form=form, worker=worker)


@bp.get("/worker/skills")
@role_required(Role.worker)
def skills():
    return skills_page(own_worker())


def skills_page(worker: Worker, describe_form: DescribeWorkForm | None = None):
    """The worker's skills; `describe_form` is a refused description, shown again as typed with
    its message beside the box."""
    search_form = SkillSearchForm(request.args)
    query = (search_form.q.data or "").strip()
    results = skill_matches(query) if query else []
    # The level of each skill the worker holds: a search result they hold shows it, so saving
    # it does not quietly change it (a walk's "Add" set a level 3 skill to 2).
    held = {row.skill.uri: row.proficiency for row in worker.skills}
    suggestions, suggestion_problem = [], None
    processing_allowed = policy.may_be_matched(worker)
    if request.args.get("suggest") and worker.profile_text and processing_allowed:
        suggestions, suggestion_problem = skill_suggestions(worker)
    return render_template(
        "workers/skills.html",
        worker=worker,
        held=held_skills(worker),
        held_uris=held,
        search_form=search_form,
        query=query,
        results=results,
        common_skills=[] if query else most_wanted_skills(COMMON_SKILL_CHOICES),
        proficiency_choices=PROFICIENCY_NAMES,
        level_meanings=PROFICIENCY_CHOICES,
        default_proficiency=services.DEFAULT_PROFICIENCY,
        describe_form=describe_form or DescribeWorkForm(profile_text=worker.profile_text),
        suggestions=suggestions,
        suggestion_problem=suggestion_problem,
        asked_for_suggestions=bool(request.args.get("suggest")),
        processing_allowed=processing_allowed,
    )


# How many of the skills open postings ask for most the picker offers before any typing.
COMMON_SKILL_CHOICES = 12


def skill_suggestions(worker: Worker) -> tuple[list, str | None]:
    """Skills the linker finds in the worker's own description that they do not hold yet, and
    why there are none when the linker cannot run (an empty taxonomy)."""

    try:
        linked = suggest_skills(worker.profile_text, top_k=SUGGESTION_COUNT)
    except LookupError as exc:
        return [], _(str(exc))
    held = {row.skill.uri for row in worker.skills}
    return [item for item in linked if item.uri not in held], None


@bp.post("/worker/skills/describe")
@role_required(Role.worker)
def describe_work():
    """Save the worker's description of their work, then show the skills it suggests."""
    worker = own_worker()
    form = DescribeWorkForm()
    if not form.validate_on_submit():
        abort(400, description=_("The form expired; please try again."))
    if not (form.profile_text.data or "").strip():
        # Sent empty, most likely by a tap too soon: the description kept is not wiped out here
        # (the profile's edit form is where it can be cleared).
        form.profile_text.data = worker.profile_text
        form.profile_text.errors = [_("Write a few words about your work first.")]
        return skills_page(worker, describe_form=form), 422
    with refusals_on(form) as saving:
        data = WorkerPatch(partial=True).load({"profile_text": form.profile_text.data or ""})
        services.update_worker(worker, data)
    if not saving.done:  # beside the box, with the text kept (a walk lost 5,000 characters)
        return skills_page(worker, describe_form=form), 422
    return redirect(url_for("workers.skills", suggest=1, _anchor="suggestions"))


@bp.post("/worker/skills/suggested")
@role_required(Role.worker)
def add_suggested_skills():
    """Add the ticked suggestions as self-declared skills, each at the level shown beside it
    (the years of work the description states, else the working level)."""
    worker = own_worker()
    form = SuggestedSkillsForm()
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400, description=_("The form expired; please try again."))
    uris = [
        uri for uri in dict.fromkeys(form.uris.data or []) if not services.held_skill(worker, uri)
    ]
    try:
        for uri in uris:
            item = WorkerSkillIn().load(
                {
                    "uri": uri,
                    "proficiency": request.form.get(f"level:{uri}", services.DEFAULT_PROFICIENCY),
                }
            )
            services.add_worker_skill(worker, uri, item["proficiency"])
    except (ValidationError, ValidationFailed) as exc:
        transactions.discard()
        flash(messages_text(refusal_errors(exc)), "error")
        return redirect(url_for("workers.skills"))
    if uris:
        flash(
            ngettext(
                "Added %(num)s skill: check its level below.",
                "Added %(num)s skills: check their levels below.",
                len(uris),
            ),
            "success",
        )
    else:
        flash(_("No skills ticked."), "info")
    return redirect(url_for("workers.skills"))


@bp.post("/worker/skills/add")
@role_required(Role.worker)
def add_skill():
    """Add a skill, or change the level of a self-declared one (a worker's own word)."""
    worker = own_worker()
    form = SkillLevelForm()
    if not form.validate_on_submit():
        abort(400, description=_("The form expired; please try again."))
    try:
        item = WorkerSkillIn().load({"uri": form.uri.data, "proficiency": form.proficiency.data})
    except ValidationError as exc:
        flash(messages_text(exc.messages), "error")
        return redirect(url_for("workers.skills"))
    existing = services.held_skill(worker, item["uri"])
    if existing is not None and existing.source is not SkillSource.self_declared:
        skill = skill_label(existing.skill.uri, existing.skill.label)
        if existing.source is SkillSource.certified:
            message = _(
                "“%(skill)s” is certified; only your institution can change its level.", skill=skill
            )
        else:
            message = _(
                "“%(skill)s” is assessed; only your institution can change its level.", skill=skill
            )
        flash(message, "error")
        return redirect(url_for("workers.skills"))
    try:
        row = services.add_worker_skill(
            worker, item["uri"], item["proficiency"], SkillSource.self_declared
        )
    except ValidationFailed as exc:
        transactions.discard()
        flash(messages_text(exc.errors), "error")
        return redirect(url_for("workers.skills"))
    flash(
        _(
            "Saved: %(skill)s at level %(level)s.",
            skill=skill_label(row.skill.uri, row.skill.label),
            level=row.proficiency,
        ),
        "success",
    )
    return redirect(url_for("workers.skills"))


@bp.post("/worker/skills/remove")
@role_required(Role.worker)
def remove_skill():
    worker = own_worker()
    form = SkillRemoveForm()
    if not form.validate_on_submit():
        abort(400, description=_("The form expired; please try again."))
    row = services.held_skill(worker, form.uri.data or "")
    if row is None:
        flash(_("That skill is not on your profile."), "error")
        return redirect(url_for("workers.skills"))
    label = skill_label(row.skill.uri, row.skill.label)
    services.remove_worker_skill(worker, row.skill.uri)
    flash(_("Removed: %(skill)s.", skill=label), "success")
    return redirect(url_for("workers.skills"))


@bp.post("/worker/consent")
@role_required(Role.worker)
def give_consent():
    worker = own_worker()
    form = ConsentForm()
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400, description=_("The form expired; please try again."))
    try:
        purposes = form.purposes.data or []
        services.give_consent(worker, purposes)
    except ValidationFailed as exc:
        transactions.discard()
        flash(messages_text(exc.errors), "error")
    else:
        privacy.record_privacy_event(
            "consent_given", worker, current_user, {"purposes": list(form.purposes.data or [])}
        )
        flash(_("Thank you: your consent is recorded."), "success")
    return redirect(url_for("workers.profile"))


@bp.post("/worker/consent/withdraw")
@role_required(Role.worker)
def withdraw_consent():
    worker = own_worker()
    if not WithdrawConsentForm().validate_on_submit():
        abort(400, description=_("The form expired; please try again."))
    services.withdraw_consent(worker)
    privacy.record_privacy_event("consent_withdrawn", worker, current_user)
    flash(
        _(
            "Consent withdrawn. We no longer match your profile, suggest skills or show you to "
            "employers."
        ),
        "info",
    )
    return redirect(url_for("workers.profile"))


@bp.get("/worker/<external_id>")
@role_required(*ANY_ROLE)
def detail(external_id: str):
    """A worker's page for their institution, admins and employers (public fields only)."""
    worker = viewable_worker(external_id)
    if current_user.role is Role.worker:
        return redirect(url_for("workers.profile"))
    audit_personal_data_view("worker", worker.external_id)
    full = current_user.role is not Role.employer
    shown = (WorkerOut() if full else WorkerPublicOut()).dump(worker)
    consent = services.current_consent(worker) if full else None
    # An employer gets the phone number once the worker applied to it (policy.can_see_contact_of).
    contact = worker.phone if not full and policy.can_see_contact_of(current_user, worker) else None
    login = None  # an employer never gives a reset code: no need to look the login up
    if policy.may_issue_reset_codes(current_user):
        login = db.session.scalar(select(User).where(User.worker_id == worker.id))
    can_reset = login is not None and policy.can_issue_reset_code(current_user, login)
    seen_for = None  # the posting whose candidates the employer came from: back to it, or invite
    if not full and request.args.get("posting"):
        posting = find_by_external_id(JobPosting, request.args["posting"])
        if posting is not None and policy.can_manage_applications_to(current_user, posting):
            seen_for = posting
    worker_applications = applications.applications_of_worker(worker, seen_by=current_user)
    seen_application = next(
        (a for a in worker_applications if seen_for is not None and a.posting_id == seen_for.id),
        None,
    )
    return render_template(
        "workers/detail.html",
        seen_for=seen_for,
        applied_to_seen_for=seen_application is not None,
        seen_application=seen_application,
        invite_form=InviteForm(formdata=None, worker_id=worker.external_id),
        shown=shown,
        full=full,
        consent=consent,
        worker=worker,
        contact=contact,
        # Their institution follows a trainee's applications, as administrators do; an employer
        # sees those to its own postings, each leading back to its applicants.
        applications=worker_applications,
        reset_form=ResetCodeForm(formdata=None) if can_reset else None,
    )
