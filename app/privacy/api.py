"""/api/v1/privacy: the notice, a worker's data download and erasure, guardians' consent for
minors, and grievances. Thin handlers: parse, check access (audited 403), call a service, commit
once."""

from __future__ import annotations

from flask import Response, abort, jsonify
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from app.auth import policy
from app.auth.access import require, role_required
from app.auth.models import ANY_ROLE, Role
from app.common import get_by_external_id, paginated
from app.extensions import db
from app.privacy import services
from app.privacy.models import Grievance, GuardianConsent
from app.privacy.notice import notice
from app.privacy.schemas import (
    ErasureOut,
    GrievanceIn,
    GrievanceOut,
    GrievancePatch,
    GuardianConsentIn,
    GuardianConsentOut,
    NoticeQuery,
)
from app.workers.models import Worker

blp = Blueprint(
    "privacy_api",
    __name__,
    url_prefix="/api/v1/privacy",
    description="Personal data (DPDP Act 2023): notice, download, erasure, guardians, grievances",
)


def worker_for_own_request(external_id: str) -> Worker:
    """The worker, if the caller is that worker or an administrator (acting on their request)."""
    worker = get_by_external_id(Worker, external_id)
    require(policy.can_edit_worker(current_user, worker), "worker", external_id)
    return worker


def json_object_response(description: str) -> dict:
    """OpenAPI for a 200 whose body is a JSON object built by hand rather than by a schema."""
    schema = {"type": "object", "additionalProperties": True}
    return {
        "responses": {
            "200": {"description": description, "content": {"application/json": {"schema": schema}}}
        }
    }


@blp.route("/notice")
class Notice(MethodView):
    @blp.arguments(NoticeQuery, location="query")
    @blp.doc(
        **json_object_response(
            "The notice: language, version, items (data, why, shown_to), purposes and its texts."
        )
    )
    def get(self, query):
        """The itemised notice and its version in English (`lang=en`, the default), `mr` or `hi`."""
        shown = notice(query["lang"])
        shown["items"] = [
            {"data": data, "why": why, "shown_to": shown_to}
            for data, why, shown_to in shown["items"]
        ]
        shown["columns"] = list(shown["columns"])
        return jsonify(shown)


@blp.route("/workers/<external_id>/data")
class PersonalData(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.doc(**json_object_response("Everything held about the worker, section by section."))
    def get(self, external_id):
        """Everything held about the worker, as JSON (the worker, or an administrator)."""
        worker = worker_for_own_request(external_id)
        data = services.personal_data(worker)
        services.record_privacy_event(
            "personal_data_exported", worker, current_user, {"format": "json"}
        )
        return download(jsonify(data), f"kaushalsetu-{worker.external_id}.json")


@blp.route("/workers/<external_id>/data.csv")
class PersonalDataCsv(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    def get(self, external_id):
        """The same download as one CSV: section, record, field, value."""
        worker = worker_for_own_request(external_id)
        text = services.personal_data_csv(services.personal_data(worker))
        services.record_privacy_event(
            "personal_data_exported", worker, current_user, {"format": "csv"}
        )
        return download(
            Response(text, mimetype="text/csv"), f"kaushalsetu-{worker.external_id}.csv"
        )


def download(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/workers/<external_id>/personal-data")
class Erasure(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, ErasureOut)
    @blp.alt_response(422, description="Already erased.")
    def delete(self, external_id):
        """Erase the worker's personal data (the worker, or an administrator on their request).
        Enrolment and placement records are kept, anonymised, for scheme audits."""
        worker = worker_for_own_request(external_id)
        kept = services.erase_worker(worker, current_user)
        return {"worker": worker.external_id, "erased_at": worker.erased_at, "kept": kept}


@blp.route("/workers/<external_id>/guardian-consent")
class GuardianConsents(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, GuardianConsentOut(many=True))
    def get(self, external_id):
        worker = get_by_external_id(Worker, external_id)
        require(
            policy.can_edit_worker(current_user, worker)
            or policy.can_verify_guardian_consent(current_user, worker),
            "worker",
            external_id,
        )
        return db.session.scalars(
            select(GuardianConsent)
            .where(GuardianConsent.worker_id == worker.id)
            .order_by(GuardianConsent.id)
        ).all()

    @blp.arguments(GuardianConsentIn)
    @blp.response(201, GuardianConsentOut)
    @blp.alt_response(422, description="Not a minor, or a field is invalid.")
    def post(self, data, external_id):
        """Record a parent's or guardian's consent for a worker under 18 (the worker, their
        institution or an administrator); employers see the worker only once it is verified."""
        worker = get_by_external_id(Worker, external_id)
        require(
            policy.can_edit_worker(current_user, worker)
            or policy.can_verify_guardian_consent(current_user, worker),
            "worker",
            external_id,
        )
        record = services.record_guardian_consent(
            worker, data["guardian_name"], data["relation"], data["given_on"], current_user
        )
        return record


@blp.route("/workers/<external_id>/guardian-consent/verify")
class GuardianConsentVerification(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, GuardianConsentOut)
    def post(self, external_id):
        """Verify the latest guardian consent recorded for this worker: an officer of an
        institution the worker is enrolled with, or an administrator; never the worker."""
        worker = get_by_external_id(Worker, external_id)
        require(policy.can_verify_guardian_consent(current_user, worker), "worker", external_id)
        record = services.latest_guardian_consent(worker)
        if record is None:
            abort(404, description="No guardian consent is recorded for this worker.")
        services.verify_guardian_consent(record, current_user)
        return record


@blp.route("/grievances")
class Grievances(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, GrievanceOut(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Your own grievances (workers); all of them (administrators)."""
        return paginated(policy.grievances_visible_to(current_user), pagination_parameters)

    @blp.arguments(GrievanceIn)
    @blp.response(201, GrievanceOut)
    @blp.alt_response(422, description="Subject or text missing or too long.")
    def post(self, data):
        """File a grievance about your personal data (workers; administrators for a worker)."""
        if current_user.role is Role.worker and current_user.worker is not None:
            worker = current_user.worker
        elif current_user.role is Role.admin and data.get("worker"):
            worker = get_by_external_id(Worker, data["worker"])
        else:
            require(False, "grievance", None)
        grievance = services.file_grievance(worker, data["subject"], data["text"], current_user)
        return grievance


@blp.route("/grievances/<external_id>")
class GrievanceItem(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, GrievanceOut)
    def get(self, external_id):
        grievance = get_by_external_id(Grievance, external_id)
        require(policy.can_edit_worker(current_user, grievance.worker), "grievance", external_id)
        return grievance

    @blp.arguments(GrievancePatch)
    @blp.response(200, GrievanceOut)
    @blp.alt_response(422, description="Resolving or rejecting needs a response.")
    def patch(self, data, external_id):
        """Set the status and the response (administrators)."""
        grievance = get_by_external_id(Grievance, external_id)
        require(current_user.role is Role.admin, "grievance", external_id)
        services.update_grievance(
            grievance, data["status"].value, data.get("response"), current_user
        )
        return grievance
