"""Notices through the outbox: the SMS gateway sender against a local fake gateway, retries with
back-off, a failed send that never loses the change it tells of, and the recipient's language."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.notices import services
from app.notices.models import DeliveryStatus, Notice
from app.notices.senders import NoAddress, SendFailed, SmsGatewaySender
from tests.helpers import bearer


class FakeGateway:
    """An HTTP server on a free local port that records what it is sent and answers `status`."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.headers: list[dict] = []
        self.status = 202
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                gateway.received.append(json.loads(self.rfile.read(length)))
                gateway.headers.append(dict(self.headers))
                self.send_response(gateway.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(app, monkeypatch):
    fake = FakeGateway()
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", fake.url)
    monkeypatch.setitem(app.config, "SMS_GATEWAY_KEY", "secret-key")
    monkeypatch.setitem(app.config, "SMS_SENDER_ID", "KSETU")
    monkeypatch.setitem(app.config, "NOTICE_MAX_ATTEMPTS", 3)
    yield fake
    fake.close()


def test_the_gateway_sender_posts_json_with_the_key(gateway):
    sender = SmsGatewaySender(url=gateway.url, key="secret-key", sender_id="KSETU", timeout=5)
    sender.send("+919800000001", "नमस्कार", reference="N1")
    assert gateway.received == [
        {"to": "+919800000001", "sender": "KSETU", "message": "नमस्कार", "reference": "N1"}
    ]
    assert gateway.headers[0]["Authorization"] == "Bearer secret-key"
    gateway.status = 503
    with pytest.raises(SendFailed):
        sender.send("+919800000001", "again", reference="N2")
    with pytest.raises(NoAddress):
        sender.send(None, "nobody", reference="N3")
    with pytest.raises(SendFailed):
        SmsGatewaySender(url="http://127.0.0.1:9/none", key=None, sender_id="K").send(
            "+919800000001", "down", reference="N4"
        )


def worker_notice(factories, language="mr", phone="+919800000002") -> Notice:
    worker = factories.consenting_worker(phone=phone)
    user = factories.user("worker", worker=worker)
    user.preferred_language = language
    notice = services.notify(
        [user], "application.shortlisted", {"job": "CNC turner", "employer": "Bharat Forge"}
    )[0]
    db.session.commit()
    return notice


def test_a_notice_goes_in_the_recipients_language(app, factories, gateway):
    notice = worker_notice(factories)
    with app.app_context():
        assert services.deliver_due()["sent"] == 1
    assert gateway.received[0]["to"] == "+919800000002"
    text = gateway.received[0]["message"]
    assert "CNC turner" in text and "Bharat Forge" in text and "You are" not in text
    db.session.refresh(notice)
    assert notice.delivery_status is DeliveryStatus.sent and notice.attempts == 1


def test_failed_sends_are_retried_with_back_off_then_given_up(app, factories, gateway):
    gateway.status = 500
    notice = worker_notice(factories)
    now = utcnow()
    with app.app_context():
        assert services.deliver_due(now=now)["retry"] == 1
        assert services.deliver_due(now=now)["retry"] == 0  # not due again yet
    db.session.refresh(notice)
    assert notice.delivery_status is DeliveryStatus.pending
    assert notice.next_attempt_at - now == timedelta(seconds=30)
    with app.app_context():
        services.deliver_due(now=now + timedelta(seconds=31))
    db.session.refresh(notice)
    assert notice.next_attempt_at - (now + timedelta(seconds=31)) == timedelta(seconds=120)
    with app.app_context():
        assert services.deliver_due(now=now + timedelta(hours=1))["failed"] == 1
    db.session.refresh(notice)
    assert notice.delivery_status is DeliveryStatus.failed
    assert notice.attempts == 3 and "500" in notice.last_error
    assert len(gateway.received) == 3


def test_no_phone_is_skipped_not_retried(app, factories, gateway):
    notice = worker_notice(factories, phone=None)
    with app.app_context():
        assert services.deliver_due()["skipped"] == 1
    db.session.refresh(notice)
    assert notice.delivery_status is DeliveryStatus.skipped


def test_a_gateway_down_never_loses_the_move(client, factories, gateway):
    """The employer shortlists while the gateway is down: the move is kept, the notice waits."""
    from app.applications.models import Application

    gateway.status = 503
    worker = factories.consenting_worker(phone="+919800000003")
    worker_user = factories.user("worker", worker=worker)
    employer = factories.user("employer")
    posting = factories.posting(employer.organisation)
    headers = bearer(worker_user)
    employer_headers = bearer(employer)
    applied = client.post(
        f"/api/v1/postings/{posting.external_id}/applications", json={}, headers=headers
    )
    moved = client.patch(
        f"/api/v1/applications/{applied.json['id']}",
        json={"status": "shortlisted"},
        headers=employer_headers,
    )
    assert moved.status_code == 200
    db.session.expire_all()
    application = db.session.scalar(
        select(Application).where(Application.external_id == applied.json["id"])
    )
    assert application.status.value == "shortlisted"
    waiting = db.session.scalars(select(Notice).where(Notice.user_id == worker_user.id)).all()
    assert [n.delivery_status for n in waiting] == [DeliveryStatus.pending]
    assert waiting[0].attempts == 1


def test_the_send_command(app, factories, gateway):
    worker_notice(factories)
    result = app.test_cli_runner().invoke(args=["notices", "send"])
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output


def test_with_redis_a_queued_job_delivers_after_the_commit(client, factories, redis_queue):
    """With REDIS_URL the request only queues the delivery; an RQ worker sends it."""
    from tests.integration.test_jobs_rq import work_off

    worker = factories.consenting_worker()
    worker_user = factories.user("worker", worker=worker)
    posting = factories.posting(factories.employer())
    factories.user("employer", organisation=posting.employer)
    headers = bearer(worker_user)
    applied = client.post(
        f"/api/v1/postings/{posting.external_id}/applications", json={}, headers=headers
    )
    assert applied.status_code == 201
    assert len(redis_queue.job_ids) == 1
    db.session.expire_all()
    notice = db.session.scalar(select(Notice).where(Notice.kind == "application.applied"))
    assert notice.delivery_status is DeliveryStatus.pending
    work_off(redis_queue)
    db.session.refresh(notice)
    assert notice.delivery_status is DeliveryStatus.sent


def test_a_send_claimed_by_a_process_that_died_is_taken_up_again(app, factories, gateway):
    notice = worker_notice(factories)
    now = utcnow()
    notice.delivery_status = DeliveryStatus.sending  # claimed, then the process died
    notice.next_attempt_at = now - timedelta(minutes=5)
    db.session.commit()
    with app.app_context():
        assert services.deliver_due(now=now)["sent"] == 0  # may still be sending
        assert services.deliver_due(now=now + timedelta(minutes=6))["sent"] == 1
    assert len(gateway.received) == 1
