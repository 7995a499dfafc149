"""Hand-built records for the report tests. Call inside `with app.app_context(), acting_as("test setup"):`
and commit at the end; every helper flushes and returns the record's id (never a live object)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from carertrack.extensions import db
from carertrack.models.case import (
    CarerType as CaseType,
)
from carertrack.models.case import (
    Case,
    CaseDecision,
    ClosedReason,
    EnquirySource,
    PanelRecommendation,
)
from carertrack.models.case_records import CaseApplicant, Delay
from carertrack.models.dbs import DbsCheck, DbsStatusCheck, StatusCheckResult
from carertrack.models.household import (
    CarerType,
    DeregistrationReason,
    Household,
    HouseholdMember,
    MemberRole,
    Placement,
)
from carertrack.models.panel import MeetingStatus, PanelMeeting
from carertrack.models.panel_agenda import (
    AdmDecision,
    AgendaItem,
    Decision,
    DeterminationKind,
    ItemKind,
    QualifyingDetermination,
    Recommendation,
)
from carertrack.models.staying_put import StayingPut


def d(text: str) -> date:
    """date.fromisoformat, short."""
    return date.fromisoformat(text)


def _flush(record: Any) -> int:
    db.session.add(record)
    db.session.flush()
    return record.id


def case(
    reference: str,
    carer_type: str = "mainstream",
    applicants: tuple[str, ...] = ("Test Applicant",),
    *,
    delays: tuple[tuple[str, str], ...] = (),
    **values: Any,
) -> int:
    """A case. Dates may be given as 'YYYY-MM-DD'; delays as (reason, start)."""
    for key, value in list(values.items()):
        if isinstance(value, str) and key.endswith("_date"):
            values[key] = d(value)
    if isinstance(values.get("panel_recommendation"), str):
        values["panel_recommendation"] = PanelRecommendation(values["panel_recommendation"])
    if isinstance(values.get("decision"), str):
        values["decision"] = CaseDecision(values["decision"])
    if isinstance(values.get("closed_reason"), str):
        values["closed_reason"] = ClosedReason(values["closed_reason"])
    if isinstance(values.get("enquiry_source"), str):
        values["enquiry_source"] = EnquirySource(values["enquiry_source"])
    record = Case(reference=reference, carer_type=CaseType(carer_type), **values)
    for position, name in enumerate(applicants, start=1):
        record.applicants.append(CaseApplicant(position=position, name=name))
    for reason, start in delays:
        record.delays.append(Delay(reason=reason, start_date=d(start)))
    return _flush(record)


def household(
    reference: str,
    carer_type: str = "mainstream",
    approval_date: str = "2020-01-01",
    *,
    deregistration_date: str | None = None,
    deregistration_reason: str | None = None,
    approved_places: int | None = None,
    case_id: int | None = None,
    on_hold_reason: str | None = None,
    on_hold_since: str | None = None,
) -> int:
    """An approved household."""
    return _flush(
        Household(
            reference=reference,
            carer_type=CarerType(carer_type),
            approval_date=d(approval_date),
            deregistration_date=d(deregistration_date) if deregistration_date else None,
            deregistration_reason=DeregistrationReason(deregistration_reason) if deregistration_reason else None,
            approved_places=approved_places,
            case_id=case_id,
            on_hold_reason=on_hold_reason,
            on_hold_since=d(on_hold_since) if on_hold_since else None,
        )
    )


def member(
    household_id: int,
    name: str,
    role: str = "carer",
    *,
    date_of_birth: str | None = None,
    joined: str | None = None,
    left: str | None = None,
) -> int:
    """A household member."""
    return _flush(
        HouseholdMember(
            household=db.session.get(Household, household_id),
            name=name,
            role=MemberRole(role),
            date_of_birth=d(date_of_birth) if date_of_birth else None,
            joined_date=d(joined) if joined else None,
            left_date=d(left) if left else None,
        )
    )


def dbs_check(
    member_id: int, issue_date: str, *, update_service: bool = False, status_checks: tuple[str, ...] = ()
) -> int:
    """A DBS certificate, with Update Service checks that found no change."""
    check = DbsCheck(
        member=db.session.get(HouseholdMember, member_id), issue_date=d(issue_date), update_service=update_service
    )
    for checked_on in status_checks:
        check.status_checks.append(DbsStatusCheck(checked_on=d(checked_on), result=StatusCheckResult.NO_CHANGE))
    return _flush(check)


def placement(household_id: int, child: str, start: str, end: str | None = None) -> int:
    """A child placed with a household."""
    return _flush(
        Placement(
            household=db.session.get(Household, household_id),
            child_reference=child,
            start_date=d(start),
            end_date=d(end) if end else None,
        )
    )


def staying_put(household_id: int, young_person: str, date_of_birth: str, start: str, end: str | None = None) -> int:
    """A staying-put arrangement."""
    return _flush(
        StayingPut(
            household=db.session.get(Household, household_id),
            young_person_reference=young_person,
            date_of_birth=d(date_of_birth),
            start_date=d(start),
            end_date=d(end) if end else None,
        )
    )


def meeting(meeting_date: str, status: str = "scheduled") -> int:
    """A panel meeting."""
    return _flush(
        PanelMeeting(meeting_date=d(meeting_date), start_time=time(10, 0), capacity=6, status=MeetingStatus(status))
    )


def item(
    meeting_id: int,
    presenter_id: int,
    *,
    case_id: int | None = None,
    household_id: int | None = None,
    kind: str | None = None,
    papers: str | None = None,
    withdrawn: str | None = None,
    recommendation: str | None = None,
    recommended: str | None = None,
    minutes: str | None = None,
) -> int:
    """An agenda item about a case or a household."""
    kind = kind or ("new_approval" if case_id else "first_annual_review")
    return _flush(
        AgendaItem(
            meeting=db.session.get(PanelMeeting, meeting_id),
            presenter_id=presenter_id,
            case=db.session.get(Case, case_id) if case_id else None,
            household=db.session.get(Household, household_id) if household_id else None,
            kind=ItemKind(kind),
            papers_received_on=d(papers) if papers else None,
            withdrawn_on=d(withdrawn) if withdrawn else None,
            recommendation=Recommendation(recommendation) if recommendation else None,
            recommendation_date=d(recommended) if recommended else None,
            minutes_received_on=d(minutes) if minutes else None,
        )
    )


def decision(item_id: int, decided_on: str, outcome: str = "approved") -> int:
    """The ADM's decision on an item."""
    return _flush(
        AdmDecision(
            item=db.session.get(AgendaItem, item_id),
            decision=Decision(outcome),
            decided_on=d(decided_on),
            decision_maker="Agency Decider",
        )
    )


def determination(decision_id: int, letter: str | None, *, representations: str | None = None) -> int:
    """A qualifying determination (a termination) and its letter."""
    return _flush(
        QualifyingDetermination(
            decision=db.session.get(AdmDecision, decision_id),
            kind=DeterminationKind.TERMINATION,
            letter_date=d(letter) if letter else None,
            representations_received_on=d(representations) if representations else None,
        )
    )


def run_report(app: Any, name: str, as_of: str, year: int | None = None) -> dict:
    """The report's document, computed in its own app context (as the command does)."""
    from carertrack.reports import REPORTS
    from carertrack.reports.registry import ReportParams

    with app.app_context():
        return REPORTS[name].compute(ReportParams(as_of=d(as_of), year=year))
