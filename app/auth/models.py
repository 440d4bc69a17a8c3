"""Accounts, roles and API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import TimestampMixin, UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.workers.models import Worker


class Role(enum.StrEnum):
    worker = "worker"
    employer = "employer"
    institution = "institution"
    admin = "admin"


# Every role: for routes any signed-in user may call (the policy still decides per record).
ANY_ROLE = tuple(Role)


class User(UserMixin, TimestampMixin, db.Model):
    """A login. Employers and institutions act for their organisation; a worker for their record."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="email_or_phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("worker.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout-everywhere, password change and disable: old sessions and tokens stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The language pages are shown in (app/i18n.py); None follows the cookie and the browser.
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    # An integration account an administrator exempted from the request limits (app/fair_use.py).
    fair_use_exempt: Mapped[bool] = mapped_column(default=False, server_default=false())

    organisation: Mapped[Organisation | None] = relationship()
    worker: Mapped[Worker | None] = relationship()
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users.
        return self.active

    @property
    def sms_phone(self) -> str | None:
        """Where a text message for this login goes: its own number, else its worker's."""
        if self.phone:
            return self.phone
        return self.worker.phone if self.worker is not None else None

    def get_id(self) -> str:
        """The session stores id and version, so bumping the version ends every old session."""
        return f"{self.id}:{self.session_version}"

    @property
    def login_name(self) -> str:
        return self.email or self.phone or f"user {self.id}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class PasswordResetCode(db.Model):
    """A one-time code that sets a new password (app/auth/reset.py); only its hash is stored."""

    __tablename__ = "password_reset_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ApiToken(db.Model):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_version: Mapped[int] = mapped_column(default=1)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")
