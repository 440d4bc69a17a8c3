"""Withdrawing consent is one button or one API call, and stops processing: employers stop seeing
the worker, matching and enrolment filters exclude them, skill suggestions stop."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth import policy
from app.privacy import services as privacy
from app.workers import services as worker_services
from app.workers.models import Worker
from tests.helpers import bearer


def consenting_worker_user(factories, **worker_fields):
    from app.extensions import db

    worker = factories.worker(visible_to_employers=True, **worker_fields)
    worker_services.record_consent(
        worker, worker_services.CONSENT_NOTICE_VERSION, list(privacy.ALL_PURPOSES)
    )
    db.session.commit()
    return factories.user("worker", worker=worker)


def selected_ids(db_session, clause) -> set[int]:
    return set(db_session.scalars(select(Worker.id).where(clause)))


def assert_processed(db_session, worker_id: int, expected: bool) -> None:
    for clause in (
        policy.worker_may_be_matched(),
        policy.visible_to_employers_clause(),
        policy.employer_candidate_clause(),
        policy.may_be_enrolled_clause(),
    ):
        assert (worker_id in selected_ids(db_session, clause)) is expected, clause
    assert (worker_id in privacy.processable_worker_ids()) is expected


def test_profile_button_withdraws_and_employers_stop_seeing_the_worker(
    app, client, factories, login_as, db_session
):
    employer_client = app.test_client()  # the worker's session cookie would win over a token
    user = consenting_worker_user(factories)
    worker_id, external_id = user.worker.id, user.worker.external_id
    employer = factories.user("employer")
    employer_headers = bearer(employer)
    assert_processed(db_session, worker_id, True)
    listed = employer_client.get("/api/v1/workers?page_size=100", headers=employer_headers).json
    assert external_id in {row["id"] for row in listed}

    login_as(user)
    profile = client.get("/worker/profile").get_data(as_text=True)
    assert "Withdraw my consent" in profile and "Employers can see your profile" in profile
    # Asked twice, saying what it does: the button opens the question, the answer sends.
    (question,) = re.findall(
        r"<details[^>]*>\s*<summary[^>]*>Withdraw my consent…</summary>.*?</details>", profile, re.S
    )
    assert "close your open applications" in question and "Yes, withdraw my consent" in question
    assert client.post("/worker/consent/withdraw").status_code == 302

    assert_processed(db_session, worker_id, False)
    assert privacy.enrolment_refusal(db_session.get(Worker, worker_id))
    listed = employer_client.get("/api/v1/workers?page_size=100", headers=employer_headers).json
    assert external_id not in {row["id"] for row in listed}
    one = employer_client.get(f"/api/v1/workers/{external_id}", headers=employer_headers)
    assert one.status_code == 403
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "consent_withdrawn"))
    assert event.object_id == external_id and event.actor_id == user.id


def test_one_api_call_withdraws(client, factories, db_session):
    user = consenting_worker_user(factories)
    response = client.delete(
        f"/api/v1/workers/{user.worker.external_id}/consent", headers=bearer(user)
    )
    assert response.status_code == 204
    assert_processed(db_session, user.worker.id, False)


def test_consent_given_again_restores_processing(factories, db_session):
    user = consenting_worker_user(factories)
    worker = user.worker
    worker_services.withdraw_consent(worker)
    assert_processed(db_session, worker.id, False)
    worker_services.record_consent(worker, worker_services.CONSENT_NOTICE_VERSION, ["matching"])
    assert worker.id in selected_ids(db_session, policy.worker_may_be_matched())
    # sharing with employers needs that purpose, and the worker's own choice to be visible
    assert worker.id not in selected_ids(db_session, policy.visible_to_employers_clause())


def test_filters_follow_the_latest_consent_and_its_purposes(factories, db_session):
    worker = factories.worker(visible_to_employers=True)
    assert worker.id not in privacy.processable_worker_ids(None)  # never consented
    worker_services.record_consent(
        worker, worker_services.CONSENT_NOTICE_VERSION, ["matching", "share_with_employers"]
    )
    assert worker.id in selected_ids(db_session, policy.visible_to_employers_clause())
    # a newer consent narrows the purposes: the older, still-open record no longer counts
    worker_services.record_consent(worker, worker_services.CONSENT_NOTICE_VERSION, ["matching"])
    assert worker.id not in selected_ids(db_session, policy.visible_to_employers_clause())
    assert worker.id in selected_ids(db_session, policy.worker_may_be_matched())
    assert worker.id not in privacy.processable_worker_ids("share_with_employers")


def test_skill_suggestions_stop_after_withdrawal(
    client, factories, login_as, db_session, monkeypatch
):
    import app.skills.linking as linking

    factories.skill("TIG welding", description="Join metals with a tungsten arc.")
    user = consenting_worker_user(factories, profile_text="Five years of TIG welding.")
    login_as(user)
    page = client.get("/worker/skills?suggest=1").get_data(as_text=True)
    assert 'name="uris"' in page

    client.post("/worker/consent/withdraw")

    def linker_must_not_run(*_args, **_kwargs):
        raise AssertionError("the linker ran on a withdrawn worker's text")

    monkeypatch.setattr(linking, "suggest_skills", linker_must_not_run)
    page = client.get("/worker/skills?suggest=1").get_data(as_text=True)
    assert 'name="uris"' not in page and "Skill suggestions are paused" in page
