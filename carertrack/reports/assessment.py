"""The applicants in assessment on a date (the `in-assessment` report; CONTRACTS.md sections 2 and 3)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select

from carertrack.cases.queries import in_assessment_sql, timescale_sql
from carertrack.cases.rules import (
    ClockSettings,
    applicant_display,
    in_assessment,
    planned_panel_date,
    timescale_status,
    urgency_key,
)
from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.reports.facts import CaseFacts, delay_reason_on, happened_by, load_cases, not_happened_by
from carertrack.reports.registry import ReportDef, ReportParams, Table, register

COLUMNS = (
    "reference",
    "carer_type",
    "applicant",
    "allocated_date",
    "predicted_panel_date",
    "days_allocation_to_predicted_panel",
    "delay_reason",
    "timescale_status",
)


def cases_in_assessment(as_of: date) -> list[CaseFacts]:
    """Every case in assessment on as_of (rules.in_assessment), with applicants and delays, by reference."""
    candidates = load_cases(
        [happened_by(Case.application_date, as_of), not_happened_by(Case.closed_date, as_of)],
        applicants=True,
        delays=True,
    )
    return [case for case in candidates if in_assessment(case, as_of)]


def assessment_row(case: CaseFacts, as_of: date, settings: ClockSettings) -> dict:
    """One case's row: who, when allocated, when heading for panel, the delay and the timescale status."""
    allocated = case.allocated_date if case.allocated_date is not None and case.allocated_date <= as_of else None
    predicted = planned_panel_date(case)
    status = timescale_status(case, as_of, settings)
    return {
        "reference": case.reference,
        "carer_type": case.carer_type.value,
        "applicant": applicant_display(case),
        "allocated_date": allocated,
        "predicted_panel_date": predicted,
        "days_allocation_to_predicted_panel": (predicted - allocated).days if allocated and predicted else None,
        "delay_reason": delay_reason_on(case, as_of),
        "timescale_status": status.value if status is not None else None,
        "application_date": case.application_date,
        "eight_month_deadline": case.eight_month_deadline,
    }


def compute(params: ReportParams) -> dict:
    """The in-assessment rows, most urgent first (breached, at risk, on track), then by reference."""
    as_of = params.as_of
    settings = ClockSettings.current()
    cases = cases_in_assessment(as_of)
    statuses = {case.id: timescale_status(case, as_of, settings) for case in cases}
    cases.sort(key=lambda c: (urgency_key(statuses[c.id], None)[0], c.reference))
    return {"as_of": as_of, "rows": [assessment_row(case, as_of, settings) for case in cases]}


def counts_on(as_of: date, settings: ClockSettings) -> dict[str, int]:
    """In assessment on as_of, and how many breached, at risk and on track: one SQL query."""
    sql = timescale_sql(as_of, settings)
    row = db.session.execute(
        select(
            func.count(Case.id),
            func.count(case((sql.breached, 1))),
            func.count(case((sql.at_risk, 1))),
            func.count(case((sql.on_track, 1))),
        ).where(in_assessment_sql(as_of))
    ).one()
    return {"in_assessment": row[0], "breached": row[1], "at_risk": row[2], "on_track": row[3]}


def page(params: ReportParams, offset: int, limit: int) -> dict:
    """The document for one page: the counts of every row, and only the rows from offset (limit of them),
    in compute's order (rules.urgency_key's status rank, then reference) taken in SQL."""
    as_of = params.as_of
    settings = ClockSettings.current()
    counts = counts_on(as_of, settings)
    # The page's cases, in the same statements whether or not the page has any.
    ids = list(
        db.session.scalars(
            select(Case.id)
            .where(in_assessment_sql(as_of))
            .order_by(timescale_sql(as_of, settings).urgency_rank(), Case.reference)
            .offset(offset)
            .limit(max(limit, 0))
        )
    )
    by_id = {c.id: c for c in load_cases([Case.id.in_(ids)], applicants=True, delays=True)}
    rows: list[dict] = [assessment_row(by_id[case_id], as_of, settings) for case_id in ids]
    return {
        "as_of": as_of,
        "rows": rows,
        "row_count": counts["in_assessment"],
        "status_counts": {key: counts[key] for key in ("on_track", "at_risk", "breached")},
    }


def status_counts(document: dict) -> dict[str, int]:
    """How many rows are on track, at risk and breached (a page's document carries them for every row)."""
    if "status_counts" in document:
        return dict(document["status_counts"])
    counts = {"on_track": 0, "at_risk": 0, "breached": 0}
    for row in document["rows"]:
        if row["timescale_status"] in counts:
            counts[row["timescale_status"]] += 1
    return counts


def table(document: dict) -> Table:
    """The rows, in the contract's column order."""
    return Table(list(COLUMNS), [[row[c] for c in COLUMNS] for row in document["rows"]])


register(
    ReportDef(
        name="in-assessment",
        title="Applicants in assessment",
        kind="as_of",
        description="Every application received, not closed and not yet recommended, with its timescale status.",
        compute=compute,
        table=table,
        page=page,
    )
)
