"""Assessments completed within 8 months, and approvals by month (the `timeliness` and `approvals-by-month`
reports; CONTRACTS.md sections 2 and 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from carertrack.cases.rules import recommendation_stop_date
from carertrack.clocks import eight_month_deadline
from carertrack.extensions import db
from carertrack.models.case import STOPPING_RECOMMENDATIONS, Case, PanelRecommendation
from carertrack.models.household import Household
from carertrack.reports.facts import bucket, dated_between, load_cases, tally, zero_counts
from carertrack.reports.periods import median, months_of_year, percent
from carertrack.reports.registry import ReportDef, ReportParams, Table, register

QUARTERS = (
    ("Q1", "April to June"),
    ("Q2", "July to September"),
    ("Q3", "October to December"),
    ("Q4", "January to March"),
)


def recommendation_within(case: Any) -> bool | None:
    """True when the approve / not-approve recommendation came on or before the 8-month deadline.

    None when there is no such recommendation or no application date to time it from.
    """
    stop = recommendation_stop_date(case)
    if stop is None or case.application_date is None:
        return None
    return stop <= eight_month_deadline(case.application_date)


def _stop_sql() -> Any:
    """recommendation_stop_date's date in SQL: the recommendation's date, else the panel's."""
    return func.coalesce(Case.recommendation_date, Case.panel_date)


# --- timeliness ----------------------------------------------------------------------------------


def compute_timeliness(params: ReportParams) -> dict:
    """Assessments whose recommendation fell in the year (up to as-of), how many within 8 months, median days."""
    upto = min(params.as_of, params.period_end)
    cases = load_cases(
        [
            Case.panel_recommendation.in_(list(STOPPING_RECOMMENDATIONS)),
            Case.application_date.is_not(None),
            dated_between(_stop_sql(), params.period_start, upto),
        ]
    )
    completed, within = zero_counts(), zero_counts()
    days: dict[str, list[int]] = {"mainstream": [], "connected": [], "total": []}
    rows = []
    for case in cases:
        stop = recommendation_stop_date(case)
        in_time = recommendation_within(case)
        elapsed = (stop - case.application_date).days
        tally(completed, case.carer_type)
        if in_time:
            tally(within, case.carer_type)
        days[bucket(case.carer_type)].append(elapsed)
        days["total"].append(elapsed)
        rows.append(
            {
                "reference": case.reference,
                "carer_type": case.carer_type.value,
                "application_date": case.application_date,
                "recommendation_date": stop,
                "recommendation": case.panel_recommendation.value,
                "deadline": eight_month_deadline(case.application_date),
                "days": elapsed,
                "within_timescale": in_time,
            }
        )
    rows.sort(key=lambda row: (row["recommendation_date"], row["reference"]))
    return {
        "year": params.year_label,
        "period_start": params.period_start,
        "period_end": params.period_end,
        "as_of": params.as_of,
        "completed": completed,
        "within_timescale": within,
        "percent_within": {key: percent(within[key], completed[key]) for key in completed},
        "median_days": {key: median(values) for key, values in days.items()},
        "rows": rows,
    }


def timeliness_table(document: dict) -> Table:
    """Completed, within timescale, percent within and median days, by type."""
    measures = ("completed", "within_timescale", "percent_within", "median_days")
    return Table(
        ["measure", "mainstream", "connected", "total"],
        [[m, document[m]["mainstream"], document[m]["connected"], document[m]["total"]] for m in measures],
    )


# --- approvals-by-month --------------------------------------------------------------------------


@dataclass
class _Assessment:
    """What recommendation_within reads of a household's assessment."""

    application_date: date | None
    panel_recommendation: PanelRecommendation | None
    recommendation_date: date | None
    panel_date: date | None


def compute_approvals_by_month(params: ReportParams) -> dict:
    """Every month of the year: households approved (by approval date, imports included) and how many in time."""
    upto = min(params.as_of, params.period_end)
    rows = db.session.execute(
        select(
            Household.approval_date,
            Household.carer_type,
            Case.application_date,
            Case.panel_recommendation,
            Case.recommendation_date,
            Case.panel_date,
        )
        .outerjoin(Case, Case.id == Household.case_id)
        .where(dated_between(Household.approval_date, params.period_start, upto))
    ).all()
    months = {month: {"month": month, **zero_counts(), "within_timescale": 0} for month in months_of_year(params.year)}
    for approval, carer_type, application, recommendation, recommended_on, panel_on in rows:
        entry = months[f"{approval.year}-{approval.month:02d}"]
        tally(entry, carer_type)
        if recommendation_within(_Assessment(application, recommendation, recommended_on, panel_on)):
            entry["within_timescale"] += 1
    ordered = list(months.values())
    quarters = []
    for index, (name, label) in enumerate(QUARTERS):
        three = ordered[index * 3 : index * 3 + 3]
        quarters.append(
            {
                "quarter": name,
                "months": label,
                **{key: sum(m[key] for m in three) for key in ("mainstream", "connected", "total", "within_timescale")},
            }
        )
    totals = {key: sum(m[key] for m in ordered) for key in ("mainstream", "connected", "total", "within_timescale")}
    return {
        "year": params.year_label,
        "period_start": params.period_start,
        "period_end": params.period_end,
        "as_of": params.as_of,
        "months": ordered,
        "quarters": quarters,
        "totals": totals,
    }


def approvals_table(document: dict) -> Table:
    """The twelve months, April first."""
    columns = ("month", "mainstream", "connected", "total", "within_timescale")
    return Table(list(columns), [[m[c] for c in columns] for m in document["months"]])


register(
    ReportDef(
        name="timeliness",
        title="Timeliness of assessments",
        kind="year",
        description="Assessments whose recommendation fell in the year: how many within 8 months, median days.",
        compute=compute_timeliness,
        table=timeliness_table,
    )
)
register(
    ReportDef(
        name="approvals-by-month",
        title="Approvals by month",
        kind="year",
        description="Households approved each month, mainstream and connected, and how many within 8 months.",
        compute=compute_approvals_by_month,
        table=approvals_table,
    )
)
