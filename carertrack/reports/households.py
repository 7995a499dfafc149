"""Approved households on a date: by type, places, children placed and vacancies (the `households` report)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select

from carertrack.extensions import db
from carertrack.models.household import CarerType, Household, Placement
from carertrack.reports.facts import approved_on, on_hold_on, placement_active_on, tally, zero_counts
from carertrack.reports.registry import ReportDef, ReportParams, Table, register

FIGURES = ("households", "on_hold", "approved_places", "children_placed", "vacancies", "households_with_vacancy")
# Types in the order the page lists them: the three Ofsted counts as mainstream, then connected.
TYPE_ORDER = (CarerType.MAINSTREAM, CarerType.SHORT_BREAKS, CarerType.PARENT_AND_CHILD, CarerType.CONNECTED)


def household_counts(as_of: date) -> dict[str, int]:
    """Households approved on as_of, in Ofsted's buckets (the summary's `households`): one GROUP BY."""
    counts = zero_counts()
    rows = db.session.execute(
        select(Household.carer_type, func.count(Household.id)).where(approved_on(as_of)).group_by(Household.carer_type)
    ).all()
    for carer_type, n in rows:
        tally(counts, carer_type, n)
    return counts


def _figures_by_type(as_of: date) -> list[Any]:
    """Each figure summed per household type, in SQL: the rules of `compute`'s docstring, row by row."""
    placed = (
        select(Placement.household_id, func.count(Placement.id).label("children"))
        .where(placement_active_on(as_of))
        .group_by(Placement.household_id)
        .subquery()
    )
    children = func.coalesce(placed.c.children, 0)
    # compliance.vacancies: approved places minus children placed; None (counted as 0) with no terms.
    free = Household.approved_places - children
    return db.session.execute(
        select(
            Household.carer_type,
            func.count(Household.id),
            func.count(case((on_hold_on(as_of), 1))),
            func.coalesce(func.sum(func.coalesce(Household.approved_places, 0)), 0),
            func.coalesce(func.sum(children), 0),
            # A household over its approval does not make room elsewhere: only free places count.
            func.coalesce(func.sum(case((free > 0, free), else_=0)), 0),
            func.count(case((free > 0, 1))),
        )
        .outerjoin(placed, placed.c.household_id == Household.id)
        .where(approved_on(as_of))
        .group_by(Household.carer_type)
    ).all()


def compute(params: ReportParams) -> dict:
    """Approved households on the as-of date with their places, children placed and vacancies.

    Per household: on hold (compliance.household_status), approved places (none counts 0), children
    placed (compliance.placement_active), vacancies (compliance.vacancies, never below 0) and whether
    it has one; summed by type in SQL.
    """
    as_of = params.as_of
    by_type = {t: dict.fromkeys(FIGURES, 0) for t in TYPE_ORDER}
    buckets = {figure: zero_counts() for figure in FIGURES}
    for carer_type, *values in _figures_by_type(as_of):
        for figure, value in zip(FIGURES, values, strict=True):
            by_type[CarerType(carer_type)][figure] += int(value)
            tally(buckets[figure], carer_type, int(value))
    return {
        "as_of": as_of,
        **buckets,
        "by_type": [{"carer_type": t.value, **by_type[t]} for t in TYPE_ORDER],
    }


def table(document: dict) -> Table:
    """One row per household type, then the total."""
    rows = [[entry["carer_type"], *(entry[f] for f in FIGURES)] for entry in document["by_type"]]
    rows.append(["total", *(document[f]["total"] for f in FIGURES)])
    return Table(["carer_type", *FIGURES], rows)


register(
    ReportDef(
        name="households",
        title="Households, children placed and vacancies",
        kind="as_of",
        description="Approved households by type with their places, children placed and vacancies.",
        compute=compute,
        table=table,
    )
)
