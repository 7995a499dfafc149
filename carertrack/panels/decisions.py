"""Outcomes, agency decisions, approval and qualifying determinations.

The panel's recommendation ends a case's 8-month clock (approve / not approve; a deferral does not);
the ADM's decision on an approval creates the approved household through the households area's
services, carrying over the applicants, household members, their Stage 1 DBS checks and the terms,
so nothing is typed twice. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from carertrack.cases.rules import age_on
from carertrack.cases.services import advance_stage
from carertrack.extensions import db
from carertrack.households import services as households
from carertrack.models.base import utcnow
from carertrack.models.case import Case, CaseDecision, PanelRecommendation
from carertrack.models.case_records import CaseMember, CheckKind, CheckOutcome, MemberRelation
from carertrack.models.dbs import DbsOutcome
from carertrack.models.household import (
    AnnualReview,
    CarerType,
    DeregistrationReason,
    Household,
    HouseholdMember,
    Relationship,
    ReviewOutcome,
)
from carertrack.models.panel import MeetingStatus
from carertrack.models.panel_agenda import (
    AdmDecision,
    AgendaItem,
    Decision,
    DeterminationKind,
    FinalDecision,
    ItemKind,
    QualifyingDetermination,
    Recommendation,
)
from carertrack.panels import rules
from carertrack.panels.services import PanelError

# --- The panel's recommendation ---------------------------------------------------------------------


@dataclass
class Terms:
    """Terms of approval: number of children, age range, placement types."""

    approved_places: int | None = None
    age_from: int | None = None
    age_to: int | None = None
    placement_types: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, item: AgendaItem) -> Terms:
        """The terms the panel recommended on an item."""
        return cls(item.approved_places, item.age_from, item.age_to, list(item.placement_types or []))


@dataclass
class OutcomeValues:
    """What the outcome form collects."""

    recommendation: Recommendation
    terms: Terms = field(default_factory=Terms)
    defer_reason: str | None = None
    notes: str | None = None
    minutes_received_on: date | None = None


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def record_outcome(item: AgendaItem, values: OutcomeValues, today: date) -> None:
    """The panel's recommendation on an item (and the minutes date), with its effect on the case or household."""
    meeting = item.meeting
    if not item.active:
        raise PanelError("This item was taken off the agenda. It has no outcome.")
    if meeting.status is not MeetingStatus.HELD:
        raise PanelError("Record who attended the meeting before recording its outcomes.")
    if meeting.quorate is False:
        # No business may be conducted by an inquorate panel: its items go to another meeting.
        raise PanelError("The meeting was not quorate, so the panel could not make a recommendation. Move the item.")
    if item.decision is not None:
        raise PanelError("The agency decision maker has decided on this item, so its outcome cannot be changed.")
    if values.minutes_received_on is not None:
        if values.minutes_received_on < meeting.meeting_date:
            raise PanelError(
                "The date the minutes were received must be the same as or after the meeting", "minutes_received_on"
            )
        if values.minutes_received_on > today:
            raise PanelError("The date the minutes were received must be today or in the past", "minutes_received_on")
    approve = values.recommendation is Recommendation.APPROVE
    with_terms = approve and item.kind in rules.TERMS_KINDS
    item.recommendation = values.recommendation
    item.recommendation_date = meeting.meeting_date
    item.approved_places = values.terms.approved_places if with_terms else None
    item.age_from = values.terms.age_from if with_terms else None
    item.age_to = values.terms.age_to if with_terms else None
    item.placement_types = (sorted(values.terms.placement_types) or None) if with_terms else None
    item.defer_reason = _clean(values.defer_reason) if values.recommendation is Recommendation.DEFER else None
    item.recommendation_notes = _clean(values.notes)
    item.minutes_received_on = values.minutes_received_on
    if item.case is not None:
        _outcome_on_case(item, item.case)
    elif item.household is not None and item.kind in rules.REVIEW_KINDS:
        _outcome_on_review(item, item.household)


def _outcome_on_case(item: AgendaItem, case: Case) -> None:
    day = item.recommendation_date
    if item.kind is ItemKind.REG25_EXTENSION:
        deferred = item.recommendation is Recommendation.DEFER
        case.extension_panel_views_date = None if deferred else day
        return
    if item.kind is ItemKind.BRIEF_REPORT and item.recommendation is Recommendation.APPROVE:
        # The panel does not accept the brief report: the full assessment goes on, its clock running.
        case.panel_recommendation = None
        case.recommendation_date = None
    else:
        case.panel_recommendation = PanelRecommendation(item.recommendation.value)
        case.recommendation_date = day
    case.panel_date = day
    advance_stage(case)


