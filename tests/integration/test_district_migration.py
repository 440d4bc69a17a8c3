"""Migration 0010 with data present: a cluster town stored as a district (as input could until
now) becomes its district, other districts are untouched, and running processes are told to build
their match data again (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def test_a_town_stored_as_a_district_becomes_its_district(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0009")
    with alembic_engine.begin() as connection:
        meta = sa.MetaData()
        meta.reflect(connection, only=("organisation", "data_version"))
        connection.execute(
            meta.tables["organisation"].insert(),
            [
                {
                    "id": number,
                    "external_id": f"ORG{number}",
                    "kind": "employer",
                    "name": f"Forge {number}",
                    "district": district,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for number, district in ((1, "Chakan"), (2, "Waluj"), (3, "Satara"), (4, None))
            ],
        )
        versions = meta.tables["data_version"]
        connection.execute(versions.delete().where(versions.c.name == "matching"))
        connection.execute(versions.insert(), [{"name": "matching", "version": 7}])
    alembic_runner.migrate_up_to("0010")
    with alembic_engine.connect() as connection:
        districts = dict(
            connection.execute(sa.text("SELECT external_id, district FROM organisation")).all()
        )
        version = connection.scalar(
            sa.text("SELECT version FROM data_version WHERE name = 'matching'")
        )
        changes = connection.execute(sa.text("SELECT version, kind FROM match_change")).all()
    assert districts == {
        "ORG1": "Pune",
        "ORG2": "Chhatrapati Sambhajinagar",
        "ORG3": "Satara",
        "ORG4": None,
    }
    assert version == 8
    assert [tuple(change) for change in changes] == [(8, "all")]
