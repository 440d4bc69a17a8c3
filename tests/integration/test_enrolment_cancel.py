"""A worker cancels an enrolment before its batch starts (issue 17): the seat is freed, the record
kept as cancelled and shown on their pages; after the start it is refused with a clear message."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.institutions import services, trainees
from app.institutions.models import Enrolment, EnrolmentStatus
from tests.helpers import bearer

FUTURE = date.today() + timedelta(days=15)
PAST = date.today() - timedelta(days=3)


@pytest.fixture
def world(factories):
    course = factories.course(title="Welding basics")
    coming = factories.batch(course, start_date=FUTURE, seats=1)
    started = factories.batch(course, start_date=PAST, seats=5)
    worker = factories.consenting_worker()
    user = factories.user("worker", worker=worker)
    upcoming = factories.enrolment(worker, course, batch=coming, enrolled_on=date.today())
    running = factories.enrolment(worker, course, batch=started, enrolled_on=PAST)
    return {
        "user": user,
        "coming": coming,
        "upcoming": upcoming,
        "running": running,
        "course": course,
    }


def test_worker_sees_cancel_confirms_and_frees_the_seat(client, login_as, world):
    browser = login_as(world["user"])
    history = browser.get("/worker/history").get_data(as_text=True)
    url = f"/worker/enrolments/{world['upcoming'].external_id}/cancel"
    assert url in history
    assert f"/worker/enrolments/{world['running'].external_id}/cancel" not in history
    page = browser.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Welding basics" in html and "Your seat in this batch is given up" in html
    assert db.session.get(Enrolment, world["upcoming"].id).status is EnrolmentStatus.enrolled
    assert services.batch_free_seats(world["coming"]) == 0
    response = browser.post(url)
    assert response.status_code == 302 and response.headers["Location"].endswith("/worker/history")
    db.session.expire_all()
    assert db.session.get(Enrolment, world["upcoming"].id).status is EnrolmentStatus.cancelled
    assert services.batch_free_seats(db.session.get(type(world["coming"]), world["coming"].id)) == 1
    history = browser.get("/worker/history").get_data(as_text=True)
    assert "cancelled" in history and "is cancelled" in history
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrolment_cancelled"))
    assert event.object_id == world["upcoming"].external_id


def test_cancelling_after_the_batch_started_is_refused_and_changes_nothing(client, login_as, world):
    browser = login_as(world["user"])
    url = f"/worker/enrolments/{world['running'].external_id}/cancel"
    page = browser.get(url)
    assert page.status_code == 409
    html = page.get_data(as_text=True)
    assert "it can no longer be cancelled" in html and f"{PAST.day} {PAST:%b %Y}" in html
    assert browser.post(url).status_code == 409
    db.session.expire_all()
    assert db.session.get(Enrolment, world["running"].id).status is EnrolmentStatus.enrolled


def test_cancel_page_in_marathi(client, login_as, world):
    browser = login_as(world["user"])
    browser.set_cookie("lang", "mr")
    html = browser.get(f"/worker/enrolments/{world['running'].external_id}/cancel").get_data(
        as_text=True
    )
    assert "रद्द" in html


def test_another_worker_cannot_cancel(client, login_as, world, factories):
    other = factories.user("worker", worker=factories.consenting_worker())
    url = f"/worker/enrolments/{world['upcoming'].external_id}/cancel"
    assert login_as(other).post(url).status_code == 403
    db.session.expire_all()
    assert db.session.get(Enrolment, world["upcoming"].id).status is EnrolmentStatus.enrolled


def test_api_cancel_and_refusal(app, world):
    api, headers = app.test_client(), bearer(world["user"])
    url = f"/api/v1/enrolments/{world['running'].external_id}/cancel"
    response = api.post(url, headers=headers)
    assert response.status_code == 422 and "no longer be cancelled" in str(response.json)
    response = api.post(
        f"/api/v1/enrolments/{world['upcoming'].external_id}/cancel", headers=headers
    )
    assert response.status_code == 200 and response.json["status"] == "cancelled"
    again = api.post(f"/api/v1/enrolments/{world['upcoming'].external_id}/cancel", headers=headers)
    assert again.status_code == 422


def test_a_cancelled_enrolment_is_not_counted_nor_certified(world):
    trainees.cancel_enrolment(world["upcoming"])
    counts = services.course_counts([world["course"].id])[world["course"].id]
    assert counts["enrolled"] == 1  # the running one only
    with pytest.raises(services.ValidationFailed):
        services.update_enrolment(world["upcoming"], {"certified": True})
    db.session.rollback()
