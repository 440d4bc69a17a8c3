"""A district is stored by one name however a worker, employer or institution writes it, refused
when it carries markup, suggested on forms, and shown in the reader's language."""

from __future__ import annotations

import re

from app.workers.models import Worker
from tests.integration.test_privacy_download import full_worker_user

PROFILE = {
    "name": "Asha Kamble",
    "gender": "female",
    "date_of_birth": "1999-04-21",
    "state": "Maharashtra",
}


def test_a_district_written_in_marathi_or_another_spelling_is_stored_by_its_name(
    client, factories, login_as, db_session
):
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    login_as(me)
    # A cluster town names its district: matching and reports compare and group by district.
    for written, stored in (
        ("पुणे", "Pune"),
        ("poona", "Pune"),
        ("चाकण", "Pune"),
        ("Nagpur", "Nagpur"),
    ):
        response = client.post("/worker/profile/edit", data={**PROFILE, "district": written})
        assert response.status_code == 302, written
        db_session.expire_all()
        assert db_session.get(Worker, me.worker.id).district == stored


def test_markup_in_a_district_is_refused_and_nothing_is_changed(
    client, factories, login_as, db_session
):
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    login_as(me)
    client.set_cookie("lang", "mr")
    response = client.post(
        "/worker/profile/edit", data={**PROFILE, "district": "<b>Pune</b>", "name": "Changed"}
    )
    assert response.status_code == 200
    assert "जिल्ह्याचे नाव फक्त अक्षरांत लिहा." in response.get_data(as_text=True)
    db_session.expire_all()
    worker = db_session.get(Worker, me.worker.id)
    assert (worker.name, worker.district) == ("Asha Kamble", "Pune")


def test_district_fields_suggest_the_districts_and_pages_name_them_in_marathi(
    client, factories, login_as
):
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    login_as(me)
    client.set_cookie("lang", "mr")
    form = client.get("/worker/profile/edit").get_data(as_text=True)
    assert 'list="district-names"' in form
    assert '<option value="छत्रपती संभाजीनगर">Chhatrapati Sambhajinagar</option>' in form
    profile = client.get("/worker/profile").get_data(as_text=True)
    assert "पुणे, महाराष्ट्र" in profile
    # The form shows what the profile shows, and saving it unchanged changes nothing.
    assert 'value="पुणे"' in form and 'value="महाराष्ट्र"' in form


def test_a_state_is_stored_by_its_name_and_anything_else_is_refused(
    client, factories, login_as, db_session
):
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    login_as(me)
    form = {**PROFILE, "district": "Pune"}
    response = client.post("/worker/profile/edit", data={**form, "state": "महाराष्ट्र"})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Worker, me.worker.id).state == "Maharashtra"
    response = client.post("/worker/profile/edit", data={**form, "state": "Atlantis"})
    assert response.status_code == 200
    assert "states or union territories" in response.get_data(as_text=True)
    edit = client.get("/worker/profile/edit").get_data(as_text=True)
    assert 'list="state-names"' in edit and '<option value="Odisha">' in edit


def test_a_marathi_profile_form_saved_unchanged_keeps_the_stored_names(
    client, factories, login_as, db_session
):
    """The form shows the district, state and languages in Marathi, as the profile does; saved
    as shown they are stored by their one name, not as the Marathi words."""
    me = full_worker_user(factories, "Asha Kamble", "+919800011111", "asha@example.org")
    login_as(me)
    client.set_cookie("lang", "mr")
    form = client.get("/worker/profile/edit").get_data(as_text=True)
    (languages,) = re.findall(r'<input[^>]*name="languages"[^>]*value="([^"]*)"', form)
    assert languages == "हिंदी, मराठी"
    response = client.post(
        "/worker/profile/edit",
        data={**PROFILE, "district": "पुणे", "state": "महाराष्ट्र", "languages": "हिन्दी, मराठी"},
    )
    assert response.status_code == 302
    db_session.expire_all()
    worker = db_session.get(Worker, me.worker.id)
    assert (worker.district, worker.state, worker.languages) == (
        "Pune",
        "Maharashtra",
        ["Hindi", "Marathi"],
    )
