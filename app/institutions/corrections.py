"""Pages where an institution corrects the records it keeps: an enrolment's progress and
certificate, a placement and its retention checks. Every change goes through the same input
schemas and services as the API, and the audit trail keeps each changed field's old and new value,
which the page lists under the form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.audit.models import AuditEvent
from app.audit.services import corrections_of
from app.auth import policy
from app.auth.access import require, role_required
from app.auth.models import Role
from app.common import get_by_external_id
from app.extensions import db
from app.forms import as_choices, form_payload, refusals_on
from app.i18n import format_day, format_inr
from app.institutions import services
from app.institutions.forms import EnrolmentCorrectionForm, PlacementCorrectionForm
from app.institutions.models import Enrolment
from app.institutions.schemas import EnrolmentPatch
from app.organisations.models import OrganisationKind
from app.organisations.services import organisations_of_kind
from app.placements import services as placement_services
from app.placements.models import Placement
from app.placements.schemas import PlacementPatch
from app.vocabulary import (
    EMPLOYMENT_TYPE_LABELS,
    ENROLMENT_STATUS_LABELS,
    RECORD_FIELD_LABELS,
    VERIFICATION_LABELS,
    YES_NO,
    label_of,
)

bp = Blueprint("corrections", __name__)
STAFF = (Role.institution, Role.admin)
VALUE_LABELS = {
    "status": ENROLMENT_STATUS_LABELS,
    "employment_type": EMPLOYMENT_TYPE_LABELS,
    "verification": VERIFICATION_LABELS,
}


def readable_value(field: str, value) -> str:
    """An audited value as people read it: a day, a yes or no, a status's name."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(YES_NO[value])
    if field in VALUE_LABELS:
        return str(label_of(VALUE_LABELS[field], value))
    if field == "monthly_wage_inr" and isinstance(value, int):
        return format_inr(value)
    if field.endswith("_on") and isinstance(value, str):
        try:
            return format_day(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def correction_rows(events: list[AuditEvent], title: str | None = None) -> list[dict]:
    """Each correction: when, and per field its old and new value (free text: only 'changed')."""
    rows = []
    for event in events:
        changes = []
        for field, change in (event.detail or {}).get("changes", {}).items():
            label = str(RECORD_FIELD_LABELS.get(field, field))
            if "old" in change:
                old, new = (
                    readable_value(field, change["old"]),
                    readable_value(field, change["new"]),
                )
            else:
                old, new = "…", _("changed")
            changes.append({"field": label, "old": old, "new": new})
        rows.append({"at": event.at, "title": title, "changes": changes})
    return rows


# Enrolments -------------------------------------------------------------------------------------


def save_correction(
    form, schema, correct: Callable[[dict], object], back: str
) -> tuple[Response | None, int]:
    """Save a correction posted with ``form`` through ``schema`` and ``correct`` (the service that
    audits it): the redirect to ``back`` once saved, else None and the status to show the form
    again with (422 when a rule refused it, 200 when nothing valid was posted)."""
    if not form.validate_on_submit():
        return None, 200
    with refusals_on(form) as saving:
        correct(schema.load(form_payload(form, schema), partial=True))
    if not saving.done:
        return None, 422
    flash(_("Correction saved; the audit trail keeps the old and new values."), "success")
    return redirect(back), 302


@bp.route("/institution/enrolments/<external_id>/correct", methods=["GET", "POST"])
@role_required(*STAFF)
def enrolment(external_id: str):
    """Correct an enrolment's status, dates and certificate (the course's institution; admins)."""
    row = get_by_external_id(Enrolment, external_id)
    require(
        policy.can_manage_org_record(current_user, row.course.institution_id),
        "enrolment",
        external_id,
    )
    form = (
        EnrolmentCorrectionForm(obj=row) if request.method == "GET" else EnrolmentCorrectionForm()
    )
    if request.method == "GET":
        form.status.data = row.status.value
    back = (
        url_for("institutions.batch", external_id=row.batch.external_id)
        if row.batch
        else url_for("institutions.course", external_id=row.course.external_id)
    )
    saved, status = save_correction(
        form, EnrolmentPatch(), lambda data: services.correct_enrolment(row, data), back
    )
    if saved is not None:
        return saved
    return (
        render_template(
            "institutions/correct_enrolment.html",
            enrolment=row,
            form=form,
            back=back,
            corrections=correction_rows(corrections_of("enrolment", external_id)),
        ),
        status,
    )


# Placements -------------------------------------------------------------------------------------


@bp.route("/institution/placements/<external_id>/correct", methods=["GET", "POST"])
@role_required(*STAFF)
def placement(external_id: str):
    """Correct a placement (an institution its trainee's; admins); its retention checks are
    corrected by recording the same period again on the placements page."""
    row = get_by_external_id(Placement, external_id)
    require(policy.can_record_placement_for(current_user, row.worker), "placement", external_id)
    form = (
        PlacementCorrectionForm(obj=row) if request.method == "GET" else PlacementCorrectionForm()
    )
    employers = db.session.scalars(organisations_of_kind(OrganisationKind.employer))
    form.employer.choices = as_choices(
        [("", _("— none (self-employed) —")), *((org.external_id, org.name) for org in employers)]
    )
    if request.method == "GET":
        form.employer.data = row.employer.external_id if row.employer else ""
        form.posting.data = row.posting.external_id if row.posting else ""
        form.employment_type.data = row.employment_type.value
        form.verification.data = row.verification.value
    back = url_for("institutions.placements") + f"#placement-{external_id}"
    saved, status = save_correction(
        form, PlacementPatch(), lambda data: placement_services.correct_placement(row, data), back
    )
    if saved is not None:
        return saved
    corrections = correction_rows(corrections_of("placement", external_id))
    for months in placement_services.RETENTION_MONTHS:
        check_id = placement_services.retention_check_id(row, months)
        title = _("%(months)s-month check", months=months)
        corrections += correction_rows(corrections_of("retention_check", check_id), title)
    corrections.sort(key=lambda item: item["at"], reverse=True)
    return (
        render_template(
            "institutions/correct_placement.html",
            placement=row,
            form=form,
            back=back,
            corrections=corrections,
        ),
        status,
    )
