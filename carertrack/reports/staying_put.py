"""Staying-put arrangements running on a date (the `staying-put` report; CONTRACTS.md section 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from carertrack.compliance import ending_within_days, staying_put_active, staying_put_ends
from carertrack.extensions import db
from carertrack.models.household import Household
from carertrack.models.staying_put import StayingPut
from carertrack.reports.facts import not_happened_by
from carertrack.reports.registry import ReportDef, ReportParams, Table, register, sliced

ENDING_DAYS = 90  # CONTRACTS.md section 3: "ending within 90 days"
COLUMNS = (
    "household_reference",
    "young_person_reference",
    "date_of_birth",
    "start_date",
    "ends_on",
    "days_to_end",
    "ending_within_90_days",
)


@dataclass
class ArrangementFacts:
    """The columns of an arrangement that the staying-put rules read."""

    household_reference: str
    young_person_reference: str
    date_of_birth: date
    start_date: date
    planned_end_date: date | None
    end_date: date | None


def active_arrangements(as_of: date) -> list[ArrangementFacts]:
    """Arrangements active on as_of (compliance.staying_put_active), by household and young person."""
    rows = db.session.execute(
        select(
            Household.reference.label("household_reference"),
            StayingPut.young_person_reference,
            StayingPut.date_of_birth,
            StayingPut.start_date,
            StayingPut.planned_end_date,
            StayingPut.end_date,
        )
        .join(Household, Household.id == StayingPut.household_id)
        .where(StayingPut.start_date <= as_of, not_happened_by(StayingPut.end_date, as_of))
        .order_by(Household.reference, StayingPut.young_person_reference, StayingPut.id)
    ).all()
    arrangements = [ArrangementFacts(**row._mapping) for row in rows]
    return [a for a in arrangements if staying_put_active(a, as_of)]


def compute(params: ReportParams) -> dict:
    """Active arrangements and those ending (the earlier of the end date and the 21st birthday) within 90 days."""
    as_of = params.as_of
    rows = []
    for arrangement in active_arrangements(as_of):
        ends = staying_put_ends(arrangement)
        rows.append(
            {
                "household_reference": arrangement.household_reference,
                "young_person_reference": arrangement.young_person_reference,
                "date_of_birth": arrangement.date_of_birth,
                "start_date": arrangement.start_date,
                "ends_on": ends,
                "days_to_end": (ends - as_of).days,
                "ending_within_90_days": ending_within_days(arrangement, as_of, ENDING_DAYS),
            }
        )
    return {
        "as_of": as_of,
        "active": len(rows),
        "ending_within_90_days": sum(1 for row in rows if row["ending_within_90_days"]),
        "rows": rows,
    }


def table(document: dict) -> Table:
    """One active arrangement a row."""
    return Table(
        list(COLUMNS),
        [
            [("yes" if row[c] else "no") if c == "ending_within_90_days" else row[c] for c in COLUMNS]
            for row in document["rows"]
        ],
    )


register(
    ReportDef(
        name="staying-put",
        title="Staying put",
        kind="as_of",
        description="Active staying-put arrangements and those ending within 90 days.",
        compute=compute,
        table=table,
        page=sliced(compute, "rows"),
    )
)
