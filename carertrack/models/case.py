"""The assessment case: one prospective fostering household from enquiry to panel and decision.

The case's own columns live here; the records that belong to it (applicants, household members,
Stage 1 checks, Stage 2 sessions, allocations, stage changes, delays and notes) are in
carertrack/models/case_records.py. The rules that read a case (clocks, statuses, counting) are in
carertrack/cases/rules.py.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import DDL, Boolean, Date, ForeignKey, Index, Integer, String, Text, event, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carertrack.models.base import Base, TimestampMixin, VersionedMixin
from carertrack.models.user import User, enum_column

if TYPE_CHECKING:
    from carertrack.models.case_records import (
        CaseAllocation,
        CaseApplicant,
        CaseMember,
        CaseNote,
        Delay,
        Stage1Check,
        Stage2Session,
        StageChange,
    )


class CarerType(enum.StrEnum):
    """Mainstream carers foster any child; connected people are assessed for a specific child."""

    MAINSTREAM = "mainstream"
    CONNECTED = "connected"

    @property
    def label(self) -> str:
        """The type as people say it."""
        return "Mainstream" if self is CarerType.MAINSTREAM else "Connected person"


class Stage(enum.StrEnum):
    """Where a case stands, in the order of the journey (DOMAIN.md)."""

    ENQUIRY = "enquiry"
    INITIAL_VISIT = "initial_visit"
    APPLICATION = "application"
    ALLOCATED = "allocated"
    STAGE1 = "stage1"
    STAGE2 = "stage2"
    READY_FOR_PANEL = "ready_for_panel"
    PANEL = "panel"
    DECIDED = "decided"

    @property
    def label(self) -> str:
        """The stage as people say it."""
        return STAGE_LABELS[self]

    @property
    def order(self) -> int:
        """The stage's position in the journey, from 0."""
        return STAGE_ORDER[self]


STAGE_LABELS = {
    Stage.ENQUIRY: "Enquiry",
    Stage.INITIAL_VISIT: "Initial visit",
    Stage.APPLICATION: "Application received",
    Stage.ALLOCATED: "Allocated",
    Stage.STAGE1: "Stage 1 checks",
    Stage.STAGE2: "Stage 2 assessment",
    Stage.READY_FOR_PANEL: "Ready for panel",
    Stage.PANEL: "Panel",
    Stage.DECIDED: "Decided",
}
STAGE_ORDER = {stage: index for index, stage in enumerate(Stage)}


class EnquirySource(enum.StrEnum):
    """How the enquiry came in (CONTRACTS.md vocabulary)."""

    WEBSITE = "website"
    PHONE = "phone"
    EMAIL = "email"
    EVENT = "event"
    EXISTING_CARER = "existing_carer"
    SOCIAL_MEDIA = "social_media"
    IFA_TRANSFER = "ifa_transfer"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The source as people say it."""
        return ENQUIRY_SOURCE_LABELS[self]


ENQUIRY_SOURCE_LABELS = {
    EnquirySource.WEBSITE: "Website",
    EnquirySource.PHONE: "Phone",
    EnquirySource.EMAIL: "Email",
    EnquirySource.EVENT: "Event",
    EnquirySource.EXISTING_CARER: "Referred by an existing carer",
    EnquirySource.SOCIAL_MEDIA: "Social media",
    EnquirySource.IFA_TRANSFER: "Transfer from an independent fostering agency",
    EnquirySource.OTHER: "Other",
}


class ClosedReason(enum.StrEnum):
    """Why a case closed before a decision: Ofsted's withdrawal codes, then the service's own reasons."""

    AW1 = "AW1"
    AW2 = "AW2"
    AW3 = "AW3"
    AW4 = "AW4"
    AW5 = "AW5"
    AW0 = "AW0"
    COUNSELLED_OUT = "counselled_out"
    UNSUITABLE_STAGE1 = "unsuitable_stage1"
    MOVED_AWAY = "moved_away"
    CHOSE_IFA = "chose_ifa"
    NO_RESPONSE = "no_response"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The reason as people say it."""
        return CLOSED_REASON_LABELS[self]


CLOSED_REASON_LABELS = {
    ClosedReason.AW1: "AW1: fostering not as expected",
    ClosedReason.AW2: "AW2: assessment process not as expected",
    ClosedReason.AW3: "AW3: household circumstances changed",
    ClosedReason.AW4: "AW4: financial reasons",
    ClosedReason.AW5: "AW5: concern about allegations",
    ClosedReason.AW0: "AW0: other or unknown",
    ClosedReason.COUNSELLED_OUT: "Counselled out",
    ClosedReason.UNSUITABLE_STAGE1: "Unsuitable at Stage 1",
    ClosedReason.MOVED_AWAY: "Moved away",
    ClosedReason.CHOSE_IFA: "Chose an independent fostering agency",
    ClosedReason.NO_RESPONSE: "No response",
    ClosedReason.OTHER: "Other",
}


