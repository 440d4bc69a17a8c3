"""The itemised notice in English, Marathi and Hindi, and consent as a precondition of a profile."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from app.auth.models import User
from app.privacy import services as privacy
from app.privacy.models import Consent
from app.privacy.notice import ITEMS, LANGUAGES, NOTICE_VERSION, PURPOSES, TEXT
from app.workers import services as worker_services
from app.workers.models import Worker
from tests.helpers import bearer


def registration(**overrides) -> dict:
    form = {
        "name": "Pooja Jadhav",
        "gender": "female",
        "date_of_birth": "2003-02-11",
        "district": "Pune",
        "state": "Maharashtra",
        "education": "iti",
        "languages": "Marathi, Hindi",
        "phone": "98220 11223",
        "email": "pooja@example.org",
        "social_category": "",
        "disability": "",
        "profile_text": "",
        "password": "a-long-password-1",
        "purposes": ["matching", "share_with_employers"],
    }
    form.update(overrides)
    return form


def api_body(**overrides) -> dict:
    body = {
        "external_id": "W-CONSENT-1",
        "name": "Sunita Pawar",
        "gender": "female",
        "date_of_birth": "2001-06-30",
        "district": "Pune",
        "state": "Maharashtra",
        "consent": {"notice_version": NOTICE_VERSION, "purposes": ["matching"]},
    }
    body.update(overrides)
    return body


def counts(db_session) -> tuple[int, int, int]:
    return (
        db_session.scalar(select(func.count(Worker.id))),
        db_session.scalar(select(func.count(Consent.id))),
        db_session.scalar(select(func.count(User.id))),
    )


# --- The notice --------------------------------------------------------------------------------


def test_notice_page_shows_every_item_in_english_and_in_hindi(client):
    page = html.unescape(client.get("/privacy/notice").get_data(as_text=True))
    assert 'lang="en"' in page and 'lang="hi"' in page
    for language in ("en", "hi"):
        assert TEXT[language]["title"] in page
        for data, why, _shown_to in ITEMS[language]:
            assert data in page and why in page
        for label in PURPOSES[language].values():
            assert label in page
    assert "आपकी व्यक्तिगत जानकारी" in page and "सहमति" in page  # Devanagari, not transliteration
    assert NOTICE_VERSION in page


def test_both_languages_itemise_the_same_data_and_purposes():
    assert len(ITEMS["en"]) == len(ITEMS["hi"]) >= 9
    assert PURPOSES["en"].keys() == PURPOSES["hi"].keys()
    assert TEXT["en"].keys() == TEXT["hi"].keys()
    for data, _why, _shown in ITEMS["hi"]:
        assert any("\u0900" <= char <= "\u097f" for char in data), data


def test_every_language_itemises_the_same_data_purposes_and_rights():
    assert list(LANGUAGES) == ["en", "mr", "hi"]
    for language in LANGUAGES:
        assert len(ITEMS[language]) == len(ITEMS["en"])
        assert list(PURPOSES[language]) == list(PURPOSES["en"])
        assert list(TEXT[language]) == list(TEXT["en"])
        assert len(TEXT[language]["rights"]) == len(TEXT["en"]["rights"])
    assert ITEMS["mr"][2][0] == "जन्मतारीख" and "संमती" in TEXT["mr"]["minors"]


def test_notice_opens_in_the_page_language_with_the_others_one_tap_away(client):
    client.set_cookie("lang", "mr")
    page = html.unescape(client.get("/privacy/notice").get_data(as_text=True))
    marathi, english = page.index(TEXT["mr"]["title"]), page.index(TEXT["en"]["title"])
    assert marathi < english < page.index(TEXT["hi"]["title"])
    assert page.index("<details") < english  # English and Hindi folded, Marathi open
    for data, why, _shown_to in ITEMS["mr"]:
        assert data in page and why in page


def test_registration_in_marathi_shows_the_purposes_in_marathi(client, db_session):
    client.set_cookie("lang", "mr")
    page = html.unescape(client.get("/worker/register").get_data(as_text=True))
    assert page.index(TEXT["mr"]["title"]) < page.index('name="password"')
    for label in PURPOSES["mr"].values():
        assert label in page
    response = client.post("/worker/register", data=registration())
    assert response.status_code == 302
    worker = db_session.scalar(select(Worker).where(Worker.name == "Pooja Jadhav"))
    consent = worker_services.current_consent(worker)
    assert (consent.notice_version, consent.purposes) == (
        NOTICE_VERSION,
        ["matching", "share_with_employers"],
    )


def test_notice_api_in_each_language(client):
    english = client.get("/api/v1/privacy/notice").json
    hindi = client.get("/api/v1/privacy/notice?lang=hi").json
    assert english["version"] == hindi["version"] == NOTICE_VERSION
    assert english["items"][0] == {
        "data": ITEMS["en"][0][0],
        "why": ITEMS["en"][0][1],
        "shown_to": ITEMS["en"][0][2],
    }
    assert hindi["items"][2]["data"] == "जन्म तिथि"
    marathi = client.get("/api/v1/privacy/notice?lang=mr").json
    assert marathi["version"] == NOTICE_VERSION and marathi["items"][2]["data"] == "जन्मतारीख"
    assert client.get("/api/v1/privacy/notice?lang=fr").status_code == 422


def test_registration_page_shows_the_notice_before_the_form(client):
    page = client.get("/worker/register").get_data(as_text=True)
    notice_at = page.index(TEXT["en"]["title"])
    assert page.index(TEXT["hi"]["title"]) < page.index('name="password"')
    assert notice_at < page.index('name="name"')
    assert 'name="purposes"' in page and "checked" not in page  # nothing ticked for the worker


# --- No profile without consent ----------------------------------------------------------------


def test_registration_without_consent_creates_nothing(client, db_session):
    before = counts(db_session)
    response = client.post("/worker/register", data=registration(purposes=[]))
    assert response.status_code == 200
    assert "Choose at least one purpose" in response.get_data(as_text=True)
    assert counts(db_session) == before


def test_registration_with_consent_creates_worker_consent_and_login(client, db_session):
    response = client.post("/worker/register", data=registration())
    assert response.status_code == 302 and response.headers["Location"].endswith("/worker/profile")
    worker = db_session.scalar(select(Worker).where(Worker.name == "Pooja Jadhav"))
    assert worker.phone == "+919822011223"
    consent = worker_services.current_consent(worker)
    assert (consent.notice_version, consent.purposes, consent.given_by) == (
        NOTICE_VERSION,
        ["matching", "share_with_employers"],
        "self",
    )
    user = db_session.scalar(select(User).where(User.worker_id == worker.id))
    assert user.email == "pooja@example.org" and user.role.value == "worker"
    assert "Pooja Jadhav" in client.get("/worker/profile").get_data(as_text=True)
    # Registering starts her session: her own data says when (it read "—").
    db_session.expire_all()
    assert db_session.get(User, user.id).last_login_at is not None


def test_registration_with_a_bad_field_creates_nothing(client, db_session):
    before = counts(db_session)
    response = client.post("/worker/register", data=registration(password="short"))
    assert response.status_code == 200 and "at least 10" in response.get_data(as_text=True)
    assert counts(db_session) == before


def test_registration_says_everything_wrong_at_once(client, db_session):
    """A bad phone, a short password and no consent are all named on the first try; a good
    password, which the page never sends back, is asked for again."""
    before = counts(db_session)
    response = client.post(
        "/worker/register", data=registration(phone="12345", password="short", purposes=[])
    )
    page = response.get_data(as_text=True)
    assert "10-digit" in page and "at least 10" in page and "Choose at least one purpose" in page
    response = client.post("/worker/register", data=registration(phone="12345"))
    assert "Type your password again." in response.get_data(as_text=True)
    client.set_cookie("lang", "hi")  # the password's rule in Hindi too, as the API's words differ
    response = client.post("/worker/register", data=registration(password="short"))
    assert "कम से कम 10 अक्षर रखें।" in response.get_data(as_text=True)
    # Neither phone nor email: said in Hindi too (a walk read it in English), and the phone box
    # opens the phone's number pad.
    response = client.post("/worker/register", data=registration(phone="", email=""))
    page = response.get_data(as_text=True)
    assert "मोबाइल नंबर या ईमेल में से एक दें।" in page
    assert re.search(
        r'<input[^>]*name="phone"[^>]*type="tel"|<input[^>]*type="tel"[^>]*name="phone"', page
    )
    assert counts(db_session) == before


def test_api_refuses_a_worker_without_consent_and_writes_nothing(client, factories, db_session):
    admin = factories.user("admin")
    before = counts(db_session)
    body = api_body()
    del body["consent"]
    response = client.post("/api/v1/workers", json=body, headers=bearer(admin))
    assert response.status_code == 422 and "consent" in response.json["errors"]["json"]
    old_notice = api_body(consent={"notice_version": "2019-1", "purposes": ["matching"]})
    response = client.post("/api/v1/workers", json=old_notice, headers=bearer(admin))
    assert response.status_code == 422
    assert "consent.notice_version" in response.json["errors"]["json"]
    assert counts(db_session)[:2] == before[:2]


def test_institution_registering_a_worker_records_consent_given_through_it(
    client, factories, db_session
):
    officer = factories.user("institution")
    response = client.post("/api/v1/workers", json=api_body(), headers=bearer(officer))
    assert response.status_code == 201, response.json
    worker = db_session.scalar(select(Worker).where(Worker.external_id == "W-CONSENT-1"))
    consent = worker_services.current_consent(worker)
    assert consent.given_by == f"institution:{officer.id}" and consent.purposes == ["matching"]


# --- Imports and the seed ----------------------------------------------------------------------


def test_import_consent_is_recorded_once_and_never_after_a_withdrawal(factories, db_session):
    worker = factories.worker()
    first = privacy.record_import_consent(worker)
    assert first.given_by == "import" and set(first.purposes) == set(PURPOSES["en"])
    assert privacy.record_import_consent(worker) is None  # a re-import adds nothing

    withdrawn = factories.worker()
    worker_services.record_consent(withdrawn, NOTICE_VERSION, ["matching"])
    worker_services.withdraw_consent(withdrawn)
    assert privacy.record_import_consent(withdrawn, given_by="seed") is None
    assert worker_services.current_consent(withdrawn) is None

    seeded = factories.worker()
    assert privacy.record_import_consent(seeded, given_by="seed").given_by == "seed"


def test_the_notice_says_who_sees_the_mobile_number_as_the_app_shares_it(client, factories):
    """An employer sees a worker's mobile number once the worker applies for its job
    (policy.can_see_contact_of); a walk found the notice saying employers never do. It says so in
    every language, and names everyone who sees a field instead of "as above"."""
    from app.applications.services import apply
    from app.auth import policy

    worker = factories.consenting_worker(phone="+919811100011")
    posting = factories.posting()
    employer = factories.user("employer", organisation=posting.employer)
    assert not policy.can_see_contact_of(employer, worker)
    apply(worker, posting, None)
    assert policy.can_see_contact_of(employer, worker)
    words = {"en": "apply", "mr": "अर्ज", "hi": "आवेदन"}
    for lang, word in words.items():
        items = client.get(f"/api/v1/privacy/notice?lang={lang}").json["items"]
        (mobile,) = [item for item in items if item["data"] == ITEMS[lang][5][0]]
        assert word in mobile["shown_to"], (lang, mobile)
        assert not any(item["shown_to"].startswith(("As above", "ऊपर", "वरील")) for item in items)


def test_registration_errors_say_what_to_do_in_the_readers_language(client, db_session):
    """A walk read "2 to 200 characters" under an empty name, and an English "The worker would
    be 11" on a Hindi sign-up page."""
    client.set_cookie("lang", "hi")
    before = counts(db_session)
    page = client.post(
        "/worker/register", data=registration(name="", date_of_birth="2015-03-01")
    ).get_data(as_text=True)
    name_box = page.split('name="name"')[1][:600]
    assert "कृपया इसे भरें।" in name_box and "2 से 200" not in page
    birth_box = page.split('name="date_of_birth"')[1][:900]
    assert "11 साल" in birth_box and "Someone born" not in page
    assert counts(db_session) == before


def test_a_phone_that_has_an_account_is_said_with_the_other_mistakes(app, client, db_session):
    """A walk was told of her phone only on a second try, after fixing the rest."""
    assert app.test_client().post("/worker/register", data=registration()).status_code == 302
    again = client.post("/worker/register", data=registration(name="", email="another@example.org"))
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    phone_box = page.split('name="phone"')[1][:700]
    assert "This already has an account: log in with it" in html.unescape(phone_box)
    assert "Please fill this in." in page.split('name="name"')[1][:600]


def test_a_password_built_on_her_own_name_is_refused_at_sign_up(client, db_session):
    before = counts(db_session)
    # "poojajadhav" passes as a word nobody knows, unless it is her own name (Pooja Jadhav).
    page = client.post("/worker/register", data=registration(password="poojajadhav")).get_data(
        as_text=True
    )
    assert "This password is easy to guess" in page.split('name="password"')[1][:700]
    assert counts(db_session) == before
