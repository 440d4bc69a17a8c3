"""Notices: written beside the change they tell of (services flush, the request commits both or
neither), then delivered from the outbox after the commit, so a failed send never loses the
change and a rolled-back change never sends anything.

Delivery runs as an RQ job when REDIS_URL is set, otherwise in the same process once the request
has answered. A notice is claimed before it is sent, so two processes never send it twice; a
failed send is retried with back-off, and `flask notices send` (run from cron) picks up retries
that fell due while nothing else was happening.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import Text, and_, cast, func, or_, select, update

from app import transactions
from app.auth.models import Role, User
from app.background import app_for_background
from app.database import utcnow
from app.extensions import db
from app.notices.messages import notice_text_in
from app.notices.models import DeliveryStatus, Notice
from app.notices.senders import NoAddress, SendFailed, sender_from_config
from app.workers.models import Worker

logger = logging.getLogger("kaushalsetu.notices")
ERROR_LIMIT = 1000
BATCH = 100
# A claim not settled within this time is taken to have died with its process: sent again.
CLAIM_EXPIRES = timedelta(minutes=10)


# --- Writing ------------------------------------------------------------------------------------


def accounts_of_worker(worker: Worker) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.worker_id == worker.id, User.active.is_(True)).order_by(User.id)
        )
    )


def accounts_of_employer(organisation_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organisation_id == organisation_id,
                User.role == Role.employer,
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def notify(users: list[User], kind: str, params: dict, link: str | None = None) -> list[Notice]:
    """One notice per recipient, added to this transaction; delivered once it commits."""
    notices = [Notice(user=user, kind=kind, params=dict(params), link=link) for user in users]
    db.session.add_all(notices)
    db.session.flush()
    if notices and has_request_context():
        g.notices_written = True
    return notices


def forget_names(references: list[str], replacements: dict[str, str]) -> int:
    """Replace facts in the notices about these applications (a person's erased data must not
    live on in other people's inboxes); says how many notices changed."""
    changed = 0
    wanted = set(references)
    if wanted:  # one query for all of them, however many applications the person had
        text = cast(Notice.params, Text)
        mentions = select(Notice).where(or_(*(text.like(f'%"{ref}"%') for ref in wanted)))
        for notice in db.session.scalars(mentions):
            if notice.params.get("application") not in wanted:
                continue
            kept = {key: value for key, value in replacements.items() if key in notice.params}
            notice.params = {**notice.params, **kept}
            changed += 1
    db.session.flush()
    return changed


# --- Reading ------------------------------------------------------------------------------------


def inbox(user: User, limit: int = 50) -> list[Notice]:
    return list(
        db.session.scalars(
            select(Notice)
            .where(Notice.user_id == user.id)
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
        )
    )


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Notice.id)).where(Notice.user_id == user.id, Notice.read_at.is_(None))
    )


