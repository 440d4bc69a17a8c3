"""Pages of applications: a worker applies and follows their applications; an employer invites,
moves applicants through the pipeline of a posting and hires; the administrator reads the
funnel from applied to hired. The inbox shows each user's notices."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from app import transactions
from app.applications import services
from app.applications.forms import ApplyForm, InviteForm, MoveForm, RejectManyForm
from app.applications.models import Application
from app.applications.schemas import ApplicationPatch
from app.applications.states import OPEN, Actor, ApplicationStatus, next_statuses
from app.audit.services import audit_personal_data_views
from app.auth import policy
from app.auth.access import own_worker, require, role_required
from app.auth.models import Role
from app.common import get_by_external_id, require_fields
from app.employers.models import JobPosting
from app.errors import ValidationFailed
from app.forms import form_payload, message_text, messages_text, refusal_errors
from app.i18n import safe_next
from app.matchmaking import services as matchmaking
from app.notices import services as notices
from app.notices.messages import notice_text
from app.vocabulary import APPLICATION_STATUS_LABELS, GENDER_LABELS
from app.workers.models import Worker
from indicators.disclosure import TableSpec, needs_suppression, suppress_table

bp = Blueprint("applications", __name__)
S = ApplicationStatus


@bp.context_processor
def labels() -> dict:
    return {"S": S}


def refused(exc: Exception, whose: str | None = None, show: bool = True) -> str:
    """Why a move or an application was refused (naming ``whose`` it was, on a page of many
    applicants), shown at the page's top unless ``show`` is False; nothing of it is kept."""
    transactions.discard()
    if isinstance(exc, ValidationError | ValidationFailed):
        text = messages_text(refusal_errors(exc))
    elif isinstance(exc, services.ApplicationConflict) and exc.moving:
        current, wanted = (APPLICATION_STATUS_LABELS[status.value] for status in exc.moving)
        text = _(services.WRONG_MOVE, current=current, wanted=wanted)
    elif isinstance(exc, services.ApplicationConflict):
        text = message_text(exc.description)
    else:
        return ""
    text = f"{whose}: {text}" if whose else text
    if show:
        flash(text, "error")
    return text


def back(default: str):
    return redirect(safe_next(request.form.get("next")) if request.form.get("next") else default)


# --- Workers ------------------------------------------------------------------------------------


@bp.post("/worker/jobs/<posting_id>/apply")
@role_required(Role.worker)
def apply(posting_id: str):
    """One tap from the jobs list or a job's page; the note is optional."""
    worker = own_worker()
    posting = get_by_external_id(JobPosting, posting_id)  # a closed one: "no longer open"
    form = ApplyForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return back(url_for("matchmaking.job_gap", posting_id=posting_id))
    try:
        services.apply(worker, posting, current_user, form.note.data or "")
    except (ValidationFailed, services.ApplicationConflict) as exc:
        refused(exc)
    else:
        flash(
            _(
                "You applied for %(job)s at %(employer)s. The employer is told; you will see "
                "their answer in My applications.",
                job=posting.title,
                employer=posting.employer.name,
            ),
            "success",
        )
    return back(url_for("applications.mine"))


@bp.get("/worker/applications")
@role_required(Role.worker)
def mine():
    """The worker's applications and invitations with their status and next step."""
    worker = own_worker()
    return render_template(
        "applications/mine.html",
        applications=services.applications_of_worker(worker),
        form=MoveForm(formdata=None),
        open_statuses=OPEN,
    )


@bp.post("/worker/applications/<external_id>")
@role_required(Role.worker)
def respond(external_id: str):
    """Accept or decline an invitation, or withdraw an application."""
    application = get_by_external_id(Application, external_id)
    require(
        policy.application_actor(current_user, application) is Actor.worker,
        "application",
        external_id,
    )
    return _move(application, Actor.worker, url_for("applications.mine"))


# --- Employers ----------------------------------------------------------------------------------


def readable_posting(posting_id: str) -> JobPosting:
    posting = get_by_external_id(JobPosting, posting_id)
    require(policy.can_read_applications_to(current_user, posting), "posting", posting_id)
    return posting


