"""The administrator's overview: real counts, and nobody else may open it."""

from __future__ import annotations

from datetime import date

from app.admin.services import cluster_overview
from app.audit.services import record_event


def test_overview_counts_what_is_in_the_database(factories):
    before = cluster_overview(date(2026, 6, 1))
    factories.consenting_worker(gender="female")
    factories.consenting_worker(gender="male", visible_to_employers=False)
    factories.worker(gender="male")  # visible, but never consented: not shown to employers
    factories.posting(openings=7)
    after = cluster_overview(date(2026, 6, 1))
    assert after.workers == before.workers + 3
    assert after.women == before.women + 1
    assert after.visible == before.visible + 1
    assert after.open_openings == before.open_openings + 7


def test_overview_page_for_admins_only(client, factories, login_as):
    factories.employer(name="Chakan Forgings Pvt Ltd")
    for role in ("worker", "employer", "institution"):
        with client.session_transaction() as session:
            session.clear()
        login_as(factories.user(role))
        assert client.get("/admin").status_code == 403
    with client.session_transaction() as session:
        session.clear()
    page = login_as(factories.user("admin")).get("/admin")
    assert page.status_code == 200
    assert "Chakan Forgings Pvt Ltd" in page.get_data(as_text=True)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_overview_names_organisation_types_and_audit_events_in_the_readers_language(
    client, factories, login_as, db_session
):
    factories.employer(name="Chakan Forgings Pvt Ltd", tier="tier1")
    factories.institution(name="Chakan Polytechnic", institution_type="polytechnic")
    record_event("consent_given", object_type="worker", object_id="W0256")
    record_event("record_corrected", object_type="enrolment", object_id="EN0276")
    db_session.commit()
    client.set_cookie("lang", "mr")
    page = login_as(factories.user("admin")).get("/admin").get_data(as_text=True)
    for words in ("टियर 1 पुरवठादार", "पॉलिटेक्निक", "संमती दिली", "नोंद दुरुस्त केली", "लॉगिन"):
        assert words in page, words
    assert "कामगार W0256" in page and "कोर्स प्रवेश EN0276" in page
    for code in ("tier1", "polytechnic", "consent_given", "record_corrected", "enrolment EN0276"):
        assert code not in page, code


def test_the_activity_list_says_who_did_each_thing(client, factories, login_as, db_session):
    """A walk found the recent activity naming the action and record but never the person."""
    staff = factories.user("institution")
    record_event("record_corrected", actor_id=staff.id, object_type="enrolment", object_id="EN9")
    record_event("login", outcome="refused", detail={"reason": "unknown"})
    db_session.commit()
    page = login_as(factories.user("admin")).get("/admin").get_data(as_text=True)
    activity = page[page.index("Recent activity") :]
    row = activity[activity.index("EN9") - 600 : activity.index("EN9")]
    assert f'{staff.login_name} <span class="text-muted">(institution)</span>' in row
