"""The service at a glance on a date (the `summary` report; CONTRACTS.md sections 2 and 3)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, or_, select

from carertrack.cases.queries import enquiry_open_sql, in_assessment_sql, on_temporary_approval_sql
from carertrack.cases.rules import ClockSettings, reg24_clock
from carertrack.clocks import ClockStatus
from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.reports.facts import CaseFacts, happened_by, not_happened_by
from carertrack.reports.households import household_counts
from carertrack.reports.registry import ReportDef, ReportParams, Table, register
from carertrack.reports.staying_put import active_arrangements


def on_temporary_approval(case: CaseFacts, as_of: date, settings: ClockSettings) -> bool:
    """A regulation 24 placement running on as_of: started, no ADM decision or closure yet, not past its deadline.

    An expired one is a breach (the breaches report), not a temporary approval.
    """
    clock = reg24_clock(case, as_of, settings)
    return clock is not None and clock.running and clock.status is not ClockStatus.BREACHED


def case_counts(as_of: date, settings: ClockSettings) -> dict[str, int]:
    """Temporary approvals, cases in assessment and open enquiries on as_of, counted in one SQL query."""
    row = db.session.execute(
        select(
            func.count(case((on_temporary_approval_sql(as_of, settings), 1))),
            func.count(case((in_assessment_sql(as_of), 1))),
            func.count(case((enquiry_open_sql(as_of), 1))),
        ).where(
            # Each of the three needs something dated by as_of: the narrowest superset the indexes serve.
            or_(
                happened_by(Case.enquiry_date, as_of),
                happened_by(Case.application_date, as_of),
                happened_by(Case.placement_date, as_of),
            ),
            not_happened_by(Case.closed_date, as_of),
        )
    ).one()
    return {"temporary_approvals": row[0], "in_assessment": row[1], "enquiries_open": row[2]}


def compute(params: ReportParams) -> dict:
    """Households approved, temporary approvals, staying put, in assessment and open enquiries on the date."""
    as_of = params.as_of
    counts = case_counts(as_of, ClockSettings.current())
    return {
        "as_of": as_of,
        "households": household_counts(as_of),
        "temporary_approvals": counts["temporary_approvals"],
        "staying_put": len(active_arrangements(as_of)),
        "in_assessment": counts["in_assessment"],
        "enquiries_open": counts["enquiries_open"],
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