class VisitOutcome(enum.StrEnum):
    """What the initial visit concluded."""

    INVITE_TO_APPLY = "invite_to_apply"
    NOT_PROGRESSING = "not_progressing"

    @property
    def label(self) -> str:
        """The outcome as people say it."""
        return "Invited to apply" if self is VisitOutcome.INVITE_TO_APPLY else "Not progressing"


class Stage1Decision(enum.StrEnum):
    """The decision at the end of Stage 1."""

    PROCEED = "proceed"
    NOT_PROCEED = "not_proceed"

    @property
    def label(self) -> str:
        """The decision as people say it."""
        return "Proceed to Stage 2" if self is Stage1Decision.PROCEED else "Do not proceed"


class PanelRecommendation(enum.StrEnum):
    """The panel's recommendation on the case (set by the panel area or the import)."""

    APPROVE = "approve"
    NOT_APPROVE = "not_approve"
    DEFER = "defer"

    @property
    def label(self) -> str:
        """The recommendation as people say it."""
        return {"approve": "Approve", "not_approve": "Do not approve", "defer": "Defer"}[self.value]


# Recommendations that end the assessment and stop the 8-month clock; a deferral does not.
STOPPING_RECOMMENDATIONS = frozenset({PanelRecommendation.APPROVE, PanelRecommendation.NOT_APPROVE})


class CaseDecision(enum.StrEnum):
    """The agency decision maker's decision (set by the panel area or the import)."""

    APPROVED = "approved"
    NOT_APPROVED = "not_approved"

    @property
    def label(self) -> str:
        """The decision as people say it."""
        return "Approved" if self is CaseDecision.APPROVED else "Not approved"


# An open case: not closed and no agency decision yet (cases/queries.open_condition, which the
# partial index below must match word for word for the planner to use it).
OPEN_CASE_PREDICATE = "closed_date IS NULL AND decision IS NULL"
OPEN_CASE_INDEX_COLUMNS = (
    "stage",
    "carer_type",
    "allocated_worker_id",
    "application_date",
    "eight_month_deadline",
    "reg24_deadline",
    "placement_date",
    "predicted_panel_date",
    "panel_date",
    "panel_recommendation",
    "recommendation_date",
    "decision_date",
    "closed_date",
    "reference",
    "id",
)


