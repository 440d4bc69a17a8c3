"""Pages for training institutions: their courses, modules and batches, enrolments and
certification, and the placements of their trainees with retention checks.

Institutions see and change their own records; administrators see everything. Every form goes
through the same marshmallow input schema and services as the API.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.auth import policy
from app.auth.access import refuse_placing_on_page, require, role_required
from app.auth.models import Role
from app.common import get_by_external_id, stored_external_id
from app.errors import ValidationFailed
from app.extensions import db
from app.forms import as_choices, form_payload, refusals_on, warn_district_slip
from app.institutions import services, trainees
from app.institutions.forms import (
    ENROLMENT_ACTIONS,
    BatchForm,
    ConfirmForm,
    CourseForm,
    EnrolForm,
    PlacementForm,
    ProgressForm,
    RetentionCheckForm,
)
from app.institutions.models import Batch, Course, Enrolment
from app.institutions.schemas import BatchIn, CourseIn, CoursePatch, EnrolmentIn, EnrolmentPatch
from app.organisations.models import Organisation, OrganisationKind
from app.organisations.services import organisation_by_external_id, organisations_of_kind
from app.placements import services as placement_services
from app.placements.models import Placement
from app.placements.schemas import PlacementIn, RetentionCheckIn
from app.skills.forms import find_skills
from app.skills.linking import suggest_skills
from app.skills.services import is_uri, skill_by_name, skills_by_uri
from app.vocabulary import COURSE_MODE_LABELS as MODE_LABELS
from app.vocabulary import ENROLMENT_STATUS_LABELS, VERIFICATION_LABELS
from app.workers.models import Worker

bp = Blueprint("institutions", __name__)
STAFF = (Role.institution, Role.admin)
SYLLABUS_SUGGESTIONS = 15
PLACEMENTS_PER_PAGE = 50
# The message after each step of ENROLMENT_ACTIONS.
PROGRESS_RECORDED = {
    "complete": _l("%(name)s: completion recorded."),
    "drop": _l("%(name)s: dropping out recorded."),
    "certify": _l("%(name)s: certificate recorded."),
}


def require_owner(organisation_id: int, object_type: str, object_id: str) -> None:
    require(policy.can_manage_org_record(current_user, organisation_id), object_type, object_id)


def own_institution() -> Organisation | None:
    """The logged-in institution; None for an administrator, who acts for any."""
    return current_user.organisation if current_user.role is Role.institution else None


# Courses ---------------------------------------------------------------------------------------


@bp.get("/institution/courses")
@role_required(*STAFF)
def courses():
    """The institution's courses with their counts; administrators see every institution's."""
    rows = db.session.scalars(services.courses_of(own_institution())).all()
    return render_template(
        "institutions/courses.html",
        courses=rows,
        counts=services.course_counts(course.id for course in rows),
        show_institution=current_user.role is Role.admin,
        mode_labels=MODE_LABELS,
    )


def institution_choices() -> list:
    rows = db.session.scalars(organisations_of_kind(OrganisationKind.institution))
    return as_choices((row.external_id, row.name) for row in rows)


def skill_rows(uris: list[str]) -> list:
    """The skills behind a list of URIs, in that order, and the URIs that match none."""
    found = skills_by_uri(uris)
    return [(uri, found.get(uri)) for uri in uris]


def typed_skill_refs(text: str) -> list[str]:
    """What was typed in the skills box: one skill a line (or between commas), a URI or an exact
    name; a line of URIs separated by spaces (the box's old format) is each of them."""
    refs = []
    for line in text.replace(",", "\n").splitlines():
        words = line.split()
        if len(words) > 1 and all(is_uri(word) for word in words):
            refs.extend(words)
        elif words:
            refs.append(" ".join(words))
    return refs


def typed_skill_uri(ref: str) -> str:
    """A typed skill's URI: a URI as it is, a name (in any language) as its skill's URI; a name
    that matches none stays as typed, so the save names it as an unknown skill."""
    if is_uri(ref):
        return ref
    skill = skill_by_name(ref)
    return skill.uri if skill is not None else ref


def submitted_skill_uris(form: CourseForm) -> list[str]:
    """The skills the picker posts, once each: its chips (`skill`), what was typed in the box and
    the matches ticked (`add_skill`), less the one whose remove button was pressed."""
    typed = [typed_skill_uri(ref) for ref in typed_skill_refs(form.skills.data or "")]
    removed = set(request.form.getlist("remove_skill"))
    picked = [*request.form.getlist("skill"), *typed, *request.form.getlist("add_skill")]
    uris = (uri.strip() for uri in picked)
    return [uri for uri in dict.fromkeys(uris) if uri and uri not in removed]


def course_form_page(form: CourseForm, course: Course | None):
    """Save the course, or (on "Find skills", "Suggest" or a chip's remove button) show the form
    again with the skills chosen so far and the matches to tick."""
    is_admin = current_user.role is Role.admin
    if is_admin and course is None:
        form.institution.choices = institution_choices()
    else:
        del form.institution
    results = []
    suggested = False
    if course is not None and request.method == "GET":
        uris = [skill.uri for skill in course.skills]
    else:
        uris = submitted_skill_uris(form)
    if form.validate_on_submit():
        if request.form.get("remove_skill"):
            pass  # a chip removed without JavaScript: show the form again without it
        elif form.suggest.data:
            results = syllabus_suggestions(form.syllabus.data or "", set(uris))
            suggested = True
        elif form.find.data:
            chosen = set(uris)
            results = [skill for skill in find_skills(form.skill_query) if skill.uri not in chosen]
        else:
            saved = save_course(form, course, uris)
            if saved is not None:
                flash(_("Course “%(title)s” saved.", title=saved.title), "success")
                return redirect(url_for("institutions.course", external_id=saved.external_id))
    form.skills.data = ""  # what was typed is now among the chips
    return render_template(
        "institutions/course_form.html",
        form=form,
        course=course,
        results=results,
        suggested=suggested,
        chosen=skill_rows(uris),
    )


def syllabus_suggestions(syllabus: str, chosen: set[str]) -> list:
    """The skills the linker ranks highest for the syllabus, not chosen yet, as rows to tick."""

    if len(syllabus.strip()) < 3:
        flash(_("Write the syllabus first: the skills are suggested from it."), "info")
        return []
    try:
        linked = suggest_skills(syllabus, top_k=SYLLABUS_SUGGESTIONS)
    except LookupError as exc:
        flash(str(exc), "error")
        return []
    found = skills_by_uri(s.uri for s in linked if s.uri not in chosen)
    return [found[s.uri] for s in linked if s.uri in found]


def save_course(form: CourseForm, course: Course | None, uris: list[str]) -> Course | None:
    schema = CourseIn() if course is None else CoursePatch(partial=True)
    payload = form_payload(form, schema, skip=("skills", "institution"))
    payload["skills"] = uris
    payload["syllabus"] = (form.syllabus.data or "").strip()  # clearing it is a change too
    with refusals_on(form) as saving:
        data = schema.load(payload)
        if course is None:
            institution = own_institution()
            if institution is None:
                institution = organisation_by_external_id(
                    form.institution.data or "", OrganisationKind.institution
                )
                if institution is None:
                    raise ValidationFailed({"institution": [_("Choose an institution.")]})
            saving.saved = services.create_course(institution, data)
        else:
            saving.saved = services.update_course(course, data)
    return saving.saved


@bp.route("/institution/courses/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_course():
    return course_form_page(CourseForm(), None)


@bp.route("/institution/courses/<external_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_course(external_id: str):
    course = get_by_external_id(Course, external_id)
    require_owner(course.institution_id, "course", external_id)
    form = CourseForm(obj=course) if request.method == "GET" else CourseForm()
    if request.method == "GET":
        form.mode.data = course.mode.value
    return course_form_page(form, course)


@bp.get("/institution/courses/<external_id>")
@role_required(*STAFF)
def course(external_id: str):
    """A course's modules with their skills and its batches with free seats."""
    row = get_by_external_id(Course, external_id)
    require_owner(row.institution_id, "course", external_id)
    return render_template(
        "institutions/course.html",
        course=row,
        counts=services.course_counts([row.id])[row.id],
        confirm_form=ConfirmForm(formdata=None),
        free_seats={batch.id: services.batch_free_seats(batch) for batch in row.batches},
        mode_labels=MODE_LABELS,
    )


def owned_course(external_id: str) -> Course:
    row = get_by_external_id(Course, external_id)
    require_owner(row.institution_id, "course", external_id)
    return row


@bp.route("/institution/courses/<external_id>/delete", methods=["GET", "POST"])
@role_required(*STAFF)
def delete_course(external_id: str):
    """Say what deleting the course removes (GET), then delete it (POST); a course with
    enrolments cannot be deleted: the page offers to archive it instead."""
    row = owned_course(external_id)
    records = services.course_records(row)
    if request.method == "GET" or not records.deletable:
        return confirm_page(row, "delete", records, status=200 if records.deletable else 409)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    title = row.title
    services.delete_course(row)
    flash(_("Course “%(title)s” deleted with its modules and batches.", title=title), "info")
    return redirect(url_for("institutions.courses"))


@bp.route("/institution/courses/<external_id>/archive", methods=["GET", "POST"])
@role_required(*STAFF)
def archive_course(external_id: str):
    """Say what archiving keeps and what it withdraws (GET), then archive the course (POST)."""
    row = owned_course(external_id)
    if request.method == "GET":
        return confirm_page(row, "archive", services.course_records(row))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.archive_course(row)
    flash(
        _("Course “%(title)s” archived: it is no longer offered to workers.", title=row.title),
        "info",
    )
    return redirect(url_for("institutions.course", external_id=external_id))


@bp.post("/institution/courses/<external_id>/restore")
@role_required(*STAFF)
def restore_course(external_id: str):
    """Offer an archived course again (nothing is lost, so no confirmation)."""
    row = owned_course(external_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.restore_course(row)
    flash(_("Course “%(title)s” is offered again.", title=row.title), "success")
    return redirect(url_for("institutions.course", external_id=external_id))


def confirm_page(row: Course, action: str, records: services.CourseRecords, status: int = 200):
    return (
        render_template(
            "institutions/course_confirm.html",
            course=row,
            action=action,
            records=records,
            confirm_form=ConfirmForm(formdata=None),
        ),
        status,
    )


# Batches ---------------------------------------------------------------------------------------


@bp.route("/institution/batches/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_batch():
    form = BatchForm()
    owned = db.session.scalars(services.courses_of(own_institution(), archived=False)).all()
    form.course.choices = as_choices((c.external_id, f"{c.title} ({c.external_id})") for c in owned)
    if request.method == "GET" and request.args.get("course"):
        form.course.data = request.args["course"]
    if form.validate_on_submit():
        with refusals_on(form) as saving:
            data = BatchIn().load(form_payload(form, BatchIn()))
            course_row = services.course_by_external_id(data["course"])
            if course_row is None:
                raise ValidationFailed({"course": [_("Choose one of your courses.")]})
            require_owner(course_row.institution_id, "course", course_row.external_id)
            batch_row = services.create_batch(course_row, data)
        if saving.done:
            flash(_("Batch planned."), "success")
            warn_district_slip(batch_row.district)
            return redirect(url_for("institutions.batch", external_id=batch_row.external_id))
    return render_template("institutions/batch_form.html", form=form, has_courses=bool(owned))


@bp.get("/institution/batches/<external_id>")
@role_required(*STAFF)
def batch(external_id: str):
    """A batch's enrolments with the forms to enrol, complete, drop out and certify."""
    row = get_by_external_id(Batch, external_id)
    require_owner(row.course.institution_id, "batch", external_id)
    # "Choose" on a search result fills the enrol form with that worker's id.
    return batch_page(row, EnrolForm(formdata=None, worker=request.args.get("worker", "")))


def batch_page(
    row: Batch,
    enrol_form: EnrolForm,
    status: int = 200,
    refused_progress: tuple[str, ProgressForm] | None = None,
):
    """The batch page; `refused_progress` is a trainee's refused move (their enrolment's id and
    the form), shown on their row with the date typed and the message beside it."""
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.batch_id == row.id)
        .order_by(Enrolment.enrolled_on, Enrolment.id)
    ).all()
    return (
        render_template(
            "institutions/batch.html",
            batch=row,
            enrolments=enrolments,
            free_seats=services.batch_free_seats(row),
            enrol_form=enrol_form,
            find=request.args.get("find", "").strip(),
            found=trainees.find_workers_to_enrol(request.args.get("find", "")),
            progress_form=ProgressForm(formdata=None),
            refused_progress=refused_progress,
            confirm_form=ConfirmForm(formdata=None),
            status_labels=ENROLMENT_STATUS_LABELS,
        ),
        status,
    )


@bp.post("/institution/batches/<external_id>/enrolments")
@role_required(*STAFF)
def enrol(external_id: str):
    """Enrol an existing worker, named by id, in this batch."""
    row = get_by_external_id(Batch, external_id)
    require_owner(row.course.institution_id, "batch", external_id)
    form = EnrolForm()
    if form.validate_on_submit():
        payload = form_payload(form, EnrolmentIn())
        payload.update({"course": row.course.external_id, "batch": row.external_id})
        with refusals_on(form) as saving:
            enrolment = services.create_enrolment(EnrolmentIn().load(payload))
        if saving.done:
            flash(_("%(name)s is enrolled.", name=enrolment.worker.name), "success")
            return redirect(url_for("institutions.batch", external_id=external_id))
    return batch_page(row, form, status=422)


@bp.post("/institution/enrolments/<external_id>/progress")
@role_required(*STAFF)
def enrolment_progress(external_id: str):
    """Mark an enrolment completed or dropped, or certify it, on the date given."""
    enrolment = get_by_external_id(Enrolment, external_id)
    require_owner(enrolment.course.institution_id, "enrolment", external_id)
    form = ProgressForm()
    action = ENROLMENT_ACTIONS.get(form.action.data or "")
    if not form.validate_on_submit() or action is None:
        abort(400)
    payload: dict = {}
    if action["status"]:
        payload["status"] = action["status"]
    if action["date_field"]:
        payload[action["date_field"]] = (form.on.data or "").strip() or None
        if form.action.data == "certify":
            payload["certified"] = True
    # Every field of the move is the one date box's: said beside it, on the trainee's row (a
    # walk read an unnamed banner at the top and found every date box emptied).
    with refusals_on(form, fields_as=dict.fromkeys(EnrolmentPatch().fields, "on")) as saving:
        services.correct_enrolment(enrolment, EnrolmentPatch().load(payload, partial=True))
    if saving.done:
        flash(str(PROGRESS_RECORDED[form.action.data]) % {"name": enrolment.worker.name}, "success")
    elif enrolment.batch is not None:
        refused = (enrolment.external_id, form)
        return batch_page(
            enrolment.batch, EnrolForm(formdata=None), status=422, refused_progress=refused
        )
    back = enrolment.batch.external_id if enrolment.batch else None
    if back:
        return redirect(url_for("institutions.batch", external_id=back))
    return redirect(url_for("institutions.course", external_id=enrolment.course.external_id))


# Placements ------------------------------------------------------------------------------------


def placement_form(posted: bool = True) -> PlacementForm:
    """The form to record a placement: as posted, or empty beside another form's refusal."""
    form = PlacementForm() if posted else PlacementForm(formdata=None)
    employers = db.session.scalars(organisations_of_kind(OrganisationKind.employer))
    form.employer.choices = as_choices(
        [("", _("— none (self-employed) —")), *((row.external_id, row.name) for row in employers)]
    )
    return form


def enrolled_workers() -> list[Worker]:
    """Workers the logged-in institution may record placements for (for the worker-id list)."""
    institution = own_institution()
    if institution is None:
        return []
    return db.session.scalars(
        select(Worker)
        .where(Worker.id.in_(policy.workers_enrolled_with(institution.id)))
        .order_by(Worker.name)
    ).all()


def placements_page(
    form: PlacementForm,
    status: int = 200,
    refused_check: tuple[str, RetentionCheckForm] | None = None,
):
    """The placements list; `refused_check` is a placement's refused retention check (its id and
    form), shown open on its card with what was typed and each message beside its box."""
    page = request.args.get("page", 1, type=int)
    find = request.args.get("find", "").strip()
    rows = db.paginate(
        placement_services.placements_found(policy.placements_visible_to(current_user), find),
        page=max(page, 1),
        per_page=PLACEMENTS_PER_PAGE,
        error_out=False,
    )
    return (
        render_template(
            "institutions/placements.html",
            form=form,
            placements=rows,
            find=find,
            workers=enrolled_workers(),
            check_form=RetentionCheckForm(formdata=None),
            refused_check=refused_check,
            next_check=placement_services.next_check,
            today=date.today(),
            verification_labels=VERIFICATION_LABELS,
        ),
        status,
    )


@bp.route("/institution/placements", methods=["GET", "POST"])
@role_required(*STAFF)
def placements():
    """Record a placement of a trainee; list placements with their retention checks."""
    form = placement_form()
    if not form.validate_on_submit():
        return placements_page(form)
    payload = form_payload(form, PlacementIn())
    payload["worker"] = stored_external_id(Worker, payload.get("worker"))
    with refusals_on(form) as saving:
        data = PlacementIn().load(payload)
        refuse_placing_on_page(data["worker"])
        placement = placement_services.create_placement(data)
    if saving.done:
        flash(_("Placement of %(name)s recorded.", name=placement.worker.name), "success")
        return redirect(url_for("institutions.placements"))
    return placements_page(form, status=422)


@bp.post("/institution/placements/<external_id>/retention-checks")
@role_required(*STAFF)
def add_retention_check(external_id: str):
    """Record whether the worker was still employed after 3, 6 or 12 months, with evidence."""
    placement = get_by_external_id(Placement, external_id)
    require(
        policy.can_record_placement_for(current_user, placement.worker),
        "placement",
        external_id,
    )
    form = RetentionCheckForm()
    if not form.validate_on_submit():
        abort(400)
    payload = form_payload(form, RetentionCheckIn())
    with refusals_on(form) as saving:
        check = placement_services.record_retention_check(
            placement, **RetentionCheckIn().load(payload)
        )
    if not saving.done:
        # On the worker's card, open, as typed, in the list as it was searched: a walk's refusal
        # went to a banner 2,200 px above the card, which came back closed and unsearched.
        return placements_page(
            placement_form(posted=False), status=422, refused_check=(external_id, form)
        )
    flash(
        _(
            "%(months)s-month check saved for %(name)s.",
            months=check.months,
            name=placement.worker.name,
        ),
        "success",
    )
    return redirect(
        url_for("institutions.placements", **list_position()) + f"#placement-{external_id}"
    )


def list_position() -> dict[str, str]:
    """The placements list's search and page, carried through a check's save."""
    return {key: request.args[key] for key in ("find", "page") if request.args.get(key)}
