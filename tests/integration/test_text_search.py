"""Free-text search of postings and courses over the vector index (numpy backend, hashing encoder).

The index follows the database without embedding on save: a search syncs what changed since the
last one (edited texts re-embedded, closed or deleted postings dropped, nothing else touched).
The same on pgvector, and the same rankings as numpy: test_text_search_pgvector.py.
"""

from __future__ import annotations

import re

import pytest

from app.employers import services as posting_services
from app.employers.models import PostingStatus
from app.extensions import db
from app.institutions import services as course_services
from app.vectors.sync import document_text, sync_source
from tests.helpers import bearer

POSTINGS = {
    "lathe": (
        "CNC lathe operator",
        "Set up and run a CNC lathe, turning shafts and bushes to the drawing.",
    ),
    "forklift": (
        "Forklift driver",
        "Drive a forklift in the warehouse, stack pallets and load the trucks.",
    ),
    "electric": (
        "Maintenance electrician",
        "Wire control panels, maintain motors and find faults in the plant.",
    ),
    "tailor": (
        "Machine tailor",
        "Stitch garments on industrial sewing machines, from cutting to finishing.",
    ),
}
COURSES = {
    "welding": ("Arc welding basics", "Shielded metal arc welding of plates and pipes, safety."),
    "sewing": ("Sewing machine operator", "Operate industrial sewing machines, stitch garments."),
    "solar": ("Solar PV installer", "Mount rooftop solar panels, wire inverters and batteries."),
}


@pytest.fixture
def search_app(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "VECTOR_CACHE_DIR", str(tmp_path / "vectors"))
    monkeypatch.setitem(app.config, "VECTOR_BACKEND", "numpy")
    monkeypatch.setitem(app.extensions, "vector_indexes", {})
    return app


@pytest.fixture
def world(search_app, factories):
    employer = factories.employer(name="Deccan Auto Parts")
    other_employer = factories.employer(name="Pune Garments")
    lathe_skill = factories.skill("CNC turning")
    postings = {
        key: factories.posting(
            other_employer if key == "tailor" else employer,
            title=title,
            description=description,
            skills=[lathe_skill] if key == "lathe" else [],
        )
        for key, (title, description) in POSTINGS.items()
    }
    closed = factories.posting(
        employer, title="TIG welder", description="Weld steel frames.", status=PostingStatus.closed
    )
    institution = factories.institution(name="ITI Aundh")
    courses = {
        key: factories.course(institution, title=title, syllabus=syllabus)
        for key, (title, syllabus) in COURSES.items()
    }
    return {
        "employer": employer,
        "other_employer": other_employer,
        "postings": postings,
        "closed": closed,
        "courses": courses,
    }


def encoder():
    from app.skills.linking import text_encoder

    return text_encoder()


def search_ids(user, text: str, limit: int = 10) -> list[int]:
    return [hit.record.id for hit in posting_services.search_postings(user, text, limit)]


def test_document_text_puts_title_and_sorted_skills_first():
    assert document_text(" Fitter ", ["read drawings", "filing", "filing"], "Fit parts.\n") == (
        "Fitter\nSkills: filing, read drawings.\nFit parts."
    )
    assert document_text("Fitter", [], "  ") == "Fitter"


def test_a_paraphrase_finds_its_posting_first_and_closed_postings_never(world, factories):
    worker = factories.user("worker")
    hits = posting_services.search_postings(worker, "someone to turn shafts on our lathe", 3)
    assert hits[0].record.id == world["postings"]["lathe"].id
    assert len(hits) == 3
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    everything = search_ids(worker, "weld steel frames TIG welder", 50)
    assert world["closed"].id not in everything
    assert world["postings"]["forklift"].id in everything


