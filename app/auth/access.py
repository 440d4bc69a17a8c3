"""Who may see or change what. Checked on the server for every page and API call."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, select

from app.auth.models import Role, User

F = TypeVar("F", bound=Callable)


def role_required(*roles: Role) -> Callable[[F], F]:
    """Refuse anyone not logged in (401, or the login page) or not in one of `roles` (403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                deny("role")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def deny(reason: str, object_type: str | None = None, object_id: object = None) -> None:
    """Log the refusal in the audit trail and answer 403."""
    from app.audit.services import record_event
    from app.extensions import db

    actor = current_user.id if current_user.is_authenticated else None
    db.session.rollback()
    record_event(
        "access_denied",
        actor_id=actor,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        outcome="refused",
        detail={"reason": reason},
    )
    db.session.commit()
    abort(403)


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role is Role.admin


def owns_organisation(user: User, organisation_id: int | None) -> bool:
    return (
        user.is_authenticated
        and user.organisation_id is not None
        and user.organisation_id == organisation_id
    )


def worker_enrolled_with(worker_id: int, institution_id: int) -> bool:
    from app.extensions import db
    from app.institutions.models import Course, Enrolment

    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Enrolment.worker_id == worker_id,
                    Enrolment.course_id == Course.id,
                    Course.institution_id == institution_id,
                )
            )
        )
    )


def admin_or_institution_of(user: User, worker) -> bool:
    """Administrators, or an institution the worker enrolled with: who looks after a trainee's
    records (placements, a guardian's consent)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role is Role.admin:
        return True
    return (
        user.role is Role.institution
        and user.organisation_id is not None
        and worker_enrolled_with(worker.id, user.organisation_id)
    )


def can_view_worker(user: User, worker) -> bool:
    """Admins; the worker; an institution the worker enrolled with; employers only when the worker
    chose to be visible, consented to sharing, is not erased and is an adult or guardian-verified."""
    if not user.is_authenticated:
        return False
    if user.role is Role.admin:
        return True
    if user.role is Role.worker:
        return user.worker_id == worker.id
    if user.role is Role.institution:
        return user.organisation_id is not None and worker_enrolled_with(
            worker.id, user.organisation_id
        )
    if user.role is Role.employer:
        from app.privacy.services import is_visible_to_employers

        return is_visible_to_employers(worker)
    return False


def viewable_worker(external_id: str):
    """The worker `external_id` if the current user may see them (can_view_worker), for the
    worker pages and the worker API alike: an erased worker is gone (404) for all but
    administrators; anyone else refused is denied and audited."""
    from app.common import get_by_external_id
    from app.workers.models import Worker

    worker = get_by_external_id(Worker, external_id)
    if worker.erased_at is not None and current_user.role is not Role.admin:
        abort(404, description=f"No Worker with id {external_id!r}.")
    require(can_view_worker(current_user, worker), "worker", external_id)
    return worker


def can_edit_worker(user: User, worker) -> bool:
    return user.is_authenticated and (
        user.role is Role.admin or (user.role is Role.worker and user.worker_id == worker.id)
    )


def can_manage_org_record(user: User, organisation_id: int) -> bool:
    """Admins, or the employer or institution that owns the record."""
    return is_admin(user) or owns_organisation(user, organisation_id)


def require(allowed: bool, object_type: str, object_id: object) -> None:
    if not allowed:
        deny("ownership", object_type, object_id)
