"""Postings through the API: ownership, refusals, validation, and nothing half-written."""

from __future__ import annotations

from sqlalchemy import func, select

from app.employers.models import JobPosting
from tests.helpers import bearer


def test_employer_creates_posting_with_skills(client, factories):
    welding = factories.skill("TIG welding")
    drawing = factories.skill("read engineering drawings")
    employer = factories.user("employer")
    response = client.post(
        "/api/v1/postings",
        json={
            "title": "TIG Welder",
            "district": "Pune",
            "openings": 4,
            "wage_min_inr": 16000,
            "wage_max_inr": 22000,
            "skills": [
                {"uri": welding.uri, "essential": True, "min_proficiency": 3},
                {"uri": drawing.uri, "essential": False},
            ],
        },
        headers=bearer(employer),
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["employer"]["id"] == employer.organisation.external_id
    assert {(s["label"], s["essential"], s["min_proficiency"]) for s in body["skills"]} == {
        ("TIG welding", True, 3),
        ("read engineering drawings", False, 1),
    }


def test_unknown_skill_rejects_the_whole_posting(client, factories, db_session):
    employer = factories.user("employer")
    before = db_session.scalar(select(func.count(JobPosting.id)))
    response = client.post(
        "/api/v1/postings",
        json={"title": "Fitter", "district": "Pune", "skills": [{"uri": "urn:nope"}]},
        headers=bearer(employer),
    )
    assert response.status_code == 422
    assert "skills" in response.json["errors"]["json"]
    assert db_session.scalar(select(func.count(JobPosting.id))) == before


def test_bad_input_gets_a_message_per_field(client, factories):
    employer = factories.user("employer")
    response = client.post(
        "/api/v1/postings",
        json={"title": "", "openings": 0, "wage_min_inr": 20000, "wage_max_inr": 1000},
        headers=bearer(employer),
    )
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert {"title", "openings", "district", "wage_max_inr"} <= set(errors)


def test_employer_cannot_see_or_change_another_employers_posting(client, factories, db_session):
    mine = factories.user("employer")
    other_posting = factories.posting(title="Their posting")
    headers = bearer(mine)
    assert (
        client.get(f"/api/v1/postings/{other_posting.external_id}", headers=headers).status_code
        == 403
    )
    response = client.patch(
        f"/api/v1/postings/{other_posting.external_id}", json={"title": "Hijacked"}, headers=headers
    )
    assert response.status_code == 403
    assert (
        client.delete(f"/api/v1/postings/{other_posting.external_id}", headers=headers).status_code
        == 403
    )
    db_session.expire_all()
    assert db_session.get(JobPosting, other_posting.id).title == "Their posting"
    listed = client.get("/api/v1/postings", headers=headers).json
    assert other_posting.external_id not in {p["id"] for p in listed}


def test_worker_sees_open_postings_only_and_cannot_create(client, factories):
    worker = factories.user("worker")
    open_posting = factories.posting(status="open")
    closed = factories.posting(status="closed")
    headers = bearer(worker)
    ids = {p["id"] for p in client.get("/api/v1/postings?page_size=100", headers=headers).json}
    assert open_posting.external_id in ids and closed.external_id not in ids
    assert client.get(f"/api/v1/postings/{closed.external_id}", headers=headers).status_code == 403
    response = client.post(
        "/api/v1/postings", json={"title": "X job", "district": "Pune"}, headers=headers
    )
    assert response.status_code == 403


def test_unknown_posting_is_404_and_anonymous_is_401(client, factories):
    admin = factories.user("admin")
    assert client.get("/api/v1/postings/NOPE", headers=bearer(admin)).status_code == 404
    response = client.get("/api/v1/postings")
    assert response.status_code == 401
    assert response.json["code"] == 401


def test_patch_changes_only_what_is_sent(client, factories):
    employer = factories.user("employer")
    posting = factories.posting(employer.organisation, title="Old", status="open", openings=3)
    response = client.patch(
        f"/api/v1/postings/{posting.external_id}", json={"title": "New"}, headers=bearer(employer)
    )
    assert response.status_code == 200
    assert response.json["title"] == "New"
    assert response.json["status"] == "open" and response.json["openings"] == 3


def test_revoked_token_after_password_change(client, factories, db_session):
    from app.auth.services import change_password

    employer = factories.user("employer")
    headers = bearer(employer)
    assert client.get("/api/v1/postings", headers=headers).status_code == 200
    change_password(employer, "another-long-password")
    db_session.commit()
    assert client.get("/api/v1/postings", headers=headers).status_code == 401


def test_a_page_far_past_the_end_is_empty_not_an_error(client, factories):
    """Found by the fuzzer: page=5427762572320264788 overflowed SQLite's OFFSET (a 500)."""
    response = client.get(
        "/api/v1/postings?page=5427762572320264788", headers=bearer(factories.user("admin"))
    )
    assert response.status_code == 200 and response.json == []