@bp.get("/employer/postings/<posting_id>/applications")
@role_required(Role.employer, Role.admin)
def pipeline(posting_id: str):
    """One column per status; move an applicant with a button; reject several with one note."""
    posting = readable_posting(posting_id)
    # What was typed into a refused step comes back in its form, open (MOVE_DRAFT).
    draft = session.pop(MOVE_DRAFT, None)
    applications = services.applications_to(posting)
    if draft and not any(
        a.external_id == draft["application"]
        and draft["values"].get("status")
        in {step.value for step in next_statuses(a.status, Actor.employer)}
        for a in applications
    ):
        flash(draft["message"], "error")  # its step is no longer offered: say it at the top
        draft = None
    manages = policy.can_manage_applications_to(current_user, posting)
    contacts = policy.contacts_seen_by(current_user, [a.worker for a in applications])
    # Each applicant whose phone number the page shows is a view of their personal data, kept
    # in the trail as a worker's page is (a worker asking "which company saw my number" found
    # nothing there).
    shown = {a.worker.external_id for a in applications if a.worker.id in contacts}
    audit_personal_data_views(
        "worker", sorted(shown), detail={"page": "applicants", "posting": posting_id}
    )
    fits = matchmaking.fits_to_posting(posting, [a.worker for a in applications])
    return render_template(
        "applications/pipeline.html",
        fits=fits,
        posting=posting,
        columns=services.by_status(applications),
        counts=services.counts_per_posting([posting])[posting.id],
        manages=manages,
        next_statuses=lambda status: sorted(
            next_statuses(status, Actor.employer), key=list(S).index
        ),
        contact=lambda worker: worker.phone if worker.id in contacts else None,
        form=MoveForm(formdata=None),
        draft=draft,
        draft_form=MoveForm(formdata=MultiDict(draft["values"])) if draft else None,
        reject_form=RejectManyForm(formdata=None, note=session.pop(REJECT_DRAFT, "")),
        open_statuses=OPEN,
    )


@bp.post("/employer/applications/<external_id>")
@role_required(Role.employer, Role.admin)
def move(external_id: str):
    application = get_by_external_id(Application, external_id)
    actor = policy.application_actor(current_user, application)
    require(actor is Actor.employer, "application", external_id)
    pipeline = url_for("applications.pipeline", posting_id=application.posting.external_id)
    # Back at the applicant's card: after a move the page came back at its top.
    return _move(application, Actor.employer, f"{pipeline}#application-{external_id}")


# The session key of a refused step's typed values, which the pipeline puts back in its form: a
# walk lost an interview note and day to one wrong date.
MOVE_DRAFT = "move_draft"
# The note of a "not selected" sent with nobody ticked, put back in its box.
REJECT_DRAFT = "reject_draft"


def _move(application: Application, actor: Actor, done_url: str):
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return redirect(done_url)
    try:
        data = ApplicationPatch().load(form_payload(form, ApplicationPatch()))
        wanted = services.Move.from_patch(data)
        if wanted.status is ApplicationStatus.interview:
            # The page asks the day the worker will be told; the API leaves it optional.
            require_fields(data, ["interview_on"])
        services.move(application, wanted, actor, current_user)
    except (ValidationError, ValidationFailed, services.ApplicationConflict) as exc:
        if actor is Actor.employer:
            # Said in the applicant's card, where the page comes back (the top is out of sight).
            text = refused(exc, whose=application.worker.name, show=False)
            values = {name: request.form.get(name, "") for name in services.MOVE_FIELDS}
            session[MOVE_DRAFT] = {
                "application": application.external_id,
                "values": values,
                "message": text,
            }
        else:
            refused(exc)
    else:
        status = APPLICATION_STATUS_LABELS[application.status.value]
        if actor is Actor.worker:
            # Said to the worker of their own application, naming the job (a walk read her own
            # name: "Priya Shinde: withdrawn.").
            title = application.posting.title
            flash(
                _("Your application for %(job)s: %(status)s.", job=title, status=status), "success"
            )
        else:
            flash(
                _("%(worker)s: %(status)s.", worker=application.worker.name, status=status),
                "success",
            )
    return redirect(done_url)


