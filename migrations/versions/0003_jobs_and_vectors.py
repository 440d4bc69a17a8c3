"""background jobs (job_run) and, where PostgreSQL offers it, the pgvector extension

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 00:50:00.000000

The vectors themselves live in `vector_item`, created at run time by app/vectors/pgvector_index.py
(its `vector(384)` column type exists only with the extension, so it is not in the ORM models, and
the models keep matching the migrations on every database). This migration only enables the
extension, when the server has it and the role may create it; otherwise the numpy backend is used.
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

logger = logging.getLogger("alembic.runtime.migration")


def _enable_pgvector() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    available = connection.scalar(
        sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")
    )
    if not available:
        logger.info("pgvector is not installed on this server: VECTOR_BACKEND=numpy only.")
        return
    try:
        with connection.begin_nested():
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS vector"))
    except sa.exc.DBAPIError as exc:  # e.g. the role may not create extensions
        logger.warning("Could not enable pgvector (%s): VECTOR_BACKEND=numpy only.", exc.orig)


def upgrade():
    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "finished",
                "failed",
                name="jobstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("rq_job_id", sa.String(length=64), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
    )
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_run_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_run_status"), ["status"], unique=False)
    _enable_pgvector()


def downgrade():
    # The extension is left installed (other databases objects may use it); the runtime table
    # that holds our vectors goes with the feature.
    op.execute(sa.text("DROP TABLE IF EXISTS vector_item"))
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_run_status"))
        batch_op.drop_index(batch_op.f("ix_job_run_kind"))
    op.drop_table("job_run")
