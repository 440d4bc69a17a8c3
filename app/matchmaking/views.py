"""Pages of the matching engine: a worker's jobs and their gap against one posting with a training
plan (and enrolment from it), an employer's candidates for a posting, and the cluster demand an
institution plans batches from."""

from __future__ import annotations

import re
from datetime import date

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app import transactions
from app.applications import services as applications
from app.applications.forms import ApplyForm, InviteForm
from app.auth import policy
from app.auth.access import own_worker, require, role_required
from app.auth.models import Role
from app.common import get_by_external_id
from app.employers.models import JobPosting, PostingStatus
from app.employers.services import open_postings_near
from app.errors import ValidationFailed
from app.extensions import db
from app.forms import message_text, messages_text
from app.i18n import format_day
from app.institutions import trainees
from app.institutions.forms import ConfirmForm
from app.institutions.models import Course, Enrolment, EnrolmentStatus
from app.matchmaking import demand as demand_service
from app.matchmaking import match_inputs, services
from app.matchmaking.api import csv_response
from app.matchmaking.forms import EnrolFromPlanForm
from app.placements import services as placements
from app.places import place_label
from app.vocabulary import POSTING_STATUS_LABELS as STATUS_LABELS
from app.vocabulary import SHIFT_LABELS

bp = Blueprint("matchmaking", __name__)
JOBS_SHOWN = 30
CANDIDATES_SHOWN = 30
# Skills of the demand table shown before "show the others": the largest gaps are what an
# institution plans batches for, and all ~190 made a page 65,000 px tall on a phone.
DEMAND_ROWS_SHOWN = 20
MAX_TRAINING_HOURS = 2000
# The training planner (matching/plans.py, no Flask) explains an item's penalties in English.
PLAN_NOTES = {
    "no upcoming batch scheduled": _l("no upcoming batch scheduled"),
    "next batch is full": _l("next batch is full"),
    "not residential": _l("not residential"),
    "not a women-only batch": _l("not a women-only batch"),
}
OTHER_DISTRICT_NOTE = re.compile(r"^in another district \((?P<district>.*)\)$")


def plan_note(note: str) -> str:
    """A training plan item's note in the page's language."""
    if note in PLAN_NOTES:
        return str(PLAN_NOTES[note])
    other = OTHER_DISTRICT_NOTE.match(note)
    if other:
        return _("in another district (%(district)s)", district=place_label(other["district"]))
    return message_text(note)


@bp.context_processor
def display_labels() -> dict:
    return {"shift_labels": SHIFT_LABELS, "status_labels": STATUS_LABELS, "plan_note": plan_note}


# --- Workers -------------------------------------------------------------------------------------


@bp.get("/worker/jobs")
@role_required(Role.worker)
def jobs_for_me():
    """Open postings ranked by how well the worker's skills fit them."""
    worker = own_worker()
    try:
        jobs = services.jobs_for_worker(worker, top_k=JOBS_SHOWN)
    except match_inputs.MatchingNotAllowed:
        return render_template("matchmaking/no_consent.html"), 403
    # A new worker without skills browses every open job, and is asked to describe their work.
    browse = [] if worker.skills else open_postings_near(worker.district, limit=JOBS_SHOWN)
    return render_template(
        "matchmaking/jobs.html",
        jobs=jobs,
        worker=worker,
        browse=browse,
        applied=applications.statuses_of_worker(worker),
        apply_form=ApplyForm(formdata=None),
    )


def open_posting(posting_id: str) -> JobPosting:
    posting = get_by_external_id(JobPosting, posting_id)
    if posting.status is not PostingStatus.open:
        abort(404, description=_("This job is no longer open."))
    return posting


@bp.get("/worker/jobs/<posting_id>")
@role_required(Role.worker)
def job_gap(posting_id: str):
    """The worker's gap against one posting, and the courses that close it, with enrolment."""
    worker = own_worker()
    posting = open_posting(posting_id)
    today = date.today()
    try:
        found = services.gap_and_plan(worker, posting, today)
    except match_inputs.MatchingNotAllowed:
        return render_template("matchmaking/no_consent.html"), 403
    enrolled = set(
        db.session.scalars(
            select(Course.external_id)
            .join(Enrolment, Enrolment.course_id == Course.id)
            .where(Enrolment.worker_id == worker.id, Enrolment.status == EnrolmentStatus.enrolled)
        )
    )
    return render_template(
        "matchmaking/job_gap.html",
        posting=posting,
        application_status=applications.statuses_of_worker(worker).get(posting.external_id),
        apply_form=ApplyForm(formdata=None),
        found=found,
        enrolled=enrolled,
        today=today,
    )


