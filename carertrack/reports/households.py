"""Approved households on a date: by type, places, children placed and vacancies (the `households` report)."""

from __future__ import annotations

from datetime import date

from carertrack.compliance import HouseholdStatus, household_status, placement_active, vacancies
from carertrack.models.household import CarerType
from carertrack.reports.facts import approved_on, bucket, load_households, placements_by_household, zero_counts
from carertrack.reports.registry import ReportDef, ReportParams, Table, register

FIGURES = ("households", "on_hold", "approved_places", "children_placed", "vacancies", "households_with_vacancy")
# Types in the order the page lists them: the three Ofsted counts as mainstream, then connected.
TYPE_ORDER = (CarerType.MAINSTREAM, CarerType.SHORT_BREAKS, CarerType.PARENT_AND_CHILD, CarerType.CONNECTED)


def household_counts(as_of: date) -> dict[str, int]:
    """Households approved on as_of, in Ofsted's buckets (the summary's `households`)."""
    return compute(ReportParams(as_of=as_of))["households"]


def compute(params: ReportParams) -> dict:
    """Approved households on the as-of date with their places, children placed and vacancies."""
    as_of = params.as_of
    households = load_households([approved_on(as_of)])
    placements = placements_by_household(as_of)
    by_type = {t: dict.fromkeys(FIGURES, 0) for t in TYPE_ORDER}
    buckets = {figure: zero_counts() for figure in FIGURES}
    for household in households:
        running = [p for p in placements.get(household.id, []) if placement_active(p, as_of)]
        free = vacancies(household, running, as_of)
        values = {
            "households": 1,
            "on_hold": int(household_status(household, as_of) is HouseholdStatus.ON_HOLD),
            "approved_places": household.approved_places or 0,
            "children_placed": len(running),
            # A household over its approval does not make room elsewhere: only free places count.
            "vacancies": max(free or 0, 0),
            "households_with_vacancy": int((free or 0) > 0),
        }
        for figure, value in values.items():
            by_type[household.carer_type][figure] += value
            buckets[figure][bucket(household.carer_type)] += value
            buckets[figure]["total"] += value
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
