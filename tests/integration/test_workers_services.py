"""Worker services as the importer and seed loader call them: upsert, skills, consent, visibility."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.auth import policy
from app.errors import ValidationFailed
from app.workers import services
from app.workers.models import Education, Gender, SkillSource, Worker
from tests.statements import count_writes


def import_row(**overrides) -> dict:
    """A worker row as the bulk importer hands it over: already parsed and validated."""
    row = {
        "external_id": "W9001",
        "name": "Ravindra Shaikh",
        "gender": "male",
        "date_of_birth": date(1989, 11, 9),
        "district": "Pune",
        "state": "Maharashtra",
        "education": "diploma",
        "languages": ["Marathi", "Hindi", "English"],
        "phone": "+91 9376086485",
        "email": None,
        "visible_to_employers": True,
        "social_category": None,
        "disability": None,
        "profile_text": "Wiring harness assembly for 7 years.",
    }
    row.update(overrides)
    return row


def test_upsert_creates_then_same_data_changes_nothing(factories, db_session):
    a, b = factories.skill("wire harness assembly"), factories.skill("crimping")
    row = import_row(
        skills=[
            {"uri": a.uri, "proficiency": 4, "source": "self_declared"},
            {"uri": b.uri, "proficiency": 2, "source": "certified"},
        ]
    )
    worker, created = services.upsert_worker(row)
    db_session.commit()
    assert created
    assert worker.gender is Gender.male and worker.education is Education.diploma
    assert worker.phone == "+919376086485"
    stamp = worker.updated_at
    skills_before = {(s.id, s.skill_id, s.proficiency, s.source) for s in worker.skills}

    with count_writes() as writes:
        again, created_again = services.upsert_worker(dict(row))
        db_session.commit()
    assert again.id == worker.id and not created_again
    assert writes == []
    db_session.expire_all()
    reloaded = db_session.get(Worker, worker.id)
    assert reloaded.updated_at == stamp
    assert {(s.id, s.skill_id, s.proficiency, s.source) for s in reloaded.skills} == skills_before
    assert db_session.scalars(select(Worker).where(Worker.external_id == "W9001")).all() == [
        reloaded
    ]


def test_upsert_with_changes_updates_only_what_differs(factories, db_session):
    worker, _ = services.upsert_worker(import_row())
    db_session.commit()
    updated, created = services.upsert_worker(import_row(district="Khed", languages=["Marathi"]))
    db_session.commit()
    assert not created and updated.id == worker.id
    assert (updated.district, updated.languages, updated.name) == (
        "Khed",
        ["Marathi"],
        "Ravindra Shaikh",
    )


def test_upsert_rejects_bad_rows_with_a_message_per_field(db_session):
    with pytest.raises(ValidationFailed) as caught:
        services.upsert_worker(
            import_row(
                external_id="W9002",
                date_of_birth=date.today() + timedelta(days=1),
                phone="0123",
                email="nope",
                gender="x",
            )
        )
    assert {"date_of_birth", "phone", "email", "gender"} <= set(caught.value.errors)
    db_session.rollback()
    assert db_session.scalar(select(Worker.id).where(Worker.external_id == "W9002")) is None
    with pytest.raises(ValidationFailed) as missing:
        services.upsert_worker({"name": "No id"})
    assert "external_id" in missing.value.errors


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9876543210", "+919876543210"),
        ("+91 98765-43210", "+919876543210"),
        ("919876543210", "+919876543210"),
        ("09876543210", "+919876543210"),
        ("९८७६५ ४३२१०", "+919876543210"),  # typed on a Marathi or Hindi keyboard
        ("+९१ ९८७६५-४३२१०", "+919876543210"),
        ("", None),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert services.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "+44 7700 900123", "5876543210", "98765432100"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(ValueError, match="10-digit"):
        services.normalise_phone(raw)


def test_age_limits_and_bands():
    today = date(2026, 6, 1)
    assert services.date_of_birth_problem(date(2012, 6, 1), today) is None  # 14 today
    assert "14" in services.date_of_birth_problem(date(2012, 6, 2), today)  # 13 until tomorrow
    assert "check the year" in services.date_of_birth_problem(date(1925, 1, 1), today)
    assert services.age_band(date(2008, 6, 1), today) == "18–24"
    assert services.age_band(date(2001, 6, 2), today) == "18–24"
    assert services.age_band(date(2001, 6, 1), today) == "25–29"
    assert services.age_band(date(1986, 6, 2), today) == "30–39"
    assert services.age_band(date(1986, 6, 1), today) == "40+"
    assert services.age_band(date(2010, 1, 1), today) == "under 18"


def test_set_skills_keeps_highest_duplicate_and_rejects_all_on_unknown(factories, db_session):
    a, b = factories.skill("alpha"), factories.skill("beta")
    worker = factories.worker(skills=[(a, 1)])
    services.set_worker_skills(
        worker,
        [
            {"uri": b.uri, "proficiency": 3, "source": "self_declared"},
            {"uri": b.uri, "proficiency": 3, "source": "assessed"},
            {"uri": b.uri, "proficiency": 2, "source": "certified"},
        ],
    )
    assert [(r.skill.uri, r.proficiency, r.source) for r in worker.skills] == [
        (b.uri, 3, SkillSource.assessed)
    ]
    db_session.commit()
    with pytest.raises(ValidationFailed) as caught:
        services.set_worker_skills(worker, [{"uri": a.uri}, {"uri": "urn:missing"}])
    assert caught.value.errors == {"skills": ["Unknown skill: urn:missing"]}
    db_session.rollback()
    assert [r.skill.uri for r in db_session.get(Worker, worker.id).skills] == [b.uri]


def test_add_and_remove_one_skill(factories, db_session):
    a = factories.skill("alpha")
    worker = factories.worker()
    row = services.add_worker_skill(worker, a.uri, 3, "assessed")
    assert (row.proficiency, row.source) == (3, SkillSource.assessed)
    again = services.add_worker_skill(worker, a.uri, 4)
    assert again.id == row.id and (again.proficiency, again.source) == (
        4,
        SkillSource.self_declared,
    )
    with pytest.raises(ValidationFailed):
        services.add_worker_skill(worker, a.uri, 5)
    with pytest.raises(ValidationFailed):
        services.add_worker_skill(worker, "urn:missing")
    assert services.remove_worker_skill(worker, a.uri) is True
    assert services.remove_worker_skill(worker, a.uri) is False
    assert worker.skills == []


def test_current_consent_follows_the_latest_record(factories, db_session):
    worker = factories.worker(visible_to_employers=True)
    assert services.current_consent(worker) is None
    first = services.record_consent(worker, "2024-1", ["matching"])
    assert services.current_consent(worker) == first
    second = services.record_consent(worker, "2025-1", ["matching", "share_with_employers"])
    assert services.current_consent(worker) == second
    assert services.withdraw_consent(worker) == 2
    assert services.current_consent(worker) is None
    assert worker.visible_to_employers is False
    renewed = services.record_consent(worker, "2025-1", ["matching"], given_by="admin:1")
    assert services.current_consent(worker) == renewed and renewed.given_by == "admin:1"
    with pytest.raises(ValidationFailed) as caught:
        services.record_consent(worker, "", ["unknown"])
    assert set(caught.value.errors) == {"notice_version", "purposes"}


def test_workers_visible_to_each_role(factories, db_session):
    institution_user = factories.user("institution")
    trainee = factories.worker(visible_to_employers=False)
    factories.enrolment(trainee, factories.course(institution_user.organisation))
    factories.enrolment(trainee, factories.course(institution_user.organisation))  # twice: once
    shown = factories.worker(visible_to_employers=True)
    services.record_consent(shown, services.CONSENT_NOTICE_VERSION, ["share_with_employers"])
    worker_user = factories.user("worker")

    def ids(user) -> set[str]:
        return {w.external_id for w in db_session.scalars(policy.workers_visible_to(user))}

    everyone = ids(factories.user("admin"))
    assert {trainee.external_id, shown.external_id, worker_user.worker.external_id} <= everyone
    assert ids(institution_user) == {trainee.external_id}
    employer_ids = ids(factories.user("employer"))
    assert shown.external_id in employer_ids and trainee.external_id not in employer_ids
    assert ids(worker_user) == {worker_user.worker.external_id}