def test_an_edited_posting_is_found_by_its_new_text_and_only_it_is_re_embedded(world, factories):
    worker = factories.user("worker")
    electrician = world["postings"]["electric"]
    query = "fix photovoltaic modules on rooftops"
    assert posting_services.search_postings(worker, query, 1)[0].score < 0.3  # nothing like it
    before = encoder().texts_encoded

    posting_services.update_posting(
        electrician,
        {"title": "Solar installer", "description": "Fixing photovoltaic modules on rooftops."},
    )
    db.session.commit()
    top = posting_services.search_postings(worker, query, 1)[0]
    assert (top.record.id, top.score > 0.6) == (electrician.id, True)
    assert encoder().texts_encoded - before == 2  # the edited posting, then the query


def test_changed_skills_alone_re_embed_the_posting(world, factories):
    sync_source(posting_services.POSTING_VECTORS, encoder())
    forklift = world["postings"]["forklift"]
    reach_truck = factories.skill("operate reach truck")
    posting_services.set_posting_skills(forklift, [{"uri": reach_truck.uri}])
    db.session.commit()
    report = sync_source(posting_services.POSTING_VECTORS, encoder())
    assert (report.checked, report.embedded, report.removed) == (True, 1, 0)


def test_a_closed_or_deleted_posting_disappears_and_nothing_else_is_embedded(world, factories):
    worker = factories.user("worker")
    lathe, tailor = world["postings"]["lathe"], world["postings"]["tailor"]
    assert lathe.id in search_ids(worker, "CNC lathe operator")
    posting_services.update_posting(lathe, {"status": PostingStatus.filled})
    posting_services.delete_posting(tailor)
    db.session.commit()
    report = sync_source(posting_services.POSTING_VECTORS, encoder())
    assert (report.embedded, report.removed) == (0, 2)
    found = search_ids(worker, "CNC lathe operator turning")
    assert lathe.id not in found and tailor.id not in found
    posting_services.update_posting(lathe, {"status": PostingStatus.open})
    db.session.commit()
    assert search_ids(worker, "CNC lathe operator turning")[0] == lathe.id


def test_an_unchanged_database_is_not_read_again(world):
    first = sync_source(posting_services.POSTING_VECTORS, encoder())
    assert first.checked and first.embedded >= len(POSTINGS)
    second = sync_source(posting_services.POSTING_VECTORS, encoder())
    assert (second.checked, second.embedded) == (False, 0)
    forced = sync_source(posting_services.POSTING_VECTORS, encoder(), force=True)
    assert (forced.checked, forced.embedded, forced.removed) == (True, 0, 0)


def test_only_writes_to_what_the_texts_are_made_of_make_a_search_read_them_again(world, factories):
    from app.employers.services import add_new_postings

    sync_source(posting_services.POSTING_VECTORS, encoder())
    factories.consenting_worker()  # a worker, a consent, a user: no text of a posting
    assert sync_source(posting_services.POSTING_VECTORS, encoder()).checked is False

    add_new_postings([(world["employer"], {"title": "Crane operator", "district": "Pune"})])
    db.session.commit()  # the bulk importers' multi-row INSERT
    report = sync_source(posting_services.POSTING_VECTORS, encoder())
    assert (report.checked, report.embedded) == (True, 1)

    sync_source(course_services.COURSE_VECTORS, encoder())
    course_services.set_course_skills(
        world["courses"]["solar"], [factories.skill("wire inverters").uri]
    )
    db.session.commit()
    report = sync_source(course_services.COURSE_VECTORS, encoder())
    assert (report.checked, report.embedded) == (True, 1)


def test_employers_search_only_their_own_postings(world, factories):
    employer_user = factories.user("employer", organisation=world["employer"])
    found = search_ids(employer_user, "stitch garments on sewing machines", 10)
    assert world["postings"]["tailor"].id not in found  # another employer's
    assert set(found) >= {world["postings"]["lathe"].id, world["postings"]["forklift"].id}
    admin = factories.user("admin")
    assert search_ids(admin, "stitch garments on sewing machines")[0] == (
        world["postings"]["tailor"].id
    )