def _review_outcome(item: AgendaItem, household: Household) -> ReviewOutcome:
    if item.recommendation is Recommendation.NOT_APPROVE:
        return ReviewOutcome.TERMINATION_PROPOSED

    def terms(places, age_from, age_to, types):  # type: ignore[no-untyped-def]
        # No age limits on the household means 0 to 17, as the household pages read them.
        return places, 0 if age_from is None else age_from, 17 if age_to is None else age_to, sorted(types or [])

    current = terms(household.approved_places, household.age_from, household.age_to, household.placement_types)
    proposed = terms(item.approved_places, item.age_from, item.age_to, item.placement_types)
    return ReviewOutcome.CONTINUE if current == proposed else ReviewOutcome.CHANGE_OF_TERMS


def _outcome_on_review(item: AgendaItem, household: Household) -> None:
    """A review's panel outcome completes the household's annual review; a deferral leaves it open."""
    review = db.session.get(AnnualReview, item.annual_review_id) if item.annual_review_id else None
    if item.recommendation is Recommendation.DEFER:
        if review is not None:
            item.annual_review_id = None
            db.session.delete(review)
        return
    notes = f"{item.kind.label} at the panel of {item.recommendation_date:%d/%m/%Y}: " + rules.recommendation_label(
        item.kind, item.recommendation
    )
    outcome = _review_outcome(item, household)
    if review is None:
        review = households.record_review(household, item.recommendation_date, outcome, True, notes)
        item.annual_review_id = review.id
    else:
        households.update_review(review, item.recommendation_date, outcome, True, notes)


# --- The agency decision maker's decision ------------------------------------------------------------


@dataclass
class DecisionValues:
    """What the decision form collects."""

    decision: Decision
    decided_on: date
    decision_maker: str
    notes: str | None = None
    letter_date: date | None = None
    extension_weeks: int | None = None


def record_decision(item: AgendaItem, values: DecisionValues, today: date) -> AdmDecision:
    """The ADM's decision, with its effects: approval creates the household; refusals open a determination."""
    if item.decision is not None:
        raise PanelError("The agency decision maker's decision on this item is already recorded.")
    if not rules.needs_decision(item):
        raise PanelError("Only a recommendation to approve or not to approve waits for a decision.")
    if item.minutes_received_on is None:
        raise PanelError("Record the date the final minutes were received before recording the decision.")
    if values.decided_on < rules.adm_trigger(item):
        raise PanelError(
            "The decision date must be the same as or after the recommendation and the final minutes", "decided_on"
        )
    if values.decided_on > today:
        raise PanelError("The decision date must be today or in the past", "decided_on")
    if values.letter_date is not None and values.letter_date < values.decided_on:
        raise PanelError("The letter date must be the same as or after the decision", "letter_date")
    if item.kind is ItemKind.REG25_EXTENSION and values.decision is Decision.APPROVED:
        if values.extension_weeks is None or not 1 <= values.extension_weeks <= 8:
            raise PanelError("Enter the length of the extension, from 1 to 8 weeks", "extension_weeks")
    decision = AdmDecision(
        item=item,
        decision=values.decision,
        decided_on=values.decided_on,
        decision_maker=values.decision_maker.strip(),
        notes=_clean(values.notes),
    )
    db.session.add(decision)
    item.updated_at = utcnow()  # a new version, so a second decision form opened earlier is refused
    if item.case is not None:
        _decision_on_case(item, item.case, values)
    elif item.household is not None:
        _decision_on_household(item, item.household, values)
    kind = rules.determination_kind(item, values.decision)
    if kind is not None:
        db.session.add(QualifyingDetermination(decision=decision, kind=kind, letter_date=values.letter_date))
    db.session.flush()
    return decision


def _decision_on_case(item: AgendaItem, case: Case, values: DecisionValues) -> None:
    if item.kind is ItemKind.REG25_EXTENSION:
        if values.decision is Decision.APPROVED:
            case.extension_granted_date = values.decided_on
            case.extension_weeks = values.extension_weeks
            case.extension_nominated_officer = values.decision_maker.strip()
        return
    if item.kind is ItemKind.BRIEF_REPORT and values.decision is Decision.APPROVED:
        return  # the assessment continues; there is nothing to decide on the case yet
    case.decision = CaseDecision(values.decision.value)
    case.decision_date = values.decided_on
    if values.decision is Decision.APPROVED:
        create_household_from_case(case, Terms.of(item), values.decided_on)
    advance_stage(case)


def _decision_on_household(item: AgendaItem, household: Household, values: DecisionValues) -> None:
    # Approval ends on a termination only when the determination is final (see record_determination).
    if values.decision is Decision.APPROVED and item.kind in (rules.REVIEW_KINDS | {ItemKind.CHANGE_OF_TERMS}):
        _apply_terms(household, item)


def _apply_terms(household: Household, item: AgendaItem) -> None:
    details = households.HouseholdDetails(
        carer_type=household.carer_type,
        approval_date=household.approval_date,
        address=household.address,
        postcode=household.postcode,
        supervising_worker_id=household.supervising_worker_id,
        approved_places=item.approved_places,
        age_from=item.age_from,
        age_to=item.age_to,
        placement_types=list(item.placement_types or []),
    )
    households.update_household(household, details)


# --- Approval: the case becomes an approved household --------------------------------------------------


