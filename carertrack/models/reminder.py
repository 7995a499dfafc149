"""Reminder emails: the outbox every email goes through, the keys that stop a reminder going twice,
and each person's choice of digest emails.

What is due is never stored here: it is derived from the records by carertrack/reminders/rules.py.
These tables only remember what was sent (or queued) and to whom.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carertrack.models.base import Base, VersionedMixin, utcnow
from carertrack.models.user import User, enum_column


class OutboxStatus(enum.StrEnum):
    """Where an email stands. A failed attempt goes back to queued, with its error, for a later retry."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"

    @property
    def label(self) -> str:
        """The status as people say it."""
        return {"queued": "Queued", "sending": "Sending"}.get(self.value, "Sent")

    @property
    def colour(self) -> str:
        """The GOV.UK tag colour."""
        return {"queued": "blue", "sending": "yellow"}.get(self.value, "green")


class OutboxKind(enum.StrEnum):
    """What an email is."""

    DAILY_DIGEST = "daily_digest"
    WEEKLY_PIPELINE = "weekly_pipeline"

    @property
    def label(self) -> str:
        """The kind as people say it."""
        return "Daily reminders" if self is OutboxKind.DAILY_DIGEST else "Weekly pipeline summary"


class OutboxMessage(Base):
    """One email, written here in the same transaction as its reminder keys, then sent over SMTP."""

    __tablename__ = "outbox_message"
    # The outbox is itself a log of what was sent, who to and when; auditing each row (and each
    # send attempt) would copy every email body into the audit log for no benefit.
    __audited__ = False
    __table_args__ = (
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbox_message_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OutboxKind] = mapped_column(enum_column(OutboxKind), nullable=False)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str | None] = mapped_column(Text)
    # Kept so a resend after a lost acknowledgement carries the same Message-ID (receivers can dedupe).
    message_id: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus), nullable=False, default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claim_token: Mapped[str | None] = mapped_column(String(64), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    recipient: Mapped[User | None] = relationship(User, lazy="joined")

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"


class SentReminder(Base):
    """A reminder already given: (rule, record, due date, recipient) is unique, so it is never given twice.

    Written in the same transaction as the outbox row that carries it. Digests have keys too (rule
    ``daily_digest`` or ``weekly_pipeline``, the record being the recipient), so a person gets at most
    one of each per day or week however many processes run.
    """

    __tablename__ = "sent_reminder"
    __audited__ = False  # a sending log like the outbox it belongs to
    __table_args__ = (
        UniqueConstraint("rule", "record_type", "record_id", "due_date", "recipient_id", name="uq_sent_reminder_key"),
        Index("ix_sent_reminder_recipient_id_due_date", "recipient_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(40), nullable=False)
    record_type: Mapped[str] = mapped_column(String(40), nullable=False)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id"), nullable=False)
    outbox_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


class ReminderPreference(VersionedMixin, Base):
    """A person's choice of reminder emails. No row means the defaults: every digest they can get."""

    __tablename__ = "reminder_preference"
    __audit_ignore__ = frozenset({"updated_at"})

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    daily_digest: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    weekly_pipeline: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(User)

    def audit_parent(self) -> User:
        return self.user

    def audit_label(self) -> str:
        return "Reminder email choices"
