"""match_change: the log of what each committed matching write changed

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 14:40:00.000000

Processes apply only the changed workers, postings and courses to their match data instead of
building it all again after every write (app/matchmaking/changes.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "match_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_change")),
    )
    op.create_index(op.f("ix_match_change_version"), "match_change", ["version"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_match_change_version"), table_name="match_change")
    op.drop_table("match_change")
