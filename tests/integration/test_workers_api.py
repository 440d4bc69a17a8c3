"""Workers through the API: who sees what, refusals that change nothing, validation per field."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.privacy.models import Consent
from app.privacy.notice import NOTICE_VERSION
from app.workers.models import Worker
from tests.helpers import bearer

PRIVATE_FIELDS = {"date_of_birth", "social_category", "disability", "phone", "email"}


def new_worker_body(**overrides) -> dict:
    body = {
        "external_id": "W-NEW-1",
        "name": "Sunita Pawar",
        "gender": "female",
        "date_of_birth": "2001-06-30",
        "district": "Pune",
        "state": "Maharashtra",
        "education": "iti",
        "languages": ["Marathi", "Hindi"],
        "phone": "98765 43210",
        "email": "Sunita@Example.org",
        "visible_to_employers": True,
        "social_category": "obc",
        "disability": False,
        "profile_text": "Two years on a VMC.",
        "consent": {"purposes": ["matching", "share_with_employers"]},
    }
    body.update(overrides)
    return body


def consent_to_all(worker: Worker) -> None:
    """The worker's standing consent to every purpose, as a registration or import records it."""
    from app.extensions import db
    from app.workers import services

    services.record_consent(
        worker, services.CONSENT_NOTICE_VERSION, list(services.CONSENT_PURPOSES)
    )
    db.session.commit()


def skill_rows(db_session, worker_id: int) -> set[tuple[str, int, str]]:
    db_session.expire_all()
    worker = db_session.get(Worker, worker_id)
    return {(row.skill.uri, row.proficiency, row.source.value) for row in worker.skills}


# --- Listing and viewing ------------------------------------------------------------------------


def test_admin_creates_worker_with_skills_and_phone_is_normalised(client, factories):
    welding = factories.skill("TIG welding")
    admin = factories.user("admin")
    body = new_worker_body(skills=[{"uri": welding.uri, "proficiency": 3, "source": "certified"}])
    response = client.post("/api/v1/workers", json=body, headers=bearer(admin))
    assert response.status_code == 201, response.json
    created = response.json
    assert created["id"] == "W-NEW-1"
    assert created["phone"] == "+919876543210"
    assert created["email"] == "sunita@example.org"
    assert created["age_band"] in {"18–24", "25–29"}
    assert created["skills"] == [
        {
            "uri": welding.uri,
            "label": "TIG welding",
            "label_en": "TIG welding",
            "proficiency": 3,
            "source": "certified",
        }
    ]


def test_employer_sees_only_visible_workers_and_never_private_fields(client, factories):
    skill = factories.skill("CNC turning")
    visible = factories.worker(
        visible_to_employers=True,
        phone="+919800000001",
        email="v@example.org",
        social_category="sc",
        disability=True,
        skills=[(skill, 3)],
    )
    consent_to_all(visible)
    hidden = factories.worker(visible_to_employers=False)
    consent_to_all(hidden)
    headers = bearer(factories.user("employer"))

    listed = client.get("/api/v1/workers?page_size=100", headers=headers)
    assert listed.status_code == 200
    ids = {row["id"] for row in listed.json}
    assert visible.external_id in ids and hidden.external_id not in ids
    for row in listed.json:
        assert not PRIVATE_FIELDS & set(row), row

    one = client.get(f"/api/v1/workers/{visible.external_id}", headers=headers)
    assert one.status_code == 200
    assert not PRIVATE_FIELDS & set(one.json)
    assert one.json["age_band"] and one.json["skills"][0]["label"] == "CNC turning"
    raw = one.get_data(as_text=True)
    assert "9800000001" not in raw and "v@example.org" not in raw and "2000-01-15" not in raw

    assert client.get(f"/api/v1/workers/{hidden.external_id}", headers=headers).status_code == 403
    skills = client.get(f"/api/v1/workers/{hidden.external_id}/skills", headers=headers)
    assert skills.status_code == 403


