"""The `people` import: the members of approved households, with their DBS certificates.

A row is the same person as one CarerTrack holds when the household, the name (ignoring case and
extra spaces) and the date of birth match (CONTRACTS.md section 3). A carer created by the households
import or by an approved case has no date of birth yet, so a row naming them with one completes them
rather than adding a second person. For a person CarerTrack holds, the row may add what is missing
(a date of birth, the date they left, a certificate, a status check) but never changes what is
recorded: a contradiction is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from carertrack.cases.rules import age_on
from carertrack.cases.validation import date_of_birth_error
from carertrack.extensions import db
from carertrack.formatting import format_date
from carertrack.households import services as households
from carertrack.imports.base import COMPLETE, CREATE, UNCHANGED, Importer, Progress, RowPlan, chunks, listed, shown
from carertrack.imports.columns import Column, RowError, a_date, one_of, text, yes_no
from carertrack.models.dbs import DbsCheck, StatusCheckResult
from carertrack.models.household import Household, HouseholdMember, MemberRole, Relationship

COLUMNS = (
    Column("household_reference", "the household reference", text(40), required=True),
    Column("name", "the person's full name", text(120), required=True),
    Column("date_of_birth", "the date of birth", a_date()),
    Column("role", "the role", one_of(MemberRole)),
    Column("dbs_certificate_number", "the DBS certificate number", text(20)),
    Column("dbs_issue_date", "the DBS date of issue", a_date()),
    Column("dbs_update_service", "DBS Update Service", yes_no()),
    Column("dbs_last_status_check_date", "the date of the last DBS status check", a_date()),
    Column("left_household_date", "the date they left the household", a_date()),
)


def name_key(name: str) -> str:
    """A name as identity compares it: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


def role_for_row(role: str | None, date_of_birth: date | None, today: date) -> MemberRole:
    """The role given, or when blank: a child member when the date of birth says under 18, else an adult member."""
    if role is not None:
        return MemberRole(role)
    if date_of_birth is not None and age_on(date_of_birth, today) < 18:
        return MemberRole.CHILD_MEMBER
    return MemberRole.ADULT_MEMBER


@dataclass
class PersonWork:
    """What a row does to one person: create them, or complete them, and the certificate to add or complete."""

    household: Household
    values: dict[str, Any]
    member: HouseholdMember | None = None  # None: a new person
    fill: dict[str, Any] = field(default_factory=dict)  # member attributes to fill in
    certificate: DbsCheck | None = None  # the existing certificate the row describes, if any
    certificate_fill: dict[str, Any] = field(default_factory=dict)
    new_certificate: bool = False
    new_status_check: bool = False


