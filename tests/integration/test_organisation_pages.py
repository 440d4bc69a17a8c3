"""An administrator's pages for employers and institutions: add and correct one through the API's
rules, give its staff logins with a one-time code (no password known to anyone but its owner),
take a login away."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.auth.services import authenticate
from app.organisations.models import Cluster, Organisation


def test_admin_adds_an_employer_and_corrects_it(client, factories, login_as, db_session):
    db_session.add(Cluster(external_id="chakan", name="Chakan cluster", state="Maharashtra"))
    db_session.commit()
    browser = login_as(factories.user("admin"))
    overview = browser.get("/admin").get_data(as_text=True)
    assert 'href="/admin/organisations/new?kind=employer"' in overview
    blank = browser.get("/admin/organisations/new?kind=employer").get_data(as_text=True)
    assert '<option selected value="chakan">' in blank  # the one cluster there is
    form = {
        "name": "Chakan Precision Forge",
        "sector": "forging",
        "district": "Chakan",  # a cluster town: stored as its district
        "state": "Maharashtra",
        "msme_size": "small",
        "tier": "tier2",
        "submit": "Save",
    }
    saved = browser.post("/admin/organisations/new?kind=employer", data=form)
    assert saved.status_code == 302
    row = db_session.scalar(select(Organisation).where(Organisation.name == form["name"]))
    assert (row.kind.value, row.district, row.tier, row.msme_size, row.sector) == (
        "employer",
        "Pune",
        "tier2",
        "small",
        "forging",
    )
    assert row.external_id.startswith("EMP-")
    assert saved.headers["Location"].endswith(f"/admin/organisations/{row.external_id}")
    assert f'href="/admin/organisations/{row.external_id}"' in browser.get("/admin").get_data(
        as_text=True
    )
    page = browser.get(f"/admin/organisations/{row.external_id}").get_data(as_text=True)
    assert 'value="Chakan Precision Forge"' in page and 'name="external_id"' not in page
    corrected = browser.post(
        f"/admin/organisations/{row.external_id}",
        data={**form, "name": "Chakan Precision Forgings", "tier": ""},
    )
    assert corrected.status_code == 302
    db_session.expire_all()
    row = db_session.get(Organisation, row.id)
    assert (row.name, row.tier) == ("Chakan Precision Forgings", None)


def test_bad_organisation_input_is_refused_on_its_fields_and_kept(
    client, factories, login_as, db_session
):
    factories.institution(external_id="INS-TAKEN")
    browser = login_as(factories.user("admin"))
    before = db_session.scalar(select(Organisation.id).order_by(Organisation.id.desc()))
    response = browser.post(
        "/admin/organisations/new?kind=institution",
        data={"external_id": "INS-X", "name": "", "institution_type": "iti", "submit": "1"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Please fill this in." in html and 'value="INS-X"' in html
    taken = browser.post(
        "/admin/organisations/new?kind=institution",
        data={"external_id": "INS-TAKEN", "name": "Nashik ITI", "submit": "1"},
    ).get_data(as_text=True)
    assert "INS-TAKEN exists" in taken and 'value="Nashik ITI"' in taken
    assert db_session.scalar(select(Organisation.id).order_by(Organisation.id.desc())) == before
    assert browser.get("/admin/organisations/new?kind=cluster").status_code == 404


def test_a_staff_login_sets_its_own_password_with_the_code_shown_once(
    client, factories, login_as, db_session
):
    employer = factories.employer(external_id="EMP-NEW", name="New Forge")
    admin = factories.user("admin")
    browser = login_as(admin)
    refused = browser.post("/admin/organisations/EMP-NEW/logins", data={"email": "", "phone": ""})
    assert refused.status_code == 422 and 'id="add-login"' in refused.get_data(as_text=True)
    not_email = browser.post(
        "/admin/organisations/EMP-NEW/logins", data={"email": "not-an-email", "phone": ""}
    )
    assert not_email.status_code == 422
    assert "Write an email address like name@example.com." in not_email.get_data(as_text=True)
    assert db_session.scalar(select(User).where(User.email == "not-an-email")) is None
    # A phone that is no mobile number is refused beside its box, with or without an email (a
    # walk's "98765 4321" got a login and a code it could never receive).
    for email in ("", "hr2@newforge.example"):
        short = browser.post(
            "/admin/organisations/EMP-NEW/logins", data={"email": email, "phone": "98765 4321"}
        )
        assert short.status_code == 422
        assert "10-digit Indian mobile number" in short.get_data(as_text=True)
    assert db_session.scalar(select(User).where(User.email == "hr2@newforge.example")) is None
    shown = browser.post(
        "/admin/organisations/EMP-NEW/logins", data={"email": "hr@newforge.example", "phone": ""}
    )
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    code = re.search(r'id="reset-code">([\d ]+)<', shown.get_data(as_text=True)).group(1)
    user = db_session.scalar(select(User).where(User.email == "hr@newforge.example"))
    assert (user.role, user.organisation_id) == (Role.employer, employer.id)
    again = browser.post(
        "/admin/organisations/EMP-NEW/logins", data={"email": "hr@newforge.example", "phone": ""}
    )
    assert again.status_code == 422 and "already has an account" in again.get_data(as_text=True)
    client.set_cookie("lang", "mr")
    in_marathi = browser.post(
        "/admin/organisations/EMP-NEW/logins", data={"email": "hr@newforge.example", "phone": ""}
    ).get_data(as_text=True)
    assert "already has an account" not in in_marathi
    client.set_cookie("lang", "en")
    client.get("/logout")
    done = client.post(
        "/forgot-password",
        data={
            "login": "hr@newforge.example",
            "code": code.replace(" ", ""),
            "new_password": "a-long-new-password",
        },
    )
    assert done.status_code == 302
    db_session.expire_all()
    assert authenticate("hr@newforge.example", "a-long-new-password") is not None


def test_a_login_taken_away_cannot_log_in(client, factories, login_as, db_session):
    staff = factories.user("institution")
    browser = login_as(factories.user("admin"))
    page = browser.get(f"/admin/organisations/{staff.organisation.external_id}")
    assert staff.login_name in page.get_data(as_text=True)
    assert browser.post(f"/admin/logins/{staff.id}/disable").status_code == 302
    db_session.expire_all()
    assert db_session.get(User, staff.id).active is False
    worker_user = factories.user("worker")
    assert browser.post(f"/admin/logins/{worker_user.id}/disable").status_code == 404
    assert db_session.get(User, worker_user.id).active is True


def test_taking_a_login_away_is_asked_twice_can_be_undone_and_is_in_the_trail(
    client, factories, login_as, db_session
):
    """A walk took a login away with one tap and could not bring it back; the activity list
    then showed the staff member ending their own sessions, as "account 19"."""
    staff = factories.user("employer")
    admin = factories.user("admin")
    browser = login_as(admin)
    page = browser.get(f"/admin/organisations/{staff.organisation.external_id}").get_data(
        as_text=True
    )
    question = page[page.index("Take this login away…") :][:1200]
    assert "will no longer be able to log in" in question and "Yes, take it away" in question
    browser.post(f"/admin/logins/{staff.id}/disable")
    db_session.expire_all()
    assert db_session.get(User, staff.id).active is False
    page = browser.get(f"/admin/organisations/{staff.organisation.external_id}").get_data(
        as_text=True
    )
    assert "Let this login in again" in page
    assert browser.post(f"/admin/logins/{staff.id}/enable").status_code == 302
    db_session.expire_all()
    assert db_session.get(User, staff.id).active is True
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "user").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("user_disabled", admin.id),
        ("sessions_ended", admin.id),
        ("user_enabled", admin.id),
    ]
    overview = browser.get("/admin").get_data(as_text=True)
    activity = overview[overview.index("Recent activity") :]
    assert f"account {staff.login_name}" in activity and f"account {staff.id}<" not in activity


def test_adding_an_organisation_and_a_login_is_in_the_trail(
    client, factories, login_as, db_session
):
    admin = factories.user("admin")
    browser = login_as(admin)
    browser.post("/admin/organisations/new?kind=institution", data={"name": "Talegaon ITI"})
    row = db_session.scalar(select(Organisation).where(Organisation.name == "Talegaon ITI"))
    browser.post(f"/admin/organisations/{row.external_id}/logins", data={"email": "a@iti.example"})
    actions = db_session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == admin.id).order_by(AuditEvent.id)
    ).all()
    assert "organisation_created" in actions and "user_created" in actions
    # A refused login form's address, asked for again (a change of language), is the page.
    again = browser.get(f"/admin/organisations/{row.external_id}/logins")
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/admin/organisations/{row.external_id}")


def test_a_misspelt_district_is_saved_as_written_and_said(client, factories, login_as):
    """A walk typed "पुणेे" (a doubled vowel sign): it became a district of its own, unsaid."""
    browser = login_as(factories.user("admin"))
    saved = browser.post(
        "/admin/organisations/new?kind=employer",
        data={"name": "Doubled Sign Forge", "district": "पुणेे"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "पुणेे is not on the list of districts: did you mean Pune? Kept as written." in saved


def test_the_organisation_page_has_no_id_twice(client, factories, login_as):
    """Its two forms each had a button id="submit" (a browser walk's script could not tell them
    apart; a label or a test can't either)."""
    staff = factories.user("employer")
    page = login_as(factories.user("admin")).get(
        f"/admin/organisations/{staff.organisation.external_id}"
    )
    ids = re.findall(r'\bid="([^"]+)"', page.get_data(as_text=True))
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
