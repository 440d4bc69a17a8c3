"""fair use: an administrator can lift the request limits of an integration account

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 12:40:00.000000

Expensive requests are limited per account (app/fair_use.py); `flask users fair-use EMAIL --lift`
exempts an integration's account from the limits (not from the shared pool of heavy work).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(
            sa.Column("fair_use_exempt", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("fair_use_exempt")
