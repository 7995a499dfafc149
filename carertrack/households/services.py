"""Changes to approved households. Every change is audited by the recorder in the same flush; the
caller (a route, the importer, the panel area when an ADM approves a case) commits once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from carertrack.compliance import resignation_effective_date
from carertrack.extensions import db
from carertrack.models.dbs import DbsCheck, DbsOutcome, DbsStatusCheck, RiskDecision, StatusCheckResult
from carertrack.models.household import (
    AnnualReview,
    CarerType,
    DeregistrationReason,
    Household,
    HouseholdMember,
    MemberRole,
    Placement,
    Relationship,
    ReviewOutcome,
    role_for,
)
from carertrack.models.staying_put import StayingPut, StayingPutEndReason

CERTIFICATE_DIGITS = 12


class DuplicateReference(Exception):
    """Another household already has this reference."""


@dataclass
class HouseholdDetails:
    """What the household details form (and the panel area, on approval) provides."""

    carer_type: CarerType
    approval_date: date
    address: str | None = None
    postcode: str | None = None
    supervising_worker_id: int | None = None
    approved_places: int | None = None
    age_from: int | None = None
    age_to: int | None = None
    placement_types: list[str] = field(default_factory=list)


def reference_taken(reference: str, except_id: int | None = None) -> bool:
    """True when another household already uses the reference (compared without case or spaces)."""
    statement = select(func.count()).select_from(Household).where(func.upper(Household.reference) == reference.upper())
    if except_id is not None:
        statement = statement.where(Household.id != except_id)
    return bool(db.session.scalar(statement))


def normalise_postcode(postcode: str | None) -> str | None:
    """'sw1a1aa' → 'SW1A 1AA'; blank → None."""
    if not postcode or not postcode.strip():
        return None
    compact = "".join(postcode.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def _apply_details(household: Household, details: HouseholdDetails) -> None:
    household.carer_type = details.carer_type
    household.approval_date = details.approval_date
    household.address = (details.address or "").strip() or None
    household.postcode = normalise_postcode(details.postcode)
    household.supervising_worker_id = details.supervising_worker_id
    household.approved_places = details.approved_places
    household.age_from = details.age_from
    household.age_to = details.age_to
    household.placement_types = sorted(details.placement_types) or None


def create_household(
    reference: str,
    details: HouseholdDetails,
    carers: list[tuple[str, date | None]],
    case_id: int | None = None,
    *,
    flush: bool = True,
) -> Household:
    """A new approved household with its carers (one or two) as members from the approval date.

    The spreadsheet import passes flush=False and flushes thousands of households at once.
    """
    reference = reference.strip()
    if reference_taken(reference):
        raise DuplicateReference(f"A household with reference {reference} already exists")
    household = Household(reference=reference, case_id=case_id)
    _apply_details(household, details)
    db.session.add(household)
    for name, date_of_birth in carers:
        if name and name.strip():
            household.members.append(
                HouseholdMember(
                    name=name.strip(),
                    date_of_birth=date_of_birth,
                    role=MemberRole.CARER,
                    relationship=Relationship.CARER,
                    joined_date=details.approval_date,
                )
            )
    if flush:
        db.session.flush()
    return household


def update_household(household: Household, details: HouseholdDetails) -> None:
    """Change the details and terms of approval."""
    _apply_details(household, details)


def set_on_hold(household: Household, reason: str | None, since: date | None) -> None:
    """Put the household on hold (no new placements) with a reason, or take it off hold."""
    reason = (reason or "").strip() or None
    household.on_hold_reason = reason
    household.on_hold_since = since if reason else None


# --- People ------------------------------------------------------------------------------------


def add_member(
    household: Household,
    name: str,
    date_of_birth: date | None,
    relationship: Relationship,
    joined_date: date | None = None,
) -> HouseholdMember:
    """Someone new in the household; their role follows from the relationship."""
    member = HouseholdMember(
        name=name.strip(),
        date_of_birth=date_of_birth,
        relationship=relationship,
        role=role_for(relationship),
        joined_date=joined_date,
    )
    household.members.append(member)
    db.session.flush()
    return member


def update_member(
    member: HouseholdMember,
    name: str,
    date_of_birth: date | None,
    relationship: Relationship,
    joined_date: date | None,
    left_date: date | None,
) -> None:
    """Correct a person's details or record that they left."""
    member.name = name.strip()
    member.date_of_birth = date_of_birth
    member.relationship = relationship
    member.role = role_for(relationship)
    member.joined_date = joined_date
    member.left_date = left_date


def record_training(member: HouseholdMember, completed: date | None) -> None:
    """The date the carer evidenced the Training, Support and Development Standards (blank to clear)."""
    member.tsd_completed_date = completed


# --- DBS -----------------------------------------------------------------------------------------


@dataclass
class DbsDetails:
    """A certificate as recorded: never the disclosure content."""

    certificate_number: str | None
    issue_date: date
    enhanced_with_barred_list: bool = True
    update_service: bool = False
    outcome: DbsOutcome = DbsOutcome.CLEAR
    risk_assessed_on: date | None = None
    risk_decision: RiskDecision | None = None


def normalise_certificate_number(number: str | None) -> str | None:
    """Digits only: '0012 3456 7890' → '001234567890'."""
    if not number:
        return None
    digits = "".join(ch for ch in number if not ch.isspace() and ch != "-")
    return digits or None


