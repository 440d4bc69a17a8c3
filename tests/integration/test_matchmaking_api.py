"""Matching API: who may ask what, and that employers never see hidden workers or personal data."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from tests.helpers import bearer

PERSONAL = {"name", "date_of_birth", "phone", "email", "social_category", "disability", "gender"}


@pytest.fixture
def world(factories):
    tig = factories.skill("perform tungsten inert gas welding")
    drawings = factories.skill("read engineering drawings")
    course = factories.course(skills=[tig, drawings], hours=200)
    factories.module(course, skills=[tig], hours=40)
    factories.batch(course, start_date=date(2026, 12, 1), seats=10)
    employer = factories.employer(sector="forging")
    posting = factories.posting(employer, skills=[(tig, True, 2), (drawings, True, 1)])
    other_posting = factories.posting(skills=[(tig, True, 1)])
    visible = factories.consenting_worker(skills=[(tig, 1), (drawings, 2)], phone="+91 9876543210")
    hidden = factories.consenting_worker(
        visible_to_employers=False, skills=[(tig, 3), (drawings, 3)]
    )
    return {
        "posting": posting,
        "other_posting": other_posting,
        "visible": visible,
        "hidden": hidden,
        "employer_user": factories.user("employer", organisation=employer),
        "visible_user": factories.user("worker", worker=visible),
        "hidden_user": factories.user("worker", worker=hidden),
    }


def test_worker_gets_own_jobs_and_gap(client, world):
    headers = bearer(world["hidden_user"])
    worker_id = world["hidden"].external_id
    response = client.get(f"/api/v1/workers/{worker_id}/jobs", headers=headers)
    assert response.status_code == 200, response.json
    assert {job["posting_id"] for job in response.json} == {
        world["posting"].external_id,
        world["other_posting"].external_id,
    }
    assert response.json[0]["fit"] == 100
    posting_id = world["posting"].external_id
    response = client.get(
        f"/api/v1/workers/{worker_id}/gap/{posting_id}?today=2026-11-01", headers=headers
    )
    assert response.status_code == 200, response.json
    assert set(response.json) == {"fit", "covered", "partial", "missing", "plan", "uncovered"}


def test_worker_opening_another_workers_gap_is_refused_and_audited(client, world, db_session):
    headers = bearer(world["visible_user"])
    other = world["hidden"].external_id
    before = db_session.scalar(select(func.count(AuditEvent.id)))
    response = client.get(
        f"/api/v1/workers/{other}/gap/{world['posting'].external_id}", headers=headers
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/workers/{other}/jobs", headers=headers).status_code == 403
    assert db_session.scalar(select(func.count(AuditEvent.id))) == before + 2


def test_employer_may_not_ask_for_a_workers_jobs(client, world):
    headers = bearer(world["employer_user"])
    response = client.get(f"/api/v1/workers/{world['visible'].external_id}/jobs", headers=headers)
    assert response.status_code == 403


def test_employer_candidates_are_visible_workers_without_personal_fields(client, world):
    headers = bearer(world["employer_user"])
    posting_id = world["posting"].external_id
    response = client.get(f"/api/v1/postings/{posting_id}/candidates", headers=headers)
    assert response.status_code == 200, response.json
    assert [row["worker_id"] for row in response.json] == [world["visible"].external_id]
    for row in response.json:
        assert not PERSONAL & set(row)
        assert "9876543210" not in str(row)
    response = client.get(
        f"/api/v1/postings/{posting_id}/trainable?max_hours=100&today=2026-11-01", headers=headers
    )
    assert response.status_code == 200, response.json
    assert [row["worker_id"] for row in response.json] == [world["visible"].external_id]
    assert response.json[0]["training_hours"] == 40
    assert not PERSONAL & set(response.json[0])


def test_employer_viewing_another_employers_candidates_is_refused(client, world):
    headers = bearer(world["employer_user"])
    other = world["other_posting"].external_id
    assert client.get(f"/api/v1/postings/{other}/candidates", headers=headers).status_code == 403
    assert client.get(f"/api/v1/postings/{other}/trainable", headers=headers).status_code == 403


def test_workers_and_institutions_may_not_list_candidates(client, world, factories):
    posting_id = world["posting"].external_id
    for user in (world["visible_user"], factories.user("institution")):
        response = client.get(f"/api/v1/postings/{posting_id}/candidates", headers=bearer(user))
        assert response.status_code == 403


def test_demand_for_institutions_and_admins_only(client, world, factories):
    for role, status in (("institution", 200), ("admin", 200), ("employer", 403), ("worker", 403)):
        response = client.get("/api/v1/demand", headers=bearer(factories.user(role)))
        assert response.status_code == status, role
    headers = bearer(factories.user("institution"))
    response = client.get("/api/v1/demand?sector=forging&today=2026-11-01", headers=headers)
    labels = {row["label"]: row for row in response.json["rows"]}
    assert labels["perform tungsten inert gas welding"]["supply"] == 1  # the hidden one not counted
    response = client.get("/api/v1/demand?format=csv", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True).startswith("uri,label,demand,supply")


def test_bad_query_arguments_get_field_messages(client, world, factories):
    headers = bearer(world["employer_user"])
    posting_id = world["posting"].external_id
    response = client.get(
        f"/api/v1/postings/{posting_id}/trainable?max_hours=-1&top_k=0", headers=headers
    )
    assert response.status_code == 422
    assert {"max_hours", "top_k"} <= set(response.json["errors"]["query"])
    response = client.get("/api/v1/demand?format=xml", headers=bearer(factories.user("admin")))
    assert response.status_code == 422


def test_unknown_ids_are_404(client, world):
    headers = bearer(world["visible_user"])
    worker_id = world["visible"].external_id
    assert client.get(f"/api/v1/workers/{worker_id}/gap/P-NONE", headers=headers).status_code == 404
    assert client.get("/api/v1/workers/W-NONE/jobs", headers=headers).status_code == 404


def test_privacy_rules_decide_who_is_matched_and_shown(client, world, factories, db_session):
    from app.workers.services import record_consent

    tig = world["posting"].skills[0].skill
    no_consent = factories.worker(skills=[(tig, 3)])  # never consented
    minor = factories.consenting_worker(
        date_of_birth=date.today().replace(year=2012), skills=[(tig, 3)]
    )
    kept_private = factories.consenting_worker(skills=[(tig, 3)])
    record_consent(kept_private, "2025-1", ["matching"])  # a newer consent without sharing
    db_session.commit()
    headers = bearer(world["employer_user"])
    posting_id = world["posting"].external_id
    shown = {
        row["worker_id"]
        for row in client.get(f"/api/v1/postings/{posting_id}/candidates", headers=headers).json
    }
    assert shown == {world["visible"].external_id}
    assert not {no_consent.external_id, minor.external_id, kept_private.external_id} & shown
    own = bearer(factories.user("worker", worker=no_consent))
    response = client.get(f"/api/v1/workers/{no_consent.external_id}/jobs", headers=own)
    assert response.status_code == 403
    assert "consent" in response.json["message"]
    private = bearer(factories.user("worker", worker=kept_private))
    response = client.get(f"/api/v1/workers/{kept_private.external_id}/jobs", headers=private)
    assert response.status_code == 200  # matched for themselves, only hidden from employers