class PeopleImport(Importer):
    """Household members and their DBS certificates and Update Service status checks."""

    kind = "people"
    columns = COLUMNS
    record_names: ClassVar[dict[str, tuple[str, str]]] = {
        "members": ("household member", "household members"),
        "dbs_checks": ("DBS certificate", "DBS certificates"),
        "status_checks": ("DBS status check", "DBS status checks"),
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
        members = [member for household in self.households.values() for member in household.members]
        certificates: dict[int, list[DbsCheck]] = {member.id: [] for member in members}
        for chunk in chunks([member.id for member in members]):
            statement = (
                select(DbsCheck)
                .where(DbsCheck.member_id.in_(chunk))
                .options(selectinload(DbsCheck.status_checks))
                .order_by(DbsCheck.issue_date, DbsCheck.id)
            )
            for check in db.session.scalars(statement):
                certificates[check.member_id].append(check)
        for member in members:
            # Loaded here once, so adding a certificate later never loads them row by row.
            set_committed_value(member, "dbs_checks", certificates[member.id])
        self.seen: dict[tuple[str, str, date | None], int] = {}
        self.claimed: set[int] = set()

    def check(self, row: int, values: dict[str, Any], unreadable: set[str]) -> tuple[list[RowError], RowPlan | None]:
        errors: list[RowError] = []

        def error(column: str, message: str) -> None:
            if column not in unreadable:
                errors.append(RowError(row, column, message))

        reference, name = values["household_reference"], values["name"]
        household = self.households.get(reference.upper()) if reference else None
        if reference and household is None:
            error(
                "household_reference",
                f"There is no household with reference {reference}. Import the households first, or correct the reference",
            )
        if reference and name:
            key = (reference.upper(), name_key(name), values["date_of_birth"])
            if key in self.seen:
                error(
                    "name",
                    f"{name} of household {reference} is also on row {self.seen[key]}. Put each person on one row",
                )
            else:
                self.seen[key] = row
        self._check_values(values, error)
        if errors or unreadable or household is None:
            return errors, None
        work = PersonWork(household, values)
        work.member = self._match(household, values)
        if work.member is not None:
            problems = self._complete(work)
            if problems:
                return [RowError(row, column, message) for column, message in problems], None
        else:
            work.new_certificate = values["dbs_issue_date"] is not None
            work.new_status_check = values["dbs_last_status_check_date"] is not None
        return errors, self._plan(row, work)

    def _check_values(self, values: dict[str, Any], error: Any) -> None:
        """The rules of the person and DBS pages, on one row."""
        born, issued, checked = values["date_of_birth"], values["dbs_issue_date"], values["dbs_last_status_check_date"]
        left, number = values["left_household_date"], values["dbs_certificate_number"]
        if message := date_of_birth_error(born, self.today):
            error("date_of_birth", message)
        if number is not None and (message := households.certificate_number_error(number)):
            error("dbs_certificate_number", message)
        if number is not None and issued is None:
            error("dbs_issue_date", "Enter the DBS date of issue for the certificate number")
        if issued is not None and issued > self.today:
            error("dbs_issue_date", "The date of issue must be today or in the past")
        elif issued is not None and born is not None and issued <= born:
            error("dbs_issue_date", "The date of issue must be after the person's date of birth")
        if values["dbs_update_service"] and issued is None:
            error(
                "dbs_update_service",
                "A DBS Update Service subscription goes with a certificate: enter its dbs_issue_date, or leave this blank",
            )
        if checked is not None:
            if not values["dbs_update_service"]:
                error(
                    "dbs_last_status_check_date",
                    "A status check needs a DBS Update Service subscription: enter yes in dbs_update_service",
                )
            if checked > self.today:
                error("dbs_last_status_check_date", "The date of the status check must be today or in the past")
            elif issued is not None and checked < issued:
                error(
                    "dbs_last_status_check_date",
                    f"The status check must be on or after the certificate's date of issue, {format_date(issued)}",
                )
        if left is not None:
            if left > self.today:
                error("left_household_date", "The date they left must be today or in the past")
            elif born is not None and left <= born:
                error("left_household_date", "The date they left must be after their date of birth")

    def _match(self, household: Household, values: dict[str, Any]) -> HouseholdMember | None:
        """The person CarerTrack holds: same name and date of birth, or same name and no date of birth yet."""
        key, born = name_key(values["name"]), values["date_of_birth"]
        same_name = [m for m in household.members if name_key(m.name) == key]
        exact = [m for m in same_name if m.date_of_birth == born]
        if exact:
            return exact[0]
        undated = [m for m in same_name if m.date_of_birth is None and m.id not in self.claimed]
        if born is not None and len(undated) == 1:
            self.claimed.add(undated[0].id)
            return undated[0]
        return None

    def _complete(self, work: PersonWork) -> list[tuple[str, str]]:
        """What the row adds to a person CarerTrack holds, or the columns where it contradicts them."""
        member, values = work.member, work.values
        assert member is not None  # noqa: S101 - typing only: called for a matched person  # nosec B101
        problems: list[tuple[str, str]] = []
        who = f"{member.name} of household {work.household.reference}"

        def contradicts(column: str, stored: Any, given: Any) -> None:
            problems.append(
                (
                    column,
                    f"CarerTrack records {shown(stored)} for {who}, not {shown(given)}. "
                    "The import never changes what is recorded: correct the row, or change it in CarerTrack",
                )
            )

        if member.date_of_birth is None and values["date_of_birth"] is not None:
            work.fill["date_of_birth"] = values["date_of_birth"]
        if values["role"] is not None and member.role.value != values["role"]:
            contradicts("role", member.role.value, values["role"])
        left = values["left_household_date"]
        if left is not None:
            if member.left_date is None:
                work.fill["left_date"] = left
            elif member.left_date != left:
                contradicts("left_household_date", member.left_date, left)
        issued = values["dbs_issue_date"]
        if issued is None:
            return problems
        certificate = next((c for c in member.dbs_checks if c.issue_date == issued), None)
        if certificate is None:
            work.new_certificate = True
            work.new_status_check = values["dbs_last_status_check_date"] is not None
            return problems
        work.certificate = certificate
        number = households.normalise_certificate_number(values["dbs_certificate_number"])
        if number is not None:
            if certificate.certificate_number is None:
                work.certificate_fill["certificate_number"] = number
            elif certificate.certificate_number != number:
                contradicts("dbs_certificate_number", certificate.certificate_number, number)
        subscribed = values["dbs_update_service"]
        if subscribed is True and not certificate.update_service:
            work.certificate_fill["update_service"] = True
        elif subscribed is False and certificate.update_service:
            contradicts("dbs_update_service", True, False)
        checked = values["dbs_last_status_check_date"]
        if checked is not None and all(s.checked_on != checked for s in certificate.status_checks):
            work.new_status_check = True
        return problems

    def _plan(self, row: int, work: PersonWork) -> RowPlan:
        values, reference = work.values, work.household.reference
        creates = {
            "members": 1 if work.member is None else 0,
            "dbs_checks": 1 if work.new_certificate else 0,
            "status_checks": 1 if work.new_status_check else 0,
        }
        extras = []
        if work.new_certificate:
            extras.append(f"DBS certificate issued {values['dbs_issue_date'].isoformat()}")
        if work.new_status_check:
            extras.append(f"status check on {values['dbs_last_status_check_date'].isoformat()}")
        if work.member is None:
            role = role_for_row(values["role"], values["date_of_birth"], self.today)
            summary = f"Household {reference}: add {values['name']} ({role.value})"
            summary += f", with {listed(extras, 2)}" if extras else ""
            return RowPlan(row, CREATE, summary, creates, payload=work)
        filled = [f"{name.replace('_', ' ')}" for name in (*work.fill, *work.certificate_fill)]
        if not (filled or extras):
            return RowPlan(
                row, UNCHANGED, f"Household {reference}: {work.member.name} is already in CarerTrack", creates
            )
        summary = f"Household {reference}: complete {work.member.name} with {listed(filled + extras, 4)}"
        return RowPlan(row, COMPLETE, summary, creates, payload=work)

    def write(self, plans: list[RowPlan], progress: Progress) -> None:
        for plan in plans:
            if plan.payload is not None:
                self._write(plan.payload)
            progress(1)

    def _write(self, work: PersonWork) -> None:
        values = work.values
        member = work.member
        if member is None:
            role = role_for_row(values["role"], values["date_of_birth"], self.today)
            member = HouseholdMember(
                name=values["name"],
                date_of_birth=values["date_of_birth"],
                role=role,
                # A carer is a carer; for others the spreadsheet gives no relationship.
                relationship=Relationship.CARER if role is MemberRole.CARER else None,
                left_date=values["left_household_date"],
            )
            work.household.members.append(member)
            set_committed_value(member, "dbs_checks", [])
        for name, value in work.fill.items():
            setattr(member, name, value)
        certificate = work.certificate
        for name, value in work.certificate_fill.items():
            setattr(certificate, name, value)
        if work.new_certificate:
            certificate = households.record_dbs_check(
                member,
                households.DbsDetails(
                    certificate_number=values["dbs_certificate_number"],
                    issue_date=values["dbs_issue_date"],
                    update_service=bool(values["dbs_update_service"]),
                ),
            )
        if work.new_status_check and certificate is not None:
            households.record_status_check(
                certificate, values["dbs_last_status_check_date"], StatusCheckResult.NO_CHANGE
            )
