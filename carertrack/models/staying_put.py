"""Staying put (Children Act 1989 s23CZA): a former foster child stays with their carers until 21."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carertrack.models.base import Base, TimestampMixin, VersionedMixin
from carertrack.models.household import Household, HouseholdMember
from carertrack.models.user import enum_column


class StayingPutEndReason(enum.StrEnum):
    """Why an arrangement ended (CONTRACTS.md staying-put `end_reason`)."""

    TURNED_21 = "turned_21"
    MOVED_ON = "moved_on"
    BREAKDOWN = "breakdown"
    RETURNED_HOME = "returned_home"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The reason as people say it."""
        return {
            "turned_21": "Reached 21",
            "moved_on": "Moved on to independent living",
            "breakdown": "Arrangement broke down",
            "returned_home": "Returned to their family",
        }.get(self.value, "Other")


class StayingPut(TimestampMixin, VersionedMixin, Base):
    """One staying-put arrangement with a former foster household."""

    __tablename__ = "staying_put"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), nullable=False, index=True)
    young_person_reference: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    date_of_birth: Mapped[date] = mapped_column(Date, nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    planned_end_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[StayingPutEndReason | None] = mapped_column(enum_column(StayingPutEndReason))
    household_remains_approved: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # The household member the web form created for the young person (imports leave it empty:
    # people are imported separately).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("household_member.id"))

    household: Mapped[Household] = relationship(back_populates="staying_put")
    member: Mapped[HouseholdMember | None] = relationship(HouseholdMember)

    def audit_parent(self) -> Household:
        return self.household

    def audit_label(self) -> str:
        return f"Staying put: {self.young_person_reference}"
