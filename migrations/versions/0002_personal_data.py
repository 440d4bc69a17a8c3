"""personal data: encrypted sensitive fields, erasure marker, guardian consent, grievances

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 00:22:08.951510

Worker phone, social_category and disability become Fernet ciphertext in TEXT columns (see
app/privacy/crypto.py for where the key comes from); existing plaintext rows are encrypted on
upgrade and decrypted back on downgrade, so no row is lost either way. Run the upgrade with the
same DATA_ENCRYPTION_KEY (or instance/data_key) the app will use.

The worker table is never rebuilt: on SQLite a batch rebuild drops the table, and with foreign keys
on that DROP cascades to consents, skills, enrolments and placements. Instead each column is
replaced by add / copy / drop / rename, which SQLite (3.35+) and PostgreSQL do in place.
"""

import sqlalchemy as sa
from alembic import op

from app.privacy.crypto import decrypt_text, encrypt_text

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SENSITIVE = ("phone", "social_category", "disability")
PLAINTEXT = {"phone": sa.String(20), "social_category": sa.String(20), "disability": sa.Boolean()}
ENCRYPTED = {name: sa.Text() for name in SENSITIVE}
TRUE_TEXTS = {"1", "true", "t"}


def _encrypt(name: str, value) -> str:
    if name == "disability":
        return encrypt_text("true" if str(value).lower() in TRUE_TEXTS else "false")
    return encrypt_text(str(value))


def _decrypt(name: str, value: str):
    plaintext = decrypt_text(value)
    return plaintext == "true" if name == "disability" else plaintext


def _replace_columns(old_types: dict, new_types: dict, convert) -> None:
    """Add `<name>_new` columns, fill them with convert(name, old value), drop the old columns
    and give the new ones their names: no table rebuild, so no cascade."""
    for name in SENSITIVE:
        op.add_column("worker", sa.Column(f"{name}_new", new_types[name], nullable=True))
    worker = sa.table(
        "worker",
        sa.column("id", sa.Integer()),
        *(sa.column(name, old_types[name]) for name in SENSITIVE),
        *(sa.column(f"{name}_new", new_types[name]) for name in SENSITIVE),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(worker.c.id, *(worker.c[name] for name in SENSITIVE)).where(
            sa.or_(*(worker.c[name].is_not(None) for name in SENSITIVE))
        )
    ).all()
    for worker_id, *values in rows:
        converted = {
            f"{name}_new": None if value is None else convert(name, value)
            for name, value in zip(SENSITIVE, values, strict=True)
        }
        connection.execute(worker.update().where(worker.c.id == worker_id).values(**converted))
    for name in SENSITIVE:
        op.drop_column("worker", name)
        op.alter_column("worker", f"{name}_new", new_column_name=name)


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

    op.add_column("worker", sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    _replace_columns(PLAINTEXT, ENCRYPTED, _encrypt)


def downgrade():
    _replace_columns(ENCRYPTED, PLAINTEXT, _decrypt)
    op.drop_column("worker", "erased_at")

    with op.batch_alter_table("guardian_consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guardian_consent_worker_id"))
    op.drop_table("guardian_consent")
    with op.batch_alter_table("grievance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grievance_worker_id"))
        batch_op.drop_index(batch_op.f("ix_grievance_status"))
    op.drop_table("grievance")
