"""The records that belong to a case: its people, its Stage 1 checks and Stage 2 sessions, who it was
allocated to, how its stage moved, its delays and its notes. Each appears in its case's history."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carertrack.models.base import Base, VersionedMixin, utcnow
from carertrack.models.case import Case, Stage
from carertrack.models.user import User, enum_column


class _BelongsToCase:
    """Records shown in their case's history."""

    def audit_parent(self) -> Case:
        return self.case


class CaseApplicant(_BelongsToCase, VersionedMixin, Base):
    """Applicant 1 or 2: the people being assessed as foster carers."""

    __tablename__ = "case_applicant"
    __table_args__ = (
        # Searching by an applicant's name (ILIKE '%term%'): a trigram index, PostgreSQL only (pg_trgm,
        # created before the case table in models/case.py).
        Index(
            "ix_case_applicant_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))

    case: Mapped[Case] = relationship(back_populates="applicants")

    def audit_label(self) -> str:
        return f"Applicant {self.position}: {self.name}"


class MemberRelation(enum.StrEnum):
    """How another household member is related to the applicants."""

    CHILD = "child"
    PARENT = "parent"
    OTHER_RELATIVE = "other_relative"
    LODGER = "lodger"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The relationship as people say it."""
        return MEMBER_RELATION_LABELS[self]


MEMBER_RELATION_LABELS = {
    MemberRelation.CHILD: "Applicant's child",
    MemberRelation.PARENT: "Applicant's parent",
    MemberRelation.OTHER_RELATIVE: "Other relative",
    MemberRelation.LODGER: "Lodger",
    MemberRelation.OTHER: "Other",
}


class CaseMember(_BelongsToCase, VersionedMixin, Base):
    """Someone else in the household (or an applicant's child living elsewhere)."""

    __tablename__ = "case_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    relation: Mapped[MemberRelation] = mapped_column(enum_column(MemberRelation), nullable=False)
    lives_there: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    case: Mapped[Case] = relationship(back_populates="members")

    def audit_label(self) -> str:
        return f"Household member: {self.name}"


class CheckKind(enum.StrEnum):
    """The Stage 1 checks (FSR 2011 reg 26(1A), Schedule 3 Part 1)."""

    DBS = "dbs"
    LA_CHECKS = "la_checks"
    MEDICAL = "medical"
    PERSONAL_REFERENCE = "personal_reference"
    EMPLOYER = "employer"
    EX_PARTNER = "ex_partner"
    PREVIOUS_FOSTERING = "previous_fostering"
    SCHOOL = "school"
    HEALTH_VISITOR = "health_visitor"
    HOME_SAFETY = "home_safety"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The check as people say it."""
        return CHECK_KIND_LABELS[self]


CHECK_KIND_LABELS = {
    CheckKind.DBS: "Enhanced DBS with children's barred list",
    CheckKind.LA_CHECKS: "Local authority checks",
    CheckKind.MEDICAL: "Medical",
    CheckKind.PERSONAL_REFERENCE: "Personal reference",
    CheckKind.EMPLOYER: "Employer reference",
    CheckKind.EX_PARTNER: "Ex-partner reference",
    CheckKind.PREVIOUS_FOSTERING: "Previous fostering service (last 12 months)",
    CheckKind.SCHOOL: "School check",
    CheckKind.HEALTH_VISITOR: "Health visitor check",
    CheckKind.HOME_SAFETY: "Home safety check",
    CheckKind.OTHER: "Other check",
}


class CheckOutcome(enum.StrEnum):
    """What a Stage 1 check found."""

    SATISFACTORY = "satisfactory"
    CONCERNS = "concerns"
    UNSATISFACTORY = "unsatisfactory"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """The outcome as people say it."""
        return CHECK_OUTCOME_LABELS[self]


CHECK_OUTCOME_LABELS = {
    CheckOutcome.SATISFACTORY: "Satisfactory",
    CheckOutcome.CONCERNS: "Concerns to explore",
    CheckOutcome.UNSATISFACTORY: "Not satisfactory",
    CheckOutcome.NOT_APPLICABLE: "Not applicable",
}


class Stage1Check(_BelongsToCase, VersionedMixin, Base):
    """One Stage 1 check about one person (or the household), with its dates and outcome."""

    __tablename__ = "stage1_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[CheckKind] = mapped_column(enum_column(CheckKind), nullable=False)
    # Who the check is about: an applicant, a member, or nobody (household checks, references).
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("case_applicant.id", ondelete="SET NULL"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("case_member.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    requested_date: Mapped[date | None] = mapped_column(Date)
    received_date: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[CheckOutcome | None] = mapped_column(enum_column(CheckOutcome))
    notes: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="checks")

    @property
    def done(self) -> bool:
        """True when received, or marked not applicable."""
        return self.received_date is not None or self.outcome == CheckOutcome.NOT_APPLICABLE

    @property
    def touched(self) -> bool:
        """True once anything has been recorded on it (so it is never removed automatically)."""
        return bool(self.requested_date or self.received_date or self.outcome or self.notes)

    @property
    def title(self) -> str:
        """'Medical: Jane Smith'."""
        return f"{self.kind.label}: {self.subject}"

    def audit_label(self) -> str:
        return self.title


class SessionKind(enum.StrEnum):
    """A Stage 2 visit or session."""

    HOME_VISIT = "home_visit"
    JOINT_SESSION = "joint_session"
    INDIVIDUAL_SESSION = "individual_session"
    HOUSEHOLD_SESSION = "household_session"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The kind as people say it."""
        return SESSION_KIND_LABELS[self]


SESSION_KIND_LABELS = {
    SessionKind.HOME_VISIT: "Home visit",
    SessionKind.JOINT_SESSION: "Joint session with both applicants",
    SessionKind.INDIVIDUAL_SESSION: "Individual session",
    SessionKind.HOUSEHOLD_SESSION: "Session with household members",
    SessionKind.OTHER: "Other",
}


class Stage2Session(_BelongsToCase, Base):
    """One Form F assessment visit or session."""

    __tablename__ = "stage2_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    session_date: Mapped[date] = mapped_column(Date, nullable=False)
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="sessions")

    def audit_label(self) -> str:
        return f"Stage 2: {self.kind.label} on {self.session_date.isoformat()}"


class CaseAllocation(_BelongsToCase, Base):
    """One allocation (or reallocation) of the case to an assessing social worker."""

    __tablename__ = "case_allocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), nullable=False, index=True)
    allocated_date: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case: Mapped[Case] = relationship(back_populates="allocations")
    worker: Mapped[User] = relationship(User, foreign_keys=[worker_id], lazy="joined")
    recorded_by: Mapped[User | None] = relationship(User, foreign_keys=[recorded_by_id], lazy="joined")

    def audit_label(self) -> str:
        return f"Allocated to {self.worker.name}" if self.worker else "Allocation"


class StageChange(_BelongsToCase, Base):
    """The case moved from one stage to another: who and when."""

    __tablename__ = "stage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    from_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage))
    to_stage: Mapped[Stage] = mapped_column(enum_column(Stage), nullable=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_by_label: Mapped[str] = mapped_column(String(200), nullable=False)

    case: Mapped[Case] = relationship(back_populates="stage_changes")

    def audit_label(self) -> str:
        return f"Stage: {self.to_stage.label}"


class Delay(_BelongsToCase, Base):
    """A recorded delay: why, and the period it covers (open-ended while it lasts)."""

    __tablename__ = "case_delay"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case: Mapped[Case] = relationship(back_populates="delays")
    recorded_by: Mapped[User | None] = relationship(User, lazy="joined")

    def audit_label(self) -> str:
        return f"Delay: {self.reason[:80]}"


class CaseNote(_BelongsToCase, Base):
    """A case note: who wrote it and when. Notes are never edited."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    author_label: Mapped[str] = mapped_column(String(200), nullable=False)
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)

    case: Mapped[Case] = relationship(back_populates="notes")

    def audit_label(self) -> str:
        return "Case note"
