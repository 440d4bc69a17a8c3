"""Institutions correct certification, completion, placement and retention records they own
(issue 17): the same rules as any change (no date in the future), another institution is refused,
and the audit trail keeps each changed field's old and new value, listed on the page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.institutions.models import Enrolment, EnrolmentStatus
from app.placements.models import Placement
from tests.helpers import bearer

TOMORROW = date.today() + timedelta(days=1)


@pytest.fixture
def world(factories):
    user = factories.user("institution")
    course = factories.course(user.organisation, title="Fitter")
    batch = factories.batch(course, start_date=date(2026, 1, 5))
    worker = factories.consenting_worker(name="Ravi Fitter")
    enrolment = factories.enrolment(
        worker,
        course,
        batch=batch,
        enrolled_on=date(2026, 1, 5),
        status="completed",
        completed_on=date(2026, 4, 30),
        certified=True,
        certified_on=date(2026, 5, 10),
    )
    employer = factories.employer(name="Chakan Forge")
    placement = factories.placement(
        worker, employer, placed_on=date(2026, 5, 20), monthly_wage_inr=14000
    )
    return {"user": user, "enrolment": enrolment, "placement": placement, "employer": employer}


def corrections(object_type: str, object_id: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "record_corrected",
                AuditEvent.object_type == object_type,
                AuditEvent.object_id == object_id,
            )
        )
    )


def enrolment_form(**changes) -> dict:
    form = {
        "status": "completed",
        "enrolled_on": "2026-01-05",
        "completed_on": "2026-04-30",
        "certified": "y",
        "certified_on": "2026-05-10",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def test_institution_corrects_a_certificate_date_and_the_trail_shows_old_and_new(
    client, login_as, world
):
    browser = login_as(world["user"])
    enrolment = world["enrolment"]
    url = f"/institution/enrolments/{enrolment.external_id}/correct"
    page = browser.get(url)
    assert page.status_code == 200 and 'value="2026-05-10"' in page.get_data(as_text=True)
    response = browser.post(url, data=enrolment_form(certified_on="2026-05-12"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).certified_on == date(2026, 5, 12)
    (event,) = corrections("enrolment", enrolment.external_id)
    assert event.detail["changes"] == {"certified_on": {"old": "2026-05-10", "new": "2026-05-12"}}
    assert event.actor_id == world["user"].id
    html = browser.get(url).get_data(as_text=True)
    assert "Certified on: 10 May 2026 → 12 May 2026" in html


def test_completion_can_be_undone_and_certificate_withdrawn(client, login_as, world):
    browser = login_as(world["user"])
    enrolment = world["enrolment"]
    url = f"/institution/enrolments/{enrolment.external_id}/correct"
    form = enrolment_form(status="enrolled", completed_on="", certified=None, certified_on="")
    assert browser.post(url, data=form).status_code == 302
    db.session.expire_all()
    row = db.session.get(Enrolment, enrolment.id)
    assert row.status is EnrolmentStatus.enrolled and row.completed_on is None
    assert not row.certified and row.certified_on is None
    (event,) = corrections("enrolment", enrolment.external_id)
    assert event.detail["changes"]["status"] == {"old": "completed", "new": "enrolled"}
    assert event.detail["changes"]["certified"] == {"old": True, "new": False}


def test_a_date_in_the_future_is_refused_and_nothing_changes(client, login_as, world):
    browser = login_as(world["user"])
    enrolment = world["enrolment"]
    url = f"/institution/enrolments/{enrolment.external_id}/correct"
    response = browser.post(url, data=enrolment_form(completed_on=TOMORROW.isoformat()))
    assert response.status_code == 422
    assert "This date is in the future" in response.get_data(as_text=True)
    response = browser.post(url, data=enrolment_form(certified_on="2025-12-01"))
    assert response.status_code == 422  # before the enrolment
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).completed_on == date(2026, 4, 30)
    assert corrections("enrolment", enrolment.external_id) == []


def test_another_institution_cannot_correct(client, login_as, world, factories):
    browser = login_as(factories.user("institution"))
    enrolment, placement = world["enrolment"], world["placement"]
    url = f"/institution/enrolments/{enrolment.external_id}/correct"
    assert browser.get(url).status_code == 403
    assert browser.post(url, data=enrolment_form(certified_on="2026-05-12")).status_code == 403
    url = f"/institution/placements/{placement.external_id}/correct"
    assert browser.post(url, data={"monthly_wage_inr": "1"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).certified_on == date(2026, 5, 10)
    assert db.session.get(Placement, placement.id).monthly_wage_inr == 14000


def test_institution_corrects_a_placement_with_audit(client, login_as, world):
    browser = login_as(world["user"])
    placement = world["placement"]
    url = f"/institution/placements/{placement.external_id}/correct"
    html = browser.get(url).get_data(as_text=True)
    assert 'value="14000"' in html and "Chakan Forge" in html
    form = {
        "employment_type": "wage",
        "employer": world["employer"].external_id,
        "posting": "",
        "placed_on": "2026-05-21",
        "monthly_wage_inr": "15500",
        "ended_on": "",
        "verification": "salary_slip",
        "verified_on": "2026-06-30",
    }
    assert browser.post(url, data=form).status_code == 302
    db.session.expire_all()
    row = db.session.get(Placement, placement.id)
    assert row.monthly_wage_inr == 15500 and row.placed_on == date(2026, 5, 21)
    (event,) = corrections("placement", placement.external_id)
    assert event.detail["changes"]["monthly_wage_inr"] == {"old": 14000, "new": 15500}
    assert event.detail["changes"]["verification"] == {"old": "none", "new": "salary_slip"}
    html = browser.get(url).get_data(as_text=True)
    assert "₹14,000 → ₹15,500" in html
    bad = {**form, "ended_on": TOMORROW.isoformat()}
    assert browser.post(url, data=bad).status_code == 422


def test_correcting_a_retention_check_is_audited(client, login_as, world):
    browser = login_as(world["user"])
    placement = world["placement"]
    url = f"/institution/placements/{placement.external_id}/retention-checks"
    first = {"months": "3", "employed": "y", "verified_on": "2026-08-25", "verified_by": "HR"}
    browser.post(url, data=first)
    assert corrections("retention_check", f"{placement.external_id}/3") == []  # a first record
    browser.post(url, data={**first, "salary_slip": "y", "verified_by": "Plant HR"})
    (event,) = corrections("retention_check", f"{placement.external_id}/3")
    assert event.detail["changes"] == {
        "salary_slip": {"old": False, "new": True},
        "verified_by": {"changed": True},  # a person's name stays out of the trail
    }
    html = browser.get(f"/institution/placements/{placement.external_id}/correct").get_data(
        as_text=True
    )
    assert "3-month check" in html and "Salary slip: No → Yes" in html


def test_api_patch_of_an_enrolment_is_audited(app, world):
    api = app.test_client()
    enrolment = world["enrolment"]
    response = api.patch(
        f"/api/v1/enrolments/{enrolment.external_id}",
        json={"completed_on": "2026-04-29"},
        headers=bearer(world["user"]),
    )
    assert response.status_code == 200
    (event,) = corrections("enrolment", enrolment.external_id)
    assert event.detail["changes"] == {"completed_on": {"old": "2026-04-30", "new": "2026-04-29"}}