def test_institution_sees_only_workers_enrolled_with_it(client, factories):
    institution_user = factories.user("institution")
    course = factories.course(institution_user.organisation)
    mine = factories.worker(visible_to_employers=False, social_category="st")
    factories.enrolment(mine, course)
    elsewhere = factories.worker()
    factories.enrolment(elsewhere, factories.course())  # another institution's course
    headers = bearer(institution_user)

    listed = client.get("/api/v1/workers?page_size=100", headers=headers).json
    assert [row["id"] for row in listed] == [mine.external_id]
    assert listed[0]["social_category"] == "st"  # the full record, for its own trainees
    assert client.get(f"/api/v1/workers/{mine.external_id}", headers=headers).status_code == 200
    assert (
        client.get(f"/api/v1/workers/{elsewhere.external_id}", headers=headers).status_code == 403
    )


def test_worker_sees_only_themselves(client, factories, db_session):
    me = factories.user("worker")
    other = factories.worker(name="Someone Else")
    headers = bearer(me)
    listed = client.get("/api/v1/workers", headers=headers).json
    assert [row["id"] for row in listed] == [me.worker.external_id]
    assert client.get(f"/api/v1/workers/{other.external_id}", headers=headers).status_code == 403
    denied = db_session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "access_denied", AuditEvent.object_id == other.external_id
        )
    )
    assert denied == 1


def test_list_filters_by_district_and_skill(client, factories):
    welding = factories.skill("MIG welding")
    in_chakan = factories.worker(district="Chakan", skills=[welding])
    factories.worker(district="Chakan")
    factories.worker(district="Satara", skills=[welding])
    headers = bearer(factories.user("admin"))
    response = client.get(
        "/api/v1/workers",
        query_string={"district": "Chakan", "skill": welding.uri},
        headers=headers,
    )
    assert [row["id"] for row in response.json] == [in_chakan.external_id]
    assert '"total": 1' in response.headers["X-Pagination"]


def test_anonymous_is_401_and_unknown_is_404(client, factories):
    worker = factories.worker()
    assert client.get("/api/v1/workers").status_code == 401
    assert client.get(f"/api/v1/workers/{worker.external_id}").status_code == 401
    assert (
        client.get("/api/v1/workers/NOPE", headers=bearer(factories.user("admin"))).status_code
        == 404
    )


# --- Creating and editing -----------------------------------------------------------------------


def test_only_admins_and_institutions_create_workers(client, factories, db_session):
    refused_users = [factories.user("worker"), factories.user("employer")]
    before = db_session.scalar(select(func.count(Worker.id)))
    for user in refused_users:
        response = client.post(
            "/api/v1/workers",
            json=new_worker_body(external_id=f"W-{user.id}"),
            headers=bearer(user),
        )
        assert response.status_code == 403
    assert db_session.scalar(select(func.count(Worker.id))) == before
    response = client.post(
        "/api/v1/workers", json=new_worker_body(), headers=bearer(factories.user("institution"))
    )
    assert response.status_code == 201


def test_bad_input_gets_a_message_per_field_and_writes_nothing(client, factories, db_session):
    admin = factories.user("admin")
    before = db_session.scalar(select(func.count(Worker.id)))
    too_young = date.today().replace(year=date.today().year - 10).isoformat()
    response = client.post(
        "/api/v1/workers",
        json=new_worker_body(
            name="",
            gender="robot",
            date_of_birth=too_young,
            phone="12345",
            email="not-an-email",
            education="phd",
            social_category="x",
        ),
        headers=bearer(admin),
    )
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert {
        "name",
        "gender",
        "date_of_birth",
        "phone",
        "email",
        "education",
        "social_category",
    } <= set(errors)
    assert "14" in " ".join(errors["date_of_birth"])
    future = client.post(
        "/api/v1/workers", json=new_worker_body(date_of_birth="2999-01-01"), headers=bearer(admin)
    )
    assert "future" in " ".join(future.json["errors"]["json"]["date_of_birth"])
    assert db_session.scalar(select(func.count(Worker.id))) == before


def test_unknown_skill_on_create_writes_no_worker(client, factories, db_session):
    response = client.post(
        "/api/v1/workers",
        json=new_worker_body(skills=[{"uri": "urn:nope"}]),
        headers=bearer(factories.user("admin")),
    )
    assert response.status_code == 422
    assert "urn:nope" in response.json["errors"]["json"]["skills"][0]
    assert db_session.scalar(select(Worker.id).where(Worker.external_id == "W-NEW-1")) is None


