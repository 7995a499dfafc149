"""People who sign in, their roles, and the sign-in attempts that drive the lock-out."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from carertrack.models.base import Base, TimestampMixin, VersionedMixin, utcnow


class Role(enum.StrEnum):
    """What a person does in the service; access to every route is declared in these terms."""

    SOCIAL_WORKER = "social_worker"
    MANAGER = "manager"
    PANEL_ADMIN = "panel_admin"
    ADMIN = "admin"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        """The role as people say it."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.SOCIAL_WORKER: "Social worker",
    Role.MANAGER: "Recruitment team manager",
    Role.PANEL_ADMIN: "Panel administrator",
    Role.ADMIN: "Administrator",
    Role.VIEWER: "Read-only (reports)",
}


def enum_column(enum_cls: type[enum.Enum], length: int = 32) -> Enum:
    """A portable enum column: a VARCHAR holding the member's value, the same on SQLite and PostgreSQL."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class User(UserMixin, TimestampMixin, VersionedMixin, Base):
    """A person who signs in. Never deleted: deactivated instead, so history stays attributable."""

    __tablename__ = "user"
    __audit_exclude__ = frozenset({"password_hash"})
    __audit_ignore__ = frozenset({"last_signed_in_at", "updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in to inactive users
        return bool(self.active)

    @property
    def first_name(self) -> str:
        """The first word of the name, for greetings and emails."""
        return self.name.split()[0] if self.name else ""

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash, never the password."""
        # The test configuration lowers scrypt's work factor so the suite stays fast; nothing else does.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        """True when this person holds one of the roles."""
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginAttempt(Base):
    """One sign-in attempt by email address, known or not, so lock-out reveals nothing."""

    __tablename__ = "login_attempt"
    __audited__ = False  # itself a security log; written before anyone is signed in
    __table_args__ = (Index("ix_login_attempt_email_at", "email", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean, nullable=False)
