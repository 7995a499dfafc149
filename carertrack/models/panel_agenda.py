"""Panel business: agenda items, their moves, conflicts of interest, outcomes, ADM decisions and
qualifying determinations."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carertrack.models.base import Base, TimestampMixin, VersionedMixin, utcnow
from carertrack.models.panel import PanelMeeting, PanelMember
from carertrack.models.user import User, enum_column

if TYPE_CHECKING:
    from carertrack.models.case import Case
    from carertrack.models.household import Household


class ItemKind(enum.StrEnum):
    """What the panel is asked to consider."""

    NEW_APPROVAL = "new_approval"
    CONNECTED_APPROVAL = "connected_approval"
    BRIEF_REPORT = "brief_report"
    FIRST_ANNUAL_REVIEW = "first_annual_review"
    OTHER_REVIEW = "other_review"
    CHANGE_OF_TERMS = "change_of_terms"
    TERMINATION = "termination"
    REG25_EXTENSION = "reg25_extension"

    @property
    def label(self) -> str:
        """The kind as people say it."""
        return ITEM_KIND_LABELS[self]

    @property
    def about_case(self) -> bool:
        """True for items about an assessment (a case); the others are about an approved household."""
        return self in CASE_KINDS


ITEM_KIND_LABELS = {
    ItemKind.NEW_APPROVAL: "New approval (mainstream)",
    ItemKind.CONNECTED_APPROVAL: "Connected person approval",
    ItemKind.BRIEF_REPORT: "Brief report",
    ItemKind.FIRST_ANNUAL_REVIEW: "First annual review",
    ItemKind.OTHER_REVIEW: "Other review",
    ItemKind.CHANGE_OF_TERMS: "Change of terms of approval",
    ItemKind.TERMINATION: "Termination of approval",
    ItemKind.REG25_EXTENSION: "Regulation 25 extension (panel's views)",
}

CASE_KINDS = frozenset(
    {ItemKind.NEW_APPROVAL, ItemKind.CONNECTED_APPROVAL, ItemKind.BRIEF_REPORT, ItemKind.REG25_EXTENSION}
)


class Recommendation(enum.StrEnum):
    """The panel's recommendation. For household items 'approve' means approval continues (on the terms given)."""

    APPROVE = "approve"
    NOT_APPROVE = "not_approve"
    DEFER = "defer"


class Decision(enum.StrEnum):
    """The agency decision maker's decision: the person is (or stays) approved, or not."""

    APPROVED = "approved"
    NOT_APPROVED = "not_approved"


class DeterminationKind(enum.StrEnum):
    """Why a decision is a qualifying determination (the person may ask for a review)."""

    REFUSAL = "refusal"
    TERMINATION = "termination"
    CHANGE_OF_TERMS = "change_of_terms"

    @property
    def label(self) -> str:
        """The kind as people say it."""
        return {"refusal": "Refusal of approval", "termination": "Termination of approval"}.get(
            self.value, "Change of terms of approval"
        )


class FinalDecision(enum.StrEnum):
    """The decision maker's final decision after the 28 days, representations or the IRM."""

    CONFIRMED = "confirmed"
    CHANGED = "changed"

    @property
    def label(self) -> str:
        """The final decision as people say it."""
        return "Determination confirmed" if self is FinalDecision.CONFIRMED else "Determination changed"


