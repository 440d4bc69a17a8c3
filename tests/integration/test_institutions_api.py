"""Courses, modules, batches, enrolments and organisations through the API: each role's access,
refusals that leave the database unchanged, one message per bad field, idempotent upserts."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import ValidationFailed
from app.institutions import services
from app.institutions.models import Batch, Course, Enrolment, EnrolmentStatus, Module
from app.organisations import services as organisation_services
from app.organisations.models import Organisation
from tests.helpers import bearer, count


@pytest.fixture
def institute(factories):
    """An institution login with one course (two skills) and a batch of 2 seats."""
    user = factories.user("institution")
    welding, drawing = factories.skill("TIG welding"), factories.skill("read drawings")
    course = factories.course(user.organisation, skills=[welding, drawing], title="Welder")
    batch = factories.batch(course, seats=2, start_date=date(2026, 1, 1))
    return {"user": user, "course": course, "batch": batch, "skills": (welding, drawing)}


# Courses ---------------------------------------------------------------------------------------


def test_institution_creates_course_with_skills_and_nsqf(client, factories):
    user = factories.user("institution")
    skill = factories.skill("operate CNC lathe")
    response = client.post(
        "/api/v1/courses",
        json={
            "title": "CNC Operator – Turning",
            "hours": 480,
            "nsqf_level": 4,
            "qp_code": "CSC/Q0108",
            "fee_inr": 0,
            "skills": [skill.uri],
            "institution": "SOMEONE-ELSE",  # ignored: an institution adds courses for itself
        },
        headers=bearer(user),
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["institution"]["id"] == user.organisation.external_id
    assert (body["nsqf_level"], body["qp_code"], body["hours"]) == (4, "CSC/Q0108", 480)
    assert [s["uri"] for s in body["skills"]] == [skill.uri]


def test_course_bad_input_gets_a_message_per_field_and_writes_nothing(
    client, factories, db_session
):
    user = factories.user("institution")
    before = count(db_session, Course)
    response = client.post(
        "/api/v1/courses",
        json={"title": "", "hours": 0, "nsqf_level": 11, "fee_inr": -5, "mode": "postal"},
        headers=bearer(user),
    )
    assert response.status_code == 422
    assert {"title", "hours", "nsqf_level", "fee_inr", "mode"} <= set(
        response.json["errors"]["json"]
    )
    response = client.post(
        "/api/v1/courses",
        json={"title": "Fitter", "hours": 100, "skills": ["urn:nope:1"]},
        headers=bearer(user),
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"]["skills"] == ["Unknown skill: urn:nope:1"]
    assert count(db_session, Course) == before


def test_admin_must_name_an_existing_institution(client, factories):
    admin = factories.user("admin")
    employer = factories.employer()
    for named in (None, "NOPE", employer.external_id):
        payload = {"title": "Fitter", "hours": 100}
        if named:
            payload["institution"] = named
        response = client.post("/api/v1/courses", json=payload, headers=bearer(admin))
        assert response.status_code == 422
        assert "institution" in response.json["errors"]["json"]
    institution = factories.institution()
    response = client.post(
        "/api/v1/courses",
        json={"title": "Fitter", "hours": 100, "institution": institution.external_id},
        headers=bearer(admin),
    )
    assert response.status_code == 201
    assert response.json["institution"]["id"] == institution.external_id


def test_other_institution_cannot_change_or_delete_a_course(
    client, factories, db_session, institute
):
    course = institute["course"]
    other = bearer(factories.user("institution"))
    url = f"/api/v1/courses/{course.external_id}"
    assert client.get(url, headers=other).status_code == 200  # the catalogue is public
    assert client.patch(url, json={"title": "Hijacked"}, headers=other).status_code == 403
    assert client.delete(url, headers=other).status_code == 403
    response = client.post(f"{url}/modules", json={"title": "Extra", "hours": 10}, headers=other)
    assert response.status_code == 403
    db_session.expire_all()
    assert db_session.get(Course, course.id).title == "Welder"
    assert db_session.get(Course, course.id).modules == []


@pytest.mark.parametrize("role", ["worker", "employer"])
def test_workers_and_employers_read_courses_but_cannot_create(client, factories, institute, role):
    headers = bearer(factories.user(role))
    ids = {c["id"] for c in client.get("/api/v1/courses?page_size=100", headers=headers).json}
    assert institute["course"].external_id in ids
    response = client.post("/api/v1/courses", json={"title": "X", "hours": 1}, headers=headers)
    assert response.status_code == 403


def test_course_filters_and_patch_changes_only_what_is_sent(client, factories, institute):
    headers = bearer(institute["user"])
    other = factories.course(title="Electrician", nsqf_level=3)
    listed = client.get(
        f"/api/v1/courses?institution={institute['user'].organisation.external_id}",
        headers=headers,
    ).json
    assert [c["id"] for c in listed] == [institute["course"].external_id]
    assert [c["id"] for c in client.get("/api/v1/courses?q=ELECTRIC", headers=headers).json] == [
        other.external_id
    ]
    url = f"/api/v1/courses/{institute['course'].external_id}"
    response = client.patch(url, json={"fee_inr": 2500}, headers=headers)
    assert response.status_code == 200
    assert response.json["fee_inr"] == 2500 and response.json["title"] == "Welder"
    assert len(response.json["skills"]) == 2
    response = client.patch(url, json={"skills": []}, headers=headers)
    assert response.json["skills"] == []


def test_owner_deletes_course_without_enrolments_with_its_batches(client, institute, db_session):
    course_id, batch_id = institute["course"].id, institute["batch"].id
    response = client.delete(
        f"/api/v1/courses/{institute['course'].external_id}", headers=bearer(institute["user"])
    )
    assert response.status_code == 204
    db_session.expire_all()
    assert db_session.get(Course, course_id) is None and db_session.get(Batch, batch_id) is None


def test_unknown_ids_are_404(client, factories):
    headers = bearer(factories.user("admin"))
    for url in (
        "/api/v1/courses/NOPE",
        "/api/v1/courses/NOPE/modules",
        "/api/v1/batches/NOPE",
        "/api/v1/enrolments/NOPE",
        "/api/v1/employers/NOPE",
        "/api/v1/institutions/NOPE",
    ):
        assert client.get(url, headers=headers).status_code == 404, url


# Modules ---------------------------------------------------------------------------------------


def test_module_skills_missing_from_course_are_added_to_it(client, factories, institute):
    extra = factories.skill("purge argon line")
    welding = institute["skills"][0]
    url = f"/api/v1/courses/{institute['course'].external_id}/modules"
    response = client.post(
        url,
        json={
            "title": "Bridge: argon",
            "hours": 20,
            "is_bridge": True,
            "skills": [welding.uri, extra.uri],
        },
        headers=bearer(institute["user"]),
    )
    assert response.status_code == 201, response.json
    assert response.json["is_bridge"] is True
    course = client.get(
        f"/api/v1/courses/{institute['course'].external_id}", headers=bearer(institute["user"])
    ).json
    assert extra.uri in {s["uri"] for s in course["skills"]}
    modules = client.get(url, headers=bearer(factories.user("worker"))).json
    assert [m["title"] for m in modules] == ["Bridge: argon"]


def test_removing_course_skills_keeps_those_a_module_teaches(db_session, factories, institute):
    welding, drawing = institute["skills"]
    services.upsert_module(
        institute["course"],
        {"external_id": "M-X", "title": "Weld", "hours": 10, "skills": [welding.uri]},
    )
    services.set_course_skills(institute["course"], [])
    assert [s.uri for s in institute["course"].skills] == [welding.uri]
    with pytest.raises(ValidationFailed) as error:
        services.set_course_skills(institute["course"], [drawing.uri, "urn:missing"])
    assert error.value.errors == {"skills": ["Unknown skill: urn:missing"]}


def test_module_upsert_is_idempotent_and_stays_in_its_course(db_session, factories, institute):
    data = {"external_id": "M-1", "title": "Safety", "hours": 8, "skills": []}
    module, created = services.upsert_module(institute["course"], data)
    again, created_again = services.upsert_module(institute["course"], data)
    assert (created, created_again) == (True, False) and module is again
    assert count(db_session, Module) == 1
    with pytest.raises(ValidationFailed) as error:
        services.upsert_module(factories.course(), data)
    assert "external_id" in error.value.errors


def test_module_hours_stay_within_the_course_in_the_api_and_imports(
    client, db_session, factories, institute
):
    course = institute["course"]  # 120 hours, no modules
    url = f"/api/v1/courses/{course.external_id}/modules"
    headers = bearer(institute["user"])
    first = client.post(url, json={"title": "Welding A", "hours": 100}, headers=headers)
    assert first.status_code == 201, first.json
    refused = client.post(url, json={"title": "Welding B", "hours": 21}, headers=headers)
    assert refused.status_code == 422
    assert "121 hours" in str(refused.json)
    assert len(db_session.get(Course, course.id).modules) == 1
    with pytest.raises(ValidationFailed) as error:
        services.upsert_module(course, {"external_id": "M-B", "title": "Welding B", "hours": 21})
    assert list(error.value.errors) == ["hours"]
    with pytest.raises(ValidationFailed) as error:
        services.update_course(course, {"hours": 99})
    assert list(error.value.errors) == ["hours"]


# Batches ---------------------------------------------------------------------------------------


def test_batch_create_filter_and_free_seats(client, factories, institute):
    headers = bearer(institute["user"])
    response = client.post(
        "/api/v1/batches",
        json={"course": institute["course"].external_id, "start_date": "2026-07-01", "seats": 20},
        headers=headers,
    )
    assert response.status_code == 201, response.json
    assert response.json["free_seats"] == 20
    factories.batch(factories.course())  # another course's batch
    listed = client.get(
        f"/api/v1/batches?course={institute['course'].external_id}",
        headers=bearer(factories.user("worker")),
    ).json
    assert {b["id"] for b in listed} == {institute["batch"].external_id, response.json["id"]}


def test_batch_of_another_institution_is_refused(client, factories, db_session, institute):
    other = bearer(factories.user("institution"))
    before = count(db_session, Batch)
    response = client.post(
        "/api/v1/batches",
        json={"course": institute["course"].external_id, "start_date": "2026-07-01", "seats": 5},
        headers=other,
    )
    assert response.status_code == 403
    url = f"/api/v1/batches/{institute['batch'].external_id}"
    assert client.patch(url, json={"seats": 25}, headers=other).status_code == 403
    db_session.expire_all()
    assert count(db_session, Batch) == before
    assert db_session.get(Batch, institute["batch"].id).seats == 2


def test_batch_bad_input(client, institute, factories):
    headers = bearer(institute["user"])
    response = client.post(
        "/api/v1/batches",
        json={"course": "NOPE", "start_date": "2026-07-01", "seats": 5},
        headers=headers,
    )
    assert response.status_code == 422 and "course" in response.json["errors"]["json"]
    response = client.post(
        "/api/v1/batches",
        json={"course": institute["course"].external_id, "start_date": "July", "seats": 0},
        headers=headers,
    )
    assert response.status_code == 422
    assert {"start_date", "seats"} <= set(response.json["errors"]["json"])
    factories.enrolment(
        factories.consenting_worker(), institute["course"], batch=institute["batch"]
    )
    factories.enrolment(
        factories.consenting_worker(), institute["course"], batch=institute["batch"]
    )
    response = client.patch(
        f"/api/v1/batches/{institute['batch'].external_id}", json={"seats": 1}, headers=headers
    )
    assert response.status_code == 422 and "seats" in response.json["errors"]["json"]


def test_batch_seats_within_course_maximum(db_session, factories):
    course = factories.course(max_batch_size=25)
    with pytest.raises(ValidationFailed) as error:
        services.upsert_batch(
            course, {"external_id": "B-BIG", "start_date": date(2026, 1, 1), "seats": 30}
        )
    assert "seats" in error.value.errors


# Enrolments ------------------------------------------------------------------------------------


def enrol(client, headers, **fields):
    return client.post("/api/v1/enrolments", json=fields, headers=headers)


def test_institution_enrols_worker_and_certifies(client, factories, institute):
    worker = factories.consenting_worker()
    headers = bearer(institute["user"])
    response = enrol(
        client,
        headers,
        worker=worker.external_id,
        course=institute["course"].external_id,
        batch=institute["batch"].external_id,
        enrolled_on="2026-01-05",
    )
    assert response.status_code == 201, response.json
    assert (
        response.json["status"] == "enrolled"
        and response.json["batch"] == institute["batch"].external_id
    )
    url = f"/api/v1/enrolments/{response.json['id']}"
    response = client.patch(
        url,
        json={
            "status": "completed",
            "completed_on": "2026-03-31",
            "certified": True,
            "certified_on": "2026-04-10",
        },
        headers=headers,
    )
    assert response.status_code == 200, response.json
    assert (response.json["status"], response.json["certified_on"]) == ("completed", "2026-04-10")


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"enrolled_on": "2026-02-01", "completed_on": "2026-01-01"}, "completed_on"),
        ({"certified_on": "2026-03-01"}, "certified_on"),
        ({"certified": True, "certified_on": "2025-12-31"}, "certified_on"),
        ({"status": "completed"}, "completed_on"),
        ({"status": "dropped", "certified": True}, "certified"),
        ({"worker": "W-NOPE"}, "worker"),
        ({"course": "C-NOPE"}, "course"),
        ({"batch": "B-NOPE"}, "batch"),
    ],
)
def test_enrolment_rules_give_422_per_field_and_write_nothing(
    client, factories, db_session, institute, fields, bad_field
):
    worker = factories.consenting_worker()
    payload = {
        "worker": worker.external_id,
        "course": institute["course"].external_id,
        "enrolled_on": "2026-01-01",
        **fields,
    }
    before = count(db_session, Enrolment)
    response = enrol(client, bearer(institute["user"]), **payload)
    assert response.status_code == 422, response.json
    assert bad_field in response.json["errors"]["json"]
    assert count(db_session, Enrolment) == before


def test_batch_of_another_course_and_full_batch_are_refused(client, factories, institute):
    headers = bearer(institute["user"])
    own_other_course = factories.course(institute["user"].organisation)
    other_batch = factories.batch(own_other_course)
    common = {"course": institute["course"].external_id, "enrolled_on": "2026-01-01"}
    response = enrol(
        client,
        headers,
        worker=factories.consenting_worker().external_id,
        batch=other_batch.external_id,
        **common,
    )
    assert response.status_code == 422
    assert "not a batch of course" in response.json["errors"]["json"]["batch"][0]
    for _ in range(2):
        response = enrol(
            client,
            headers,
            worker=factories.consenting_worker().external_id,
            batch=institute["batch"].external_id,
            **common,
        )
        assert response.status_code == 201
    response = enrol(
        client,
        headers,
        worker=factories.consenting_worker().external_id,
        batch=institute["batch"].external_id,
        **common,
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"]["batch"] == [
        f"Batch {institute['batch'].external_id} has no free seats."
    ]


def test_patch_merges_with_stored_record_before_checking(client, factories, institute, db_session):
    enrolment = factories.enrolment(
        factories.consenting_worker(), institute["course"], enrolled_on=date(2026, 2, 1)
    )
    url = f"/api/v1/enrolments/{enrolment.external_id}"
    headers = bearer(institute["user"])
    response = client.patch(url, json={"completed_on": "2026-01-15"}, headers=headers)
    assert response.status_code == 422 and "completed_on" in response.json["errors"]["json"]
    response = client.patch(url, json={"certified_on": "2026-03-01"}, headers=headers)
    assert response.status_code == 422 and "certified_on" in response.json["errors"]["json"]
    db_session.expire_all()
    stored = db_session.get(Enrolment, enrolment.id)
    assert (stored.completed_on, stored.certified_on) == (None, None)


def test_institution_cannot_enrol_into_or_touch_another_institutions_course(
    client, factories, db_session, institute
):
    other = bearer(factories.user("institution"))
    enrolment = factories.enrolment(factories.consenting_worker(), institute["course"])
    before = count(db_session, Enrolment)
    response = enrol(
        client,
        other,
        worker=factories.consenting_worker().external_id,
        course=institute["course"].external_id,
        enrolled_on="2026-01-01",
    )
    assert response.status_code == 403
    url = f"/api/v1/enrolments/{enrolment.external_id}"
    assert client.get(url, headers=other).status_code == 403
    assert client.patch(url, json={"status": "dropped"}, headers=other).status_code == 403
    assert client.get("/api/v1/enrolments", headers=other).json == []
    db_session.expire_all()
    assert count(db_session, Enrolment) == before
    assert db_session.get(Enrolment, enrolment.id).status is EnrolmentStatus.enrolled


def test_employer_cannot_list_or_read_enrolments(client, factories, institute):
    enrolment = factories.enrolment(factories.consenting_worker(), institute["course"])
    headers = bearer(factories.user("employer"))
    assert client.get("/api/v1/enrolments", headers=headers).status_code == 403
    assert (
        client.get(f"/api/v1/enrolments/{enrolment.external_id}", headers=headers).status_code
        == 403
    )


def test_worker_sees_own_enrolments_only_and_cannot_change_them(client, factories, institute):
    user = factories.user("worker")
    own = factories.enrolment(user.worker, institute["course"])
    someone_else = factories.enrolment(factories.consenting_worker(), institute["course"])
    headers = bearer(user)
    assert [e["id"] for e in client.get("/api/v1/enrolments", headers=headers).json] == [
        own.external_id
    ]
    assert client.get(f"/api/v1/enrolments/{own.external_id}", headers=headers).status_code == 200
    assert (
        client.get(f"/api/v1/enrolments/{someone_else.external_id}", headers=headers).status_code
        == 403
    )
    response = client.patch(
        f"/api/v1/enrolments/{own.external_id}", json={"certified": True}, headers=headers
    )
    assert response.status_code == 403
    response = enrol(
        client,
        headers,
        worker=user.worker.external_id,
        course=institute["course"].external_id,
        enrolled_on="2026-01-01",
    )
    assert response.status_code == 403


def test_enrolment_upsert_is_idempotent(db_session, factories, institute):
    worker = factories.consenting_worker()
    data = {
        "external_id": "EN-1",
        "worker": worker.external_id,
        "course": institute["course"].external_id,
        "batch": institute["batch"].external_id,
        "status": "completed",
        "enrolled_on": date(2026, 1, 1),
        "completed_on": date(2026, 3, 1),
        "certified": True,
        "certified_on": date(2026, 3, 20),
    }
    first, created = services.upsert_enrolment(data)
    second, created_again = services.upsert_enrolment(data)  # same row: its seat is not taken twice
    assert (created, created_again) == (True, False) and first is second
    assert count(db_session, Enrolment) == 1
    assert services.batch_free_seats(institute["batch"]) == 1


def test_record_certification_follows_the_rules(db_session, factories, institute):
    dropped = factories.enrolment(
        factories.consenting_worker(), institute["course"], status="dropped"
    )
    with pytest.raises(ValidationFailed) as error:
        services.record_certification(dropped, date(2026, 5, 1))
    assert "certified" in error.value.errors
    enrolment = factories.enrolment(
        factories.consenting_worker(), institute["course"], enrolled_on=date(2026, 1, 10)
    )
    with pytest.raises(ValidationFailed):
        services.record_certification(enrolment, date(2026, 1, 9))
    services.record_certification(enrolment, date(2026, 4, 1))
    assert (enrolment.certified, enrolment.certified_on) == (True, date(2026, 4, 1))


def test_course_and_batch_upserts_are_idempotent(db_session, factories, institute, client):
    institution = institute["user"].organisation
    data = {
        "external_id": "C-UP",
        "title": "Fitter",
        "hours": 200,
        "skills": [institute["skills"][0].uri],
    }
    course, created = services.upsert_course(institution, data)
    again, created_again = services.upsert_course(institution, data)
    assert (created, created_again) == (True, False) and course is again
    batch_data = {"external_id": "B-UP", "start_date": date(2026, 6, 1), "seats": 10}
    assert services.upsert_batch(course, batch_data)[1] is True
    assert services.upsert_batch(course, batch_data)[1] is False
    with pytest.raises(ValidationFailed):  # a course is not moved to another institution
        services.upsert_course(factories.institution(), data)


# Organisations ---------------------------------------------------------------------------------


def test_anyone_logged_in_lists_organisations_admin_writes(client, factories, db_session):
    employer = factories.employer(name="Chakan Forgings")
    institution = factories.institution(name="Chakan ITI")
    worker = bearer(factories.user("worker"))
    employers = {
        o["id"] for o in client.get("/api/v1/employers?page_size=100", headers=worker).json
    }
    institutions = {
        o["id"] for o in client.get("/api/v1/institutions?page_size=100", headers=worker).json
    }
    assert employer.external_id in employers and employer.external_id not in institutions
    assert institution.external_id in institutions
    assert (
        client.get(f"/api/v1/institutions/{employer.external_id}", headers=worker).status_code
        == 404
    )
    assert (
        client.post("/api/v1/employers", json={"name": "Mine"}, headers=worker).status_code == 403
    )
    assert (
        client.patch(
            f"/api/v1/employers/{employer.external_id}", json={"name": "Hijacked"}, headers=worker
        ).status_code
        == 403
    )
    db_session.expire_all()
    assert db_session.get(Organisation, employer.id).name == "Chakan Forgings"
    admin = bearer(factories.user("admin"))
    response = client.post(
        "/api/v1/employers",
        json={
            "external_id": "EMP-NEW",
            "name": "New Castings",
            "msme_size": "small",
            "cluster": None,
        },
        headers=admin,
    )
    assert response.status_code == 201, response.json
    assert (response.json["kind"], response.json["msme_size"]) == ("employer", "small")
    response = client.post(
        "/api/v1/institutions",
        json={"name": "X", "msme_size": "huge", "cluster": "NOPE"},
        headers=admin,
    )
    assert response.status_code == 422 and {"name", "msme_size"} <= set(
        response.json["errors"]["json"]
    )
    response = client.post(
        "/api/v1/institutions", json={"name": "Pune ITI", "cluster": "NOPE"}, headers=admin
    )
    assert response.status_code == 422 and "cluster" in response.json["errors"]["json"]


def test_organisation_upsert_keeps_kind_and_links_cluster(db_session):
    cluster, created = organisation_services.upsert_cluster(
        {"external_id": "chakan", "name": "Chakan", "state": "Maharashtra", "sectors": ["forging"]}
    )
    assert created and cluster.sectors == ["forging"]
    assert (
        organisation_services.upsert_cluster({"external_id": "chakan", "name": "Chakan"})[1]
        is False
    )
    data = {"external_id": "EMP01", "kind": "employer", "name": "Forgings", "cluster": "chakan"}
    organisation, created = organisation_services.upsert_organisation(data)
    again, created_again = organisation_services.upsert_organisation(data)
    assert (created, created_again) == (True, False) and organisation is again
    assert organisation.cluster is cluster
    with pytest.raises(ValidationFailed) as error:
        organisation_services.upsert_organisation({**data, "kind": "institution"})
    assert "kind" in error.value.errors
    assert organisation_services.organisation_by_external_id("EMP01", "institution") is None
    assert organisation_services.organisation_by_external_id("EMP01", "employer") is organisation
    with pytest.raises(ValidationFailed) as error:
        organisation_services.upsert_organisation({**data, "cluster": "nowhere"})
    assert "cluster" in error.value.errors


def test_a_qp_code_is_read_as_the_pack_writes_it(client, factories):
    user = factories.user("institution")
    body = {"title": "CNC Operator", "hours": 480, "fee_inr": 0, "skills": []}
    made = client.post(
        "/api/v1/courses", json={**body, "qp_code": " asc/q3502 "}, headers=bearer(user)
    )
    assert made.status_code == 201 and made.json["qp_code"] == "ASC/Q3502"
    for wrong in ("garbage code", "asc-3908 xyz", "ASC/QABC"):
        refused = client.post(
            "/api/v1/courses", json={**body, "qp_code": wrong}, headers=bearer(user)
        )
        assert refused.status_code == 422, wrong
        assert "e.g. ASC/Q3502" in str(refused.json)
