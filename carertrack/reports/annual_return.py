"""The annual fostering data return for a reporting year: one CSV row of the counts a local authority
returns to Ofsted (the `annual-return` report). docs/reports.md defines every column."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, not_, or_, select

from carertrack.cases.queries import on_temporary_approval_sql
from carertrack.cases.rules import ClockSettings
from carertrack.extensions import db
from carertrack.models.case import Case, CaseDecision, ClosedReason
from carertrack.models.household import CarerType, DeregistrationReason, Household
from carertrack.models.staying_put import StayingPut
from carertrack.reports.facts import dated_between, happened_by, not_happened_by, tally, zero_counts
from carertrack.reports.households import compute as households_compute
from carertrack.reports.registry import ReportDef, ReportParams, Table, register
from carertrack.reports.staying_put import active_arrangements

AW_CODES = (ClosedReason.AW1, ClosedReason.AW2, ClosedReason.AW3, ClosedReason.AW4, ClosedReason.AW5, ClosedReason.AW0)
SERVICE_REASONS = tuple(reason for reason in ClosedReason if reason not in AW_CODES)
BY_TYPE = ("mainstream", "connected", "total")


def _typed(name: str) -> list[str]:
    return [f"{name}_{suffix}" for suffix in BY_TYPE]


# Every column of the CSV, in order. The definitions are in docs/reports.md ("The annual return").
COLUMNS: list[str] = [
    "year",
    "period_start",
    "period_end",
    "as_of",
    "snapshot_date",
    "enquiries",
    *_typed("applications_received"),
    *_typed("applications_approved"),
    *_typed("applications_not_approved"),
    *(f"applications_withdrawn_{code.value.lower()}" for code in AW_CODES),
    "applications_withdrawn_total",
    *(f"applications_closed_{reason.value}" for reason in SERVICE_REASONS),
    "applications_closed_by_service_total",
    *_typed("applications_in_progress"),
    *_typed("households_approved"),
    *_typed("households_deregistered"),
    *(f"deregistered_{reason.value}" for reason in DeregistrationReason),
    "deregistered_reason_not_recorded",
    *_typed("households_at_31_march"),
    "households_at_31_march_short_breaks",
    "households_at_31_march_parent_and_child",
    "approved_places_31_march",
    "filled_places_31_march",
    "vacant_places_31_march",
    "temporary_approvals_31_march",
    "staying_put_31_march",
    "staying_put_started_in_year",
]


def _count_when(*conditions: ColumnElement[bool]) -> Any:
    return func.count(case((and_(*conditions), 1)))


def _cases_figures(params: ReportParams, snapshot: date) -> dict:
    """Enquiries, applications and their outcomes in the year; applications in progress at the snapshot.
    Counted in SQL: one GROUP BY by type and closure reason."""
    start = params.period_start
    decided_in = dated_between(Case.decision_date, start, snapshot)
    approved_decision = and_(Case.decision.is_not(None), Case.decision == CaseDecision.APPROVED)
    in_progress_sql = and_(
        happened_by(Case.application_date, snapshot),
        not_happened_by(Case.closed_date, snapshot),
        not_happened_by(Case.decision_date, snapshot),
    )
    closed_after_application = and_(
        dated_between(Case.closed_date, start, snapshot),
        Case.closed_reason.is_not(None),
        Case.application_date.is_not(None),
        Case.application_date <= Case.closed_date,
    )
    enquiries = 0
    received, approved, refused, in_progress = zero_counts(), zero_counts(), zero_counts(), zero_counts()
    closed = dict.fromkeys(ClosedReason, 0)
    for carer_type, reason, *counts in db.session.execute(
        select(
            Case.carer_type,
            Case.closed_reason,
            _count_when(dated_between(Case.enquiry_date, start, snapshot)),
            _count_when(dated_between(Case.application_date, start, snapshot)),
            _count_when(decided_in, approved_decision),
            _count_when(decided_in, not_(approved_decision)),
            _count_when(in_progress_sql),
            _count_when(closed_after_application),
        )
        .where(
            or_(
                dated_between(Case.enquiry_date, start, snapshot),
                dated_between(Case.application_date, start, snapshot),
                decided_in,
                in_progress_sql,
                closed_after_application,
            )
        )
        .group_by(Case.carer_type, Case.closed_reason)
    ):
        enquiries += counts[0]
        for figure, n in zip((received, approved, refused, in_progress), counts[1:5], strict=True):
            tally(figure, carer_type, n)
        if reason is not None:
            closed[ClosedReason(reason)] += counts[5]
    figures: dict = {"enquiries": enquiries}
    for name, counts in (
        ("applications_received", received),
        ("applications_approved", approved),
        ("applications_not_approved", refused),
        ("applications_in_progress", in_progress),
    ):
        figures.update({f"{name}_{suffix}": counts[suffix] for suffix in BY_TYPE})
    for code in AW_CODES:
        figures[f"applications_withdrawn_{code.value.lower()}"] = closed[code]
    figures["applications_withdrawn_total"] = sum(closed[code] for code in AW_CODES)
    for reason in SERVICE_REASONS:
        figures[f"applications_closed_{reason.value}"] = closed[reason]
    figures["applications_closed_by_service_total"] = sum(closed[reason] for reason in SERVICE_REASONS)
    return figures


def _household_figures(params: ReportParams, snapshot: date) -> dict:
    """Households approved and deregistered in the year (deregistrations by reason): one GROUP BY query."""
    start = params.period_start
    approved_in = dated_between(Household.approval_date, start, snapshot)
    deregistered_in = dated_between(Household.deregistration_date, start, snapshot)
    approved, deregistered = zero_counts(), zero_counts()
    reasons = {reason.value: 0 for reason in DeregistrationReason} | {"reason_not_recorded": 0}
    for carer_type, reason, n_approved, n_deregistered in db.session.execute(
        select(
            Household.carer_type,
            Household.deregistration_reason,
            _count_when(approved_in),
            _count_when(deregistered_in),
        )
        .where(or_(approved_in, deregistered_in))
        .group_by(Household.carer_type, Household.deregistration_reason)
    ):
        tally(approved, carer_type, n_approved)
        tally(deregistered, carer_type, n_deregistered)
        reasons[DeregistrationReason(reason).value if reason else "reason_not_recorded"] += n_deregistered
    figures = {f"households_approved_{s}": approved[s] for s in BY_TYPE}
    figures |= {f"households_deregistered_{s}": deregistered[s] for s in BY_TYPE}
    figures |= {f"deregistered_{reason}": count for reason, count in reasons.items()}
    return figures


def _snapshot_figures(params: ReportParams, snapshot: date) -> dict:
    """Households, places, temporary approvals and staying put on the snapshot date."""
    places = households_compute(ReportParams(as_of=snapshot))
    types = {entry["carer_type"]: entry for entry in places["by_type"]}
    settings = ClockSettings.current()
    return {
        **{f"households_at_31_march_{s}": places["households"][s] for s in BY_TYPE},
        "households_at_31_march_short_breaks": types[CarerType.SHORT_BREAKS.value]["households"],
        "households_at_31_march_parent_and_child": types[CarerType.PARENT_AND_CHILD.value]["households"],
        "approved_places_31_march": places["approved_places"]["total"],
        "filled_places_31_march": places["children_placed"]["total"],
        "vacant_places_31_march": places["vacancies"]["total"],
        "temporary_approvals_31_march": _temporary_approvals(snapshot, settings),
        "staying_put_31_march": len(active_arrangements(snapshot)),
    }


def _temporary_approvals(snapshot: date, settings: ClockSettings) -> int:
    """Connected carers on temporary approval on the snapshot date (the summary report's figure, by the same
    rule, on_temporary_approval_sql): counted alone, so the regulation 24 deadline's index serves it."""
    return db.session.scalar(select(func.count(Case.id)).where(on_temporary_approval_sql(snapshot, settings)))


