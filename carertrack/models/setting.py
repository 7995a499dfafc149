"""Stored values of the local-practice settings; definitions and defaults live in carertrack.settings."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from carertrack.models.base import Base, TimestampMixin, VersionedMixin


class Setting(TimestampMixin, VersionedMixin, Base):
    """A value an admin changed from its default. Absent rows mean the default applies."""

    __tablename__ = "setting"
    __audit_ignore__ = frozenset({"updated_at"})

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
