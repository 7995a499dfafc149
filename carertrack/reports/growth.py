"""Net household growth in a reporting year against the target (the `net-growth` report; CONTRACTS.md 2 and 3)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select

from carertrack.cases.queries import in_assessment_sql, planned_panel_sql
from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.household import Household
from carertrack.reports.facts import dated_between, tally, zero_counts
from carertrack.reports.periods import months_of_year
from carertrack.reports.registry import ReportDef, ReportParams, Table, register
from carertrack.settings import get_setting

MEASURES = ("approved", "deregistered", "net", "approved_and_deregistered", "projected_net")


def _month(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def target_to_date(target: int, months_elapsed: int) -> float:
    """The target's straight-line trajectory after so many months of the year, half-up to one decimal."""
    value = (Decimal(target) * months_elapsed / 12).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def projected_approvals(as_of: date, period_end: date) -> dict[str, int]:
    """Cases in assessment on as_of heading for a panel (predicted or booked) from as_of to the year's end."""
    counts = zero_counts()
    if as_of > period_end:
        return counts
    planned = planned_panel_sql()  # rules.planned_panel_date
    rows = db.session.execute(
        select(Case.carer_type, func.count(Case.id))
        .where(in_assessment_sql(as_of), planned.is_not(None), planned >= as_of, planned <= period_end)
        .group_by(Case.carer_type)
    ).all()
    for carer_type, n in rows:
        tally(counts, carer_type, n)
    return counts


def compute(params: ReportParams) -> dict:
    """Approved, deregistered and net in the year up to the as-of date, month by month, and the projection."""
    as_of, start, end = params.as_of, params.period_start, params.period_end
    upto = min(as_of, end)
    rows = db.session.execute(
        select(Household.carer_type, Household.approval_date, Household.deregistration_date).where(
            or_(
                dated_between(Household.approval_date, start, upto),
                dated_between(Household.deregistration_date, start, upto),
            )
        )
    ).all()
    approved, deregistered, both = zero_counts(), zero_counts(), zero_counts()
    month_approved = dict.fromkeys(months_of_year(params.year), 0)
    month_deregistered = dict.fromkeys(months_of_year(params.year), 0)
    for carer_type, approval, deregistration in rows:
        approved_in = approval is not None and start <= approval <= upto
        deregistered_in = deregistration is not None and start <= deregistration <= upto
        if approved_in:
            tally(approved, carer_type)
            month_approved[_month(approval)] += 1
        if deregistered_in:
            tally(deregistered, carer_type)
            month_deregistered[_month(deregistration)] += 1
        if approved_in and deregistered_in:
            tally(both, carer_type)
    net = {key: approved[key] - deregistered[key] for key in approved}
    projected = projected_approvals(as_of, end)
    target = int(get_setting("net_growth_target"))
    months = []
    cumulative = 0
    for index, month in enumerate(months_of_year(params.year)):
        known = month <= _month(upto)
        cumulative += month_approved[month] - month_deregistered[month]
        months.append(
            {
                "month": month,
                "approved": month_approved[month] if known else None,
                "deregistered": month_deregistered[month] if known else None,
                "net": month_approved[month] - month_deregistered[month] if known else None,
                "cumulative_net": cumulative if known else None,
                "target_to_date": target_to_date(target, index + 1),
            }
        )
    return {
        "year": params.year_label,
        "period_start": start,
        "period_end": end,
        "as_of": as_of,
        "target": target,
        "approved": approved,
        "deregistered": deregistered,
        "net": net,
        "approved_and_deregistered": both,
        "projected_approvals": projected,
        "projected_net": {key: net[key] + projected[key] for key in net},
        "months": months,
    }


def table(document: dict) -> Table:
    """Approved, deregistered, net, approved-and-deregistered and projected net by type; then the target."""
    rows = [[m, document[m]["mainstream"], document[m]["connected"], document[m]["total"]] for m in MEASURES]
    rows.append(["target", None, None, document["target"]])
    return Table(["measure", "mainstream", "connected", "total"], rows)


register(
    ReportDef(
        name="net-growth",
        title="Net household growth",
        kind="year",
        description="Households approved and deregistered in the year, net growth against the target, projection.",
        compute=compute,
        table=table,
    )
)
