"""The annual fostering data return for a reporting year: one CSV row of the counts a local authority
returns to Ofsted (the `annual-return` report). docs/reports.md defines every column."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select

from carertrack.cases.rules import ClockSettings
from carertrack.extensions import db
from carertrack.models.case import Case, CaseDecision, ClosedReason
from carertrack.models.household import CarerType, DeregistrationReason, Household
from carertrack.models.staying_put import StayingPut
from carertrack.reports.facts import (
    dated_between,
    happened_by,
    load_cases,
    load_households,
    not_happened_by,
    tally,
    zero_counts,
)
from carertrack.reports.households import compute as households_compute
from carertrack.reports.registry import ReportDef, ReportParams, Table, register
from carertrack.reports.staying_put import active_arrangements
from carertrack.reports.summary import on_temporary_approval, open_cases

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


def _cases_figures(params: ReportParams, snapshot: date) -> dict:
    """Enquiries, applications and their outcomes in the year; applications in progress at the snapshot."""
    start = params.period_start
    cases = load_cases(
        [
            or_(
                dated_between(Case.enquiry_date, start, snapshot),
                dated_between(Case.application_date, start, snapshot),
                dated_between(Case.decision_date, start, snapshot),
                dated_between(Case.closed_date, start, snapshot),
                and_(
                    happened_by(Case.application_date, snapshot),
                    not_happened_by(Case.closed_date, snapshot),
                    not_happened_by(Case.decision_date, snapshot),
                ),
            )
        ]
    )

    def within(day: date | None) -> bool:
        return day is not None and start <= day <= snapshot

    figures: dict = {"enquiries": sum(1 for c in cases if within(c.enquiry_date))}
    received, approved, refused, in_progress = zero_counts(), zero_counts(), zero_counts(), zero_counts()
    closed = dict.fromkeys(ClosedReason, 0)
    for case in cases:
        if within(case.application_date):
            tally(received, case.carer_type)
        if within(case.decision_date):
            tally(approved if case.decision == CaseDecision.APPROVED else refused, case.carer_type)
        applied_first = case.application_date is not None and (
            case.closed_date is None or case.application_date <= case.closed_date
        )
        if within(case.closed_date) and case.closed_reason is not None and applied_first:
            closed[case.closed_reason] += 1
        if (
            case.application_date is not None
            and case.application_date <= snapshot
            and not (case.closed_date is not None and case.closed_date <= snapshot)
            and not (case.decision_date is not None and case.decision_date <= snapshot)
        ):
            tally(in_progress, case.carer_type)
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
    """Households approved and deregistered in the year (deregistrations by reason)."""
    start = params.period_start
    households = load_households(
        [
            or_(
                dated_between(Household.approval_date, start, snapshot),
                dated_between(Household.deregistration_date, start, snapshot),
            )
        ]
    )
    approved, deregistered = zero_counts(), zero_counts()
    reasons = {reason.value: 0 for reason in DeregistrationReason} | {"reason_not_recorded": 0}
    for household in households:
        if start <= household.approval_date <= snapshot:
            tally(approved, household.carer_type)
        ended = household.deregistration_date
        if ended is not None and start <= ended <= snapshot:
            tally(deregistered, household.carer_type)
            reasons[
                household.deregistration_reason.value if household.deregistration_reason else "reason_not_recorded"
            ] += 1
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
        "temporary_approvals_31_march": sum(
            1 for case in open_cases(snapshot) if on_temporary_approval(case, snapshot, settings)
        ),
        "staying_put_31_march": len(active_arrangements(snapshot)),
    }


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
