"""A cluster town stored as a district names its district (Chakan → Pune)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 03:00:00.000000

Until now a district field given a cluster town ("Chakan", "चाकण") stored the town, and matching,
demand and outcomes, which compare and group by district, took it for a district of its own.
Input now stores the town's district (app/places.py: canonical_district); this brings rows stored
before to the same rule. The matching data version is raised with an "all" entry in its change
log, so running processes build their match data again instead of keeping the old districts.
Downgrading leaves the districts as they are: which rows named a town is not kept.
"""

import sqlalchemy as sa
from alembic import op

from matching.places import gazetteer

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("worker", "job_posting", "batch", "organisation")


def upgrade():
    connection = op.get_bind()
    towns = {place.name: place.district for place in gazetteer().places if place.kind == "town"}
    changed = 0
    for table in TABLES:
        for town, district in towns.items():
            result = connection.execute(
                sa.text(f"UPDATE {table} SET district = :district WHERE district = :town"),
                {"district": district, "town": town},
            )
            changed += result.rowcount or 0
    if not changed:
        return
    version = connection.scalar(sa.text("SELECT version FROM data_version WHERE name = 'matching'"))
    if version is None:
        return  # no match data was ever built from these rows
    connection.execute(
        sa.text("UPDATE data_version SET version = :new WHERE name = 'matching'"),
        {"new": version + 1},
    )
    connection.execute(
        sa.text("INSERT INTO match_change (version, kind, entity_id) VALUES (:v, 'all', 0)"),
        {"v": version + 1},
    )


def downgrade():
    pass
