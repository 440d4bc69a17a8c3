"""Dates of events that have happened cannot be in the future, and a job is recorded at most 90
days ahead of its start: the same 422 in the API, the pages and imports (one set of schemas)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from tests.helpers import bearer

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize("field", ["enrolled_on", "completed_on", "certified_on"])
def test_an_enrolments_events_cannot_be_dated_tomorrow(client, factories, field):
    staff = factories.user("institution")
    course = factories.course(staff.organisation)
    worker = factories.consenting_worker()
    body = {
        "worker": worker.external_id,
        "course": course.external_id,
        "enrolled_on": date.today().isoformat(),
        "status": "completed",
        "completed_on": date.today().isoformat(),
        "certified": True,
        "certified_on": date.today().isoformat(),
    }
    accepted = client.post("/api/v1/enrolments", json=body, headers=bearer(staff))
    assert accepted.status_code == 201, accepted.json
    refused = client.post(
        "/api/v1/enrolments",
        json={**body, field: TOMORROW},
        headers=bearer(staff),
    )
    assert refused.status_code == 422
    assert "in the future" in str(refused.json["errors"])


def test_a_placement_starts_at_most_90_days_ahead_and_its_checks_are_not_in_the_future(
    client, factories
):
    staff = factories.user("institution")
    worker = factories.consenting_worker()
    employer = factories.employer()
    headers = bearer(staff)
    body = {
        "worker": worker.external_id,
        "employer": employer.external_id,
        "monthly_wage_inr": 15000,
    }
    soon = (date.today() + timedelta(days=90)).isoformat()
    later = (date.today() + timedelta(days=91)).isoformat()
    factories.enrolment(worker, factories.course(staff.organisation))
    db.session.commit()
    accepted = client.post("/api/v1/placements", json={**body, "placed_on": soon}, headers=headers)
    assert accepted.status_code == 201, accepted.json
    refused = client.post("/api/v1/placements", json={**body, "placed_on": later}, headers=headers)
    assert refused.status_code == 422
    assert "90 days" in str(refused.json["errors"])
    ended = client.patch(
        f"/api/v1/placements/{accepted.json['id']}", json={"ended_on": TOMORROW}, headers=headers
    )
    assert ended.status_code == 422
