"""Every clock at risk or breached on a date (the `breaches` report; CONTRACTS.md sections 2 and 3).

The case clocks (8 months, regulation 24, first contact) come from carertrack/cases/rules.py; the panel
clocks (papers to panel, ADM decision, IRM window) from carertrack/panels/rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from carertrack.cases.rules import ClockSettings, case_clocks
from carertrack.clocks import Clock, ClockStatus
from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.household import Household
from carertrack.models.panel import MeetingStatus, PanelMeeting
from carertrack.models.panel_agenda import AdmDecision, AgendaItem, QualifyingDetermination, Recommendation
from carertrack.panels.rules import adm_clock, irm_clock, papers_clock, papers_deadline_for
from carertrack.reports.facts import delay_reason_on, happened_by, load_cases, not_happened_by
from carertrack.reports.registry import ReportDef, ReportParams, Table, register

COLUMNS = ("reference", "clock", "deadline", "status", "reason")
CLOCK_ORDER = ("eight_month", "reg24", "first_contact", "papers", "adm", "irm")
FLAGGED = (ClockStatus.AT_RISK, ClockStatus.BREACHED)


def _row(reference: str, clock: Clock, reason: str | None) -> dict:
    return {
        "reference": reference,
        "clock": clock.key,
        "deadline": clock.deadline,
        "status": clock.status.value if clock.status else None,
        "reason": reason,
        "clock_name": clock.name,
        "days_left": clock.days_left,
    }


def case_rows(as_of: date, settings: ClockSettings) -> list[dict]:
    """8-month, regulation 24 and first-contact clocks of the cases open on as_of."""
    cases = load_cases(
        [
            not_happened_by(Case.closed_date, as_of),
            not_happened_by(Case.decision_date, as_of),
            or_(
                happened_by(Case.enquiry_date, as_of),
                happened_by(Case.application_date, as_of),
                happened_by(Case.placement_date, as_of),
            ),
        ],
        delays=True,
    )
    rows = []
    for case in cases:
        for clock in case_clocks(case, as_of, settings):
            if clock.status in FLAGGED:
                rows.append(_row(case.reference, clock, delay_reason_on(case, as_of)))
    return rows


@dataclass
class _ItemFacts:
    """What the panel clocks read of an agenda item, as things stood on the as-of date."""

    recommendation: Recommendation | None
    recommendation_date: date | None
    minutes_received_on: date | None
    papers_received_on: date | None
    active: bool
    decision: Any = None


@dataclass
class _DecisionFacts:
    decided_on: date


@dataclass
class _DeterminationFacts:
    letter_date: date | None
    representations_received_on: date | None
    irm_applied_on: date | None
    final_decision_date: date | None


def _subject_reference() -> tuple[Any, Any, Any]:
    """The reference of an item's case or household, and the aliases to join for it."""
    case, household = aliased(Case), aliased(Household)
    return func.coalesce(case.reference, household.reference).label("reference"), case, household


def papers_rows(as_of: date) -> list[dict]:
    """Papers to panel for items on meetings from as_of on (not cancelled, not withdrawn by then)."""
    reference, case, household = _subject_reference()
    rows = db.session.execute(
        select(reference, PanelMeeting.meeting_date, AgendaItem.papers_received_on)
        .join(PanelMeeting, PanelMeeting.id == AgendaItem.meeting_id)
        .outerjoin(case, case.id == AgendaItem.case_id)
        .outerjoin(household, household.id == AgendaItem.household_id)
        .where(
            PanelMeeting.meeting_date >= as_of,
            PanelMeeting.status != MeetingStatus.CANCELLED,
            not_happened_by(AgendaItem.withdrawn_on, as_of),
        )
    ).all()
    result = []
    for ref, meeting_date, received in rows:
        facts = _ItemFacts(None, None, None, received, True)
        clock = papers_clock(facts, papers_deadline_for(meeting_date), as_of)  # type: ignore[arg-type]
        if clock.status in FLAGGED:
            result.append(_row(ref, clock, None))
    return result


