"""Pages in English, Marathi and Hindi: how the language is chosen, the picker, locale formats,
and skill names per language (`flask taxonomy import-labels`)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.extensions import db
from tests.helpers import bearer


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_english_without_any_preference(client):
    assert html_lang(client.get("/login")) == "en"


def test_the_browser_language_is_followed(client):
    response = client.get("/login", headers={"Accept-Language": "mr-IN,mr;q=0.9,en;q=0.5"})
    assert html_lang(response) == "mr"
    response = client.get("/login", headers={"Accept-Language": "hi"})
    assert html_lang(response) == "hi"
    response = client.get("/login", headers={"Accept-Language": "ta, fr"})
    assert html_lang(response) == "en"


def test_the_picker_sets_a_cookie_that_beats_the_browser(client):
    response = client.get("/language/hi?next=/login")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=hi") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert html_lang(client.get("/login", headers={"Accept-Language": "mr"})) == "hi"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_the_picker_refuses_other_sites_and_unknown_languages(client, target):
    response = client.get("/language/xx", query_string={"next": target})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    assert "lang=en" in response.headers["Set-Cookie"]
    response = client.post("/language", data={"lang": "mr", "next": target})
    assert "evil" not in response.headers["Location"]


def test_a_visitor_sent_to_log_in_is_told_why_in_their_language(client):
    client.set_cookie("lang", "mr")
    page = client.get("/worker/profile", follow_redirects=True).get_data(as_text=True)
    assert "हे पान पाहण्यासाठी कृपया लॉग इन करा." in page


def test_an_error_naming_a_record_reads_as_its_kind_of_error_in_marathi(
    client, factories, login_as
):
    """'No JobPosting with id 'P999'.' has no translation: a Marathi page says what it says for
    any page not found; an English one keeps the exact words."""
    login_as(factories.user("worker", worker=factories.consenting_worker()))
    english = client.get("/worker/jobs/P999")
    assert english.status_code == 404 and "No JobPosting with id" in english.text
    client.set_cookie("lang", "mr")
    marathi = client.get("/worker/jobs/P999")
    assert marathi.status_code == 404 and "No JobPosting" not in marathi.text
    assert "हे पान सापडले नाही" in marathi.text


def test_an_error_already_said_in_marathi_keeps_its_words(client, factories, login_as):
    """A closed job's page says the job is closed, not that the page was not found."""
    login_as(factories.user("worker", worker=factories.consenting_worker()))
    closed = factories.posting(factories.employer(), status="closed")
    client.set_cookie("lang", "mr")
    response = client.get(f"/worker/jobs/{closed.external_id}")
    assert response.status_code == 404 and "ही नोकरी आता उपलब्ध नाही." in response.text


def test_a_bad_report_date_is_named_as_the_page_labels_it(client, factories, login_as):
    login_as(factories.user("admin"))
    client.set_cookie("lang", "mr")
    response = client.get("/admin/outcomes?as_of=2026-13-45", follow_redirects=True)
    assert response.status_code == 200  # the dashboard again, with what was wrong above it
    assert "या तारखेला: " in response.text and "as_of: " not in response.text


def test_reading_a_page_as_a_visitor_starts_no_session(client):
    """The visitors' picker is links: no CSRF token, so no session cookie for a mere reader."""
    response = client.get("/")
    assert "Set-Cookie" not in response.headers
    assert 'href="/language/mr?next=/"' in response.get_data(as_text=True)


def test_a_signed_in_users_saved_choice_comes_first(client, factories, login_as):
    user = factories.user("worker")
    login_as(user)
    client.post("/language", data={"lang": "mr", "next": "/"})
    db.session.refresh(user)
    assert user.preferred_language == "mr"
    client.set_cookie("lang", "hi")
    response = client.get("/worker/profile", headers={"Accept-Language": "en"})
    assert html_lang(response) == "mr"
    assert 'action="/language"' in response.get_data(as_text=True)
    back = client.post(
        "/language", data={"lang": "hi"}, headers={"Referer": "http://localhost/worker/skills?x=1"}
    )
    assert back.headers["Location"] == "/worker/skills?x=1"


@pytest.mark.parametrize("path", ["/", "/login", "/worker/register", "/privacy/notice"])
def test_the_picker_is_on_every_page_for_everyone(client, path):
    response = client.get(path)
    if response.status_code == 404:
        pytest.skip(f"{path} is not in this build")
    body = response.get_data(as_text=True)
    assert "/language/hi" in body
    for name in ("English", "मराठी", "हिन्दी"):
        assert name in body


