"""The skill picker of the course form, without JavaScript: chosen skills as chips by name, a chip
removed by its own button, skills typed by name in any language, matches to tick; the old box of
URIs still works (its tests are in test_institutions_pages.py)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.institutions.models import Course
from app.skills.models import LabelKind, SkillLabel


@pytest.fixture
def picker(factories, db_session):
    user = factories.user("institution")
    tig = factories.skill("TIG welding")
    drawings = factories.skill("read engineering drawings")
    db_session.add(SkillLabel(skill_id=drawings.id, lang="mr", label="अभियांत्रिकी रेखाचित्रे वाचणे"))
    db_session.add(
        SkillLabel(skill_id=drawings.id, lang="mr", label="ड्रॉइंग", kind=LabelKind.alternative)
    )
    course = factories.course(user.organisation, skills=[tig, drawings], title="Fabricator")
    db_session.flush()
    return {"user": user, "tig": tig, "drawings": drawings, "course": course}


def chips(html: str) -> list[str]:
    """The URIs of the chips on the page, in order (not the empty one JavaScript copies)."""
    html = re.sub(r"<template.*?</template>", "", html, flags=re.S)
    return re.findall(r'<input type="hidden" name="skill" value="([^"]*)">', html)


def ticks(html: str) -> list[str]:
    """The URIs of the matches to tick, in order."""
    html = re.sub(r"<template.*?</template>", "", html, flags=re.S)
    return re.findall(r'name="add_skill" value="([^"]*)"', html)


def base_form(course: Course) -> dict:
    return {"title": course.title, "hours": str(course.hours), "fee_inr": "0", "mode": "classroom"}


def test_edit_page_shows_the_skills_taught_as_chips_by_name(client, login_as, picker):
    browser = login_as(picker["user"])
    url = f"/institution/courses/{picker['course'].external_id}/edit"
    html = browser.get(url).get_data(as_text=True)
    assert chips(html) == [picker["tig"].uri, picker["drawings"].uri]
    assert 'aria-label="Remove TIG welding"' in html
    assert 'name="remove_skill" value="' + picker["tig"].uri + '"' in html
    assert "one skill URI per line" not in html
    # In Marathi the chip says the Marathi name, with ESCO's English label beneath.
    html = browser.get(url, headers={"Accept-Language": "mr"}).get_data(as_text=True)
    chip = html[html.index(f'value="{picker["drawings"].uri}"') :][:600]
    assert "अभियांत्रिकी रेखाचित्रे वाचणे" in chip and "read engineering drawings" in chip


def test_a_chip_is_removed_by_its_button_and_nothing_is_saved_until_save(
    client, login_as, db_session, picker
):
    browser = login_as(picker["user"])
    url = f"/institution/courses/{picker['course'].external_id}/edit"
    chosen = [picker["tig"].uri, picker["drawings"].uri]
    form = {**base_form(picker["course"]), "skill": chosen}
    response = browser.post(url, data={**form, "remove_skill": picker["tig"].uri})
    assert response.status_code == 200
    assert chips(response.get_data(as_text=True)) == [picker["drawings"].uri]
    db_session.expire_all()
    assert {s.uri for s in db_session.get(Course, picker["course"].id).skills} == set(chosen)
    response = browser.post(url, data={**form, "skill": [picker["drawings"].uri], "submit": "1"})
    assert response.status_code == 302
    db_session.expire_all()
    assert [s.uri for s in db_session.get(Course, picker["course"].id).skills] == [
        picker["drawings"].uri
    ]


def test_find_lists_matches_to_tick_and_keeps_the_chips(client, factories, login_as, picker):
    press = factories.skill("operate forging press")
    die = factories.skill("forging die maintenance")
    browser = login_as(picker["user"])
    response = browser.post(
        f"/institution/courses/{picker['course'].external_id}/edit",
        data={
            **base_form(picker["course"]),
            "skill": [picker["tig"].uri],
            "skill_query": "forging",
            "find": "1",
        },
    )
    html = response.get_data(as_text=True)
    assert chips(html) == [picker["tig"].uri]
    assert sorted(ticks(html)) == sorted([press.uri, die.uri])
    # A ticked match becomes a chip at the next step (here: another search).
    response = browser.post(
        f"/institution/courses/{picker['course'].external_id}/edit",
        data={
            **base_form(picker["course"]),
            "skill": [picker["tig"].uri],
            "add_skill": [press.uri],
            "skill_query": "welding",
            "find": "1",
        },
    )
    html = response.get_data(as_text=True)
    assert chips(html) == [picker["tig"].uri, press.uri]
    assert picker["tig"].uri not in ticks(html)  # a chosen skill is not offered again


def test_find_searches_by_a_marathi_name(client, login_as, picker):
    browser = login_as(picker["user"])
    response = browser.post(
        "/institution/courses/new",
        data={"title": "Draughtsman", "hours": "100", "skill_query": "ड्रॉइंग", "find": "1"},
        headers={"Accept-Language": "mr"},
    )
    html = response.get_data(as_text=True)
    assert f'name="add_skill" value="{picker["drawings"].uri}"' in html
    assert "अभियांत्रिकी रेखाचित्रे वाचणे" in html


def test_skills_typed_by_exact_name_in_any_language_are_saved(client, login_as, db_session, picker):
    browser = login_as(picker["user"])
    response = browser.post(
        "/institution/courses/new",
        data={
            "title": "Welder-fitter",
            "hours": "200",
            "skills": f"tig welding\nअभियांत्रिकी रेखाचित्रे वाचणे, {picker['tig'].uri}",
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    course = db_session.scalar(select(Course).where(Course.title == "Welder-fitter"))
    assert {s.uri for s in course.skills} == {picker["tig"].uri, picker["drawings"].uri}


def test_an_unknown_name_is_named_and_nothing_is_saved(client, login_as, db_session, picker):
    browser = login_as(picker["user"])
    response = browser.post(
        "/institution/courses/new",
        data={
            "title": "Painter",
            "hours": "100",
            "skills": "spray painting wizardry",
            "submit": "1",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unknown skill: spray painting wizardry" in html
    assert chips(html) == ["spray painting wizardry"]  # shown, to remove or correct
    assert db_session.scalar(select(Course).where(Course.title == "Painter")) is None


def test_enter_saves_the_form_rather_than_pressing_another_button(client, login_as, picker):
    """Browsers submit a form on Enter with its first submit button: it must be the save."""
    html = (
        login_as(picker["user"])
        .get(f"/institution/courses/{picker['course'].external_id}/edit")
        .get_data(as_text=True)
    )
    form = html[html.index('<form method="post" novalidate') :]
    first = re.search(r"<(?:button|input)[^>]*type=\"submit\"[^>]*>", form).group(0)
    assert 'name="submit"' in first


def test_the_live_search_answers_an_institution_in_its_language(client, login_as, picker):
    browser = login_as(picker["user"])
    html = browser.get("/institution/courses/new").get_data(as_text=True)
    url = re.search(r'data-search-url="([^"]+)"', html).group(1)
    items = browser.get(url, query_string={"q": "drawings"}, headers={"Accept-Language": "mr"})
    assert items.status_code == 200
    assert [(i["uri"], i["name"]) for i in items.get_json()] == [
        (picker["drawings"].uri, "अभियांत्रिकी रेखाचित्रे वाचणे")
    ]


PICKER_FORMS = {
    "course": ("institution", "/institution/courses/new", {"title": "Welder", "hours": "100"}),
    "posting": (
        "employer",
        "/employer/postings/new",
        {"title": "Welder", "district": "Pune", "openings": "1", "shift": "general"},
    ),
}


@pytest.mark.parametrize("form_name", list(PICKER_FORMS))
def test_find_says_why_it_lists_nothing_on_both_pickers(factories, login_as, form_name):
    """The course form and the posting form find skills alike without JavaScript: the same
    matches, and, when there are none, the same reason beside the query."""
    role, url, fields = PICKER_FORMS[form_name]
    tig = factories.skill("TIG welding")
    browser = login_as(factories.user(role))

    def find(query: str) -> str:
        data = {**fields, "skill_query": query, "find": "1"}
        return browser.post(url, data=data).get_data(as_text=True)

    assert ticks(find("  tig  ")) == [tig.uri]
    assert "Type at least two letters." in find("t")
    page = find("zzzz")
    assert ticks(page) == [] and "No skill matches “zzzz”." in page