def adm_rows(as_of: date) -> list[dict]:
    """ADM decisions awaited on as_of: recommendation and final minutes in by then, no decision by then."""
    reference, case, household = _subject_reference()
    rows = db.session.execute(
        select(
            reference,
            AgendaItem.recommendation,
            AgendaItem.recommendation_date,
            AgendaItem.minutes_received_on,
            AgendaItem.papers_received_on,
            AgendaItem.withdrawn_on,
        )
        .outerjoin(AdmDecision, AdmDecision.item_id == AgendaItem.id)
        .outerjoin(case, case.id == AgendaItem.case_id)
        .outerjoin(household, household.id == AgendaItem.household_id)
        .where(
            AgendaItem.recommendation.in_([Recommendation.APPROVE, Recommendation.NOT_APPROVE]),
            happened_by(AgendaItem.recommendation_date, as_of),
            happened_by(AgendaItem.minutes_received_on, as_of),
            not_happened_by(AdmDecision.decided_on, as_of),
        )
    ).all()
    result = []
    for ref, recommendation, recommended_on, minutes_on, papers_on, withdrawn_on in rows:
        active = withdrawn_on is None or withdrawn_on > as_of
        facts = _ItemFacts(recommendation, recommended_on, minutes_on, papers_on, active)
        clock = adm_clock(facts, as_of)  # type: ignore[arg-type]
        if clock is not None and clock.status in FLAGGED:
            result.append(_row(ref, clock, None))
    return result


def irm_rows(as_of: date) -> list[dict]:
    """IRM windows of qualifying determinations whose letter had gone by as_of."""
    reference, case, household = _subject_reference()
    rows = db.session.execute(
        select(
            reference,
            QualifyingDetermination.letter_date,
            QualifyingDetermination.representations_received_on,
            QualifyingDetermination.irm_applied_on,
            QualifyingDetermination.final_decision_date,
        )
        .join(AdmDecision, AdmDecision.id == QualifyingDetermination.decision_id)
        .join(AgendaItem, AgendaItem.id == AdmDecision.item_id)
        .outerjoin(case, case.id == AgendaItem.case_id)
        .outerjoin(household, household.id == AgendaItem.household_id)
        .where(happened_by(QualifyingDetermination.letter_date, as_of))
    ).all()
    result = []
    for ref, *dates in rows:
        clock = irm_clock(_DeterminationFacts(*dates), as_of)  # type: ignore[arg-type]
        if clock is not None and clock.status in FLAGGED:
            result.append(_row(ref, clock, None))
    return result


def compute(params: ReportParams) -> dict:
    """Every clock at risk or breached: breached first, then the nearest deadline."""
    as_of = params.as_of
    rows = case_rows(as_of, ClockSettings.current()) + papers_rows(as_of) + adm_rows(as_of) + irm_rows(as_of)
    rows.sort(key=lambda r: (r["status"] != ClockStatus.BREACHED.value, r["deadline"], r["reference"], r["clock"]))
    counts = {key: {"at_risk": 0, "breached": 0} for key in CLOCK_ORDER}
    for row in rows:
        counts.setdefault(row["clock"], {"at_risk": 0, "breached": 0})[row["status"]] += 1
    return {
        "as_of": as_of,
        "breached": sum(1 for r in rows if r["status"] == ClockStatus.BREACHED.value),
        "at_risk": sum(1 for r in rows if r["status"] == ClockStatus.AT_RISK.value),
        "by_clock": counts,
        "rows": rows,
    }


def table(document: dict) -> Table:
    """One clock a row."""
    return Table(list(COLUMNS), [[row[c] for c in COLUMNS] for row in document["rows"]])


register(
    ReportDef(
        name="breaches",
        title="Breaches and clocks at risk",
        kind="as_of",
        description="Every clock at risk or breached, with its deadline and the recorded reason.",
        compute=compute,
        table=table,
    )
)
