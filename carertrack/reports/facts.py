"""The facts reports read, loaded in a fixed number of queries as small read-only records.

Reports select only the columns the rules need, never whole ORM objects: the rules in
carertrack/cases/rules.py, carertrack/compliance.py and carertrack/panels/rules.py read attributes,
so they take these records exactly as they take models. The number of queries a report runs does not
grow with the data, and nothing a report loads can leak half-loaded objects into a page's session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, cast, func, or_, select

from carertrack.extensions import db
from carertrack.models.case import CarerType as CaseCarerType
from carertrack.models.case import Case, CaseDecision, ClosedReason, EnquirySource, PanelRecommendation
from carertrack.models.case_records import CaseApplicant, Delay
from carertrack.models.household import CarerType, DeregistrationReason, Household, Placement

# --- Conditions ----------------------------------------------------------------------------------


def happened_by(column: Any, as_of: date) -> ColumnElement[bool]:
    """The dated event had happened by as_of (an event dated later has not happened yet)."""
    return and_(column.is_not(None), column <= as_of)


def not_happened_by(column: Any, as_of: date) -> ColumnElement[bool]:
    """No date yet, or a date after as_of."""
    return or_(column.is_(None), column > as_of)


def dated_between(column: Any, start: date, end: date) -> ColumnElement[bool]:
    """The date falls between start and end, both inclusive."""
    return and_(column.is_not(None), column >= start, column <= end)


def days_between(later: Any, earlier: Any) -> ColumnElement[int]:
    """(later - earlier).days in SQL: PostgreSQL subtracts dates to whole days; SQLite stores them as text."""
    if db.session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return cast(later - earlier, Integer)


def approved_on(as_of: date) -> ColumnElement[bool]:
    """compliance.is_approved_on in SQL: approved by as_of and not deregistered by then."""
    return and_(Household.approval_date <= as_of, not_happened_by(Household.deregistration_date, as_of))


def on_hold_on(as_of: date) -> ColumnElement[bool]:
    """compliance.household_status is ON_HOLD, in SQL, for a household approved on as_of: a reason (not
    blank) recorded, on hold since as_of or earlier (or no date)."""
    return and_(
        Household.on_hold_reason.is_not(None),
        Household.on_hold_reason != "",
        or_(Household.on_hold_since.is_(None), Household.on_hold_since <= as_of),
    )


def placement_active_on(as_of: date) -> ColumnElement[bool]:
    """compliance.placement_active in SQL: started by as_of, not ended on or before it."""
    return and_(Placement.start_date <= as_of, not_happened_by(Placement.end_date, as_of))


# --- Buckets -------------------------------------------------------------------------------------

BUCKETS = ("mainstream", "connected")


def bucket(carer_type: Any) -> str:
    """Ofsted's two buckets: connected is its own, every other household type counts as mainstream."""
    return "connected" if getattr(carer_type, "value", carer_type) == "connected" else "mainstream"


def zero_counts() -> dict[str, int]:
    """{'mainstream': 0, 'connected': 0, 'total': 0}."""
    return {"mainstream": 0, "connected": 0, "total": 0}


def tally(counts: dict[str, int], carer_type: Any, n: int = 1) -> None:
    """Add n to the carer type's bucket and to the total."""
    counts[bucket(carer_type)] += n
    counts["total"] += n


# --- Cases ---------------------------------------------------------------------------------------


@dataclass
class ApplicantFacts:
    """An applicant's position and name (all applicant_display needs)."""

    position: int
    name: str


@dataclass
class DelayFacts:
    """A recorded delay: its reason and the period it covers."""

    id: int
    reason: str
    start_date: date
    end_date: date | None


