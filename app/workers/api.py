"""/api/v1/workers: thin handlers over the worker services.

What a caller gets depends on who they are: employers get WorkerPublicOut (never date of birth,
social category, disability, phone or email); the worker, their institution and admins get WorkerOut.
"""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from app.audit.services import audit_personal_data_view
from app.auth import policy
from app.auth.access import require, role_required, viewable_worker
from app.auth.models import ANY_ROLE, Role, User
from app.common import get_by_external_id, paginated
from app.errors import ValidationFailed
from app.privacy import services as privacy
from app.skills.models import Skill
from app.workers import services
from app.workers.models import SkillSource, Worker, WorkerSkill
from app.workers.schemas import (
    ConsentIn,
    ConsentOut,
    WorkerCreateIn,
    WorkerOut,
    WorkerPatch,
    WorkerPublicOut,
    WorkerQuery,
    WorkerSkillIn,
    WorkerSkillOut,
    WorkerSkillsIn,
)

blp = Blueprint(
    "workers_api", __name__, url_prefix="/api/v1/workers", description="Workers and their skills"
)
PUBLIC_NOTE = "Employers receive the public shape (WorkerPublicOut) instead."


def output_schema(user: User, many: bool = False):
    """The shape this viewer may see."""
    if user.role is Role.employer:
        return WorkerPublicOut(many=many)
    return WorkerOut(many=many)


def dump_for_viewer(data, status: int = 200, many: bool = False):
    response = jsonify(output_schema(current_user, many=many).dump(data))
    response.status_code = status
    return response


def check_skill_sources(user: User, worker: Worker, items: list[dict]) -> None:
    """Only institutions and admins vouch for a skill: a worker's own items are self-declared,
    except an assessed or certified skill they keep exactly as it was recorded."""
    if user.role is not Role.worker:
        return
    recorded = {(row.skill.uri, row.proficiency, row.source) for row in worker.skills}
    refused = [
        item["uri"]
        for item in items
        if item["source"] is not SkillSource.self_declared
        and (item["uri"], item["proficiency"], item["source"]) not in recorded
    ]
    if refused:
        raise ValidationFailed(
            {
                "skills": [
                    f"{uri}: only an institution or administrator can mark a skill assessed "
                    "or certified."
                    for uri in refused
                ]
            }
        )


@blp.route("")
class WorkerCollection(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(WorkerQuery, location="query")
    @blp.response(200, WorkerOut(many=True), description=PUBLIC_NOTE)
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Workers you may see: all (admins), enrolled with you (institutions), visible ones
        (employers), yourself (workers)."""
        statement = policy.workers_visible_to(current_user).options(
            selectinload(Worker.skills).joinedload(WorkerSkill.skill)
        )
        if "district" in query:
            statement = statement.where(Worker.district == query["district"])
        if "skill" in query:
            statement = statement.where(
                Worker.skills.any(WorkerSkill.skill.has(Skill.uri == query["skill"]))
            )
        return dump_for_viewer(paginated(statement, pagination_parameters), many=True)

    @blp.arguments(WorkerCreateIn)
    @blp.response(201, WorkerOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def post(self, data):
        """Register a worker, with skills if known (administrators and institutions), together
        with the worker's consent to the current notice, recorded as given through you."""
        if current_user.role not in (Role.admin, Role.institution):
            require(False, "worker", None)
        consent = data.pop("consent")
        worker = privacy.create_worker_with_consent(
            data,
            notice_version=consent["notice_version"],
            purposes=consent["purposes"],
            given_by=privacy.actor_label(current_user),
        )
        privacy.record_privacy_event(
            "consent_given", worker, current_user, {"purposes": consent["purposes"]}
        )
        return worker


@blp.route("/<external_id>")
class WorkerItem(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, WorkerOut, description=PUBLIC_NOTE)
    def get(self, external_id):
        worker = viewable_worker(external_id)
        if current_user.worker_id != worker.id:  # someone else's personal data: keep a record
            audit_personal_data_view("worker", worker.external_id)
        return dump_for_viewer(worker)

    @blp.arguments(WorkerPatch(partial=True))
    @blp.response(200, WorkerOut)
    @blp.alt_response(422, description="Invalid input, one message per field.")
    def patch(self, data, external_id):
        """Change the sent fields only (the worker themselves, or an administrator)."""
        worker = get_by_external_id(Worker, external_id)
        require(policy.can_edit_worker(current_user, worker), "worker", external_id)
        services.update_worker(worker, data)
        return worker


@blp.route("/<external_id>/skills")
class WorkerSkills(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.response(200, WorkerSkillOut(many=True))
    def get(self, external_id):
        worker = viewable_worker(external_id)
        return sorted(worker.skills, key=lambda row: row.skill.label.lower())

    @blp.arguments(WorkerSkillsIn)
    @blp.response(200, WorkerSkillOut(many=True))
    @blp.alt_response(422, description="A bad item rejects the whole list; old skills stay.")
    def put(self, data, external_id):
        """Replace the held skills (the worker themselves, or an administrator)."""
        worker = get_by_external_id(Worker, external_id)
        require(policy.can_edit_worker(current_user, worker), "worker", external_id)
        check_skill_sources(current_user, worker, data["skills"])
        services.set_worker_skills(worker, data["skills"])
        return sorted(worker.skills, key=lambda row: row.skill.label.lower())

    @blp.arguments(WorkerSkillIn)
    @blp.response(200, WorkerSkillOut)
    @blp.alt_response(422, description="Unknown skill or bad level.")
    def post(self, data, external_id):
        """Add one skill or change its level; institutions record assessed/certified skills
        of workers enrolled with them."""
        worker = get_by_external_id(Worker, external_id)
        require(policy.can_act_for_worker(current_user, worker), "worker", external_id)
        check_skill_sources(current_user, worker, [data])
        row = services.add_worker_skill(worker, data["uri"], data["proficiency"], data["source"])
        return row


@blp.route("/<external_id>/consent")
class WorkerConsent(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(ConsentIn)
    @blp.response(201, ConsentOut)
    @blp.alt_response(422, description="Unknown purpose or missing notice version.")
    def post(self, data, external_id):
        """Record consent: by the worker, or on their behalf by an administrator or their
        institution (assisted registration); who recorded it is kept."""
        worker = get_by_external_id(Worker, external_id)
        require(policy.can_act_for_worker(current_user, worker), "worker", external_id)
        given_by = (
            "self"
            if current_user.role is Role.worker
            else f"{current_user.role.value}:{current_user.id}"
        )
        consent = services.record_consent(
            worker, data["notice_version"], data["purposes"], given_by=given_by
        )
        privacy.record_privacy_event(
            "consent_given", worker, current_user, {"purposes": data["purposes"]}
        )
        return consent

    @blp.response(204)
    def delete(self, external_id):
        """Withdraw consent (the worker, or an administrator acting on their request); this also
        hides the worker from employers."""
        worker = get_by_external_id(Worker, external_id)
        require(policy.can_edit_worker(current_user, worker), "worker", external_id)
        services.withdraw_consent(worker)
        privacy.record_privacy_event("consent_withdrawn", worker, current_user)
