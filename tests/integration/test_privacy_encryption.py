"""Phone, social category, disability (and a guardian's name) are encrypted at rest, decrypted for
the worker, their institution and administrators, and never sent to employers."""

from __future__ import annotations

from datetime import date

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from app.privacy import crypto
from app.privacy import services as privacy
from app.workers import services as worker_services
from tests.helpers import bearer


def raw_row(db_session, worker_id: int) -> tuple:
    return db_session.execute(
        text("SELECT phone, social_category, disability FROM worker WHERE id = :id"),
        {"id": worker_id},
    ).one()


def test_raw_columns_hold_ciphertext_not_plaintext(factories, db_session):
    worker = factories.worker(phone="+919812345670", social_category="st", disability=True)
    phone, category, disability = raw_row(db_session, worker.id)
    for stored in (phone, category, disability):
        assert stored.startswith("gAAAA") and len(stored) >= 100  # a Fernet token
        assert stored not in ("st", "true", "1", "True")
        assert "9812345670" not in stored
    assert crypto.decrypt_text(phone) == "+919812345670"
    assert crypto.decrypt_text(disability) == "true"
    db_session.expire_all()
    assert (worker.phone, worker.social_category, worker.disability) == (
        "+919812345670",
        "st",
        True,
    )


def test_the_same_value_encrypts_differently_each_time(factories, db_session):
    first = factories.worker(phone="+919812345670")
    second = factories.worker(phone="+919812345670")
    assert raw_row(db_session, first.id)[0] != raw_row(db_session, second.id)[0]


def test_missing_values_stay_null_and_false_round_trips(factories, db_session):
    worker = factories.worker(phone=None, social_category=None, disability=False)
    phone, category, disability = raw_row(db_session, worker.id)
    assert (phone, category) == (None, None) and disability.startswith("gAAAA")
    db_session.expire_all()
    assert worker.disability is False


def test_guardian_name_is_encrypted_too(factories, db_session):
    today = date.today()
    worker = factories.worker(date_of_birth=today.replace(year=today.year - 16))
    record = privacy.record_guardian_consent(worker, "Sunanda Gaikwad", "mother", today, None)
    stored = db_session.execute(
        text("SELECT guardian_name FROM guardian_consent WHERE id = :id"), {"id": record.id}
    ).scalar_one()
    assert "Sunanda" not in stored and crypto.decrypt_text(stored) == "Sunanda Gaikwad"


def test_employers_never_receive_the_sensitive_fields(app, factories):
    worker = factories.worker(
        phone="+919812345670", social_category="st", disability=True, visible_to_employers=True
    )
    worker_services.record_consent(
        worker, worker_services.CONSENT_NOTICE_VERSION, ["share_with_employers"]
    )
    employer = factories.user("employer")
    client = app.test_client()
    headers = bearer(employer)
    listed = client.get("/api/v1/workers?page_size=100", headers=headers)
    one = client.get(f"/api/v1/workers/{worker.external_id}", headers=headers)
    assert worker.external_id in {row["id"] for row in listed.json}
    for shown in [*listed.json, one.json]:
        assert not {"phone", "social_category", "disability", "date_of_birth"} & set(shown)
    for body in (listed.get_data(as_text=True), one.get_data(as_text=True)):
        assert "9812345670" not in body and '"st"' not in body

    pages = app.test_client()
    pages.post("/login", data={"login": employer.email, "password": "correct-horse-battery"})
    page = pages.get(f"/worker/{worker.external_id}").get_data(as_text=True)
    assert worker.name in page
    for secret in ("9812345670", "Social category</dt>", "Disability</dt>", ">ST<"):
        assert secret not in page, secret

    admin_view = client.get(
        f"/api/v1/workers/{worker.external_id}", headers=bearer(factories.user("admin"))
    ).json
    assert (admin_view["phone"], admin_view["social_category"], admin_view["disability"]) == (
        "+919812345670",
        "st",
        True,
    )


def test_a_wrong_key_fails_loudly_instead_of_showing_garbage(app, factories, db_session):
    worker = factories.worker(phone="+919812345670")
    token = raw_row(db_session, worker.id)[0]
    with app.test_request_context():
        app.config[crypto.KEY_ENV] = Fernet.generate_key().decode()
        try:
            with pytest.raises(crypto.DecryptionFailed):
                crypto.decrypt_text(token)
        finally:
            del app.config[crypto.KEY_ENV]
        assert crypto.decrypt_text(token) == "+919812345670"


def test_keys_rotate_the_first_encrypts_all_decrypt(app):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with app.test_request_context():
        app.config[crypto.KEY_ENV] = old
        try:
            under_old = crypto.encrypt_text("+919812345670")
            app.config[crypto.KEY_ENV] = f"{new},{old}"
            assert crypto.decrypt_text(under_old) == "+919812345670"
            under_new = crypto.encrypt_text("x")
            app.config[crypto.KEY_ENV] = new
            assert crypto.decrypt_text(under_new) == "x"
            app.config[crypto.KEY_ENV] = "not-a-key"
            with pytest.raises(ValueError, match="Fernet"):
                crypto.encrypt_text("x")
        finally:
            del app.config[crypto.KEY_ENV]


def test_key_file_is_created_once_private_and_reused(tmp_path):
    path = tmp_path / "instance" / crypto.KEY_FILE_NAME
    first = crypto._key_from_file(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert crypto._key_from_file(path) == first
    Fernet(first.encode())  # a valid key