def mark_read(user: User) -> int:
    """Everything in the user's inbox counts as read; says how many were unread."""
    result = db.session.execute(
        update(Notice)
        .where(Notice.user_id == user.id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0


# --- Delivering ---------------------------------------------------------------------------------


def retry_delay(attempts: int, base_seconds: int) -> timedelta:
    """30 s, 2 min, 8 min, 32 min, ... after the 1st, 2nd, 3rd, 4th failed attempt."""
    return timedelta(seconds=base_seconds * 4 ** max(attempts - 1, 0))


def _due(now: datetime):
    """Waiting and due, or claimed by a process that never settled it (it died mid-send)."""
    return or_(
        and_(Notice.delivery_status == DeliveryStatus.pending, Notice.next_attempt_at <= now),
        and_(
            Notice.delivery_status == DeliveryStatus.sending,
            Notice.next_attempt_at <= now - CLAIM_EXPIRES,
        ),
    )


def _claim(notice_id: int, now: datetime) -> bool:
    """Take the notice for this process (the claim time is kept in next_attempt_at); False when
    another process took it first."""
    claimed = db.session.execute(
        update(Notice)
        .where(Notice.id == notice_id, _due(now))
        .values(
            delivery_status=DeliveryStatus.sending,
            attempts=Notice.attempts + 1,
            next_attempt_at=now,
        )
    )
    return claimed.rowcount == 1


def deliver_due(now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """Send the notices that are due, each claimed and settled in its own short transaction;
    counts by outcome."""
    config = current_app.config
    sender = sender_from_config(config)
    max_attempts = int(config.get("NOTICE_MAX_ATTEMPTS", 5))
    base = int(config.get("NOTICE_RETRY_BASE_SECONDS", 30))
    now = now or utcnow()
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    with transactions.unit_of_work():
        due = list(
            db.session.scalars(
                select(Notice.id)
                .where(_due(now))
                .order_by(Notice.next_attempt_at, Notice.id)
                .limit(limit)
            )
        )
    for notice_id in due:
        with transactions.unit_of_work():
            if not _claim(notice_id, now):
                continue
        notice = db.session.get(Notice, notice_id, populate_existing=True)
        user = notice.user
        outcome, error = "sent", None
        try:
            text = notice_text_in(user.preferred_language, notice.kind, notice.params)
            sender.send(user.sms_phone, text, reference=f"N{notice.id}")
        except NoAddress as exc:
            outcome, error = "skipped", str(exc)
        except SendFailed as exc:
            outcome = "failed" if notice.attempts >= max_attempts else "retry"
            error = str(exc)
        except Exception as exc:  # a bug in a sender must not lose the notice either
            logger.exception("notice %s: sender raised", notice_id)
            outcome = "failed" if notice.attempts >= max_attempts else "retry"
            error = f"{type(exc).__name__}: {exc}"
        with transactions.unit_of_work():
            values: dict = {"last_error": error[:ERROR_LIMIT] if error else None}
            if outcome == "sent":
                values.update(delivery_status=DeliveryStatus.sent, sent_at=utcnow())
            elif outcome == "skipped":
                values.update(delivery_status=DeliveryStatus.skipped)
            elif outcome == "failed":
                values.update(delivery_status=DeliveryStatus.failed)
            else:
                values.update(
                    delivery_status=DeliveryStatus.pending,
                    next_attempt_at=now + retry_delay(notice.attempts, base),
                )
            db.session.execute(update(Notice).where(Notice.id == notice_id).values(**values))
        counts[outcome] += 1
    return counts


def next_retry_at() -> datetime | None:
    return db.session.scalar(
        select(func.min(Notice.next_attempt_at)).where(
            Notice.delivery_status == DeliveryStatus.pending
        )
    )


def deliver_job() -> dict[str, int]:
    """RQ's entry point: deliver what is due and, when retries wait, come back for them (the RQ
    worker runs with --with-scheduler for that; `flask notices send` from cron works too)."""
    app = app_for_background()
    with app.app_context():
        counts = deliver_due()
        later = next_retry_at()
        if later is not None:
            _queue(app).enqueue_at(later, deliver_job, description="deliver notices (retry)")
        return counts


def _queue(app: Flask):
    from redis import Redis
    from rq import Queue

    return Queue(app.config["JOBS_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"]))


def dispatch() -> None:
    """After a commit that wrote notices: hand delivery to RQ, or deliver here and now. A queue
    or sender that is down leaves the notices pending; they are never lost."""
    app = current_app._get_current_object()
    try:
        if app.config.get("REDIS_URL"):
            _queue(app).enqueue(deliver_job, description="deliver notices")
        else:
            deliver_due()
    except Exception:
        transactions.discard_quietly()
        logger.warning("notices: delivery postponed", exc_info=True)


def register(app: Flask) -> None:
    """Deliver after the request answered and committed (teardown runs after the commit)."""

    @app.teardown_request
    def _deliver_written_notices(exc: BaseException | None) -> None:
        if exc is None and g.pop("notices_written", False):
            dispatch()
