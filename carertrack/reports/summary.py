"""The service at a glance on a date (the `summary` report; CONTRACTS.md sections 2 and 3)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_

from carertrack.cases.rules import ClockSettings, enquiry_open, reg24_clock
from carertrack.clocks import ClockStatus
from carertrack.models.case import CarerType, Case
from carertrack.reports.assessment import cases_in_assessment
from carertrack.reports.facts import CaseFacts, happened_by, load_cases, not_happened_by
from carertrack.reports.households import household_counts
from carertrack.reports.registry import ReportDef, ReportParams, Table, register
from carertrack.reports.staying_put import active_arrangements


def on_temporary_approval(case: CaseFacts, as_of: date, settings: ClockSettings) -> bool:
    """A regulation 24 placement running on as_of: started, no ADM decision or closure yet, not past its deadline.

    An expired one is a breach (the breaches report), not a temporary approval.
    """
    clock = reg24_clock(case, as_of, settings)
    return clock is not None and clock.running and clock.status is not ClockStatus.BREACHED


def open_cases(as_of: date) -> list[CaseFacts]:
    """Cases not closed by as_of that are an open enquiry or have a regulation 24 placement (a superset)."""
    return load_cases(
        [
            not_happened_by(Case.closed_date, as_of),
            or_(
                and_(happened_by(Case.enquiry_date, as_of), not_happened_by(Case.application_date, as_of)),
                and_(
                    Case.carer_type == CarerType.CONNECTED,
                    happened_by(Case.placement_date, as_of),
                    not_happened_by(Case.decision_date, as_of),
                ),
            ),
        ]
    )


def compute(params: ReportParams) -> dict:
    """Households approved, temporary approvals, staying put, in assessment and open enquiries on the date."""
    as_of = params.as_of
    settings = ClockSettings.current()
    cases = open_cases(as_of)
    return {
        "as_of": as_of,
        "households": household_counts(as_of),
        "temporary_approvals": sum(1 for case in cases if on_temporary_approval(case, as_of, settings)),
        "staying_put": len(active_arrangements(as_of)),
        "in_assessment": len(cases_in_assessment(as_of)),
        "enquiries_open": sum(1 for case in cases if enquiry_open(case, as_of)),
    }


def table(document: dict) -> Table:
    """One figure a row."""
    households = document["households"]
    return Table(
        ["figure", "value"],
        [
            ["households_mainstream", households["mainstream"]],
            ["households_connected", households["connected"]],
            ["households_total", households["total"]],
            ["temporary_approvals", document["temporary_approvals"]],
            ["staying_put", document["staying_put"]],
            ["in_assessment", document["in_assessment"]],
            ["enquiries_open", document["enquiries_open"]],
        ],
    )


register(
    ReportDef(
        name="summary",
        title="Summary",
        kind="as_of",
        description="Households, temporary approvals, staying put, in assessment and open enquiries.",
        compute=compute,
        table=table,
    )
)