def _relationship_for(member: CaseMember, on: date) -> Relationship:
    """The household relationship of a case's household member, by how they are related and their age."""
    child = member.date_of_birth is not None and age_on(member.date_of_birth, on) < 18
    if member.relation is MemberRelation.CHILD:
        return Relationship.BIRTH_CHILD if child or member.date_of_birth is None else Relationship.ADULT_CHILD
    if member.relation is MemberRelation.LODGER:
        return Relationship.LODGER
    return Relationship.OTHER_CHILD if child else Relationship.OTHER_ADULT


def _address(case: Case) -> str | None:
    lines = [line.strip() for line in (case.address_line_1, case.address_line_2, case.town) if line and line.strip()]
    return "\n".join(lines) or None


def create_household_from_case(case: Case, terms: Terms, approval_date: date, *, flush: bool = True) -> Household:
    """The approved household, from the case: reference, applicants as carers, members, Stage 1 DBS and terms.

    The one way a case becomes a household: the ADM's approval here, and the households demo and the
    spreadsheet import. The import passes flush=False (its cases have no members or checks to carry
    over) and flushes all its households at once.
    """
    details = households.HouseholdDetails(
        carer_type=CarerType(case.carer_type.value),
        approval_date=approval_date,
        address=_address(case),
        postcode=case.postcode,
        supervising_worker_id=case.allocated_worker_id,
        approved_places=terms.approved_places,
        age_from=terms.age_from,
        age_to=terms.age_to,
        placement_types=list(terms.placement_types or []),
    )
    applicants = sorted((a for a in case.applicants if a.name and a.name.strip()), key=lambda a: a.position)
    try:
        household = households.create_household(
            case.reference, details, [(a.name, a.date_of_birth) for a in applicants], case_id=case.id, flush=flush
        )
    except households.DuplicateReference as exc:
        raise PanelError(f"{exc}. The approved household could not be created.") from exc
    people: dict[tuple[str, int], HouseholdMember] = {}
    for applicant, carer in zip(applicants, household.carers, strict=True):
        people[("applicant", applicant.id)] = carer
    for member in case.members:
        if member.lives_there:
            people[("member", member.id)] = households.add_member(
                household, member.name, member.date_of_birth, _relationship_for(member, approval_date), approval_date
            )
    for check in case.checks:
        if check.kind is not CheckKind.DBS or check.received_date is None:
            continue
        if check.outcome in (None, CheckOutcome.NOT_APPLICABLE):
            continue
        person = people.get(("applicant", check.applicant_id)) or people.get(("member", check.member_id))
        if person is None:
            continue
        households.record_dbs_check(
            person,
            households.DbsDetails(
                certificate_number=None,
                issue_date=check.received_date,
                outcome=DbsOutcome.CLEAR if check.outcome is CheckOutcome.SATISFACTORY else DbsOutcome.DISCLOSED,
            ),
        )
    return household


# --- Qualifying determinations -------------------------------------------------------------------------


@dataclass
class DeterminationValues:
    """What the determination form collects."""

    letter_date: date | None
    representations_received_on: date | None = None
    irm_applied_on: date | None = None
    final_decision: FinalDecision | None = None
    final_decision_date: date | None = None
    notes: str | None = None


def record_determination(determination: QualifyingDetermination, values: DeterminationValues, today: date) -> None:
    """The letter, representations, IRM application and final decision; a confirmed termination ends approval."""
    if not determination.is_open:
        raise PanelError("The final decision is recorded. This determination is closed.")
    decided_on = determination.decision.decided_on
    checks = [
        ("letter_date", values.letter_date, decided_on, "The letter date must be the same as or after the decision"),
        (
            "representations_received_on",
            values.representations_received_on,
            values.letter_date,
            "Representations must be received on or after the letter date",
        ),
        (
            "irm_applied_on",
            values.irm_applied_on,
            values.letter_date,
            "The IRM application must be on or after the letter date",
        ),
        (
            "final_decision_date",
            values.final_decision_date,
            values.letter_date,
            "The final decision must be on or after the letter date",
        ),
    ]
    for name, value, earliest, message in checks:
        if value is None:
            continue
        if earliest is not None and value < earliest:
            raise PanelError(message, name)
        if value > today:
            raise PanelError("The date must be today or in the past", name)
    if values.final_decision is not None and values.letter_date is None:
        raise PanelError("Enter the date of the letter before recording the final decision", "letter_date")
    determination.letter_date = values.letter_date
    determination.representations_received_on = values.representations_received_on
    determination.irm_applied_on = values.irm_applied_on
    determination.final_decision = values.final_decision
    determination.final_decision_date = values.final_decision_date if values.final_decision else None
    determination.notes = _clean(values.notes)
    household = determination.item.household
    if (
        determination.kind is DeterminationKind.TERMINATION
        and values.final_decision is FinalDecision.CONFIRMED
        and household is not None
        and household.deregistration_date is None
    ):
        households.deregister(household, DeregistrationReason.TERMINATED, None, values.final_decision_date)