@bp.post("/employer/postings/<posting_id>/applications/reject")
@role_required(Role.employer, Role.admin)
def reject_many(posting_id: str):
    """Reject the ticked applicants with one note (all or none)."""
    posting = get_by_external_id(JobPosting, posting_id)
    require(policy.can_manage_applications_to(current_user, posting), "posting", posting_id)
    done = url_for("applications.pipeline", posting_id=posting_id)
    form = RejectManyForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return redirect(done)
    chosen = [
        application
        for application in services.applications_to(posting)
        if application.external_id in set(request.form.getlist("application"))
    ]
    if not chosen:
        flash(_("Tick the applicants first."), "error")
        session[REJECT_DRAFT] = form.note.data or ""  # the note stays for the next try
        return redirect(done)
    try:
        services.reject_many(chosen, form.note.data or "", current_user)
    except (ValidationFailed, services.ApplicationConflict) as exc:
        refused(exc)
    else:
        told = ngettext(
            "%(num)s applicant told they were not selected.",
            "%(num)s applicants told they were not selected.",
            len(chosen),
        )
        flash(told, "success")
    return redirect(done)


@bp.post("/employer/postings/<posting_id>/invite")
@role_required(Role.employer, Role.admin)
def invite(posting_id: str):
    posting = get_by_external_id(JobPosting, posting_id)
    require(policy.can_manage_applications_to(current_user, posting), "posting", posting_id)
    done = request.referrer if request.referrer and "/candidates" in request.referrer else None
    done = done or url_for("matchmaking.candidates", posting_id=posting_id)
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return redirect(done)
    if not form.worker_id.data:
        flash(_("Choose a worker to invite."), "error")
        return redirect(done)
    worker = get_by_external_id(Worker, form.worker_id.data)
    try:
        services.invite(posting, worker, current_user, form.note.data or "")
    except (ValidationFailed, services.ApplicationConflict) as exc:
        refused(exc)
    else:
        flash(_("%(worker)s is invited to apply.", worker=worker.name), "success")
    # Back at the candidate's card: the list came back at its top, the 11th of 30 lost.
    return redirect(f"{done.split('#')[0]}#candidate-{worker.external_id}")


# --- Administrators -----------------------------------------------------------------------------

# Women's rows kept, as in the outcome tables (a public funnel hid its women's row to protect
# a small transgender row, and told nothing about women).
FUNNEL_SPEC = TableSpec(
    counts=("applied", "shortlisted", "hired"), keep_keys=frozenset({"gender:female"})
)


@bp.get("/admin/hiring")
@role_required(Role.admin)
def funnel():
    """Applied → shortlisted → hired by gender and by youth, each table with its total, through
    the outcome tables' disclosure control."""
    public = request.args.get("public") == "1"  # as a published report would show it
    rows = {row["group"]: row for row in services.funnel()}
    names = {
        "youth": _("Youth (15–29)"),
        "older": _("30 and older"),
        **{f"gender:{key}": label for key, label in GENDER_LABELS.items()},
    }
    tables = []
    for title, keys in (
        (_("By gender"), [f"gender:{key}" for key in GENDER_LABELS]),
        (_("By age"), ["youth", "older"]),
    ):
        groups, total = [{**rows[key], "key": key} for key in keys], rows["all"]
        if needs_suppression(viewer_is_admin=policy.is_admin(current_user), public_export=public):
            groups, total = suppress_table(groups, total, FUNNEL_SPEC)
        tables.append((title, [(names[row["group"]], row) for row in groups], total))
    return render_template("applications/funnel.html", tables=tables, public=public)


# --- Everyone: the inbox ------------------------------------------------------------------------


@bp.get("/inbox")
@login_required
def inbox():
    """The user's notices, newest first; opening the inbox marks them read."""
    shown = [
        (notice, notice_text(notice.kind, notice.params)) for notice in notices.inbox(current_user)
    ]
    new_ids = {notice.id for notice, _text in shown if notice.read_at is None}
    notices.mark_read(current_user)
    return render_template("applications/inbox.html", shown=shown, new_ids=new_ids)