def test_worker_patches_own_profile_only_within_the_allow_list(client, factories, db_session):
    me = factories.user("worker")
    headers = bearer(me)
    url = f"/api/v1/workers/{me.worker.external_id}"
    response = client.patch(url, json={"district": "Khed", "phone": "9812345678"}, headers=headers)
    assert response.status_code == 200
    assert response.json["district"] == "Khed" and response.json["phone"] == "+919812345678"
    assert response.json["name"] == me.worker.name

    for forbidden in ({"role": "admin"}, {"external_id": "W-HIJACK"}, {"verified": True}):
        refused = client.patch(url, json=forbidden, headers=headers)
        assert refused.status_code == 422, forbidden
        assert set(forbidden) <= set(refused.json["errors"]["json"])
    db_session.expire_all()
    assert db_session.get(Worker, me.worker.id).external_id == me.worker.external_id


def test_others_cannot_patch_a_worker_and_nothing_changes(client, factories, db_session):
    target = factories.worker(name="Original Name", visible_to_employers=True)
    institution_user = factories.user("institution")
    factories.enrolment(target, factories.course(institution_user.organisation))
    for user in (factories.user("worker"), factories.user("employer"), institution_user):
        response = client.patch(
            f"/api/v1/workers/{target.external_id}",
            json={"name": "Changed Name"},
            headers=bearer(user),
        )
        assert response.status_code == 403
    db_session.expire_all()
    assert db_session.get(Worker, target.id).name == "Original Name"


# --- Skills ---------------------------------------------------------------------------------


def test_put_skills_replaces_and_keeps_highest_duplicate(client, factories, db_session):
    a, b, c = factories.skill("alpha"), factories.skill("beta"), factories.skill("gamma")
    me = factories.user("worker", worker=factories.worker(skills=[(a, 2), (b, 1)]))
    response = client.put(
        f"/api/v1/workers/{me.worker.external_id}/skills",
        json={
            "skills": [
                {"uri": b.uri, "proficiency": 2},
                {"uri": c.uri, "proficiency": 1},
                {"uri": c.uri, "proficiency": 4},
            ]
        },
        headers=bearer(me),
    )
    assert response.status_code == 200, response.json
    assert [(s["label"], s["proficiency"]) for s in response.json] == [("beta", 2), ("gamma", 4)]
    assert skill_rows(db_session, me.worker.id) == {
        (b.uri, 2, "self_declared"),
        (c.uri, 4, "self_declared"),
    }


def test_one_bad_skill_uri_leaves_the_old_skills(client, factories, db_session):
    a, b = factories.skill("alpha"), factories.skill("beta")
    me = factories.user("worker", worker=factories.worker(skills=[(a, 3)]))
    before = skill_rows(db_session, me.worker.id)
    response = client.put(
        f"/api/v1/workers/{me.worker.external_id}/skills",
        json={"skills": [{"uri": b.uri, "proficiency": 2}, {"uri": "urn:kaushalsetu:skill:nope"}]},
        headers=bearer(me),
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"]["skills"] == [
        "Unknown skill: urn:kaushalsetu:skill:nope"
    ]
    assert skill_rows(db_session, me.worker.id) == before

    bad_level = client.put(
        f"/api/v1/workers/{me.worker.external_id}/skills",
        json={"skills": [{"uri": b.uri, "proficiency": 9}]},
        headers=bearer(me),
    )
    assert bad_level.status_code == 422
    assert skill_rows(db_session, me.worker.id) == before


def test_worker_cannot_certify_own_skills_but_keeps_certified_ones(client, factories, db_session):
    a, b = factories.skill("alpha"), factories.skill("beta")
    me = factories.user("worker", worker=factories.worker())
    from app.extensions import db
    from app.workers.services import add_worker_skill

    add_worker_skill(me.worker, a.uri, 3, "certified")
    db.session.commit()
    url = f"/api/v1/workers/{me.worker.external_id}/skills"
    forged = client.put(
        url,
        json={"skills": [{"uri": b.uri, "proficiency": 4, "source": "certified"}]},
        headers=bearer(me),
    )
    assert forged.status_code == 422
    assert b.uri in forged.json["errors"]["json"]["skills"][0]
    raised = client.put(
        url,
        json={"skills": [{"uri": a.uri, "proficiency": 4, "source": "certified"}]},
        headers=bearer(me),
    )
    assert raised.status_code == 422
    assert skill_rows(db_session, me.worker.id) == {(a.uri, 3, "certified")}
    kept = client.put(
        url,
        json={
            "skills": [
                {"uri": a.uri, "proficiency": 3, "source": "certified"},
                {"uri": b.uri, "proficiency": 2},
            ]
        },
        headers=bearer(me),
    )
    assert kept.status_code == 200
    assert skill_rows(db_session, me.worker.id) == {
        (a.uri, 3, "certified"),
        (b.uri, 2, "self_declared"),
    }


