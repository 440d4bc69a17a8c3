"""languages: a user's preferred language and skill labels per language

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 09:20:00.000000

Pages are shown in English, Marathi or Hindi (app/i18n.py); skills carry their names in each
language (`flask taxonomy import-labels`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("preferred_language", sa.String(length=8), nullable=True))
    op.create_table(
        "skill_label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("preferred", "alternative", name="labelkind", native_enum=False, length=12),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skill.id"],
            name=op.f("fk_skill_label_skill_id_skill"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_label")),
        sa.UniqueConstraint(
            "skill_id", "lang", "label", name=op.f("uq_skill_label_skill_id_lang_label")
        ),
    )
    with op.batch_alter_table("skill_label") as batch_op:
        batch_op.create_index(batch_op.f("ix_skill_label_skill_id"), ["skill_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_skill_label_lang"), ["lang"], unique=False)


def downgrade():
    op.drop_table("skill_label")
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("preferred_language")