class Case(TimestampMixin, VersionedMixin, Base):
    """One prospective fostering household's journey from enquiry to the agency decision."""

    __tablename__ = "case"
    __audit_ignore__ = frozenset({"updated_at", "eight_month_deadline", "reg24_deadline"})
    __table_args__ = (
        Index("ix_case_stage", "stage"),
        Index("ix_case_allocated_worker_id", "allocated_worker_id"),
        Index("ix_case_closed_date", "closed_date"),
        Index("ix_case_application_date", "application_date"),
        Index("ix_case_postcode", "postcode"),
        # Open cases (the pipeline and its stage counts): every column the filters, the stage counts
        # and the urgency order read, so PostgreSQL answers them from the index alone.
        Index(
            "ix_case_open",
            *OPEN_CASE_INDEX_COLUMNS,
            postgresql_where=text(OPEN_CASE_PREDICATE),
            sqlite_where=text(OPEN_CASE_PREDICATE),
        ),
        # Searching by reference and postcode (ILIKE '%term%'): trigram indexes, PostgreSQL only.
        Index(
            "ix_case_reference_trgm",
            "reference",
            postgresql_using="gin",
            postgresql_ops={"reference": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    carer_type: Mapped[CarerType] = mapped_column(enum_column(CarerType), nullable=False)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), nullable=False, default=Stage.ENQUIRY)

    # Where the household lives.
    address_line_1: Mapped[str | None] = mapped_column(String(200))
    address_line_2: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(10))

    # Enquiry.
    enquiry_date: Mapped[date | None] = mapped_column(Date)
    enquiry_source: Mapped[EnquirySource | None] = mapped_column(enum_column(EnquirySource))
    interest_age_from: Mapped[int | None] = mapped_column(Integer)
    interest_age_to: Mapped[int | None] = mapped_column(Integer)
    interest_siblings: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    interest_teenagers: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    interest_parent_and_child: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    interest_short_breaks: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # The worker who takes the enquiry through first contact and the initial visit.
    intake_worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    first_contact_date: Mapped[date | None] = mapped_column(Date)

    # Initial visit.
    initial_visit_date: Mapped[date | None] = mapped_column(Date)
    initial_visit_worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    initial_visit_outcome: Mapped[VisitOutcome | None] = mapped_column(enum_column(VisitOutcome))
    initial_visit_reason: Mapped[str | None] = mapped_column(Text)

    # Application and allocation.
    application_date: Mapped[date | None] = mapped_column(Date)
    allocated_worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    allocated_date: Mapped[date | None] = mapped_column(Date)

    # Stage 1 decision.
    stage1_decision: Mapped[Stage1Decision | None] = mapped_column(enum_column(Stage1Decision))
    stage1_completed_date: Mapped[date | None] = mapped_column(Date)
    stage1_decision_reasons: Mapped[str | None] = mapped_column(Text)

    # Stage 2.
    preparation_training_date: Mapped[date | None] = mapped_column(Date)
    report_completed_date: Mapped[date | None] = mapped_column(Date)
    brief_report: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    brief_report_shared_date: Mapped[date | None] = mapped_column(Date)

    # Connected person: regulation 24 temporary approval and its one regulation 25 extension.
    child_reference: Mapped[str | None] = mapped_column(String(60))
    placement_date: Mapped[date | None] = mapped_column(Date)
    extension_granted_date: Mapped[date | None] = mapped_column(Date)
    extension_weeks: Mapped[int | None] = mapped_column(Integer)
    extension_nominated_officer: Mapped[str | None] = mapped_column(String(120))
    extension_panel_views_date: Mapped[date | None] = mapped_column(Date)
    extension_iro_informed_date: Mapped[date | None] = mapped_column(Date)
    extension_pending_irm: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    # Panel (filled by the panel area and the import; the clocks read them).
    predicted_panel_date: Mapped[date | None] = mapped_column(Date)
    panel_date: Mapped[date | None] = mapped_column(Date)
    panel_recommendation: Mapped[PanelRecommendation | None] = mapped_column(enum_column(PanelRecommendation))
    recommendation_date: Mapped[date | None] = mapped_column(Date)
    decision_date: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[CaseDecision | None] = mapped_column(enum_column(CaseDecision))

    # The latest delay's reason, kept with the case for lists and reports (the import sets it directly).
    delay_reason: Mapped[str | None] = mapped_column(Text)

    # Closure at any stage.
    closed_date: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[ClosedReason | None] = mapped_column(enum_column(ClosedReason))
    closed_note: Mapped[str | None] = mapped_column(Text)

    # Deadlines that depend only on the case's own dates, kept up to date on every save (see
    # keep_deadlines below) so lists can filter by clock status in SQL. Statuses are never stored.
    eight_month_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    reg24_deadline: Mapped[date | None] = mapped_column(Date, index=True)

    intake_worker: Mapped[User | None] = relationship(User, foreign_keys=[intake_worker_id])
    initial_visit_worker: Mapped[User | None] = relationship(User, foreign_keys=[initial_visit_worker_id])
    allocated_worker: Mapped[User | None] = relationship(User, foreign_keys=[allocated_worker_id], lazy="joined")

    applicants: Mapped[list[CaseApplicant]] = relationship(
        back_populates="case", cascade="all, delete-orphan", lazy="selectin", order_by="CaseApplicant.position"
    )
    members: Mapped[list[CaseMember]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseMember.id"
    )
    checks: Mapped[list[Stage1Check]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Stage1Check.id"
    )
    sessions: Mapped[list[Stage2Session]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Stage2Session.session_date"
    )
    allocations: Mapped[list[CaseAllocation]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseAllocation.id"
    )
    stage_changes: Mapped[list[StageChange]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="StageChange.id"
    )
    delays: Mapped[list[Delay]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Delay.start_date"
    )
    notes: Mapped[list[CaseNote]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseNote.id"
    )

    @property
    def is_closed(self) -> bool:
        """True once the case has a closure date."""
        return self.closed_date is not None

    @property
    def is_connected(self) -> bool:
        """True for a connected person (family and friends) case."""
        return self.carer_type == CarerType.CONNECTED

    def applicant(self, position: int) -> CaseApplicant | None:
        """Applicant 1 or 2, or None."""
        return next((a for a in self.applicants if a.position == position), None)

    def audit_label(self) -> str:
        return self.reference

    def __repr__(self) -> str:
        return f"<Case {self.reference} {self.stage}>"


def compute_deadlines(
    carer_type: CarerType | str | None,
    application_date: date | None,
    placement_date: date | None,
    extension_weeks: int | None,
) -> tuple[date | None, date | None]:
    """The stored 8-month and regulation 24 deadlines for these dates, from the clock module."""
    from carertrack.clocks import eight_month_deadline, reg24_deadline

    eight = eight_month_deadline(application_date) if application_date else None
    reg24 = None
    if placement_date and carer_type == CarerType.CONNECTED:
        # Validation keeps the extension to 0-8 weeks; a bad value must not stop a save here.
        weeks = extension_weeks if isinstance(extension_weeks, int) and 0 <= extension_weeks <= 8 else 0
        reg24 = reg24_deadline(placement_date, weeks)
    return eight, reg24


@event.listens_for(Case, "before_insert")
@event.listens_for(Case, "before_update")
def keep_deadlines(mapper: Any, connection: Any, target: Case) -> None:
    """Recompute the stored deadlines whenever a case is saved, whoever saves it."""
    target.eight_month_deadline, target.reg24_deadline = compute_deadlines(
        target.carer_type, target.application_date, target.placement_date, target.extension_weeks
    )


# Searching by postcode with spaces ignored (queries.search_condition): a trigram index on that expression.
Index(
    "ix_case_postcode_trgm",
    func.replace(Case.__table__.c.postcode, " ", "").label("postcode_compact"),
    postgresql_using="gin",
    postgresql_ops={"postcode_compact": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")

# The trigram indexes need PostgreSQL's pg_trgm extension; create_all (tests, the benchmark) makes it too.
event.listen(
    Case.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