def test_institution_records_an_assessed_skill_for_its_trainee_only(client, factories, db_session):
    skill = factories.skill("surface grinding")
    institution_user = factories.user("institution")
    trainee = factories.worker()
    factories.enrolment(trainee, factories.course(institution_user.organisation))
    stranger = factories.worker()
    headers = bearer(institution_user)
    body = {"uri": skill.uri, "proficiency": 3, "source": "assessed"}
    response = client.post(
        f"/api/v1/workers/{trainee.external_id}/skills", json=body, headers=headers
    )
    assert response.status_code == 200
    assert response.json == {
        "uri": skill.uri,
        "label": "surface grinding",
        "label_en": "surface grinding",
        "proficiency": 3,
        "source": "assessed",
    }
    refused = client.post(
        f"/api/v1/workers/{stranger.external_id}/skills", json=body, headers=headers
    )
    assert refused.status_code == 403
    assert skill_rows(db_session, stranger.id) == set()
    # Institutions record single skills; replacing someone's whole list is for them or an admin.
    put = client.put(
        f"/api/v1/workers/{trainee.external_id}/skills", json={"skills": []}, headers=headers
    )
    assert put.status_code == 403
    assert skill_rows(db_session, trainee.id) == {(skill.uri, 3, "assessed")}


# --- Consent --------------------------------------------------------------------------------


def test_consent_record_and_withdraw(client, factories, db_session):
    me = factories.user("worker", worker=factories.worker(visible_to_employers=True))
    headers = bearer(me)
    url = f"/api/v1/workers/{me.worker.external_id}/consent"
    response = client.post(
        url, json={"notice_version": "2025-1", "purposes": ["matching"]}, headers=headers
    )
    assert response.status_code == 201
    assert response.json["given_by"] == "self" and response.json["withdrawn_at"] is None
    shown = client.get(f"/api/v1/workers/{me.worker.external_id}", headers=headers).json
    assert shown["consent"]["purposes"] == ["matching"]

    assert client.delete(url, headers=headers).status_code == 204
    shown = client.get(f"/api/v1/workers/{me.worker.external_id}", headers=headers).json
    assert shown["consent"] is None
    assert shown["visible_to_employers"] is False
    rows = db_session.scalars(select(Consent).where(Consent.worker_id == me.worker.id)).all()
    assert len(rows) == 1 and rows[0].withdrawn_at is not None


def test_consent_needs_known_purposes_and_the_right_person(client, factories, db_session):
    me = factories.user("worker")
    url = f"/api/v1/workers/{me.worker.external_id}/consent"
    bad = client.post(url, json={"purposes": ["sell_my_data"]}, headers=bearer(me))
    assert bad.status_code == 422 and "purposes" in bad.json["errors"]["json"]
    empty = client.post(url, json={"purposes": []}, headers=bearer(me))
    assert empty.status_code == 422
    for role in ("worker", "employer"):
        other = client.post(
            url, json={"purposes": ["matching"]}, headers=bearer(factories.user(role))
        )
        assert other.status_code == 403
    assert client.delete(url, headers=bearer(factories.user("employer"))).status_code == 403
    count = db_session.scalar(
        select(func.count(Consent.id)).where(Consent.worker_id == me.worker.id)
    )
    assert count == 0


def test_institution_records_assisted_consent_with_who_recorded_it(client, factories):
    institution_user = factories.user("institution")
    trainee = factories.worker()
    factories.enrolment(trainee, factories.course(institution_user.organisation))
    response = client.post(
        f"/api/v1/workers/{trainee.external_id}/consent",
        json={"purposes": ["matching", "training_referrals"]},
        headers=bearer(institution_user),
    )
    assert response.status_code == 201
    assert response.json["given_by"] == f"institution:{institution_user.id}"
    assert response.json["notice_version"] == NOTICE_VERSION  # the notice in force
