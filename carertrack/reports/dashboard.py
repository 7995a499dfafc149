"""The manager's dashboard and home panel: the quarterly report's figures on one date, from the reports
themselves (every figure here is the same one the report pages, CSV, JSON and command give)."""

from __future__ import annotations

from datetime import date
from typing import Any

from carertrack.reports import REPORTS
from carertrack.reports.assessment import status_counts
from carertrack.reports.chart import GrowthChart, growth_chart
from carertrack.reports.periods import year_containing
from carertrack.reports.registry import ReportParams, Table


def compute_dashboard(as_of: date) -> dict[str, Any]:
    """Every report the dashboard shows, as of the date; year reports for the reporting year containing it."""
    on_date = ReportParams(as_of=as_of)
    in_year = ReportParams(as_of=as_of, year=year_containing(as_of))
    documents = {name: REPORTS[name].compute(on_date) for name in ("summary", "households")}
    # Row reports: their figures only (a page of no rows), never every row.
    documents |= {name: _figures(name, on_date) for name in ("in-assessment", "breaches", "dbs", "staying-put")}
    documents |= {name: REPORTS[name].compute(in_year) for name in ("net-growth", "approvals-by-month")}
    documents["timeliness"] = _figures("timeliness", in_year)
    chart: GrowthChart = growth_chart(documents["net-growth"])
    return {
        "as_of": as_of,
        "year": in_year.year,
        "documents": documents,
        "assessment_status": status_counts(documents["in-assessment"]),
        "chart": chart,
    }


def _figures(name: str, params: ReportParams) -> dict:
    """A row report's document with its headline figures and no rows."""
    report = REPORTS[name]
    if report.page is None:
        return report.compute(params)
    return report.page(params, 0, 0)


def breach_table(document: dict) -> Table:
    """Breaches and clocks at risk counted by clock (the dashboard's table)."""
    rows = [[clock, counts["breached"], counts["at_risk"]] for clock, counts in document["by_clock"].items()]
    rows.append(["total", document["breached"], document["at_risk"]])
    return Table(["clock", "breached", "at_risk"], rows)
