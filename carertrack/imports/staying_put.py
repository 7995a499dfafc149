"""The `staying-put` import: arrangements with former foster households (Children Act 1989 s23CZA).

The same rules as the staying-put pages (from 18, ending by the 21st birthday at the latest). The
import creates arrangements only: the young person as a household member comes from the people
import (CONTRACTS.md section 3). An `end_date` after today is a planned end. An arrangement CarerTrack
holds (same household and young person's reference) is left unchanged when the row matches it and
refused when it differs.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import func, select

from carertrack.cases.validation import date_of_birth_error
from carertrack.compliance import staying_put_end_error, staying_put_start_error
from carertrack.extensions import db
from carertrack.formatting import format_date
from carertrack.imports.base import CREATE, UNCHANGED, Importer, Progress, RowPlan, chunks, differences, listed
from carertrack.imports.columns import Column, RowError, a_date, one_of, text
from carertrack.models.household import Household
from carertrack.models.staying_put import StayingPut, StayingPutEndReason

COLUMNS = (
    Column("household_reference", "the household reference", text(40), required=True),
    Column("young_person_reference", "the young person's reference", text(40), required=True),
    Column("date_of_birth", "the young person's date of birth", a_date(), required=True),
    Column("start_date", "the start date", a_date(), required=True),
    Column("end_date", "the end date", a_date()),
    Column("end_reason", "the end reason", one_of(StayingPutEndReason)),
)
COMPARED = ("date_of_birth", "start_date", "end_date", "end_reason")
END_REASONS = ", ".join(reason.value for reason in StayingPutEndReason)


def stored_values(arrangement: StayingPut) -> dict[str, Any]:
    """A stored arrangement in the import's columns, to compare a row with."""
    return {
        "date_of_birth": arrangement.date_of_birth,
        "start_date": arrangement.start_date,
        "end_date": arrangement.end_date,
        "end_reason": arrangement.end_reason.value if arrangement.end_reason else None,
    }


class StayingPutImport(Importer):
    """Staying-put arrangements."""

    kind = "staying-put"
    columns = COLUMNS
    record_names: ClassVar[dict[str, tuple[str, str]]] = {
        "arrangements": ("staying-put arrangement", "staying-put arrangements"),
    }

    def load(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        references = sorted(
            {values["household_reference"].upper() for _, values in rows if values["household_reference"]}
        )
        self.households: dict[str, Household] = {}
        for chunk in chunks(references):
            statement = select(Household).where(func.upper(Household.reference).in_(chunk))
            for household in db.session.scalars(statement):
                self.households[household.reference.upper()] = household
        self.existing: dict[tuple[int, str], StayingPut] = {}
        for chunk in chunks([household.id for household in self.households.values()]):
            for arrangement in db.session.scalars(select(StayingPut).where(StayingPut.household_id.in_(chunk))):
                self.existing[(arrangement.household_id, arrangement.young_person_reference.upper())] = arrangement
        self.seen: dict[tuple[str, str], int] = {}

    def check(self, row: int, values: dict[str, Any], unreadable: set[str]) -> tuple[list[RowError], RowPlan | None]:
        errors: list[RowError] = []

        def error(column: str, message: str) -> None:
            if column not in unreadable:
                errors.append(RowError(row, column, message))

        reference, young_person = values["household_reference"], values["young_person_reference"]
        household = self.households.get(reference.upper()) if reference else None
        if reference and household is None:
            error(
                "household_reference",
                f"There is no household with reference {reference}. Import the households first, or correct the reference",
            )
        if reference and young_person:
            key = (reference.upper(), young_person.upper())
            if key in self.seen:
                error(
                    "young_person_reference",
                    f"The arrangement for {young_person} with household {reference} is also on row {self.seen[key]}. "
                    "Put each arrangement on one row",
                )
            else:
                self.seen[key] = row
        self._check_dates(values, error)
        if errors or unreadable or household is None:
            return errors, None
        existing = self.existing.get((household.id, young_person.upper()))
        if existing is not None:
            changed = differences(stored_values(existing), values, COMPARED)
            if changed:
                error(
                    "young_person_reference",
                    f"The arrangement for {young_person} with household {household.reference} is already in CarerTrack "
                    f"with different details: {listed(changed)}. The import never changes an arrangement: "
                    "correct the row, or remove it",
                )
                return errors, None
            return errors, RowPlan(row, UNCHANGED, f"Staying put: {young_person} is already in CarerTrack")
        summary = (
            f"Staying put: {young_person} with household {household.reference} from {values['start_date'].isoformat()}"
        )
        return errors, RowPlan(row, CREATE, summary, {"arrangements": 1}, payload=(household, values))

    def _check_dates(self, values: dict[str, Any], error: Any) -> None:
        born, start, end = values["date_of_birth"], values["start_date"], values["end_date"]
        if message := date_of_birth_error(born, self.today):
            error("date_of_birth", message)
        if message := staying_put_start_error(start, born):
            error("start_date", message)
        if message := staying_put_end_error(end, born):
            error("end_date", message)
        elif end is not None and start is not None and end <= start:
            error("end_date", f"The end date must be after the start date, {format_date(start)}")
        # A past end needs its reason, as on the page; an end still to come is a planned end.
        if end is not None and end <= self.today and values["end_reason"] is None:
            error("end_reason", f"Enter why the arrangement ended: {END_REASONS}")
        if values["end_reason"] is not None and end is None:
            error("end_date", "Enter the date the arrangement ended")

    def write(self, plans: list[RowPlan], progress: Progress) -> None:
        for plan in plans:
            if plan.action == CREATE:
                household, values = plan.payload
                reason = values["end_reason"]
                db.session.add(
                    StayingPut(
                        household=household,
                        young_person_reference=values["young_person_reference"],
                        date_of_birth=values["date_of_birth"],
                        start_date=values["start_date"],
                        end_date=values["end_date"],
                        end_reason=StayingPutEndReason(reason) if reason else None,
                        household_remains_approved=True,
                    )
                )
            progress(1)
