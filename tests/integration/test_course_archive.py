"""A course with enrolments is archived, not deleted: it leaves offers, plans and matching while its
records stay, and it can be restored. Deleting is for a course nobody enrolled in, after a page
that says what will happen (issue 17)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.institutions.models import Batch, Course, Enrolment, Module
from tests.helpers import bearer

SOON = date.today() + timedelta(days=20)


@pytest.fixture
def world(factories):
    tig = factories.skill("perform tungsten inert gas welding")
    user = factories.user("institution")
    course = factories.course(user.organisation, skills=[tig], title="TIG Welding Course")
    factories.module(course, skills=[tig], title="TIG basics")
    batch = factories.batch(course, start_date=SOON, seats=10)
    trainee = factories.consenting_worker()
    factories.enrolment(
        trainee,
        course,
        batch=batch,
        status="completed",
        completed_on=date(2026, 3, 1),
        certified=True,
        certified_on=date(2026, 3, 5),
        enrolled_on=date(2026, 1, 10),
    )
    factories.enrolment(factories.consenting_worker(), course, batch=batch)
    posting = factories.posting(title="TIG Welder", skills=[(tig, True, 2)])
    welder = factories.consenting_worker(skills=[(factories.skill("read drawings"), 2)])
    return {
        "user": user,
        "course": course,
        "batch": batch,
        "posting": posting,
        "welder_user": factories.user("worker", worker=welder),
    }


def count(model, **where) -> int:
    statement = select(func.count(model.id))
    for key, value in where.items():
        statement = statement.where(getattr(model, key) == value)
    return db.session.scalar(statement)


def test_deleting_a_course_with_enrolments_offers_archiving_and_changes_nothing(
    client, login_as, world
):
    browser = login_as(world["user"])
    url = f"/institution/courses/{world['course'].external_id}/delete"
    page = browser.get(url)
    assert page.status_code == 409
    html = page.get_data(as_text=True)
    assert "cannot be deleted" in html
    assert "2 enrolments (1 completed, 1 certified)" in html
    assert f"/institution/courses/{world['course'].external_id}/archive" in html
    assert browser.post(url).status_code == 409
    db.session.expire_all()
    assert db.session.get(Course, world["course"].id) is not None
    assert count(Enrolment, course_id=world["course"].id) == 2


def test_archive_confirmation_states_counts_then_archives_and_restores(client, login_as, world):
    browser = login_as(world["user"])
    course = world["course"]
    url = f"/institution/courses/{course.external_id}/archive"
    html = browser.get(url).get_data(as_text=True)
    assert "1 module, 1 batch, 2 enrolments (1 completed, 1 certified)" in html
    assert "restore it at any time" in html
    assert db.session.get(Course, course.id).archived_at is None  # the GET changed nothing
    response = browser.post(url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).archived
    assert count(Enrolment, course_id=course.id) == 2 and count(Batch, course_id=course.id) == 1
    html = browser.get(f"/institution/courses/{course.external_id}").get_data(as_text=True)
    assert "Archived on" in html and "Restore: offer this course again" in html
    listing = browser.get("/institution/courses").get_data(as_text=True)
    assert "TIG Welding Course" in listing and "archived" in listing
    assert browser.post(f"/institution/courses/{course.external_id}/restore").status_code == 302
    db.session.expire_all()
    assert not db.session.get(Course, course.id).archived


def test_a_course_without_enrolments_is_deleted_after_its_confirmation(client, login_as, factories):
    user = factories.user("institution")
    course = factories.course(user.organisation, title="Unused course")
    factories.module(course)
    factories.batch(course)
    course_id, browser = course.id, login_as(user)
    url = f"/institution/courses/{course.external_id}/delete"
    html = browser.get(url).get_data(as_text=True)
    assert "1 module and 1 batch" in html and "cannot be undone" in html
    assert db.session.get(Course, course_id) is not None
    assert browser.post(url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course_id) is None
    assert count(Module, course_id=course_id) == 0


def test_an_archived_course_leaves_plans_and_takes_no_new_batch_or_enrolment(
    app, client, login_as, world, factories
):
    posting_url = f"/worker/jobs/{world['posting'].external_id}"
    worker = login_as(world["welder_user"])
    assert "TIG Welding Course" in worker.get(posting_url).get_data(as_text=True)
    login_as(world["user"]).post(f"/institution/courses/{world['course'].external_id}/archive")
    page = login_as(world["welder_user"]).get(posting_url).get_data(as_text=True)
    assert "TIG Welding Course" not in page
    headers, api = bearer(world["user"]), app.test_client()  # no session: the token only
    response = api.post(
        "/api/v1/batches",
        json={"course": world["course"].external_id, "start_date": SOON.isoformat(), "seats": 5},
        headers=headers,
    )
    assert response.status_code == 422 and "archived" in str(response.json)
    response = api.post(
        "/api/v1/enrolments",
        json={
            "worker": factories.consenting_worker().external_id,
            "course": world["course"].external_id,
            "enrolled_on": date.today().isoformat(),
        },
        headers=headers,
    )
    assert response.status_code == 422 and "archived" in str(response.json)


def test_api_archive_restore_and_delete_refusal(client, world, factories):
    headers = bearer(world["user"])
    course = world["course"]
    url = f"/api/v1/courses/{course.external_id}"
    response = client.delete(url, headers=headers)
    assert response.status_code == 409
    assert "archive it instead" in str(response.json["errors"])
    response = client.post(f"{url}/archive", headers=headers)
    assert response.status_code == 200 and response.json["archived"] is True
    assert response.json["archived_at"]
    listed = {c["id"] for c in client.get("/api/v1/courses", headers=headers).json}
    assert course.external_id not in listed
    listed = {
        c["id"] for c in client.get("/api/v1/courses?include_archived=true", headers=headers).json
    }
    assert course.external_id in listed
    assert client.get(url, headers=headers).json["archived"] is True  # its record stays
    other = bearer(factories.user("institution"))
    assert client.post(f"{url}/restore", headers=other).status_code == 403
    response = client.post(f"{url}/restore", headers=headers)
    assert response.status_code == 200 and response.json["archived"] is False
