"""The fostering panel: its central list of members, its meetings and who attended them.

Agenda items, outcomes and decisions live in carertrack/models/panel_agenda.py.
"""

from __future__ import annotations

import enum
from datetime import date, time

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carertrack.models.base import Base, TimestampMixin, VersionedMixin
from carertrack.models.user import enum_column


class PanelRole(enum.StrEnum):
    """A panel member's place on the panel."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    SOCIAL_WORKER = "social_worker"
    INDEPENDENT_MEMBER = "independent_member"
    MEDICAL_ADVISER = "medical_adviser"
    ELECTED_MEMBER = "elected_member"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The role as people say it."""
        return PANEL_ROLE_LABELS[self]


PANEL_ROLE_LABELS = {
    PanelRole.CHAIR: "Chair",
    PanelRole.VICE_CHAIR: "Vice-chair",
    PanelRole.SOCIAL_WORKER: "Social worker",
    PanelRole.INDEPENDENT_MEMBER: "Independent member",
    PanelRole.MEDICAL_ADVISER: "Medical adviser",
    PanelRole.ELECTED_MEMBER: "Elected member",
    PanelRole.OTHER: "Other",
}

CHAIRING_ROLES = frozenset({PanelRole.CHAIR, PanelRole.VICE_CHAIR})


class MeetingStatus(enum.StrEnum):
    """Where a meeting stands. Held is recorded with the attendance."""

    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The status as people say it."""
        return self.value.capitalize()


class PanelMember(TimestampMixin, VersionedMixin, Base):
    """A person on the service's central list of panel members."""

    __tablename__ = "panel_member"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    role: Mapped[PanelRole] = mapped_column(enum_column(PanelRole), nullable=False)
    independent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Post-qualifying experience, for social workers: the quorum needs one with enough of it.
    experience_years: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)

    def serves_on(self, day: date) -> bool:
        """True when the person is on the panel on that day."""
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    def audit_label(self) -> str:
        return f"Panel member {self.name}"

    def __repr__(self) -> str:
        return f"<PanelMember {self.name} {self.role}>"


class PanelMeeting(TimestampMixin, VersionedMixin, Base):
    """One sitting of the panel. Its papers deadline is derived (carertrack.panels.rules), never stored."""

    __tablename__ = "panel_meeting"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    start_time: Mapped[time] = mapped_column(Time, nullable=False)
    online: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    venue: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus), nullable=False, default=MeetingStatus.SCHEDULED
    )
    cancelled_reason: Mapped[str | None] = mapped_column(Text)
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("panel_member.id"))
    # The quorum as recorded with the attendance: None until attendance is recorded.
    quorate: Mapped[bool | None] = mapped_column(Boolean)
    quorum_problems: Mapped[str | None] = mapped_column(Text)

    chair: Mapped[PanelMember | None] = relationship(PanelMember, lazy="joined")
    attendance: Mapped[list[PanelAttendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def place(self) -> str:
        """Where it meets, as people say it."""
        if self.online and self.venue:
            return f"{self.venue} and online"
        if self.online:
            return "Online"
        return self.venue or ""

    def audit_label(self) -> str:
        return f"Panel meeting {self.meeting_date.isoformat()}"

    def __repr__(self) -> str:
        return f"<PanelMeeting {self.meeting_date} {self.status}>"


class PanelAttendance(Base):
    """A member's expected and actual attendance at one meeting."""

    __tablename__ = "panel_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", name="uq_panel_attendance_meeting_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("panel_meeting.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_member.id"), nullable=False, index=True)
    expected: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # None until the meeting's attendance is recorded.
    present: Mapped[bool | None] = mapped_column(Boolean)

    meeting: Mapped[PanelMeeting] = relationship(back_populates="attendance")
    member: Mapped[PanelMember] = relationship(lazy="joined")

    def audit_parent(self) -> PanelMeeting:
        return self.meeting

    def audit_label(self) -> str:
        return f"Attendance of {self.member.name}" if self.member else "Attendance"