def test_money_numbers_and_dates_follow_the_locale(app):
    from app.i18n import format_day, format_inr

    for language in ("en", "mr", "hi"):
        with app.test_request_context(headers={"Accept-Language": language}):
            assert format_inr(120000) == "₹1,20,000"
            assert format_inr(1234567.4) == "₹12,34,567"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_day(date(2026, 12, 4)) == "4 Dec 2026"
    with app.test_request_context(headers={"Accept-Language": "mr"}):
        assert "डिसें" in format_day(date(2026, 12, 4))
    with app.test_request_context(headers={"Accept-Language": "hi"}):
        assert "दिस" in format_day(date(2026, 12, 4))


def test_times_are_shown_in_india_time(app):
    """Stored in UTC, shown as the people reading them live: 23:55 UTC is 5:25 the next day."""
    from datetime import UTC, datetime

    from app.i18n import format_moment

    with app.test_request_context(headers={"Accept-Language": "en"}):
        shown = format_moment(datetime(2026, 12, 4, 23, 55, 22, tzinfo=UTC))
    assert shown == "5 Dec 2026, 05:25", shown
    # On the 24-hour clock in every language: Marathi's own time pattern wrote "7:52:52 AM".
    with app.test_request_context(headers={"Accept-Language": "mr"}):
        shown = format_moment(datetime(2026, 12, 5, 2, 22, 52, tzinfo=UTC))
    assert shown == "5 डिसें, 2026, 07:52", shown


def write_labels(tmp_path, text: str):
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_labels_is_idempotent_and_shows_names_per_language(app, factories, tmp_path):
    from app.skills.cli import taxonomy
    from app.skills.labels import label_in
    from app.skills.models import SkillLabel

    welding = factories.skill("apply arc welding techniques")
    path = write_labels(
        tmp_path,
        "uri,lang,label,kind\n"
        f"{welding.uri},mr,आर्क वेल्डिंग करणे,preferred\n"
        f"{welding.uri},hi,आर्क वेल्डिंग करना,preferred\n"
        f"{welding.uri},mr,वेल्डर,alternative\n",
    )
    runner = app.test_cli_runner()
    first = runner.invoke(taxonomy, ["import-labels", path])
    assert first.exit_code == 0, first.output
    assert "3 labels added" in first.output
    again = runner.invoke(taxonomy, ["import-labels", path])
    assert "0 labels added, 0 changed, 3 unchanged" in again.output
    assert db.session.query(SkillLabel).count() == 3
    with app.test_request_context(headers={"Accept-Language": "mr"}):
        assert label_in(welding.uri, welding.label, "mr") == "आर्क वेल्डिंग करणे"
        assert label_in(welding.uri, welding.label, "hi") == "आर्क वेल्डिंग करना"
        assert label_in(welding.uri, welding.label, "en") == "apply arc welding techniques"


def test_a_new_preferred_label_keeps_the_old_one_as_an_alternative(app, factories, tmp_path):
    from app.skills.cli import taxonomy
    from app.skills.labels import label_in
    from app.skills.models import LabelKind, SkillLabel

    lathe = factories.skill("tend lathe")
    runner = app.test_cli_runner()
    runner.invoke(
        taxonomy,
        ["import-labels", write_labels(tmp_path, f"uri,lang,label,kind\n{lathe.uri},mr,लेथ,\n")],
    )
    result = runner.invoke(
        taxonomy,
        [
            "import-labels",
            write_labels(
                tmp_path, f"uri,lang,label,kind\n{lathe.uri},mr,लेथ मशीन चालवणे,preferred\n"
            ),
        ],
    )
    assert result.exit_code == 0, result.output
    kinds = {row.label: row.kind for row in db.session.query(SkillLabel)}
    assert kinds == {"लेथ": LabelKind.alternative, "लेथ मशीन चालवणे": LabelKind.preferred}
    with app.test_request_context():
        assert label_in(lathe.uri, lathe.label, "mr") == "लेथ मशीन चालवणे"


def test_bad_label_rows_are_reported_by_line_and_nothing_is_written(app, factories, tmp_path):
    from app.skills.cli import taxonomy
    from app.skills.models import SkillLabel

    skill = factories.skill("tend lathe")
    path = write_labels(
        tmp_path,
        "uri,lang,label,kind\n"
        f"{skill.uri},mr,लेथ चालवणे,preferred\n"
        "http://example.org/none,mr,काहीतरी,preferred\n"
        f"{skill.uri},marathi,लेथ,alternative\n"
        f"{skill.uri},hi,,preferred\n"
        f"{skill.uri},hi,लेथ,main\n"
        f"{skill.uri},mr,लेथ चालवणे,alternative\n",
    )
    result = app.test_cli_runner().invoke(taxonomy, ["import-labels", path])
    assert result.exit_code != 0
    for expected in (
        "line 3: unknown skill URI",
        "line 4: lang must be a language code",
        "line 5: label is empty",
        "line 6: kind must be preferred or alternative",
        "line 7: repeats line 2",
    ):
        assert expected in result.output
    assert db.session.query(SkillLabel).count() == 0


