"""Who may see or change what. Checked on the server for every page and API call."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.audit.services import record_event
from app.auth import policy
from app.auth.models import Role
from app.common import find_by_external_id, get_by_external_id
from app.errors import ValidationFailed
from app.extensions import login_manager
from app.i18n import N_
from app.transactions import keep_alone
from app.workers.models import Worker

F = TypeVar("F", bound=Callable)


def role_required(*roles: Role) -> Callable[[F], F]:
    """Refuse anyone not logged in (401, or the login page) or not in one of `roles` (403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                deny("role")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def deny(reason: str, object_type: str | None = None, object_id: object = None) -> None:
    """Log the refusal in the audit trail and answer 403."""
    record_denial(reason, object_type, object_id)
    abort(403)


def record_denial(reason: str, object_type: str | None = None, object_id: object = None) -> None:
    """Log a refusal in the audit trail, kept whatever the request does next."""
    actor = current_user.id if current_user.is_authenticated else None
    keep_alone(
        lambda: record_event(
            "access_denied",
            actor_id=actor,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            outcome="refused",
            detail={"reason": reason},
        )
    )


def viewable_worker(external_id: str):
    """The worker `external_id` if the current user may see them (can_view_worker), for the
    worker pages and the worker API alike: an erased worker is gone (404) for all but
    administrators; anyone else refused is denied and audited."""

    worker = get_by_external_id(Worker, external_id)
    if worker.erased_at is not None and current_user.role is not Role.admin:
        abort(404, description=f"No Worker with id {external_id!r}.")
    require(policy.can_view_worker(current_user, worker), "worker", external_id)
    return worker


def require(allowed: bool, object_type: str, object_id: object) -> None:
    if not allowed:
        deny("ownership", object_type, object_id)


def require_may_place(worker_external_id: str | None) -> None:
    """Refuse (403, audited) recording a placement of a worker the current user may not place
    (can_record_placement_for), for the placements API and page alike; an unknown worker is left
    to the service, which names it with the other field errors (422)."""
    worker = find_by_external_id(Worker, worker_external_id)
    if worker is not None:
        require(policy.can_record_placement_for(current_user, worker), "worker", worker.external_id)


NOT_YOUR_TRAINEE = N_(
    "%(worker)s is not your trainee: a placement is recorded by the institution the worker "
    "trained with."
)


def refuse_placing_on_page(worker_external_id: str | None) -> None:
    """The placements page's `require_may_place`: audited the same, but said beside the worker
    box (ValidationFailed), since a mistyped id is likelier there than a trespass, and a 403
    page lost everything typed."""
    worker = find_by_external_id(Worker, worker_external_id)
    if worker is not None and not policy.can_record_placement_for(current_user, worker):
        record_denial("ownership", "worker", worker.external_id)
        raise ValidationFailed({"worker": [NOT_YOUR_TRAINEE % {"worker": worker.external_id}]})


def own_worker() -> Worker:
    """The logged-in worker's record (a worker login always has one unless it was deleted)."""
    worker = current_user.worker
    if worker is None:
        abort(404, description=_("This login has no worker profile."))
    return worker