@bp.route("/worker/jobs/<posting_id>/enrol", methods=["GET", "POST"])
@role_required(Role.worker)
def enrol(posting_id: str):
    """Show what enrolling in a course or module of the plan would do (GET: course, institution,
    fee, place, batch dates, whole course or not), then enrol in that batch (POST)."""
    worker = own_worker()
    posting = open_posting(posting_id)
    back = url_for("matchmaking.job_gap", posting_id=posting_id)
    if request.method == "GET":
        form = EnrolFromPlanForm(formdata=None)
        course_id, module_id = request.args.get("course", ""), request.args.get("module", "")
    else:
        form = EnrolFromPlanForm()
        if not form.validate_on_submit():
            flash(_("The form expired; please try again."), "error")
            return redirect(back)
        course_id, module_id = form.course.data or "", form.module.data or ""
    try:
        offer = services.plan_enrolment(worker, posting, course_id, module_id or None)
        if request.method == "POST" and form.batch.data:
            enrolment = services.enrol_from_plan(worker, posting, offer, form.batch.data)
        else:  # nothing is written before the worker has seen the confirmation
            form.course.data, form.module.data = course_id, module_id
            form.batch.data = offer.batch.external_id
            return render_template(
                "matchmaking/enrol_confirm.html", posting=posting, offer=offer, form=form
            )
    except services.BatchChanged as exc:
        transactions.discard()
        flash(messages_text(exc.errors), "error")
        return redirect(
            url_for(".enrol", posting_id=posting_id, course=course_id, module=module_id)
        )
    except ValidationFailed as exc:
        transactions.discard()
        flash(messages_text(exc.errors), "error")
        return redirect(back)
    except match_inputs.MatchingNotAllowed as exc:
        transactions.discard()
        flash(message_text(exc), "error")
        return redirect(back)
    flash(
        _(
            "You are enrolled in %(course)s, batch starting %(date)s.",
            course=enrolment.course.title,
            date=format_day(enrolment.batch.start_date),
        ),
        "success",
    )
    return redirect(back)


