"""Assessments completed within 8 months, and approvals by month (the `timeliness` and `approvals-by-month`
reports; CONTRACTS.md sections 2 and 3)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select

from carertrack.cases.rules import recommendation_stop_date
from carertrack.clocks import eight_month_deadline
from carertrack.extensions import db
from carertrack.models.case import STOPPING_RECOMMENDATIONS, Case
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


def recommendation_within_sql() -> ColumnElement[bool]:
    """recommendation_within is True, in SQL: an approve / not-approve recommendation dated on or before the
    stored 8-month deadline (models.case keeps it as clocks.eight_month_deadline of the application date)."""
    stop = _stop_sql()
    return and_(
        Case.panel_recommendation.is_not(None),
        Case.panel_recommendation.in_(list(STOPPING_RECOMMENDATIONS)),
        Case.application_date.is_not(None),
        stop.is_not(None),
        stop <= Case.eight_month_deadline,
    )


# --- timeliness ----------------------------------------------------------------------------------


def _completed_in(params: ReportParams) -> list[ColumnElement[bool]]:
    """Assessments whose approve / not-approve recommendation fell in the year, up to the as-of date."""
    upto = min(params.as_of, params.period_end)
    return [
        Case.panel_recommendation.in_(list(STOPPING_RECOMMENDATIONS)),
        Case.application_date.is_not(None),
        dated_between(_stop_sql(), params.period_start, upto),
    ]


def _timeliness_row(case: Any) -> dict:
    """One completed assessment: when applied, when recommended, its deadline, the days and whether in time."""
    stop = recommendation_stop_date(case)
    return {
        "reference": case.reference,
        "carer_type": case.carer_type.value,
        "application_date": case.application_date,
        "recommendation_date": stop,
        "recommendation": case.panel_recommendation.value,
        "deadline": eight_month_deadline(case.application_date),
        "days": (stop - case.application_date).days,
        "within_timescale": recommendation_within(case),
    }


def _header(params: ReportParams) -> dict:
    return {
        "year": params.year_label,
        "period_start": params.period_start,
        "period_end": params.period_end,
        "as_of": params.as_of,
    }


def _figures(completed: dict, within: dict, days: dict[str, list[int]]) -> dict:
    return {
        "completed": completed,
        "within_timescale": within,
        "percent_within": {key: percent(within[key], completed[key]) for key in completed},
        "median_days": {key: median(values) for key, values in days.items()},
    }


def compute_timeliness(params: ReportParams) -> dict:
    """Assessments whose recommendation fell in the year (up to as-of), how many within 8 months, median days."""
    cases = load_cases(_completed_in(params))
    completed, within = zero_counts(), zero_counts()
    days: dict[str, list[int]] = {"mainstream": [], "connected": [], "total": []}
    rows = []
    for facts in cases:
        row = _timeliness_row(facts)
        tally(completed, facts.carer_type)
        if row["within_timescale"]:
            tally(within, facts.carer_type)
        days[bucket(facts.carer_type)].append(row["days"])
        days["total"].append(row["days"])
        rows.append(row)
    rows.sort(key=lambda row: (row["recommendation_date"], row["reference"]))
    return {**_header(params), **_figures(completed, within, days), "rows": rows}


def timeliness_page(params: ReportParams, offset: int, limit: int) -> dict:
    """compute_timeliness's document with only the rows from offset (limit of them), in its order
    (recommendation date, then reference). One narrow query gives every completed assessment's type, dates
    and SQL-counted timeliness (the medians need every duration) in that order; only the shown page's
    cases are loaded whole."""
    completed, within = zero_counts(), zero_counts()
    days: dict[str, list[int]] = {"mainstream": [], "connected": [], "total": []}
    ids: list[int] = []
    for case_id, carer_type, applied, stop, in_time in db.session.execute(
        select(Case.id, Case.carer_type, Case.application_date, _stop_sql(), recommendation_within_sql())
        .where(*_completed_in(params))
        .order_by(_stop_sql(), Case.reference)
    ):
        tally(completed, carer_type)
        if in_time:
            tally(within, carer_type)
        days[bucket(carer_type)].append((stop - applied).days)
        days["total"].append((stop - applied).days)
        ids.append(case_id)
    shown = ids[offset : offset + max(limit, 0)]
    # The shown cases, in the same statement whether or not the page has any.
    by_id = {facts.id: facts for facts in load_cases([Case.id.in_(shown)])}
    rows: list[dict] = [_timeliness_row(by_id[case_id]) for case_id in shown]
    return {**_header(params), **_figures(completed, within, days), "rows": rows, "row_count": len(ids)}


def timeliness_table(document: dict) -> Table:
    """Completed, within timescale, percent within and median days, by type."""
    measures = ("completed", "within_timescale", "percent_within", "median_days")
    return Table(
        ["measure", "mainstream", "connected", "total"],
        [[m, document[m]["mainstream"], document[m]["connected"], document[m]["total"]] for m in measures],
    )


# --- approvals-by-month --------------------------------------------------------------------------


def compute_approvals_by_month(params: ReportParams) -> dict:
    """Every month of the year: households approved (by approval date, imports included) and how many in time.

    Counted in SQL by approval date and type (at most a row a day and type), then added up by month."""
    upto = min(params.as_of, params.period_end)
    in_time = recommendation_within_sql()
    rows = db.session.execute(
        select(
            Household.approval_date,
            Household.carer_type,
            func.count(Household.id),
            func.count(case((in_time, 1))),
        )
        .outerjoin(Case, Case.id == Household.case_id)
        .where(dated_between(Household.approval_date, params.period_start, upto))
        .group_by(Household.approval_date, Household.carer_type)
    ).all()
    months = {month: {"month": month, **zero_counts(), "within_timescale": 0} for month in months_of_year(params.year)}
    for approval, carer_type, approved, within in rows:
        entry = months[f"{approval.year}-{approval.month:02d}"]
        tally(entry, carer_type, approved)
        entry["within_timescale"] += within
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
        page=timeliness_page,
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
