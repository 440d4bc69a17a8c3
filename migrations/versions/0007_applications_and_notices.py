"""applications and notices: from a match to a hire

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 14:15:19.940052

A worker applies to a posting (or accepts an employer's invitation); each move is kept in
`application_event`; a hire creates a placement, which now names the enrolment that led to it and
whether an institution recorded it too. `notice` is each recipient's inbox and the outbox its
messages are sent from.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "delivery_status",
            sa.Enum(
                "pending",
                "sending",
                "sent",
                "failed",
                "skipped",
                name="deliverystatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_notice_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_notice_delivery_status"), ["delivery_status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notice_user_id"), ["user_id"], unique=False)

    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "invited",
                "applied",
                "shortlisted",
                "interview",
                "offered",
                "hired",
                "rejected",
                "withdrawn",
                "declined",
                "closed",
                name="applicationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("invited", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("interview_on", sa.Date(), nullable=True),
        sa.Column("interview_place", sa.String(length=200), nullable=True),
        sa.Column("offered_wage_inr", sa.Integer(), nullable=True),
        sa.Column("placement_id", sa.Integer(), nullable=True),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "offered_wage_inr IS NULL OR offered_wage_inr >= 0",
            name=op.f("ck_application_offer_wage"),
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_application_placement_id_placement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["job_posting.id"],
            name=op.f("fk_application_posting_id_job_posting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
            name=op.f("fk_application_worker_id_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
        sa.UniqueConstraint("external_id", name=op.f("uq_application_external_id")),
        sa.UniqueConstraint(
            "posting_id", "worker_id", name=op.f("uq_application_posting_id_worker_id")
        ),
    )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_placement_id"), ["placement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_application_posting_id"), ["posting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_application_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_application_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "application_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "invited",
                "applied",
                "shortlisted",
                "interview",
                "offered",
                "hired",
                "rejected",
                "withdrawn",
                "declined",
                "closed",
                name="applicationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "invited",
                "applied",
                "shortlisted",
                "interview",
                "offered",
                "hired",
                "rejected",
                "withdrawn",
                "declined",
                "closed",
                name="applicationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "actor",
            sa.Enum("worker", "employer", "system", name="actor", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["user_account.id"],
            name=op.f("fk_application_event_actor_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_application_event_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_event")),
    )
    with op.batch_alter_table("application_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_event_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_application_event_at"), ["at"], unique=False)

    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enrolment_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "recorded_by_institution", sa.Boolean(), server_default=sa.true(), nullable=False
            )
        )
        batch_op.create_index(
            batch_op.f("ix_placement_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_placement_enrolment_id_enrolment"),
            "enrolment",
            ["enrolment_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_placement_enrolment_id_enrolment"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_placement_enrolment_id"))
        batch_op.drop_column("recorded_by_institution")
        batch_op.drop_column("enrolment_id")

    with op.batch_alter_table("application_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_event_at"))
        batch_op.drop_index(batch_op.f("ix_application_event_application_id"))

    op.drop_table("application_event")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_worker_id"))
        batch_op.drop_index(batch_op.f("ix_application_status"))
        batch_op.drop_index(batch_op.f("ix_application_posting_id"))
        batch_op.drop_index(batch_op.f("ix_application_placement_id"))

    op.drop_table("application")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_user_id"))
        batch_op.drop_index(batch_op.f("ix_notice_delivery_status"))
        batch_op.drop_index(batch_op.f("ix_notice_created_at"))

    op.drop_table("notice")