def test_a_labels_file_without_its_columns_is_refused(app, tmp_path):
    from app.skills.cli import taxonomy

    result = app.test_cli_runner().invoke(
        taxonomy, ["import-labels", write_labels(tmp_path, "uri,label\nx,y\n")]
    )
    assert result.exit_code != 0 and "missing column(s) lang" in result.output


def test_skills_are_found_and_named_by_their_marathi_label(client, factories, app, tmp_path):
    from app.skills.cli import taxonomy
    from app.skills.services import search_skills, skill_by_name

    welding = factories.skill("apply arc welding techniques")
    factories.skill("tend lathe")
    app.test_cli_runner().invoke(
        taxonomy,
        [
            "import-labels",
            write_labels(
                tmp_path,
                f"uri,lang,label,kind\n{welding.uri},mr,आर्क वेल्डिंग करणे,preferred\n"
                f"{welding.uri},mr,वेल्डर,alternative\n",
            ),
        ],
    )
    assert [s.uri for s in db.session.scalars(search_skills("वेल्डिंग"))] == [welding.uri]
    assert skill_by_name("वेल्डर").uri == welding.uri


def test_the_api_gives_labels_in_the_language_asked(client, factories, app, tmp_path):
    from app.skills.cli import taxonomy

    welding = factories.skill("apply arc welding techniques")
    app.test_cli_runner().invoke(
        taxonomy,
        [
            "import-labels",
            write_labels(
                tmp_path, f"uri,lang,label,kind\n{welding.uri},hi,आर्क वेल्डिंग करना,preferred\n"
            ),
        ],
    )
    headers = bearer(factories.user("worker"))
    plain = client.get("/api/v1/skills?q=arc", headers=headers)
    assert plain.json[0]["label"] == plain.json[0]["label_en"] == "apply arc welding techniques"
    assert plain.headers["Content-Language"] == "en"
    by_query = client.get("/api/v1/skills?q=arc&lang=hi", headers=headers)
    assert by_query.json[0]["label"] == "आर्क वेल्डिंग करना"
    assert by_query.json[0]["label_en"] == "apply arc welding techniques"
    assert by_query.headers["Content-Language"] == "hi"
    by_header = client.get(
        "/api/v1/skills/by-uri",
        query_string={"uri": welding.uri},
        headers={**headers, "Accept-Language": "hi-IN,hi;q=0.9"},
    )
    assert by_header.json["label"] == "आर्क वेल्डिंग करना"
    # Marathi asked, none stored: the English label stands in.
    marathi = client.get("/api/v1/skills?q=arc&lang=mr", headers=headers)
    assert marathi.json[0]["label"] == "apply arc welding techniques"


def test_every_skill_label_in_the_api_follows_the_language_asked(client, factories, app, tmp_path):
    """A worker's skills, a posting's skills and a gap's skills: label in the language asked,
    label_en always English."""
    from app.skills.cli import taxonomy

    welding = factories.skill("apply arc welding techniques")
    worker = factories.consenting_worker()
    app.test_cli_runner().invoke(
        taxonomy,
        [
            "import-labels",
            write_labels(tmp_path, f"uri,lang,label,kind\n{welding.uri},mr,आर्क वेल्डिंग करणे,\n"),
        ],
    )
    admin = bearer(factories.user("admin"))
    client.put(
        f"/api/v1/workers/{worker.external_id}/skills",
        json={"skills": [{"uri": welding.uri, "proficiency": 2}]},
        headers=admin,
    )
    posting = factories.posting(skills=[welding])
    for path in (
        f"/api/v1/workers/{worker.external_id}/skills",
        f"/api/v1/postings/{posting.external_id}",
    ):
        body = client.get(path, query_string={"lang": "mr"}, headers=admin).json
        skills = body if isinstance(body, list) else body["skills"]
        assert skills[0]["label"] == "आर्क वेल्डिंग करणे", path
        assert skills[0]["label_en"] == "apply arc welding techniques", path
        english = client.get(path, headers=admin).json
        skills = english if isinstance(english, list) else english["skills"]
        assert skills[0]["label"] == "apply arc welding techniques", path


def test_choosing_a_language_on_the_pickers_own_address_goes_home(client, factories, login_as):
    """A signed-in user who reached /language itself (say, an error page there) and picks a
    language is sent home, not back to an address that only takes a POST."""
    login_as(factories.user("worker"))
    response = client.post(
        "/language", data={"lang": "mr"}, headers={"Referer": "http://localhost/language"}
    )
    assert response.headers["Location"] == "/"
    response = client.get("/language/hi?next=/language/mr")
    assert response.headers["Location"] == "/"


def test_a_plan_notes_another_district_by_its_name_in_the_page_language(app):
    from app.matchmaking.views import plan_note

    with app.test_request_context(headers={"Accept-Language": "hi"}):
        assert plan_note("in another district (Satara)") == "दूसरे ज़िले में (सातारा)"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert plan_note("in another district (Satara)") == "in another district (Satara)"