def _staying_put_started(params: ReportParams, snapshot: date) -> int:
    return db.session.scalar(
        select(func.count(StayingPut.id)).where(dated_between(StayingPut.start_date, params.period_start, snapshot))
    )


def compute(params: ReportParams) -> dict:
    """The return's columns for the year. Before the year is over, counts run to the as-of date and the
    '31 March' figures are taken on it (snapshot_date says which)."""
    snapshot = min(params.as_of, params.period_end)
    document = {
        "year": params.year_label,
        "period_start": params.period_start,
        "period_end": params.period_end,
        "as_of": params.as_of,
        "snapshot_date": snapshot,
        **_cases_figures(params, snapshot),
        **_household_figures(params, snapshot),
        **_snapshot_figures(params, snapshot),
        "staying_put_started_in_year": _staying_put_started(params, snapshot),
    }
    return {column: document[column] for column in COLUMNS}


def table(document: dict) -> Table:
    """The CSV: one header row of column names, one row of values."""
    return Table(list(COLUMNS), [[document[c] for c in COLUMNS]])


def display(document: dict) -> Table:
    """For people: one column a row."""
    return Table(["column", "value"], [[c, document[c]] for c in COLUMNS])


register(
    ReportDef(
        name="annual-return",
        title="Annual fostering data return",
        kind="year",
        description="The counts returned to Ofsted for a reporting year, as one CSV row.",
        compute=compute,
        table=table,
        display=display,
    )
)