class AgendaItem(TimestampMixin, VersionedMixin, Base):
    """One item on a meeting's agenda, about a case or an approved household, with its outcome."""

    __tablename__ = "agenda_item"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("panel_meeting.id"), nullable=False, index=True)
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind), nullable=False)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    presenter_id: Mapped[int] = mapped_column(ForeignKey("user.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    notes: Mapped[str | None] = mapped_column(Text)
    papers_received_on: Mapped[date | None] = mapped_column(Date)
    # Set when the administrator booked it onto a full meeting: why they overrode the capacity.
    over_capacity_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    recommendation: Mapped[Recommendation | None] = mapped_column(enum_column(Recommendation))
    recommendation_date: Mapped[date | None] = mapped_column(Date)
    approved_places: Mapped[int | None] = mapped_column(Integer)
    age_from: Mapped[int | None] = mapped_column(Integer)
    age_to: Mapped[int | None] = mapped_column(Integer)
    placement_types: Mapped[list[str] | None] = mapped_column(JSON)
    defer_reason: Mapped[str | None] = mapped_column(Text)
    recommendation_notes: Mapped[str | None] = mapped_column(Text)
    minutes_received_on: Mapped[date | None] = mapped_column(Date)
    # The household's annual review completed by this item's panel outcome (review items only).
    annual_review_id: Mapped[int | None] = mapped_column(ForeignKey("annual_review.id"))

    meeting: Mapped[PanelMeeting] = relationship(PanelMeeting, lazy="joined")
    case: Mapped[Case | None] = relationship("Case", lazy="joined")
    household: Mapped[Household | None] = relationship("Household", lazy="joined")
    presenter: Mapped[User] = relationship(User, lazy="joined")
    conflicts: Mapped[list[ItemConflict]] = relationship(
        back_populates="item", cascade="all, delete-orphan", lazy="selectin", order_by="ItemConflict.id"
    )
    decision: Mapped[AdmDecision | None] = relationship(back_populates="item", lazy="selectin", uselist=False)

    @property
    def subject(self):  # type: ignore[no-untyped-def]
        """The case or household the item is about."""
        return self.case if self.case_id is not None else self.household

    @property
    def active(self) -> bool:
        """False once the item has been taken off the agenda."""
        return self.withdrawn_on is None

    def audit_parent(self):  # type: ignore[no-untyped-def]
        return self.subject

    def audit_label(self) -> str:
        return f"{self.kind.label} at the panel of {self.meeting.meeting_date.isoformat()}" if self.meeting else "Item"


class AgendaItemMove(Base):
    """An item moved from one meeting to another, with the reason: the item's booking history."""

    __tablename__ = "agenda_item_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), nullable=False, index=True)
    from_meeting_id: Mapped[int] = mapped_column(ForeignKey("panel_meeting.id"), nullable=False)
    to_meeting_id: Mapped[int] = mapped_column(ForeignKey("panel_meeting.id"), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    moved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    item: Mapped[AgendaItem] = relationship(AgendaItem)
    from_meeting: Mapped[PanelMeeting] = relationship(PanelMeeting, foreign_keys=[from_meeting_id], lazy="joined")
    to_meeting: Mapped[PanelMeeting] = relationship(PanelMeeting, foreign_keys=[to_meeting_id], lazy="joined")
    moved_by: Mapped[User | None] = relationship(User, lazy="joined")

    def audit_parent(self) -> AgendaItem:
        return self.item

    def audit_label(self) -> str:
        return "Item moved to another panel"


class ItemConflict(Base):
    """A conflict of interest a panel member declared on one item."""

    __tablename__ = "agenda_item_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), nullable=False, index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_member.id"), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)

    item: Mapped[AgendaItem] = relationship(back_populates="conflicts")
    member: Mapped[PanelMember] = relationship(PanelMember, lazy="joined")

    def audit_parent(self) -> AgendaItem:
        return self.item

    def audit_label(self) -> str:
        return f"Conflict of interest: {self.member.name}" if self.member else "Conflict of interest"


class AdmDecision(TimestampMixin, Base):
    """The agency decision maker's decision on an item's recommendation. Recorded once, never edited."""

    __tablename__ = "adm_decision"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), nullable=False, unique=True)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision), nullable=False)
    decided_on: Mapped[date] = mapped_column(Date, nullable=False)
    decision_maker: Mapped[str] = mapped_column(String(120), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)

    item: Mapped[AgendaItem] = relationship(back_populates="decision")
    determination: Mapped[QualifyingDetermination | None] = relationship(
        back_populates="decision", lazy="selectin", uselist=False
    )

    def audit_parent(self):  # type: ignore[no-untyped-def]
        return self.item.subject if self.item else None

    def audit_label(self) -> str:
        return f"Agency decision: {self.decision.value.replace('_', ' ')}"


class QualifyingDetermination(TimestampMixin, VersionedMixin, Base):
    """A refusal, termination or change of terms: 28 days for representations or an IRM application."""

    __tablename__ = "qualifying_determination"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("adm_decision.id"), nullable=False, unique=True)
    kind: Mapped[DeterminationKind] = mapped_column(enum_column(DeterminationKind), nullable=False)
    letter_date: Mapped[date | None] = mapped_column(Date)
    representations_received_on: Mapped[date | None] = mapped_column(Date)
    irm_applied_on: Mapped[date | None] = mapped_column(Date)
    final_decision: Mapped[FinalDecision | None] = mapped_column(enum_column(FinalDecision))
    final_decision_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    decision: Mapped[AdmDecision] = relationship(back_populates="determination", lazy="joined")

    @property
    def item(self) -> AgendaItem:
        """The agenda item whose decision this is."""
        return self.decision.item

    @property
    def is_open(self) -> bool:
        """True until the final decision is recorded."""
        return self.final_decision is None

    def audit_parent(self):  # type: ignore[no-untyped-def]
        return self.decision.item.subject if self.decision and self.decision.item else None

    def audit_label(self) -> str:
        return self.kind.label
