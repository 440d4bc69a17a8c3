"""Required fields say so on every page form: a visible "(required)" in the page's language in the
label, and the required attribute on the input; the fields come from the input schemas, and the
forms stay novalidate so the page's own messages say what is missing."""

from __future__ import annotations

import re

import pytest


def label_of(html: str, field_id: str) -> str:
    found = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', html, re.S)
    assert found, field_id
    return found.group(1)


def input_of(html: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|select|textarea)[^>]*id="{field_id}"[^>]*>', html)
    assert found, field_id
    return found.group(0)


def marked(html: str, field_id: str) -> bool:
    mark = 'class="required-mark"' in label_of(html, field_id)
    attribute = re.search(r"\srequired(\s|>|=)", input_of(html, field_id)) is not None
    assert mark == attribute, field_id  # the mark and the attribute always go together
    return mark


def forms_with_required_inputs(html: str) -> list[str]:
    """The opening tags of the forms that hold an input with the required attribute."""
    html = re.sub(r"<template.*?</template>", "", html, flags=re.S)
    tags = []
    for form in re.findall(r"(<form[^>]*>)(.*?)</form>", html, re.S):
        if re.search(r"<(?:input|select|textarea)[^>]*\srequired[\s>=]", form[1]):
            tags.append(form[0])
    return tags


def test_course_form_marks_what_the_course_schema_requires(client, factories, login_as):
    html = (
        login_as(factories.user("institution"))
        .get("/institution/courses/new")
        .get_data(as_text=True)
    )
    assert marked(html, "title") and marked(html, "hours")
    for optional in ("qp_code", "nsqf_level", "fee_inr", "mode", "syllabus", "skill_query"):
        assert not marked(html, optional), optional
    assert 'Title <span class="required-mark">(required)</span>' in html


def test_the_mark_is_in_the_readers_language(client, factories, login_as):
    browser = login_as(factories.user("institution"))
    html = browser.get("/institution/courses/new", headers={"Accept-Language": "mr"}).get_data(
        as_text=True
    )
    assert '<span class="required-mark">(आवश्यक)</span>' in label_of(html, "title")


def test_an_administrator_is_told_to_choose_the_institution_or_employer(
    client, factories, login_as
):
    browser = login_as(factories.user("admin"))
    factories.institution()
    factories.employer()
    assert marked(browser.get("/institution/courses/new").get_data(as_text=True), "institution")
    html = browser.get("/employer/postings/new").get_data(as_text=True)
    assert marked(html, "employer") and marked(html, "title") and marked(html, "district")
    assert not marked(html, "wage_min_inr")


def test_registration_marks_the_profile_fields_a_worker_must_give(client):
    html = client.get("/worker/register").get_data(as_text=True)
    for required in ("name", "gender", "date_of_birth", "district", "state", "password"):
        assert marked(html, required), required
    for optional in ("phone", "email", "education", "languages", "profile_text"):
        assert not marked(html, optional), optional


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("institution", "/institution/courses/new"),
        ("institution", "/institution/batches/new"),
        ("institution", "/institution/placements"),
        ("employer", "/employer/postings/new"),
        ("worker", "/worker/profile/edit"),
        ("worker", "/worker/grievances"),
        ("worker", "/worker/erase"),
        ("worker", "/account/password"),
        (None, "/login"),
        (None, "/worker/register"),
    ],
)
def test_forms_with_required_fields_leave_the_messages_to_the_page(
    client, factories, login_as, role, url
):
    """Every form with a required input is novalidate: the browser does not stop it with its own
    message in its own language, the page answers in the reader's."""
    if role == "worker":
        login_as(factories.user("worker", worker=factories.consenting_worker()))
    elif role == "institution":
        user = factories.user("institution")
        factories.course(user.organisation)
        login_as(user)
    elif role:
        login_as(factories.user(role))
    html = client.get(url).get_data(as_text=True)
    forms = forms_with_required_inputs(html)
    assert forms, url
    assert all(" novalidate" in tag for tag in forms), forms


def test_an_empty_required_field_is_named_by_the_page_in_marathi(client, factories, login_as):
    browser = login_as(factories.user("institution"))
    browser.set_cookie("lang", "mr")
    response = browser.post("/institution/courses/new", data={"hours": "10", "submit": "1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    feedback = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]*?)\s*<', html)
    assert feedback == ["कृपया हे भरा."]
