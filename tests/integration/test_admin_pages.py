"""The administrator's overview: real counts, and nobody else may open it."""

from __future__ import annotations

import re
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


def test_the_whole_activity_is_searched_and_paged(client, factories, login_as, db_session):
    """The overview shows the last 20 events; the activity page finds the rest: what one
    account did, what was done to one record, one kind of action (two codes share a name), a
    page of 50 at a time, with the search kept from page to page."""
    staff = factories.user("institution")
    other = factories.user("employer")
    for _ in range(60):
        record_event("login", actor_id=other.id, object_type="user", object_id=str(other.id))
    record_event("personal_data_view", actor_id=staff.id, object_type="worker", object_id="W0012")
    record_event("personal_data_export", actor_id=staff.id, object_type="worker", object_id="W0012")
    record_event("personal_data_exported", actor_id=staff.id, object_type="worker", object_id="W7")
    record_event("login", outcome="refused", detail={"reason": "unknown"})
    db_session.commit()
    browser = login_as(factories.user("admin"))
    overview = browser.get("/admin").get_data(as_text=True)
    assert 'href="/admin/activity"' in overview

    everything = browser.get("/admin/activity").get_data(as_text=True)
    assert "65 events" in everything  # the 64 above and the administrator's own login
    assert 'href="/admin/activity?page=2"' in everything
    assert everything.count("<tr><td><time") == 50

    record = browser.get("/admin/activity?record=w0012").get_data(as_text=True)
    assert "2 events" in record and "W7" not in record
    # An older privacy event named the worker by the internal number: found by the id too.
    named = factories.worker(external_id="W0099")
    record_event("grievance_filed", object_type="worker", object_id=str(named.id))
    db_session.commit()
    older = browser.get("/admin/activity?record=W0099").get_data(as_text=True)
    assert "1 event" in older

    exported = browser.get(
        "/admin/activity?action=personal_data_export&who=" + staff.login_name[:6]
    ).get_data(as_text=True)
    assert "2 events" in exported and "W0012" in exported and "W7" in exported

    refused = browser.get("/admin/activity?outcome=refused&action=login").get_data(as_text=True)
    assert "1 event" in refused

    by_login = browser.get(f"/admin/activity?record={other.login_name}").get_data(as_text=True)
    assert "60 events" in by_login
    assert re.search(r'href="/admin/activity\?page=2&amp;record=employer[^"]+"', by_login)
    nothing = browser.get("/admin/activity?who=nobody-at-all").get_data(as_text=True)
    assert "No event matches what you searched for." in nothing

    client.set_cookie("lang", "mr")
    marathi = browser.get("/admin/activity?action=login").get_data(as_text=True)
    assert "लॉगिन" in marathi and "Every action" not in marathi
    past_the_end = browser.get("/admin/activity?action=login&outcome=refused&page=9")
    assert "No event matches" not in past_the_end.get_data(as_text=True)
