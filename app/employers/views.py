"""Employers' pages: their postings, and the required skills of each, suggested from the text.

Skills are suggested by the skill linker from the description; the employer confirms each one
as essential or optional with a minimum level. Nothing is saved until they press save.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from app.applications import services as applications
from app.audit.services import record_event
from app.auth import policy
from app.auth.access import require, role_required
from app.auth.models import Role
from app.common import get_by_external_id
from app.employers import services
from app.employers.forms import PostingForm
from app.employers.models import JobPosting, PostingSkill, PostingStatus, Shift
from app.employers.schemas import PostingIn, PostingPatch
from app.errors import ValidationFailed
from app.extensions import db
from app.forms import as_choices, form_payload, refusals_on, warn_district_slip
from app.organisations.models import Organisation, OrganisationKind
from app.organisations.services import organisation_by_external_id, organisations_of_kind
from app.places import place_label
from app.skills.forms import find_skills
from app.skills.linking import suggest_skills
from app.skills.services import skills_by_uri
from app.vocabulary import POSTING_STATUS_LABELS as STATUS_LABELS
from app.vocabulary import SHIFT_LABELS
from matching.posting_text import (
    PostingReading,
    need_from_cues,
    read_posting,
    shift_is_the_only_evidence,
)

bp = Blueprint("employers", __name__)
STAFF = (Role.employer, Role.admin)
SUGGESTIONS = 12
POSTINGS_PER_PAGE = 25
SHIFT_WORK = frozenset({"rotating", "night"})  # shifts that ask the worker to work in shifts


@bp.get("/employer/postings")
@role_required(*STAFF)
def postings():
    """The employer's postings (all employers' for an administrator) with skill counts, found by
    status and by words of the title, the employer or the id, a page at a time (an
    administrator's list of every posting ran to 42,000 px on a phone)."""
    status = request.args.get("status", "")
    find = " ".join(request.args.get("find", "").split())
    statement = services.postings_found(
        policy.postings_visible_to(current_user),
        find,
        PostingStatus(status) if status in STATUS_LABELS else None,
    )
    page = db.paginate(
        statement,
        page=max(request.args.get("page", 1, type=int), 1),
        per_page=POSTINGS_PER_PAGE,
        error_out=False,
    )
    rows = list(page.items)
    counts = dict(
        db.session.execute(
            select(PostingSkill.posting_id, func.count(PostingSkill.id))
            .where(PostingSkill.posting_id.in_([row.id for row in rows]))
            .group_by(PostingSkill.posting_id)
        ).all()
    )
    return render_template(
        "employers/postings.html",
        postings=rows,
        skill_counts=counts,
        application_counts=applications.counts_per_posting(rows),
        show_employer=current_user.role is Role.admin,
        shift_labels=SHIFT_LABELS,
        status_labels=STATUS_LABELS,
        page=page,
        find=find,
        status=status if status in STATUS_LABELS else "",
    )


@bp.get("/employer/postings/<external_id>")
@role_required(*STAFF)
def posting(external_id: str):
    row = get_by_external_id(JobPosting, external_id)
    require(policy.can_manage_org_record(current_user, row.employer_id), "posting", external_id)
    return render_template(
        "employers/posting.html",
        posting=row,
        counts=applications.counts_per_posting([row])[row.id],
        shift_labels=SHIFT_LABELS,
        status_labels=STATUS_LABELS,
    )


@bp.route("/employer/postings/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_posting():
    return posting_form_page(PostingForm(), None)


@bp.route("/employer/postings/<external_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_posting(external_id: str):
    row = get_by_external_id(JobPosting, external_id)
    require(policy.can_manage_org_record(current_user, row.employer_id), "posting", external_id)
    form = PostingForm(obj=row) if request.method == "GET" else PostingForm()
    if request.method == "GET":
        form.shift.data, form.status.data = row.shift.value, row.status.value
        form.district.data = place_label(row.district)
    return posting_form_page(form, row)


def submitted_skills() -> list[dict]:
    """The skill rows of the form: kept ones with their settings, plus ticked suggestions."""
    chosen: dict[str, dict] = {}
    for uri in request.form.getlist("skill_uri"):
        if request.form.get(f"remove:{uri}"):
            continue
        chosen[uri] = {
            "uri": uri,
            "essential": request.form.get(f"essential:{uri}", "yes") == "yes",
            "min_proficiency": _level(request.form.get(f"level:{uri}")),
        }
    for uri in request.form.getlist("add_skill"):
        chosen.setdefault(
            uri,
            {
                "uri": uri,
                "essential": request.form.get(f"essential:{uri}", "yes") == "yes",
                "min_proficiency": _level(request.form.get(f"level:{uri}")),
            },
        )
    return list(chosen.values())


def _level(value: str | None) -> int:
    return int(value) if value in {"1", "2", "3", "4"} else 1


def posting_form_page(form: PostingForm, posting: JobPosting | None):
    """Save, or suggest skills from the description, or find skills by name; keep what was set."""
    if current_user.role is Role.admin and posting is None:
        form.employer.choices = as_choices(
            (org.external_id, org.name)
            for org in db.session.scalars(organisations_of_kind(OrganisationKind.employer))
        )
    else:
        del form.employer
    suggestions, results, close_question, filled = [], [], None, []
    if request.method == "GET":
        skills = (
            [
                {"uri": s.skill.uri, "essential": s.essential, "min_proficiency": s.min_proficiency}
                for s in posting.skills
            ]
            if posting
            else []
        )
    else:
        skills = submitted_skills()
    if form.validate_on_submit():
        if form.suggest.data:
            reading = read_posting(form.description.data or "")
            suggestions = suggest_for(
                form.description.data or "", {s["uri"] for s in skills}, reading.shift
            )
            filled = fill_from_description(form, reading)
        elif form.find.data:
            results = find_skills(form.skill_query)
        elif (ending := applications_ended_by(form, posting)) and not form.confirm_close.data:
            close_question = ngettext(
                "Closing the posting ends its %(num)s open application: the worker is told "
                "the job is no longer available. Tick below to go ahead.",
                "Closing the posting ends its %(num)s open applications: each worker is "
                "told the job is no longer available. Tick below to go ahead.",
                ending,
            )
        else:
            was_open = posting is not None and posting.status is PostingStatus.open
            saved = save_posting(form, posting, skills)
            if saved is not None:
                if was_open and saved.status is PostingStatus.closed:
                    flash(_("Posting “%(title)s” closed.", title=saved.title), "success")
                else:
                    flash(_("Posting “%(title)s” saved.", title=saved.title), "success")
                warn_district_slip(saved.district)
                if ending:
                    ended_with_posting(saved, ending)
                return redirect(url_for("employers.posting", external_id=saved.external_id))
    labels = skills_by_uri(s["uri"] for s in skills)
    return render_template(
        "employers/posting_form.html",
        form=form,
        posting=posting,
        skills=[(s, labels.get(s["uri"])) for s in skills],
        suggestions=suggestions,
        suggested_needs=suggested_needs(form.description.data or "", suggestions),
        results=results,
        close_question=close_question,
        filled=filled,
    )


def ended_with_posting(posting: JobPosting, count: int) -> None:
    """Say, and keep in the trail, that closing the posting ended its open applications."""
    record_event(
        "applications_closed",
        actor_id=current_user.id,
        object_type="posting",
        object_id=posting.external_id,
        detail={"applications": count},
    )
    flash(
        ngettext(
            "%(num)s open application ended; the worker was told.",
            "%(num)s open applications ended; each worker was told.",
            count,
        ),
        "info",
    )


def applications_ended_by(form: PostingForm, posting: JobPosting | None) -> int:
    """How many open applications the save would end (an open posting closed or filled): asked
    before it is saved (one slip of the status box ended them all, for good) and said after."""
    if posting is None or posting.status is not PostingStatus.open:
        return 0
    if form.status.data == PostingStatus.open.value:
        return 0
    return applications.open_for_posting(posting)


def fill_from_description(form: PostingForm, reading: PostingReading) -> list[str]:
    """Propose the fields the ad states (title, openings, district, wage, shift) where the
    employer left them empty or at their defaults, and say which were filled so they are checked
    before saving; returns their names (said again beside the suggestions, where the page comes
    back: a walk saved the openings it never saw)."""
    filled = []
    if reading.title and not (form.title.data or "").strip():
        form.title.data = reading.title
        filled.append(_("job title"))
    if reading.openings and (form.openings.data or "1") == "1":
        form.openings.data = str(reading.openings)
        filled.append(_("openings"))
    if reading.district and not (form.district.data or "").strip():
        form.district.data = place_label(reading.district)
        filled.append(_("district"))
    if reading.wage_min_inr and not form.wage_min_inr.data and not form.wage_max_inr.data:
        form.wage_min_inr.data = str(reading.wage_min_inr)
        form.wage_max_inr.data = str(reading.wage_max_inr)
        filled.append(_("wage"))
    if reading.shift and form.shift.data == Shift.general.value:
        form.shift.data = reading.shift
        filled.append(_("shift"))
    if filled:
        flash(
            _("Filled from the description: %(fields)s. Check them.", fields=", ".join(filled)),
            "info",
        )
    return filled


def suggested_needs(description: str, suggestions: list) -> dict[str, bool]:
    """Each suggestion essential unless its words say optional ("Fanuc preferred")."""
    return {s.uri: need_from_cues(description, s.span) is not False for s in suggestions}


def suggest_for(description: str, already: set[str], shift: str | None) -> list:
    """Linked skills for the description that are not chosen yet, present ones first."""
    if len(description.strip()) < 3:
        flash(_("Write a description first: the skills are suggested from it."), "info")
        return []
    try:
        linked = suggest_skills(description, top_k=SUGGESTIONS)
    except LookupError as exc:
        flash(str(exc), "error")
        return []
    # Found on the word "shift" alone, a skill is offered, not ticked, unless the shifts rotate
    # or run at night: "Shift: general" ticked "work in shifts" as essential.
    shift_work = shift in SHIFT_WORK
    linked = [
        replace(s, present=False)
        if s.present and not shift_work and shift_is_the_only_evidence(s.span)
        else s
        for s in linked
    ]
    return [s for s in linked if s.uri not in already]


def save_posting(form: PostingForm, posting: JobPosting | None, skills: list[dict]):
    schema = PostingIn() if posting is None else PostingPatch(partial=True)
    payload = form_payload(form, schema, skip=("skills", "employer", "external_id", "posted_on"))
    payload["description"] = (form.description.data or "").strip()
    payload["skills"] = skills
    with refusals_on(form) as saving:
        data = schema.load(payload)
        if posting is not None:
            saving.saved = services.update_posting(posting, data)
        else:
            saving.saved = services.create_posting(employer_for_form(form), data)
    return saving.saved


def employer_for_form(form: PostingForm) -> Organisation:
    if current_user.role is Role.employer:
        return current_user.organisation
    employer = organisation_by_external_id(form.employer.data or "", OrganisationKind.employer)
    if employer is None:
        raise ValidationFailed({"employer": [_("Choose an employer.")]})
    return employer
