"""From a match to a hire through the API: apply, invite, the moves and who may make them, the
placement a hire creates (one per job, whoever records it first), notices, and what closes
applications (posting closed, consent withdrawn)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.applications import services
from app.applications.models import Application
from app.applications.states import Actor, ApplicationStatus, replay
from app.auth import policy
from app.notices.models import DeliveryStatus, Notice
from app.placements.models import Placement
from app.workers.models import Worker
from tests.helpers import bearer
from tests.statements import statements_sent

PHONE = "+919800011122"


@pytest.fixture
def hiring(factories):
    """A consenting worker with a login and a phone, an employer with an open posting, another
    employer, an institution the worker trained with, and an administrator."""
    worker = factories.consenting_worker(name="Sunita Jadhav", phone=PHONE)
    employer = factories.user("employer")
    posting = factories.posting(employer.organisation, title="CNC operator", wage_min_inr=14000)
    institution = factories.user("institution")
    course = factories.course(institution.organisation)
    factories.enrolment(
        worker, course, status="completed", completed_on=date.today() - timedelta(days=40)
    )
    return {
        "worker": worker,
        "worker_user": factories.user("worker", worker=worker),
        "employer": employer,
        "other_employer": factories.user("employer"),
        "institution": institution,
        "admin": factories.user("admin"),
        "posting": posting,
    }


def apply(client, hiring, **body):
    return client.post(
        f"/api/v1/postings/{hiring['posting'].external_id}/applications",
        json=body,
        headers=bearer(hiring["worker_user"]),
    )


def patch(client, user, application_id, **body):
    return client.patch(f"/api/v1/applications/{application_id}", json=body, headers=bearer(user))


def test_worker_applies_once(client, hiring):
    first = apply(client, hiring, note="I ran Fanuc lathes for 3 years.")
    assert first.status_code == 201, first.json
    body = first.json
    assert body["status"] == "applied"
    assert body["posting_id"] == hiring["posting"].external_id
    assert body["worker_id"] == hiring["worker"].external_id
    assert body["note"] == "I ran Fanuc lathes for 3 years."
    assert [step["to_status"] for step in body["history"]] == ["applied"]
    again = apply(client, hiring)
    assert again.status_code == 409
    assert "already" in again.json["message"]


def test_employer_reads_applicants_with_phone_only_after_applying(client, hiring):
    employer = bearer(hiring["employer"])
    invited = client.post(
        f"/api/v1/postings/{hiring['posting'].external_id}/invitations",
        json={"worker_id": hiring["worker"].external_id},
        headers=employer,
    )
    assert invited.status_code == 201, invited.json
    assert invited.json["status"] == "invited"
    assert "phone" not in invited.json["worker"]  # invited is not applied: no phone yet
    assert invited.json["history"][0]["note"] == ""
    accepted = patch(client, hiring["worker_user"], invited.json["id"], status="applied")
    assert accepted.status_code == 200, accepted.json
    listed = client.get(
        f"/api/v1/postings/{hiring['posting'].external_id}/applications", headers=employer
    )
    assert listed.status_code == 200
    assert [row["worker"]["phone"] for row in listed.json] == [PHONE]
    other = client.get(
        f"/api/v1/postings/{hiring['posting'].external_id}/applications",
        headers=bearer(hiring["other_employer"]),
    )
    assert other.status_code == 403


def test_an_invitation_may_carry_a_note(client, hiring):
    invited = client.post(
        f"/api/v1/postings/{hiring['posting'].external_id}/invitations",
        json={"worker_id": hiring["worker"].external_id, "note": "Interview Monday 10 am"},
        headers=bearer(hiring["employer"]),
    )
    assert invited.status_code == 201, invited.json
    assert invited.json["history"][0]["note"] == "Interview Monday 10 am"
    too_long = client.post(
        f"/api/v1/postings/{hiring['posting'].external_id}/invitations",
        json={"worker_id": hiring["worker"].external_id, "note": "x" * 1001},
        headers=bearer(hiring["employer"]),
    )
    assert too_long.status_code == 422


def test_pipeline_to_hire_creates_the_placement(client, hiring):
    application = apply(client, hiring).json["id"]
    employer = hiring["employer"]
    assert patch(client, employer, application, status="shortlisted").status_code == 200
    interview = patch(
        client,
        employer,
        application,
        status="interview",
        interview_on=str(date.today() + timedelta(days=2)),
        interview_place="Bhosari MIDC gate 3",
    )
    assert interview.json["interview_place"] == "Bhosari MIDC gate 3"
    offered = patch(client, employer, application, status="offered", monthly_wage_inr=16500)
    assert offered.json["offered_wage_inr"] == 16500
    missing = patch(client, employer, application, status="hired")
    assert missing.status_code == 422
    assert set(missing.json["errors"]["json"]) == {"start_date", "monthly_wage_inr"}
    start = date.today() + timedelta(days=7)
    hired = patch(
        client, employer, application, status="hired", start_date=str(start), monthly_wage_inr=16500
    )
    assert hired.status_code == 200, hired.json
    placement_id = hired.json["placement_id"]
    assert placement_id
    history = [step["to_status"] for step in hired.json["history"]]
    assert history == ["applied", "shortlisted", "interview", "offered", "hired"]
    for reader in (employer, hiring["worker_user"]):
        shown = client.get(f"/api/v1/placements/{placement_id}", headers=bearer(reader))
        assert shown.status_code == 200
        assert shown.json["worker"]["id"] == hiring["worker"].external_id
        assert shown.json["employer"]["id"] == employer.organisation.external_id
        assert shown.json["posting"] == hiring["posting"].external_id
        assert shown.json["placed_on"] == str(start)
        assert shown.json["application"] == application
        assert shown.json["sources"] == ["hire"]
        assert shown.json["enrolment"]  # the course completed 40 days before
    # Ended: nothing moves it any more.
    assert patch(client, employer, application, status="rejected").status_code == 409
    assert patch(client, hiring["worker_user"], application, status="withdrawn").status_code == 409


def test_institution_recording_the_same_job_adds_evidence_not_a_second_placement(
    client, db_session, hiring
):
    application = apply(client, hiring).json["id"]
    start = date.today() - timedelta(days=3)
    patch(
        client,
        hiring["employer"],
        application,
        status="hired",
        start_date=str(start),
        monthly_wage_inr=15000,
    )
    before = db_session.scalar(select(func.count(Placement.id)))
    recorded = client.post(
        "/api/v1/placements",
        json={
            "worker": hiring["worker"].external_id,
            "employer": hiring["employer"].organisation.external_id,
            "placed_on": str(start + timedelta(days=10)),
            "monthly_wage_inr": 15500,
            "verification": "appointment_letter",
        },
        headers=bearer(hiring["institution"]),
    )
    assert recorded.status_code == 201, recorded.json
    assert db_session.scalar(select(func.count(Placement.id))) == before
    assert sorted(recorded.json["sources"]) == ["hire", "institution"]
    assert recorded.json["verification"] == "appointment_letter"
    assert recorded.json["application"] == application


def test_who_may_move(client, hiring):
    application = apply(client, hiring).json["id"]
    # The worker cannot shortlist themselves; another employer and an institution may not move
    # it; administrators read but are not party to a hire.
    assert (
        patch(client, hiring["worker_user"], application, status="shortlisted").status_code == 409
    )
    assert (
        patch(client, hiring["other_employer"], application, status="shortlisted").status_code
        == 403
    )
    assert (
        patch(client, hiring["institution"], application, status="shortlisted").status_code == 403
    )
    assert patch(client, hiring["admin"], application, status="shortlisted").status_code == 403
    for reader, status in (
        (hiring["admin"], 200),
        (hiring["institution"], 200),  # its trainee
        (hiring["other_employer"], 403),
    ):
        got = client.get(f"/api/v1/applications/{application}", headers=bearer(reader))
        assert got.status_code == status
    mine = client.get(
        f"/api/v1/workers/{hiring['worker'].external_id}/applications",
        headers=bearer(hiring["worker_user"]),
    )
    assert [row["id"] for row in mine.json] == [application]
    assert (
        client.get(
            f"/api/v1/workers/{hiring['worker'].external_id}/applications",
            headers=bearer(hiring["employer"]),
        ).status_code
        == 403
    )


def test_a_worker_who_does_not_share_cannot_apply(client, factories, hiring):
    private = factories.consenting_worker(purposes=["matching"])
    response = client.post(
        f"/api/v1/postings/{hiring['posting'].external_id}/applications",
        json={},
        headers=bearer(factories.user("worker", worker=private)),
    )
    assert response.status_code == 422
    assert "sharing" in str(response.json["errors"])


def test_invisible_worker_cannot_be_invited(client, factories, hiring):
    hidden = factories.consenting_worker(visible_to_employers=False)
    response = client.post(
        f"/api/v1/postings/{hiring['posting'].external_id}/invitations",
        json={"worker_id": hidden.external_id},
        headers=bearer(hiring["employer"]),
    )
    assert response.status_code == 422


def test_withdrawing_consent_closes_open_applications(client, db_session, hiring):
    application = apply(client, hiring).json["id"]
    response = client.delete(
        f"/api/v1/workers/{hiring['worker'].external_id}/consent",
        headers=bearer(hiring["worker_user"]),
    )
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    row = db_session.scalar(select(Application).where(Application.external_id == application))
    db_session.refresh(row)
    assert row.status.value == "closed"
    assert row.events[-1].actor.value == "system"


def test_a_closed_or_withdrawn_application_may_be_made_again_and_a_rejected_one_not(
    client, db_session, hiring
):
    """A walk withdrew consent (closing her application), gave it again and found no way to
    apply; withdrawing one's own application was as final. The same application is made again,
    its history kept; one the employer rejected stays rejected."""
    from app.workers.services import record_consent

    application = apply(client, hiring, note="first").json["id"]
    client.delete(
        f"/api/v1/workers/{hiring['worker'].external_id}/consent",
        headers=bearer(hiring["worker_user"]),
    )
    worker = db_session.get(Worker, hiring["worker"].id)
    record_consent(worker, "2026-1", ["matching", "share_with_employers"])
    db_session.flush()
    again = apply(client, hiring, note="back again")
    assert again.status_code == 201, again.json
    assert again.json["id"] == application
    assert [step["to_status"] for step in again.json["history"]] == ["applied", "closed", "applied"]
    assert again.json["note"] == "back again"
    patch(client, hiring["worker_user"], application, status="withdrawn")
    assert apply(client, hiring).json["status"] == "applied"
    patch(client, hiring["employer"], application, status="rejected")
    refused = apply(client, hiring)
    assert refused.status_code == 409 and "already" in refused.json["message"]


def test_closing_the_posting_closes_its_applications(client, db_session, hiring):
    application = apply(client, hiring).json["id"]
    response = client.patch(
        f"/api/v1/postings/{hiring['posting'].external_id}",
        json={"status": "filled"},
        headers=bearer(hiring["employer"]),
    )
    assert response.status_code == 200, response.json
    got = client.get(f"/api/v1/applications/{application}", headers=bearer(hiring["worker_user"]))
    assert got.json["status"] == "closed"
    assert apply(client, hiring).status_code == 409


def test_each_move_sends_a_notice_in_the_recipients_language(client, db_session, hiring):
    hiring["worker_user"].preferred_language = "mr"
    db_session.commit()
    application = apply(client, hiring).json["id"]
    patch(client, hiring["employer"], application, status="shortlisted")
    to_employer = db_session.scalars(
        select(Notice).where(Notice.user_id == hiring["employer"].id)
    ).all()
    to_worker = db_session.scalars(
        select(Notice).where(Notice.user_id == hiring["worker_user"].id)
    ).all()
    assert [n.kind for n in to_employer] == ["application.applied"]
    assert [n.kind for n in to_worker] == ["application.shortlisted"]
    # Without Redis they were delivered (to the log sender) once each request committed.
    for notice in [*to_employer, *to_worker]:
        db_session.refresh(notice)
        assert notice.delivery_status is DeliveryStatus.sent


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    invited=st.booleans(),
    attempts=st.lists(
        st.tuples(
            st.sampled_from(list(ApplicationStatus)),
            st.sampled_from([Actor.worker, Actor.employer]),
        ),
        max_size=8,
    ),
)
def test_any_sequence_of_requested_moves_keeps_a_replayable_history(
    app, factories, invited, attempts
):
    """Through the service, with the database: refused moves change nothing, allowed ones are
    kept, and the stored history replays to the stored status."""
    from app.applications import services
    from app.errors import ValidationFailed
    from app.extensions import db

    worker = factories.consenting_worker()
    posting = factories.posting(factories.employer())
    with app.test_request_context():
        if invited:
            application = services.invite(posting, worker, None)
        else:
            application = services.apply(worker, posting, None)
        for status, actor in attempts:
            before = (application.status, len(application.events))
            wanted = services.Move(status=status, start_date=date.today(), monthly_wage_inr=15000)
            try:
                services.move(application, wanted, actor, None)
            except (services.ApplicationConflict, ValidationFailed):
                assert (application.status, len(application.events)) == before
        db.session.flush()
        db.session.expire(application)
        steps = [(e.from_status, e.to_status, e.actor) for e in application.events]
        assert replay(steps) is application.status
        assert (application.placement is not None) == (
            application.status is ApplicationStatus.hired
        )


def test_erasure_takes_the_workers_name_and_words_out_of_applications_and_notices(
    client, db_session, hiring
):
    from app.privacy.services import ERASED_NAME, erase_worker

    application = apply(client, hiring, note="Call me after 6 pm on 98xxxxxxx").json["id"]
    erase_worker(hiring["worker"], None)
    db_session.commit()
    row = db_session.scalar(select(Application).where(Application.external_id == application))
    assert row.status.value == "closed" and row.note == ""
    assert all(event.note == "" for event in row.events if event.actor is Actor.worker)
    told = db_session.scalars(select(Notice).where(Notice.kind == "application.applied")).all()
    assert told and all(n.params["worker"] == ERASED_NAME and n.params["note"] == "" for n in told)


def test_erasure_cleans_the_notices_of_all_the_workers_applications_with_one_query(
    db_session, factories, hiring
):
    from app.privacy.services import ERASED_NAME, erase_worker

    worker, other = hiring["worker"], factories.consenting_worker(name="Ganesh Pawar")
    postings = [factories.posting(factories.user("employer").organisation) for _ in range(3)]
    for posting in postings:
        services.apply(worker, posting, None, "Call me after 6 pm")
    services.apply(other, postings[0], None, "Mornings only")
    db_session.commit()
    with statements_sent() as sent:
        erase_worker(worker, None)
    db_session.commit()
    assert len([s for s in sent if s.lstrip().startswith("SELECT") and "FROM notice" in s]) == 1
    told = db_session.scalars(select(Notice).where(Notice.kind == "application.applied")).all()
    by_worker = sorted((n.params["worker"], n.params["note"]) for n in told)
    assert by_worker == [(ERASED_NAME, "")] * 3 + [("Ganesh Pawar", "Mornings only")]


def test_whose_phone_a_list_shows_is_asked_once_and_agrees_with_the_single_rule(
    client, factories, hiring
):
    posting, employer = hiring["posting"], hiring["employer"]
    workers = [
        factories.consenting_worker(name=f"Applicant {n}", phone=f"+91980000{n:04d}")
        for n in range(5)
    ]
    for worker in workers[:3]:
        services.apply(worker, posting, factories.user("worker", worker=worker), "")
    for worker in workers[3:]:
        services.invite(posting, worker, employer)
    for user in (employer, hiring["other_employer"], hiring["admin"], hiring["institution"]):
        expected = {w.id for w in workers if policy.can_see_contact_of(user, w)}
        assert policy.contacts_seen_by(user, workers) == expected
    assert policy.contacts_seen_by(employer, workers) == {w.id for w in workers[:3]}
    listed = client.get(
        f"/api/v1/postings/{posting.external_id}/applications", headers=bearer(employer)
    )
    phones = {row["worker_id"]: row["worker"].get("phone") for row in listed.json}
    assert phones == {w.external_id: (w.phone if w in workers[:3] else None) for w in workers}
