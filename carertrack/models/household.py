"""Approved fostering households: terms of approval, the people who live there, annual reviews,
placements and deregistration. DBS checks live in dbs.py and staying put in staying_put.py.

Status (active, on hold, deregistered) and every "due" state are derived from these dates when
read (carertrack/compliance.py), never stored and flipped.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, orm
from sqlalchemy.orm import Mapped, mapped_column

from carertrack.models.base import Base, TimestampMixin, VersionedMixin
from carertrack.models.user import User, enum_column

if TYPE_CHECKING:
    from carertrack.models.dbs import DbsCheck
    from carertrack.models.staying_put import StayingPut


class CarerType(enum.StrEnum):
    """The kind of approval (CONTRACTS.md: household carer_type)."""

    MAINSTREAM = "mainstream"
    CONNECTED = "connected"
    SHORT_BREAKS = "short_breaks"
    PARENT_AND_CHILD = "parent_and_child"

    @property
    def label(self) -> str:
        """The type as people say it."""
        return CARER_TYPE_LABELS[self]

    @property
    def report_bucket(self) -> str:
        """Ofsted's two buckets: connected is its own, every other type counts as mainstream."""
        return "connected" if self is CarerType.CONNECTED else "mainstream"


CARER_TYPE_LABELS = {
    CarerType.MAINSTREAM: "Mainstream",
    CarerType.CONNECTED: "Connected person (family and friends)",
    CarerType.SHORT_BREAKS: "Short breaks",
    CarerType.PARENT_AND_CHILD: "Parent and child",
}


class PlacementType(enum.StrEnum):
    """Placement types a household's terms of approval may include."""

    EMERGENCY = "emergency"
    SHORT_TERM = "short_term"
    LONG_TERM = "long_term"
    SHORT_BREAKS = "short_breaks"
    PARENT_AND_CHILD = "parent_and_child"
    SIBLING_GROUPS = "sibling_groups"

    @property
    def label(self) -> str:
        """The placement type as people say it."""
        return PLACEMENT_TYPE_LABELS[self]


PLACEMENT_TYPE_LABELS = {
    PlacementType.EMERGENCY: "Emergency",
    PlacementType.SHORT_TERM: "Short-term",
    PlacementType.LONG_TERM: "Long-term",
    PlacementType.SHORT_BREAKS: "Short breaks",
    PlacementType.PARENT_AND_CHILD: "Parent and child",
    PlacementType.SIBLING_GROUPS: "Sibling groups",
}


class DeregistrationReason(enum.StrEnum):
    """Why approval ended (CONTRACTS.md vocabulary `deregistration_reason`)."""

    RESIGNED = "resigned"
    RETIRED = "retired"
    TRANSFERRED_IFA = "transferred_ifa"
    TRANSFERRED_LA = "transferred_la"
    SGO = "sgo"
    ADOPTION = "adoption"
    TERMINATED = "terminated"
    PLACEMENT_ENDED = "placement_ended"
    MOVED_AWAY = "moved_away"
    DEATH = "death"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The reason as people say it."""
        return DEREGISTRATION_REASON_LABELS[self]


DEREGISTRATION_REASON_LABELS = {
    DeregistrationReason.RESIGNED: "Resigned",
    DeregistrationReason.RETIRED: "Retired",
    DeregistrationReason.TRANSFERRED_IFA: "Transferred to an independent fostering agency",
    DeregistrationReason.TRANSFERRED_LA: "Transferred to another local authority",
    DeregistrationReason.SGO: "Special guardianship order granted",
    DeregistrationReason.ADOPTION: "Adoption",
    DeregistrationReason.TERMINATED: "Approval terminated by the service",
    DeregistrationReason.PLACEMENT_ENDED: "Child-specific placement ended",
    DeregistrationReason.MOVED_AWAY: "Moved away",
    DeregistrationReason.DEATH: "Death",
    DeregistrationReason.OTHER: "Other",
}


class MemberRole(enum.StrEnum):
    """A person's role in the household (CONTRACTS.md people import `role`)."""

    CARER = "carer"
    ADULT_MEMBER = "adult_member"
    CHILD_MEMBER = "child_member"

    @property
    def label(self) -> str:
        """The role as people say it."""
        return {"carer": "Foster carer", "adult_member": "Adult household member"}.get(
            self.value, "Child household member"
        )


