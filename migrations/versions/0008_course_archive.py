"""courses are archived rather than deleted once someone has enrolled

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-04 14:30:00.000000

An archived course leaves the catalogue, training plans and matching, while its batches, enrolments
and outcomes stay; `archived_at` is cleared when the institution restores it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course") as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("course") as batch_op:
        batch_op.drop_column("archived_at")
