"""The `households` import: approved fostering households, current and past, with their carers.

Households are created by the households area's own service, as the "add a household" page does,
and checked by the same rules. A row whose reference belongs to a household created by an approved
case is an error (that household came from the case); a household imported before is left unchanged
when the row says exactly what CarerTrack holds, and refused when it differs.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import func, select

from carertrack.compliance import age_range_error
from carertrack.extensions import db
from carertrack.formatting import format_date
from carertrack.households import services as households
from carertrack.imports.base import CREATE, UNCHANGED, Importer, Progress, RowPlan, chunks, differences, listed
from carertrack.imports.columns import Column, RowError, a_date, one_of, text, whole_number
from carertrack.models.household import CarerType, DeregistrationReason, Household

COLUMNS = (
    Column("reference", "the household reference", text(40), required=True),
    Column("carer_type", "the carer type", one_of(CarerType)),
    Column("carer_1_name", "the first carer's full name", text(120), required=True),
    Column("carer_2_name", "the second carer's full name", text(120)),
    Column("approval_date", "the date of approval", a_date(), required=True),
    Column("deregistration_date", "the deregistration date", a_date()),
    Column("deregistration_reason", "the deregistration reason", one_of(DeregistrationReason)),
    # The same ranges as the household details page.
    Column("approved_places", "the number of children", whole_number(1, 10)),
    Column("age_from", "the youngest age", whole_number(0, 20)),
    Column("age_to", "the oldest age", whole_number(0, 20)),
)
COMPARED = tuple(column.name for column in COLUMNS if column.name != "reference")
DEREGISTRATION_REASONS = ", ".join(reason.value for reason in DeregistrationReason)
# Reports count every type other than connected as mainstream (Ofsted), so an unknown type is recorded as that.
DEFAULT_CARER_TYPE = CarerType.MAINSTREAM


def stored_values(household: Household) -> dict[str, Any]:
    """A stored household in the import's columns, to compare a row with."""
    carers = household.carers
    return {
        "carer_type": household.carer_type.value,
        "carer_1_name": carers[0].name if carers else None,
        "carer_2_name": carers[1].name if len(carers) > 1 else None,
        "approval_date": household.approval_date,
        "deregistration_date": household.deregistration_date,
        "deregistration_reason": household.deregistration_reason.value if household.deregistration_reason else None,
        "approved_places": household.approved_places,
        "age_from": household.age_from,
        "age_to": household.age_to,
    }


class HouseholdsImport(Importer):
    """Approved households and their one or two carers."""

    kind = "households"
    columns = COLUMNS
    record_names: ClassVar[dict[str, tuple[str, str]]] = {
        "households": ("household", "households"),
        "carers": ("carer", "carers"),
    }

    def load(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        references = sorted({values["reference"].upper() for _, values in rows if values["reference"]})
        self.existing: dict[str, Household] = {}
        for chunk in chunks(references):
            statement = select(Household).where(func.upper(Household.reference).in_(chunk))
            for household in db.session.scalars(statement):
                self.existing[household.reference.upper()] = household
        self.seen: dict[str, int] = {}

    def check(self, row: int, values: dict[str, Any], unreadable: set[str]) -> tuple[list[RowError], RowPlan | None]:
        errors: list[RowError] = []

        def error(column: str, message: str) -> None:
            if column not in unreadable:
                errors.append(RowError(row, column, message))

        values = {**values, "carer_type": values["carer_type"] or DEFAULT_CARER_TYPE.value}
        reference = values["reference"]
        if reference is not None:
            key = reference.upper()
            if key in self.seen:
                error(
                    "reference",
                    f"The reference {reference} is also on row {self.seen[key]}. Put each household on one row",
                )
            else:
                self.seen[key] = row
        self._check_dates(values, error)
        if message := age_range_error(values["age_from"], values["age_to"]):
            error("age_to", message)
        if errors or unreadable:
            return errors, None
        existing = self.existing.get(reference.upper())
        if existing is not None:
            problems = self._compare(row, existing, values)
            if problems:
                return problems, None
            return errors, RowPlan(row, UNCHANGED, f"Household {existing.reference} is already in CarerTrack")
        carers = 2 if values["carer_2_name"] else 1
        summary = f"Household {reference}: {values['carer_1_name']}"
        summary += f" and {values['carer_2_name']}" if values["carer_2_name"] else ""
        summary += f" ({values['carer_type']}), approved {values['approval_date'].isoformat()}"
        return errors, RowPlan(row, CREATE, summary, {"households": 1, "carers": carers}, payload=values)

    def _check_dates(self, values: dict[str, Any], error: Any) -> None:
        approval, ended, reason = (
            values["approval_date"],
            values["deregistration_date"],
            values["deregistration_reason"],
        )
        if approval is not None and approval > self.today:
            error("approval_date", "The date of approval must be today or in the past")
        if ended is not None and reason is None:
            error("deregistration_reason", f"Enter why approval ended: {DEREGISTRATION_REASONS}")
        if reason is not None and ended is None:
            error("deregistration_date", "Enter the date approval ended")
        if ended is not None and approval is not None and ended <= approval:
            error("deregistration_date", f"Approval must end after the date of approval, {format_date(approval)}")

    @staticmethod
    def _compare(row: int, existing: Household, values: dict[str, Any]) -> list[RowError]:
        if existing.case_id is not None:
            return [
                RowError(
                    row,
                    "reference",
                    f"The household {existing.reference} was created when case {existing.reference} was approved, "
                    "so it cannot be imported. Remove the row",
                )
            ]
        changed = differences(stored_values(existing), values, COMPARED)
        if not changed:
            return []
        return [
            RowError(
                row,
                "reference",
                f"A household with reference {existing.reference} is already in CarerTrack with different details: "
                f"{listed(changed)}. The import never changes a household: correct the row, or remove it",
            )
        ]

    def write(self, plans: list[RowPlan], progress: Progress) -> None:
        # References were checked up front, so the households are flushed together at the end.
        with db.session.no_autoflush:
            self._create(plans, progress)
        db.session.flush()

    @staticmethod
    def _create(plans: list[RowPlan], progress: Progress) -> None:
        for plan in plans:
            if plan.action == CREATE:
                values = plan.payload
                details = households.HouseholdDetails(
                    carer_type=CarerType(values["carer_type"]),
                    approval_date=values["approval_date"],
                    approved_places=values["approved_places"],
                    age_from=values["age_from"],
                    age_to=values["age_to"],
                )
                carers = [(values["carer_1_name"], None), (values["carer_2_name"], None)]
                household = households.create_household(values["reference"], details, carers, flush=False)
                if values["deregistration_date"] is not None:
                    reason = DeregistrationReason(values["deregistration_reason"])
                    households.deregister(household, reason, None, values["deregistration_date"])
            progress(1)
