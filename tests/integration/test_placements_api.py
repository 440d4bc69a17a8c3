"""Placements and retention checks through the API: who records and sees what, the rules of a
placement's fields, nothing half-written, idempotent upserts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app import common
from app.errors import ValidationFailed
from app.placements import services
from app.placements.models import Placement, RetentionCheck
from tests.helpers import bearer, count


@pytest.fixture
def trainee(factories):
    """An institution login, a worker enrolled with it, and an employer with a posting."""
    institution = factories.user("institution")
    worker = factories.consenting_worker()
    factories.enrolment(worker, factories.course(institution.organisation))
    employer = factories.employer()
    return {
        "institution": institution,
        "worker": worker,
        "employer": employer,
        "posting": factories.posting(employer),
    }


def place(client, headers, trainee, **fields):
    payload = {
        "worker": trainee["worker"].external_id,
        "employer": trainee["employer"].external_id,
        "placed_on": "2026-03-01",
        "monthly_wage_inr": 15000,
        **fields,
    }
    return client.post("/api/v1/placements", json=payload, headers=headers)


def test_institution_records_placement_of_its_trainee(client, trainee):
    response = place(
        client,
        bearer(trainee["institution"]),
        trainee,
        posting=trainee["posting"].external_id,
        verification="salary_slip",
        verified_on="2026-04-05",
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["worker"]["id"] == trainee["worker"].external_id
    assert body["employer"]["id"] == trainee["employer"].external_id
    assert (body["posting"], body["verification"], body["retention_checks"]) == (
        trainee["posting"].external_id,
        "salary_slip",
        [],
    )


def test_self_employment_has_no_employer(client, trainee):
    headers = bearer(trainee["institution"])
    response = place(client, headers, trainee, employer=None, employment_type="self")
    assert response.status_code == 201, response.json
    assert response.json["employer"] is None
    response = place(client, headers, trainee, employment_type="self")
    assert response.status_code == 422 and "employer" in response.json["errors"]["json"]
    # Earnings of one's own work have no floor, unlike a wage job's monthly wage.
    response = place(
        client, headers, trainee, employer=None, employment_type="self", monthly_wage_inr=1800
    )
    assert response.status_code == 201, response.json


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"monthly_wage_inr": -1}, "monthly_wage_inr"),
        ({"monthly_wage_inr": 1900}, "monthly_wage_inr"),  # a wage job's ₹19,000 mistyped
        ({"ended_on": "2026-02-01"}, "ended_on"),
        ({"employment_type": "contract"}, "employment_type"),
        ({"verification": "handshake"}, "verification"),
        ({"verified_on": "2026-04-01"}, "verified_on"),  # verification is none
        ({"verification": "bank_credit", "verified_on": "2026-02-01"}, "verified_on"),
        ({"employer": None}, "employer"),  # a wage job needs its employer
        ({"employer": "EMP-NOPE"}, "employer"),
        ({"posting": "P-NOPE"}, "posting"),
        ({"worker": "W-NOPE"}, "worker"),
        ({"placed_on": "soon"}, "placed_on"),
    ],
)
def test_bad_placement_gets_422_for_the_field_and_writes_nothing(
    client, db_session, trainee, fields, bad_field
):
    before = count(db_session, Placement)
    response = place(client, bearer(trainee["institution"]), trainee, **fields)
    assert response.status_code == 422, response.json
    assert bad_field in response.json["errors"]["json"]
    assert count(db_session, Placement) == before


def test_posting_must_be_the_employers(client, factories, trainee):
    other_posting = factories.posting()
    response = place(
        client, bearer(trainee["institution"]), trainee, posting=other_posting.external_id
    )
    assert response.status_code == 422
    assert "posting" in response.json["errors"]["json"]


def test_institution_cannot_place_a_worker_not_enrolled_with_it(client, factories, db_session):
    institution = factories.user("institution")
    stranger = factories.consenting_worker()
    factories.enrolment(stranger, factories.course())  # enrolled elsewhere
    before = count(db_session, Placement)
    response = client.post(
        "/api/v1/placements",
        json={
            "worker": stranger.external_id,
            "employer": factories.employer().external_id,
            "placed_on": "2026-03-01",
            "monthly_wage_inr": 14000,
        },
        headers=bearer(institution),
    )
    assert response.status_code == 403
    assert count(db_session, Placement) == before


@pytest.mark.parametrize("role", ["worker", "employer"])
def test_workers_and_employers_cannot_record_placements(client, factories, trainee, role):
    response = place(client, bearer(factories.user(role)), trainee)
    assert response.status_code == 403


def test_who_sees_which_placements(client, factories, trainee):
    placed = factories.placement(trainee["worker"], trainee["employer"])
    worker_user = factories.user("worker")
    own = factories.placement(worker_user.worker, factories.employer())
    unrelated = factories.placement(factories.consenting_worker(), factories.employer())
    employer_user = factories.user("employer", organisation=trainee["employer"])

    def listed(user):
        return {p["id"] for p in client.get("/api/v1/placements", headers=bearer(user)).json}

    everything = {placed.external_id, own.external_id, unrelated.external_id}
    assert listed(factories.user("admin")) >= everything
    assert listed(trainee["institution"]) == {placed.external_id}
    assert listed(employer_user) == {placed.external_id}
    assert listed(worker_user) == {own.external_id}
    headers = bearer(worker_user)
    assert client.get(f"/api/v1/placements/{own.external_id}", headers=headers).status_code == 200
    assert (
        client.get(f"/api/v1/placements/{unrelated.external_id}", headers=headers).status_code
        == 403
    )
    assert client.get("/api/v1/placements/PL-NOPE", headers=headers).status_code == 404


def test_patch_by_other_institution_or_employer_is_refused(client, factories, db_session, trainee):
    placement = factories.placement(trainee["worker"], trainee["employer"], monthly_wage_inr=15000)
    url = f"/api/v1/placements/{placement.external_id}"
    for user in (
        factories.user("institution"),
        factories.user("employer", organisation=trainee["employer"]),
    ):
        response = client.patch(url, json={"monthly_wage_inr": 1}, headers=bearer(user))
        assert response.status_code == 403
    db_session.expire_all()
    assert db_session.get(Placement, placement.id).monthly_wage_inr == 15000
    response = client.patch(
        url, json={"ended_on": "2026-09-30"}, headers=bearer(trainee["institution"])
    )
    assert response.status_code == 200
    assert (response.json["ended_on"], response.json["monthly_wage_inr"]) == ("2026-09-30", 15000)
    response = client.patch(
        url, json={"ended_on": "2026-01-01"}, headers=bearer(trainee["institution"])
    )
    assert response.status_code == 422 and "ended_on" in response.json["errors"]["json"]


def test_retention_checks_are_upserted_per_period(client, factories, db_session, trainee):
    placement = factories.placement(
        trainee["worker"], trainee["employer"], placed_on=date(2026, 1, 31)
    )
    url = f"/api/v1/placements/{placement.external_id}/retention-checks"
    headers = bearer(trainee["institution"])
    response = client.post(
        url,
        json={"months": 3, "employed": True, "salary_slip": True, "verified_on": "2026-04-30"},
        headers=headers,
    )
    assert response.status_code == 201, response.json
    response = client.post(
        url,
        json={"months": 3, "employed": True, "bank_credit": True, "verified_by": "Placement cell"},
        headers=headers,
    )
    assert response.status_code == 201
    assert (response.json["salary_slip"], response.json["bank_credit"]) == (False, True)
    db_session.expire_all()
    checks = db_session.scalars(
        select(RetentionCheck).where(RetentionCheck.placement_id == placement.id)
    ).all()
    assert [(c.months, c.bank_credit, c.verified_by) for c in checks] == [
        (3, True, "Placement cell")
    ]
    shown = client.get(f"/api/v1/placements/{placement.external_id}", headers=headers).json
    assert [c["months"] for c in shown["retention_checks"]] == [3]


def test_retention_check_bad_input_and_refusals(client, factories, db_session, trainee):
    placement = factories.placement(
        trainee["worker"], trainee["employer"], placed_on=date(2026, 1, 31)
    )
    url = f"/api/v1/placements/{placement.external_id}/retention-checks"
    headers = bearer(trainee["institution"])
    response = client.post(url, json={"months": 4, "employed": "maybe"}, headers=headers)
    assert response.status_code == 422
    assert {"months", "employed"} <= set(response.json["errors"]["json"])
    # 31 January + 3 months is 30 April: evidence from before then proves nothing yet.
    response = client.post(
        url, json={"months": 3, "employed": True, "verified_on": "2026-04-29"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"]["verified_on"] == [
        "A 3-month check can be verified from 2026-04-30 on."
    ]
    for user in (factories.user("institution"), factories.user("worker")):
        response = client.post(url, json={"months": 3, "employed": True}, headers=bearer(user))
        assert response.status_code == 403
    assert (
        client.post(
            "/api/v1/placements/NOPE/retention-checks",
            json={"months": 3, "employed": True},
            headers=headers,
        ).status_code
        == 404
    )
    assert count(db_session, RetentionCheck) == 0


def test_placement_upsert_is_idempotent(db_session, trainee):
    data = {
        "external_id": "PL-1",
        "worker": trainee["worker"].external_id,
        "employer": trainee["employer"].external_id,
        "posting": None,
        "placed_on": date(2025, 9, 10),
        "monthly_wage_inr": 12900,
        "employment_type": "wage",
        "ended_on": date(2026, 5, 8),
        "verification": "salary_slip",
        "verified_on": None,
    }
    first, created = services.upsert_placement(data)
    second, created_again = services.upsert_placement(data)
    assert (created, created_again) == (True, False) and first is second
    assert count(db_session, Placement) == 1
    with pytest.raises(ValidationFailed) as error:
        services.upsert_placement({**data, "employer": None})
    assert "employer" in error.value.errors


def test_add_months_keeps_the_day_or_the_months_end():
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert services.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert services.add_months(date(2026, 3, 1), 12) == date(2027, 3, 1)


def test_a_new_placement_never_takes_an_id_in_use(db_session, trainee, monkeypatch):
    """Both ways in (a record with its own id, an employer's hire with a drawn one) refuse an id
    that a placement already has, naming it, and write nothing."""
    data = {
        "external_id": "PL-7",
        "worker": trainee["worker"].external_id,
        "employer": trainee["employer"].external_id,
        "placed_on": date(2026, 3, 1),
        "monthly_wage_inr": 15000,
    }
    services.create_placement(data)
    with pytest.raises(ValidationFailed) as recorded:
        services.create_placement({**data, "monthly_wage_inr": 16000})
    monkeypatch.setattr(common, "new_external_id", lambda prefix: "PL-7")
    with pytest.raises(ValidationFailed) as hired:
        services.create_placement_of_hire(
            trainee["worker"], trainee["posting"], date(2026, 3, 2), 17000
        )
    expected = {"external_id": ["A placement with id PL-7 exists."]}
    assert recorded.value.errors == hired.value.errors == expected
    assert count(db_session, Placement) == 1
