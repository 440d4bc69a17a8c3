"""data_version: a counter raised by every write matching depends on

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 03:10:00.000000

Processes keep their match data until the counter moves (app/versions.py), instead of
fingerprinting a dozen tables on every request.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "data_version",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"name": "matching", "version": 1}])


def downgrade():
    op.drop_table("data_version")
