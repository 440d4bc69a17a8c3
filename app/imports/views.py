"""The CSV upload page: administrators import any kind, institutions their own courses, enrolments
and placements, employers their own postings. Same importer and report as `flask import`."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext
from flask_login import current_user
from werkzeug.utils import secure_filename

from app import transactions
from app.audit.services import record_event
from app.auth.access import deny, role_required
from app.auth.models import Role
from app.forms import message_text
from app.imports import kinds, services
from app.imports.forms import KIND_LABELS, ImportForm
from app.imports.rows import Message
from app.places import localised

bp = Blueprint("imports", __name__)


@bp.route("/admin/imports", methods=["GET", "POST"])
@role_required(Role.admin)
def admin_upload():
    """Import any kind of file."""
    return upload_page()


@bp.route("/institution/imports", methods=["GET", "POST"])
@role_required(Role.institution)
def institution_upload():
    """Import the institution's own courses, enrolments and placements."""
    return upload_page()


@bp.route("/employer/imports", methods=["GET", "POST"])
@role_required(Role.employer)
def employer_upload():
    """Import the employer's own job postings."""
    return upload_page()


@bp.get("/imports/<kind>/template.csv")
@role_required(Role.admin, Role.institution, Role.employer)
def csv_template(kind: str):
    """An empty file of one kind with its columns in order, to fill in a spreadsheet (UTF-8 with a
    byte-order mark, so Excel reads Marathi and Hindi names right)."""
    if kind not in services.KINDS:
        abort(404)
    if kind not in services.kinds_for(current_user):
        deny("role", "import", kind)
    header = ",".join(column.name for column in kinds.IMPORTERS[kind].columns)
    return Response(
        "\ufeff" + header + "\r\n",
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'},
    )


def upload_page():
    allowed = services.kinds_for(current_user)
    form = ImportForm()
    form.kind.choices = [(kind, KIND_LABELS[kind]) for kind in allowed]
    requested = request.form.get("kind") if request.method == "POST" else None
    if requested in services.KINDS and requested not in allowed:
        deny("role", "import", requested)
    if request.method == "POST" and not form.validate_on_submit():
        return page(form, None), 400
    if request.method == "GET":
        return page(form, None)
    upload = form.file.data
    report = services.import_bytes(
        form.kind.data,
        upload.read(),
        source=secure_filename(upload.filename or "") or "upload.csv",
        user=current_user,
        dry_run=form.dry_run.data,
    )
    status = 200
    if report.refused:
        lines = [p.line for p in report.errors if p.refused]
        transactions.keep_alone(
            lambda: record_event(
                "access_denied",
                actor_id=current_user.id,
                object_type="import",
                object_id=report.kind,
                outcome="refused",
                detail={"reason": "ownership", "lines": lines},
            )
        )
        status = 403
    elif not report.ok:
        status = 422  # the request wrapper rolls the rows back
    elif report.written:
        record_event(
            "import",
            actor_id=current_user.id,
            object_type="import",
            object_id=report.kind,
            detail={
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
    return page(form, report), status


def page(form: ImportForm, report: services.ImportReport | None) -> str:
    return render_template(
        "imports/upload.html",
        form=form,
        report=report,
        importers=kinds.IMPORTERS,
        kind_labels=KIND_LABELS,
        problem_text=problem_text,
    )


def problem_text(message: str) -> str:
    """A report message in the page's language (the report itself keeps the English): an
    importer's message by its template, a schema's or a service's as every page reads them
    (forms.message_text, which knows their patterns: "Unknown course: C99" stayed English); a
    message the catalogues lack stays English."""
    if isinstance(message, Message) and message.params:
        values = {
            name: problem_text(value) if isinstance(value, Message) else value
            for name, value in localised(message.params).items()
        }
        return gettext(message.template, **values)
    return message_text(message, page_wording=False)