class Relationship(enum.StrEnum):
    """How a person is related to the household; it decides their role (see role_for)."""

    CARER = "carer"
    PARTNER = "partner"
    BIRTH_CHILD = "birth_child"
    ADULT_CHILD = "adult_child"
    OTHER_CHILD = "other_child"
    OTHER_ADULT = "other_adult"
    LODGER = "lodger"
    STAYING_PUT = "staying_put_young_person"

    @property
    def label(self) -> str:
        """The relationship as people say it."""
        return RELATIONSHIP_LABELS[self]


RELATIONSHIP_LABELS = {
    Relationship.CARER: "Foster carer",
    Relationship.PARTNER: "Partner (not approved as a carer)",
    Relationship.BIRTH_CHILD: "Birth child (under 18)",
    Relationship.ADULT_CHILD: "Adult son or daughter",
    Relationship.OTHER_CHILD: "Other child (under 18)",
    Relationship.OTHER_ADULT: "Other adult",
    Relationship.LODGER: "Lodger",
    Relationship.STAYING_PUT: "Staying-put young person",
}

CHILD_RELATIONSHIPS = frozenset({Relationship.BIRTH_CHILD, Relationship.OTHER_CHILD})


def role_for(relationship: Relationship) -> MemberRole:
    """The CONTRACTS role a relationship implies: carers, children, and every other adult."""
    if relationship is Relationship.CARER:
        return MemberRole.CARER
    if relationship in CHILD_RELATIONSHIPS:
        return MemberRole.CHILD_MEMBER
    return MemberRole.ADULT_MEMBER


class ReviewOutcome(enum.StrEnum):
    """What an annual review concluded about the approval."""

    CONTINUE = "continue"
    CHANGE_OF_TERMS = "change_of_terms"
    TERMINATION_PROPOSED = "termination_proposed"

    @property
    def label(self) -> str:
        """The outcome as people say it."""
        return {
            "continue": "Approval continues on the same terms",
            "change_of_terms": "Approval continues with a change of terms",
        }.get(self.value, "Termination of approval proposed")


class Household(TimestampMixin, VersionedMixin, Base):
    """An approved fostering household, current or past."""

    __tablename__ = "household"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    carer_type: Mapped[CarerType] = mapped_column(enum_column(CarerType), nullable=False, index=True)
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10))
    supervising_worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    approval_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    # The assessment that led to approval. A plain integer for now: the case table belongs to the
    # assessment area, which adds the foreign key when it links households to their cases.
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)

    approved_places: Mapped[int | None] = mapped_column(Integer)
    age_from: Mapped[int | None] = mapped_column(Integer)
    age_to: Mapped[int | None] = mapped_column(Integer)
    placement_types: Mapped[list[str] | None] = mapped_column(JSON)

    on_hold_reason: Mapped[str | None] = mapped_column(Text)
    on_hold_since: Mapped[date | None] = mapped_column(Date)

    deregistration_notice_date: Mapped[date | None] = mapped_column(Date)
    deregistration_date: Mapped[date | None] = mapped_column(Date, index=True)
    deregistration_reason: Mapped[DeregistrationReason | None] = mapped_column(enum_column(DeregistrationReason))

    supervising_worker: Mapped[User | None] = orm.relationship(User, lazy="joined")
    members: Mapped[list[HouseholdMember]] = orm.relationship(
        back_populates="household", order_by="HouseholdMember.id", lazy="selectin"
    )
    reviews: Mapped[list[AnnualReview]] = orm.relationship(
        back_populates="household", order_by="AnnualReview.completed_date", lazy="select"
    )
    placements: Mapped[list[Placement]] = orm.relationship(
        back_populates="household", order_by="Placement.start_date", lazy="select"
    )
    staying_put: Mapped[list[StayingPut]] = orm.relationship(
        "StayingPut", back_populates="household", order_by="StayingPut.start_date", lazy="select"
    )

    @property
    def carers(self) -> list[HouseholdMember]:
        """The approved carers (whether or not they still live there)."""
        return [m for m in self.members if m.role is MemberRole.CARER]

    @property
    def name(self) -> str:
        """'Jane Smith and John Smith', or the reference when no carer is recorded."""
        names = [m.name for m in self.carers if m.left_date is None] or [m.name for m in self.carers]
        return " and ".join(names) if names else self.reference

    @property
    def placement_type_values(self) -> list[PlacementType]:
        """The terms' placement types, in their usual order."""
        chosen = set(self.placement_types or [])
        return [t for t in PlacementType if t.value in chosen]

    @property
    def age_range(self) -> str:
        """'0 to 11 years', or '' when the terms give no range."""
        if self.age_from is None and self.age_to is None:
            return ""
        return f"{self.age_from if self.age_from is not None else 0} to {self.age_to if self.age_to is not None else 17} years"

    def audit_label(self) -> str:
        return f"Household {self.reference}"

    def __repr__(self) -> str:
        return f"<Household {self.reference}>"