def test_courses_are_found_by_meaning(world):
    hits = course_services.search_courses("stitching garments with a sewing machine", 2)
    assert hits[0].record.id == world["courses"]["sewing"].id
    course = world["courses"]["welding"]
    course_services.update_course(course, {"syllabus": "Rooftop solar panels and inverters."})
    db.session.commit()
    hits = course_services.search_courses("rooftop solar panels and inverters", 2)
    assert {hit.record.id for hit in hits} == {course.id, world["courses"]["solar"].id}


def test_api_search_of_postings_and_courses(client, world, factories):
    headers = bearer(factories.user("worker"))
    response = client.get(
        "/api/v1/postings/search",
        query_string={"q": "forklift in the warehouse", "limit": 2},
        headers=headers,
    )
    assert response.status_code == 200, response.json
    assert len(response.json) == 2
    top = response.json[0]
    assert top["posting"]["id"] == world["postings"]["forklift"].external_id
    assert top["posting"]["employer"]["name"] == "Deccan Auto Parts"
    assert 0 < top["score"] <= 1

    response = client.get(
        "/api/v1/courses/search", query_string={"q": "arc welding of pipes"}, headers=headers
    )
    assert response.status_code == 200, response.json
    assert response.json[0]["course"]["id"] == world["courses"]["welding"].external_id
    assert response.json[0]["course"]["institution"]["name"] == "ITI Aundh"


@pytest.mark.parametrize(
    ("query", "field_message"),
    [
        ({}, "Missing data for required field."),
        ({"q": ""}, "Say what to search for: q is empty or blank."),
        ({"q": "   "}, "Say what to search for: q is empty or blank."),
        ({"q": "welder", "limit": 0}, None),
        ({"q": "welder", "limit": 51}, None),
    ],
)
def test_api_search_refuses_blank_queries_and_bad_limits(
    client, search_app, factories, query, field_message
):
    headers = bearer(factories.user("worker"))
    for path in ("/api/v1/postings/search", "/api/v1/courses/search"):
        response = client.get(path, query_string=query, headers=headers)
        assert response.status_code == 422, response.json
        errors = response.json["errors"]["query"]
        if field_message:
            assert errors["q"] == [field_message]
        else:
            assert list(errors) == ["limit"]


def test_a_query_without_words_finds_nothing(client, world, factories):
    response = client.get(
        "/api/v1/postings/search", query_string={"q": "?!"}, headers=bearer(factories.user())
    )
    assert response.status_code == 200
    assert response.json == []


def test_the_search_needs_a_login(client, search_app):
    assert client.get("/api/v1/courses/search", query_string={"q": "welding"}).status_code == 401


def test_flask_vectors_sync_reports_each_namespace(search_app, world):
    result = search_app.test_cli_runner().invoke(args=["vectors", "sync"])
    assert result.exit_code == 0, result.output
    embedded = re.search(
        r"posting: (\d+) embedded, 0 removed, (\d+) in the numpy index", result.output
    )
    assert embedded and int(embedded[1]) == int(embedded[2]) >= len(POSTINGS), result.output
    assert "course: " in result.output and "skill vectors stored" in result.output
    again = search_app.test_cli_runner().invoke(args=["vectors", "sync"])
    assert "posting: 0 embedded, 0 removed" in again.output
    assert "course: 0 embedded, 0 removed" in again.output


@pytest.mark.model
def test_the_real_model_finds_a_paraphrase(search_app, world, factories, monkeypatch):
    """MiniLM, not the hashing encoder: no word of the query is in the posting's text."""
    monkeypatch.setitem(search_app.config, "ENCODER", "minilm")
    monkeypatch.setitem(search_app.extensions, "skill_linker", {})
    worker = factories.user("worker")
    assert search_ids(worker, "a person to move goods with a lift truck in a storehouse")[0] == (
        world["postings"]["forklift"].id
    )
    hits = course_services.search_courses("learn to fit photovoltaic modules on roofs", 1)
    assert hits[0].record.id == world["courses"]["solar"].id