def certificate_number_error(number: str | None) -> str | None:
    """A DBS certificate number is 12 digits (spaces and hyphens allowed); pages and the import check it."""
    digits = normalise_certificate_number(number) or ""
    if len(digits) != CERTIFICATE_DIGITS or not digits.isdigit():
        return "Certificate number must be 12 digits, like 001234567890"
    return None


def _apply_dbs(check: DbsCheck, details: DbsDetails) -> None:
    check.certificate_number = normalise_certificate_number(details.certificate_number)
    check.issue_date = details.issue_date
    check.enhanced_with_barred_list = details.enhanced_with_barred_list
    check.update_service = details.update_service
    check.outcome = details.outcome
    disclosed = details.outcome is DbsOutcome.DISCLOSED
    check.risk_assessed_on = details.risk_assessed_on if disclosed else None
    check.risk_decision = details.risk_decision if disclosed else None


def record_dbs_check(member: HouseholdMember, details: DbsDetails) -> DbsCheck:
    """A new certificate (a first check or a renewal); the latest one is the one that counts."""
    check = DbsCheck(member=member)
    _apply_dbs(check, details)
    db.session.add(check)
    db.session.flush()
    return check


def update_dbs_check(check: DbsCheck, details: DbsDetails) -> None:
    """Correct a certificate's details."""
    _apply_dbs(check, details)


def record_status_check(check: DbsCheck, checked_on: date, result: StatusCheckResult) -> DbsStatusCheck:
    """An Update Service status check. It counts towards currency only when the person is subscribed."""
    status_check = DbsStatusCheck(dbs_check=check, checked_on=checked_on, result=result)
    db.session.add(status_check)
    db.session.flush()
    return status_check


# --- Reviews and placements ------------------------------------------------------------------


def record_review(
    household: Household, completed: date, outcome: ReviewOutcome, went_to_panel: bool, notes: str | None
) -> AnnualReview:
    """A completed annual review."""
    review = AnnualReview(
        household=household,
        completed_date=completed,
        outcome=outcome,
        went_to_panel=went_to_panel,
        notes=(notes or "").strip() or None,
    )
    db.session.add(review)
    db.session.flush()
    return review


def update_review(
    review: AnnualReview, completed: date, outcome: ReviewOutcome, went_to_panel: bool, notes: str | None
) -> None:
    """Correct a review."""
    review.completed_date = completed
    review.outcome = outcome
    review.went_to_panel = went_to_panel
    review.notes = (notes or "").strip() or None


def record_placement(household: Household, child_reference: str, start: date, end: date | None) -> Placement:
    """A child placed with the household."""
    placement = Placement(household=household, child_reference=child_reference.strip(), start_date=start, end_date=end)
    db.session.add(placement)
    db.session.flush()
    return placement


def update_placement(placement: Placement, child_reference: str, start: date, end: date | None) -> None:
    """Correct a placement or record when it ended."""
    placement.child_reference = child_reference.strip()
    placement.start_date = start
    placement.end_date = end


# --- Staying put ---------------------------------------------------------------------------------


def start_staying_put(
    household: Household,
    young_person_reference: str,
    name: str,
    date_of_birth: date,
    start: date,
    planned_end: date | None,
    remains_approved: bool,
) -> StayingPut:
    """A new arrangement; the young person joins the household as an adult member (and needs DBS)."""
    member = add_member(household, name, date_of_birth, Relationship.STAYING_PUT, joined_date=start)
    arrangement = StayingPut(
        household=household,
        young_person_reference=young_person_reference.strip(),
        date_of_birth=date_of_birth,
        start_date=start,
        planned_end_date=planned_end,
        household_remains_approved=remains_approved,
        member=member,
    )
    db.session.add(arrangement)
    db.session.flush()
    return arrangement


def update_staying_put(
    arrangement: StayingPut,
    planned_end: date | None,
    end: date | None,
    end_reason: StayingPutEndReason | None,
    remains_approved: bool,
) -> None:
    """Change the plan or record the end; the young person leaves the household on the end date."""
    arrangement.planned_end_date = planned_end
    arrangement.end_date = end
    arrangement.end_reason = end_reason if end else None
    arrangement.household_remains_approved = remains_approved
    member = arrangement.member
    if member is not None and end is not None and (member.left_date is None or member.left_date > end):
        member.left_date = end


# --- Deregistration ------------------------------------------------------------------------------


def effective_date_for(reason: DeregistrationReason, notice: date | None, typed: date | None) -> date | None:
    """A resignation ends 28 days after notice (computed); any other ending on the date given."""
    if reason is DeregistrationReason.RESIGNED and notice is not None:
        return resignation_effective_date(notice)
    return typed


def deregister(
    household: Household, reason: DeregistrationReason, notice: date | None, effective: date | None
) -> date | None:
    """Record the end of approval; returns the date it takes effect."""
    household.deregistration_reason = reason
    household.deregistration_notice_date = notice
    household.deregistration_date = effective_date_for(reason, notice, effective)
    return household.deregistration_date


def withdraw_deregistration(household: Household) -> None:
    """The carers withdrew their notice (or it was recorded in error) before it took effect."""
    household.deregistration_reason = None
    household.deregistration_notice_date = None
    household.deregistration_date = None