class HouseholdMember(TimestampMixin, VersionedMixin, Base):
    """A person who lives (or lived) in an approved household: carer, adult or child."""

    __tablename__ = "household_member"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole), nullable=False)
    # Imported people carry a role but no relationship, so it may be blank. (The models in this file
    # call orm.relationship because this column's name shadows the bare function in the class body.)
    relationship: Mapped[Relationship | None] = mapped_column(enum_column(Relationship))
    joined_date: Mapped[date | None] = mapped_column(Date)
    left_date: Mapped[date | None] = mapped_column(Date)
    # Training, Support and Development Standards: evidenced by each carer (NMS 20.3).
    tsd_completed_date: Mapped[date | None] = mapped_column(Date)

    household: Mapped[Household] = orm.relationship(back_populates="members")
    dbs_checks: Mapped[list[DbsCheck]] = orm.relationship(
        "DbsCheck", back_populates="member", order_by="DbsCheck.issue_date", lazy="select"
    )

    @property
    def relationship_label(self) -> str:
        """The relationship, or the role when no relationship was recorded."""
        return self.relationship.label if self.relationship else self.role.label

    def audit_parent(self) -> Household:
        return self.household

    def audit_label(self) -> str:
        return f"Household member {self.name}"


class AnnualReview(TimestampMixin, VersionedMixin, Base):
    """A completed annual review of a household's approval (FSR 2011 reg 28)."""

    __tablename__ = "annual_review"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), nullable=False, index=True)
    completed_date: Mapped[date] = mapped_column(Date, nullable=False)
    outcome: Mapped[ReviewOutcome] = mapped_column(enum_column(ReviewOutcome), nullable=False)
    went_to_panel: Mapped[bool] = mapped_column(default=False, nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)

    household: Mapped[Household] = orm.relationship(back_populates="reviews")

    def audit_parent(self) -> Household:
        return self.household

    def audit_label(self) -> str:
        return f"Annual review completed {self.completed_date.isoformat() if self.completed_date else ''}".strip()


class Placement(TimestampMixin, VersionedMixin, Base):
    """A child placed with the household. The child is a reference only: there is no child record."""

    __tablename__ = "placement"
    __audit_ignore__ = frozenset({"updated_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), nullable=False, index=True)
    child_reference: Mapped[str] = mapped_column(String(40), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)

    household: Mapped[Household] = orm.relationship(back_populates="placements")

    def audit_parent(self) -> Household:
        return self.household

    def audit_label(self) -> str:
        return f"Placement of {self.child_reference}"
