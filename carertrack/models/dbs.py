"""DBS certificates of household members and their Update Service status checks.

Only what the DBS code of practice allows is stored: the certificate number, issue date, level,
outcome and, where information was disclosed, when it was risk-assessed and the manager's decision.
Never the disclosure content.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carertrack.models.base import Base, TimestampMixin, VersionedMixin
from carertrack.models.household import Household, HouseholdMember
from carertrack.models.user import enum_column


class DbsOutcome(enum.StrEnum):
    """What the certificate showed, in the only terms we record."""

    CLEAR = "clear"
    DISCLOSED = "disclosed"

    @property
    def label(self) -> str:
        """The outcome as people say it."""
        return "Clear" if self is DbsOutcome.CLEAR else "Information disclosed and risk-assessed"


class RiskDecision(enum.StrEnum):
    """The manager's decision after risk-assessing disclosed information."""

    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"

    @property
    def label(self) -> str:
        """The decision as people say it."""
        return "Suitable to continue" if self is RiskDecision.ACCEPTED else "Not suitable to continue"


class StatusCheckResult(enum.StrEnum):
    """The DBS Update Service's answer to a status check."""

    NO_CHANGE = "no_change"
    CHANGED = "changed"

    @property
    def label(self) -> str:
        """The result as people say it."""
        return "No new information" if self is StatusCheckResult.NO_CHANGE else "New information: apply for a new check"


class DbsCheck(TimestampMixin, VersionedMixin, Base):
    """One DBS certificate for one person. A person's latest certificate is the one that counts."""

    __tablename__ = "dbs_check"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("household_member.id"), nullable=False, index=True)
    # Imported certificates may come without their number; the web form always asks for it.
    certificate_number: Mapped[str | None] = mapped_column(String(12))
    issue_date: Mapped[date] = mapped_column(Date, nullable=False)
    enhanced_with_barred_list: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    update_service: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    outcome: Mapped[DbsOutcome] = mapped_column(enum_column(DbsOutcome), nullable=False, default=DbsOutcome.CLEAR)
    risk_assessed_on: Mapped[date | None] = mapped_column(Date)
    risk_decision: Mapped[RiskDecision | None] = mapped_column(enum_column(RiskDecision))

    member: Mapped[HouseholdMember] = relationship(back_populates="dbs_checks")
    status_checks: Mapped[list[DbsStatusCheck]] = relationship(
        back_populates="dbs_check", order_by="DbsStatusCheck.checked_on", lazy="selectin"
    )

    def audit_parent(self) -> Household:
        return self.member.household

    def audit_label(self) -> str:
        return f"DBS certificate for {self.member.name}" if self.member else "DBS certificate"


class DbsStatusCheck(TimestampMixin, Base):
    """An online Update Service status check made against a subscribed certificate."""

    __tablename__ = "dbs_status_check"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    dbs_check_id: Mapped[int] = mapped_column(ForeignKey("dbs_check.id"), nullable=False, index=True)
    checked_on: Mapped[date] = mapped_column(Date, nullable=False)
    result: Mapped[StatusCheckResult] = mapped_column(enum_column(StatusCheckResult), nullable=False)

    dbs_check: Mapped[DbsCheck] = relationship(back_populates="status_checks")

    def audit_parent(self) -> Household:
        return self.dbs_check.member.household

    def audit_label(self) -> str:
        return f"DBS status check for {self.dbs_check.member.name}" if self.dbs_check else "DBS status check"
