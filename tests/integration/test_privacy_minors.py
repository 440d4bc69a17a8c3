"""Under-18s stay invisible to employers until a parent's or guardian's consent is recorded and
verified by an officer of an institution they are enrolled with (never by the worker)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from app.auth import policy
from app.privacy import services as privacy
from app.privacy.models import GuardianConsent
from app.workers import services as worker_services
from app.workers.models import Worker
from tests.helpers import bearer


def years_ago(years: int, days: int = 0) -> date:
    today = date.today()
    return today.replace(year=today.year - years) - timedelta(days=days)


def visible_minor(factories):
    """A 16-year-old who consented to sharing and chose to be visible, enrolled at an institution."""
    from app.extensions import db

    worker = factories.worker(date_of_birth=years_ago(16), visible_to_employers=True)
    worker_services.record_consent(
        worker, worker_services.CONSENT_NOTICE_VERSION, list(privacy.ALL_PURPOSES)
    )
    officer = factories.user("institution")
    factories.enrolment(worker, factories.course(officer.organisation))
    db.session.commit()
    return factories.user("worker", worker=worker), officer


def employer_sees(app, factories, external_id: str) -> tuple[bool, int]:
    client = app.test_client()
    headers = bearer(factories.user("employer"))
    listed = client.get("/api/v1/workers?page_size=100", headers=headers).json
    one = client.get(f"/api/v1/workers/{external_id}", headers=headers)
    return external_id in {row["id"] for row in listed}, one.status_code


def guardian_body() -> dict:
    return {
        "guardian_name": "Sunanda Gaikwad",
        "relation": "mother",
        "given_on": date.today().isoformat(),
    }


def test_minor_is_invisible_until_an_institution_verifies_the_guardians_consent(
    app, client, factories, db_session
):
    user, officer = visible_minor(factories)
    external_id = user.worker.external_id
    assert employer_sees(app, factories, external_id) == (False, 403)

    recorded = client.post(
        f"/api/v1/privacy/workers/{external_id}/guardian-consent",
        json=guardian_body(),
        headers=bearer(user),
    )
    assert recorded.status_code == 201 and recorded.json["verified"] is False
    assert employer_sees(app, factories, external_id) == (False, 403)  # recorded, not verified

    verify_url = f"/api/v1/privacy/workers/{external_id}/guardian-consent/verify"
    own = client.post(verify_url, headers=bearer(user))
    assert own.status_code == 403  # a worker can't verify their own
    stranger_officer = factories.user("institution")
    assert client.post(verify_url, headers=bearer(stranger_officer)).status_code == 403
    assert client.post(verify_url, headers=bearer(factories.user("employer"))).status_code == 403
    assert employer_sees(app, factories, external_id) == (False, 403)

    verified = client.post(verify_url, headers=bearer(officer))
    assert verified.status_code == 200 and verified.json["verified"] is True
    record = db_session.scalar(
        select(GuardianConsent).where(GuardianConsent.worker_id == user.worker.id)
    )
    assert record.verified_by_id == officer.id and record.verified_on is not None
    assert employer_sees(app, factories, external_id) == (True, 200)


def test_turning_18_makes_guardian_consent_unnecessary(factories, db_session):
    worker = factories.worker(date_of_birth=years_ago(18, days=1), visible_to_employers=True)
    worker_services.record_consent(
        worker, worker_services.CONSENT_NOTICE_VERSION, ["share_with_employers"]
    )
    assert policy.is_visible_to_employers(worker)
    seventeen = factories.worker(date_of_birth=years_ago(18, days=-1), visible_to_employers=True)
    worker_services.record_consent(
        seventeen, worker_services.CONSENT_NOTICE_VERSION, ["share_with_employers"]
    )
    assert policy.is_minor(seventeen) and not policy.is_visible_to_employers(seventeen)
    clause_ids = set(
        db_session.scalars(select(Worker.id).where(policy.visible_to_employers_clause()))
    )
    assert worker.id in clause_ids and seventeen.id not in clause_ids


def test_guardian_consent_pages_record_and_verify(app, client, factories, login_as, db_session):
    user, officer = visible_minor(factories)
    login_as(user)
    profile = client.get("/worker/profile").get_data(as_text=True)
    assert (
        "Parent or guardian consent" in profile and "Employers cannot see your profile" in profile
    )
    # Her choice is yes, but the details do not say "Visible to employers: yes" above it.
    assert "You chose yes, but employers cannot see it yet (see below)." in profile
    client.post("/worker/guardian-consent", data=guardian_body())
    assert "waiting for your institution" in client.get("/worker/profile").get_data(as_text=True)
    own_verify = client.post(f"/institution/guardian-consents/{user.worker.external_id}/verify")
    assert own_verify.status_code == 403

    officer_client = app.test_client()
    officer_client.post(
        "/login", data={"login": officer.email, "password": "correct-horse-battery"}
    )
    listing = officer_client.get("/institution/guardian-consents").get_data(as_text=True)
    assert "Sunanda Gaikwad" in listing and "Not verified" in listing
    response = officer_client.post(
        f"/institution/guardian-consents/{user.worker.external_id}/verify"
    )
    assert response.status_code == 302
    assert privacy.guardian_verified(db_session.get(Worker, user.worker.id))
    assert "Employers can see your profile" in client.get("/worker/profile").get_data(as_text=True)

    other_officer_client = app.test_client()
    other = factories.user("institution")
    other_officer_client.post(
        "/login", data={"login": other.email, "password": "correct-horse-battery"}
    )
    assert "Sunanda" not in other_officer_client.get("/institution/guardian-consents").get_data(
        as_text=True
    )


def test_guardian_consent_is_only_for_minors_and_checked(client, factories):
    adult = factories.user("worker")
    response = client.post(
        f"/api/v1/privacy/workers/{adult.worker.external_id}/guardian-consent",
        json=guardian_body(),
        headers=bearer(adult),
    )
    assert (
        response.status_code == 422 and "under 18" in response.json["errors"]["json"]["worker"][0]
    )
    user, _ = visible_minor(factories)
    bad = client.post(
        f"/api/v1/privacy/workers/{user.worker.external_id}/guardian-consent",
        json={"guardian_name": "S", "relation": "uncle", "given_on": "2999-01-01"},
        headers=bearer(user),
    )
    assert bad.status_code == 422
    assert {"guardian_name", "relation"} <= set(bad.json["errors"]["json"])


def test_a_refused_guardian_consent_keeps_what_was_typed_beside_each_box(
    client, factories, login_as, db_session
):
    """A walk sent the form empty and then with a day to come: one message at the top of the
    page, three screens away, and the name, relation and date were wiped."""
    user, _ = visible_minor(factories)
    login_as(user)
    client.set_cookie("lang", "hi")
    empty = client.post("/worker/guardian-consent", data={"relation": "father"})
    assert empty.status_code == 422
    page = empty.get_data(as_text=True)
    form = page[page.index('id="guardian-consent"') :]
    assert form.count("कृपया इसे भरें।") == 2  # the name and the date, each beside its box
    assert re.search(r'<option selected value="father"|<option value="father" selected', form)

    future = client.post(
        "/worker/guardian-consent",
        data={**guardian_body(), "relation": "father", "given_on": "2999-01-01"},
    )
    assert future.status_code == 422
    form = future.get_data(as_text=True).split('id="guardian-consent"')[1]
    assert 'value="Sunanda Gaikwad"' in form and 'value="2999-01-01"' in form
    assert "भविष्य" in form.split('name="given_on"')[1][:400]
    assert privacy.guardian_verified(user.worker) is False
    assert not db_session.scalars(select(GuardianConsent)).all()