@dataclass
class CaseFacts:
    """The columns of a case that the rules and reports read."""

    id: int
    reference: str
    carer_type: CaseCarerType
    enquiry_date: date | None
    enquiry_source: EnquirySource | None
    first_contact_date: date | None
    initial_visit_date: date | None
    application_date: date | None
    allocated_date: date | None
    placement_date: date | None
    extension_weeks: int | None
    predicted_panel_date: date | None
    panel_date: date | None
    panel_recommendation: PanelRecommendation | None
    recommendation_date: date | None
    decision_date: date | None
    decision: CaseDecision | None
    closed_date: date | None
    closed_reason: ClosedReason | None
    delay_reason: str | None
    eight_month_deadline: date | None
    reg24_deadline: date | None
    applicants: list[ApplicantFacts] = field(default_factory=list)
    delays: list[DelayFacts] = field(default_factory=list)


_CASE_COLUMNS = [f.name for f in fields(CaseFacts) if f.name not in ("applicants", "delays")]


def load_cases(
    conditions: Iterable[ColumnElement[bool]], *, applicants: bool = False, delays: bool = False
) -> list[CaseFacts]:
    """Cases matching the conditions, by reference: one query, plus one each for applicants and delays
    (which run whether or not any case matches, so a page runs the same statements at any size)."""
    conditions = list(conditions)
    rows = db.session.execute(
        select(*(getattr(Case, name) for name in _CASE_COLUMNS)).where(*conditions).order_by(Case.reference)
    ).all()
    cases = [CaseFacts(**row._mapping) for row in rows]
    by_id = {case.id: case for case in cases}
    matching_ids = select(Case.id).where(*conditions)
    if applicants:
        for case_id, position, name in db.session.execute(
            select(CaseApplicant.case_id, CaseApplicant.position, CaseApplicant.name)
            .where(CaseApplicant.case_id.in_(matching_ids))
            .order_by(CaseApplicant.case_id, CaseApplicant.position)
        ):
            by_id[case_id].applicants.append(ApplicantFacts(position, name))
    if delays:
        for case_id, delay_id, reason, start, end in db.session.execute(
            select(Delay.case_id, Delay.id, Delay.reason, Delay.start_date, Delay.end_date)
            .where(Delay.case_id.in_(matching_ids))
            .order_by(Delay.case_id, Delay.start_date, Delay.id)
        ):
            by_id[case_id].delays.append(DelayFacts(delay_id, reason, start, end))
    return cases


def delay_reason_on(case: CaseFacts, as_of: date) -> str | None:
    """The reason for the latest delay that had started by as_of; imported cases carry only the reason."""
    if case.delays:
        started = [d for d in case.delays if d.start_date <= as_of]
        if not started:
            return None
        reason = max(started, key=lambda d: (d.start_date, d.id)).reason
    else:
        reason = case.delay_reason
    reason = (reason or "").strip()
    return reason or None


# --- Households ----------------------------------------------------------------------------------


@dataclass
class HouseholdFacts:
    """The columns of an approved household that the rules and reports read."""

    id: int
    reference: str
    carer_type: CarerType
    approval_date: date
    deregistration_date: date | None
    deregistration_reason: DeregistrationReason | None
    approved_places: int | None
    on_hold_reason: str | None
    on_hold_since: date | None
    case_id: int | None


_HOUSEHOLD_COLUMNS = [f.name for f in fields(HouseholdFacts)]


def load_households(conditions: Iterable[ColumnElement[bool]]) -> list[HouseholdFacts]:
    """Households matching the conditions, by reference, in one query."""
    rows = db.session.execute(
        select(*(getattr(Household, name) for name in _HOUSEHOLD_COLUMNS))
        .where(*conditions)
        .order_by(Household.reference)
    ).all()
    return [HouseholdFacts(**row._mapping) for row in rows]


@dataclass
class PlacementFacts:
    """A child's placement dates (all placement_active needs)."""

    household_id: int
    start_date: date
    end_date: date | None


def placements_by_household(as_of: date) -> dict[int, list[PlacementFacts]]:
    """Placements running on as_of in households approved then, by household, in one query."""
    rows = db.session.execute(
        select(Placement.household_id, Placement.start_date, Placement.end_date)
        .join(Household, Household.id == Placement.household_id)
        .where(approved_on(as_of), placement_active_on(as_of))
    ).all()
    result: dict[int, list[PlacementFacts]] = defaultdict(list)
    for row in rows:
        result[row.household_id].append(PlacementFacts(**row._mapping))
    return result
