"""personal data: encrypted sensitive fields, erasure marker, guardian consent, grievances

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 00:22:08.951510

Worker phone, social_category and disability become Fernet ciphertext in TEXT columns (see
app/privacy/crypto.py for where the key comes from); existing plaintext rows are encrypted on
upgrade and decrypted back on downgrade, so no row is lost either way. Run the upgrade with the
same DATA_ENCRYPTION_KEY (or instance/data_key) the app will use.
"""

import sqlalchemy as sa
from alembic import op

from app.privacy.crypto import decrypt_text, encrypt_text

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

worker = sa.table(
    "worker",
    sa.column("id", sa.Integer()),
    sa.column("phone", sa.Text()),
    sa.column("social_category", sa.Text()),
    sa.column("disability", sa.Text()),
)
SENSITIVE = ("phone", "social_category", "disability")
TRUE_TEXTS = {"1", "true", "t"}


def _sensitive_rows(connection):
    return connection.execute(
        sa.select(worker.c.id, *(worker.c[name] for name in SENSITIVE)).where(
            sa.or_(*(worker.c[name].is_not(None) for name in SENSITIVE))
        )
    ).all()


def _encrypt_existing_rows() -> None:
    connection = op.get_bind()
    for worker_id, phone, social_category, disability in _sensitive_rows(connection):
        values = {
            "phone": None if phone is None else encrypt_text(phone),
            "social_category": None if social_category is None else encrypt_text(social_category),
            "disability": None
            if disability is None
            else encrypt_text("true" if str(disability).lower() in TRUE_TEXTS else "false"),
        }
        connection.execute(worker.update().where(worker.c.id == worker_id).values(**values))


def _decrypt_existing_rows() -> None:
    """Back to plaintext; disability as '1'/'0', which both SQLite and PostgreSQL cast to boolean."""
    connection = op.get_bind()
    for worker_id, phone, social_category, disability in _sensitive_rows(connection):
        values = {
            "phone": None if phone is None else decrypt_text(phone),
            "social_category": None if social_category is None else decrypt_text(social_category),
            "disability": None
            if disability is None
            else ("1" if decrypt_text(disability) == "true" else "0"),
        }
        connection.execute(worker.update().where(worker.c.id == worker_id).values(**values))


def upgrade():
    op.create_table(
        "grievance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "resolved",
                "rejected",
                name="grievancestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["handled_by_id"],
            ["user_account.id"],
            name=op.f("fk_grievance_handled_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
            name=op.f("fk_grievance_worker_id_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grievance")),
        sa.UniqueConstraint("external_id", name=op.f("uq_grievance_external_id")),
    )
    with op.batch_alter_table("grievance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grievance_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_grievance_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "guardian_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("guardian_name", sa.Text(), nullable=False),
        sa.Column(
            "relation",
            sa.Enum(
                "mother",
                "father",
                "guardian",
                name="guardianrelation",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_on", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_guardian_consent_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"],
            ["user_account.id"],
            name=op.f("fk_guardian_consent_verified_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
            name=op.f("fk_guardian_consent_worker_id_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardian_consent")),
    )
    with op.batch_alter_table("guardian_consent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guardian_consent_worker_id"), ["worker_id"], unique=False
        )

    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column(
            "phone", existing_type=sa.String(length=20), type_=sa.Text(), existing_nullable=True
        )
        batch_op.alter_column(
            "social_category",
            existing_type=sa.String(length=20),
            type_=sa.Text(),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "disability",
            existing_type=sa.Boolean(),
            type_=sa.Text(),
            existing_nullable=True,
            postgresql_using="disability::text",
        )
    _encrypt_existing_rows()


def downgrade():
    _decrypt_existing_rows()
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.alter_column(
            "disability",
            existing_type=sa.Text(),
            type_=sa.Boolean(),
            existing_nullable=True,
            postgresql_using="disability::boolean",
        )
        batch_op.alter_column(
            "social_category",
            existing_type=sa.Text(),
            type_=sa.String(length=20),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "phone", existing_type=sa.Text(), type_=sa.String(length=20), existing_nullable=True
        )
        batch_op.drop_column("erased_at")

    with op.batch_alter_table("guardian_consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guardian_consent_worker_id"))
    op.drop_table("guardian_consent")
    with op.batch_alter_table("grievance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grievance_worker_id"))
        batch_op.drop_index(batch_op.f("ix_grievance_status"))
    op.drop_table("grievance")
