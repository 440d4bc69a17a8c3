"""Migration 0002 with data present: upgrading from 0001 encrypts the sensitive worker fields in
place, downgrading decrypts them back, and no row is lost either way (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy import text

from app.privacy.crypto import decrypt_text

TABLES = ("worker", "consent", "skill", "worker_skill", "user_account", "organisation")
NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def stamp(**values) -> dict:
    return {"created_at": NOW, "updated_at": NOW, **values}


def insert_0001_rows(connection) -> None:
    """Rows as the 0001 schema stores them: sensitive fields in plaintext, disability boolean."""
    meta = sa.MetaData()
    meta.reflect(connection, only=TABLES)
    worker = meta.tables["worker"]
    base = {
        "gender": "female",
        "date_of_birth": date(2001, 5, 6),
        "district": "Pune",
        "state": "Maharashtra",
        "languages": [],
        "email": None,
        "visible_to_employers": True,
        "profile_text": "",
    }
    connection.execute(
        worker.insert(),
        [
            stamp(
                id=1,
                external_id="MW1",
                name="Full",
                phone="+919800000001",
                social_category="obc",
                disability=True,
                **base,
            ),
            stamp(
                id=2,
                external_id="MW2",
                name="No disability",
                phone="+919800000002",
                social_category=None,
                disability=False,
                **base,
            ),
            stamp(
                id=3,
                external_id="MW3",
                name="Nothing given",
                phone=None,
                social_category=None,
                disability=None,
                **base,
            ),
        ],
    )
    connection.execute(
        meta.tables["consent"].insert(),
        [
            {
                "worker_id": 1,
                "notice_version": "2025-1",
                "purposes": ["matching"],
                "given_at": NOW,
                "given_by": "self",
            }
        ],
    )
    connection.execute(
        meta.tables["skill"].insert(),
        [
            stamp(
                id=1, uri="urn:s1", label="TIG welding", alt_labels=[], description="", kind="local"
            )
        ],
    )
    connection.execute(
        meta.tables["worker_skill"].insert(),
        [stamp(worker_id=1, skill_id=1, proficiency=2, source="self_declared")],
    )
    connection.execute(
        meta.tables["organisation"].insert(),
        [
            stamp(
                id=1,
                external_id="O1",
                kind="employer",
                name="Org",
                district="Pune",
                state="Maharashtra",
            )
        ],
    )
    connection.execute(
        meta.tables["user_account"].insert(),
        [
            stamp(
                email="w1@example.org",
                password_hash="x",
                role="worker",
                worker_id=1,
                active=True,
                session_version=1,
            )
        ],
    )


def row_counts(connection) -> dict[str, int]:
    return {
        table: connection.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
        for table in TABLES
    }


def links(connection) -> tuple:
    """Rows pointing at worker 1, which a rebuilt worker table would cascade away or null."""
    return (
        connection.execute(text("SELECT worker_id FROM user_account")).scalar_one(),
        connection.execute(text("SELECT worker_id FROM consent")).scalar_one(),
        connection.execute(text("SELECT worker_id FROM worker_skill")).scalar_one(),
    )


def sensitive(connection) -> dict[int, tuple]:
    rows = connection.execute(
        text("SELECT id, phone, social_category, disability FROM worker ORDER BY id")
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def test_upgrade_encrypts_and_downgrade_restores_with_every_row_kept(
    alembic_runner, alembic_engine
):
    alembic_runner.migrate_up_to("0001")
    with alembic_engine.begin() as connection:
        insert_0001_rows(connection)
        before = row_counts(connection)
    assert before["worker"] == 3 and before["user_account"] == 1

    alembic_runner.migrate_up_to("0002")
    with alembic_engine.connect() as connection:
        assert row_counts(connection) == before and links(connection) == (1, 1, 1)
        stored = sensitive(connection)
    phone, category, disability = stored[1]
    assert "9800000001" not in phone and category != "obc"
    assert (decrypt_text(phone), decrypt_text(category), decrypt_text(disability)) == (
        "+919800000001",
        "obc",
        "true",
    )
    assert stored[2][1] is None and decrypt_text(stored[2][2]) == "false"
    assert stored[3] == (None, None, None)

    alembic_runner.migrate_down_to("0001")
    with alembic_engine.connect() as connection:
        assert row_counts(connection) == before and links(connection) == (1, 1, 1)
        restored = sensitive(connection)
    assert restored[1][:2] == ("+919800000001", "obc") and bool(restored[1][2]) is True
    assert restored[2][:2] == ("+919800000002", None) and restored[2][2] in (False, 0)
    assert restored[3] == (None, None, None)
