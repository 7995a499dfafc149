"""Every model, imported here so Alembic and the audit listener see every table."""

from carertrack.models.audit import AuditEvent
from carertrack.models.base import Base, TimestampMixin, VersionedMixin, utcnow
from carertrack.models.setting import Setting
from carertrack.models.user import ROLE_LABELS, LoginAttempt, Role, User, enum_column

__all__ = [
    "AuditEvent",
    "Base",
    "LoginAttempt",
    "ROLE_LABELS",
    "Role",
    "Setting",
    "TimestampMixin",
    "User",
    "VersionedMixin",
    "enum_column",
    "utcnow",
]