@bp.route("/worker/enrolments/<external_id>/cancel", methods=["GET", "POST"])
@role_required(Role.worker)
def cancel_enrolment(external_id: str):
    """Say what cancelling the enrolment does (GET), then cancel it (POST): only before its batch
    starts; after that the page says why not and who to ask."""
    enrolment = get_by_external_id(Enrolment, external_id)
    require(policy.can_cancel_enrolment(current_user, enrolment), "enrolment", external_id)
    history = url_for("outcomes.worker_history")
    refusal = trainees.cancel_refusal(enrolment, date.today())
    if request.method == "GET" or refusal:
        return (
            render_template(
                "matchmaking/cancel_confirm.html",
                enrolment=enrolment,
                refusal=cancel_refusal_text(enrolment, refusal),
                form=ConfirmForm(formdata=None),
            ),
            409 if refusal else 200,
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    trainees.cancel_enrolment(enrolment, actor_id=current_user.id)
    flash(_("Your enrolment in %(course)s is cancelled.", course=enrolment.course.title), "success")
    return redirect(history)


def cancel_refusal_text(enrolment: Enrolment, refusal: dict | None) -> str | None:
    """Why cancelling is refused, in the page's language, with the start day as people read it."""
    if not refusal:
        return None
    if refusal.get("batch") and enrolment.batch is not None:
        return _(
            "The batch started on %(day)s: it can no longer be cancelled. "
            "Ask the institution to record that you left.",
            day=format_day(enrolment.batch.start_date),
        )
    return messages_text(refusal)


# --- Employers -----------------------------------------------------------------------------------


def training_hours_arg() -> float:
    """?hours=N for the trainable tab, default 120; a bad value falls back with a message."""
    raw = request.args.get("hours", "").strip()
    if not raw:
        return float(services.DEFAULT_TRAINABLE_HOURS)
    try:
        hours = float(raw)
    except ValueError:
        hours = -1.0
    if not 0 <= hours <= MAX_TRAINING_HOURS:
        flash(
            _("Training hours must be a number from 0 to %(max)s.", max=MAX_TRAINING_HOURS),
            "error",
        )
        return float(services.DEFAULT_TRAINABLE_HOURS)
    return hours


@bp.get("/employer/postings/<posting_id>/candidates")
@role_required(Role.employer, Role.admin)
def candidates(posting_id: str):
    """Ranked visible candidates for the employer's own posting, or those trainable within N h."""
    posting = get_by_external_id(JobPosting, posting_id)
    require(policy.can_manage_org_record(current_user, posting.employer_id), "posting", posting_id)
    tab = "trainable" if request.args.get("tab") == "trainable" else "fit"
    hours = training_hours_arg()
    if not posting.skills:
        rows = []  # with nothing asked for, every worker would fit it "100 of 100"
    elif tab == "trainable":
        rows = services.trainable_candidates_for_posting(posting, hours, top_k=CANDIDATES_SHOWN)
    else:
        rows = services.candidates_for_posting(posting, top_k=CANDIDATES_SHOWN)
    workers, offering_names = services.people_and_courses(rows)
    applied = applications.statuses_of_workers(posting)
    today = date.today()
    employed = placements.current_jobs_at(
        posting.employer_id, [worker.id for worker in workers.values()], today
    )
    return render_template(
        "matchmaking/candidates.html",
        posting=posting,
        rows=rows,
        tab=tab,
        hours=hours,
        shown_at_most=CANDIDATES_SHOWN,
        labels=match_inputs.match_data().labels,
        workers=workers,
        offering_names=offering_names,
        applied={
            worker.external_id: applied[worker.id]
            for worker in workers.values()
            if worker.id in applied
        },
        today=today,
        employed_since={
            worker.external_id: employed[worker.id]
            for worker in workers.values()
            if worker.id in employed
        },
        invite_form=InviteForm(formdata=None),
        may_invite=policy.can_manage_applications_to(current_user, posting),
    )


# --- Institutions --------------------------------------------------------------------------------


def demand_filters() -> tuple[str | None, str | None, str]:
    sector = request.args.get("sector", "").strip() or None
    district = request.args.get("district", "").strip() or None
    by = "district" if request.args.get("by") == "district" else "sector"
    return sector, district, by


@bp.get("/institution/demand")
@role_required(Role.institution, Role.admin)
def demand():
    """Cluster demand per skill against supply and seats, untaught skills, batches to add, and a
    heatmap of the most demanded skills by sector or district."""
    sector, district, by = demand_filters()
    report = demand_service.cluster_demand_report(sector=sector, district=district)
    heatmap = demand_service.demand_heatmap(report, by=by, sector=sector, district=district)
    return render_template(
        "matchmaking/demand.html",
        report=report,
        rows_shown=report.rows[:DEMAND_ROWS_SHOWN],
        rows_folded=report.rows[DEMAND_ROWS_SHOWN:],
        heatmap=heatmap,
        options=demand_service.demand_filter_options(),
        sector=sector,
        district=district,
        by=by,
        labels=match_inputs.match_data().labels,
    )


@bp.get("/institution/demand.csv")
@role_required(Role.institution, Role.admin)
def demand_csv():
    sector, district, _by = demand_filters()
    report = demand_service.cluster_demand_report(sector=sector, district=district)
    return csv_response(report.to_csv_rows(), demand_file_name(sector, district))


def demand_file_name(sector: str | None, district: str | None) -> str:
    """The download's name says its filter ("cluster-demand-forging-pune.csv"): every file was
    "cluster-demand.csv", the whole cluster's and Pune's forging alike."""
    parts = ["cluster-demand"]
    for value in (sector, district):
        slug = re.sub(r"[^a-z0-9]+", "-", (value or "").lower()).strip("-")
        if slug:
            parts.append(slug)
    return "-".join(parts) + ".csv"
