"""courses are archived rather than deleted once someone has enrolled; one-time password codes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 14:30:00.000000

An archived course leaves the catalogue, training plans and matching, while its batches, enrolments
and outcomes stay; `archived_at` is cleared when the institution restores it.

A forgotten password is reset with a one-time code an administrator or the worker's institution
issues (app/auth/reset.py): only the code's hash is kept, with its expiry, use and tries.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course") as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "password_reset_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=255), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_password_reset_code_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["user_account.id"],
            name=op.f("fk_password_reset_code_issued_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset_code")),
    )
    with op.batch_alter_table("password_reset_code") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_password_reset_code_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("password_reset_code") as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_reset_code_user_id"))
    op.drop_table("password_reset_code")
    with op.batch_alter_table("course") as batch_op:
        batch_op.drop_column("archived_at")
