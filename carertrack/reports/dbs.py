"""DBS currency of everyone who needs a check in the approved households (the `dbs` report; CONTRACTS.md 3)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, or_, select

from carertrack.compliance import DbsRules, DbsStatus, PersonDbs, person_dbs, sort_most_urgent
from carertrack.compliance_sql import EXCEPTIONS, dbs_people, status_summary, summary_with_exceptions
from carertrack.extensions import db
from carertrack.models.dbs import DbsCheck, DbsStatusCheck, StatusCheckResult
from carertrack.models.household import Household, HouseholdMember, MemberRole
from carertrack.reports.facts import approved_on, happened_by, not_happened_by
from carertrack.reports.registry import ReportDef, ReportParams, Table, register

COLUMNS = ("household_reference", "name", "status", "due_date")


@dataclass
class MemberFacts:
    """The columns of a household member that the DBS rules read."""

    id: int
    household_reference: str
    name: str
    role: MemberRole
    date_of_birth: date | None
    joined_date: date | None
    left_date: date | None


@dataclass
class StatusCheckFacts:
    """An Update Service status check."""

    checked_on: date
    result: StatusCheckResult


@dataclass
class CheckFacts:
    """A DBS certificate with its status checks."""

    id: int
    member_id: int
    issue_date: date
    enhanced_with_barred_list: bool
    update_service: bool
    status_checks: list[StatusCheckFacts] = field(default_factory=list)


def people_on(as_of: date, only: Iterable[ColumnElement[bool]] = ()) -> list[PersonDbs]:
    """Everyone in a household approved on as_of who needs a check then, with their status. Three queries.

    `only`: extra conditions on the members (a page's member ids)."""
    member_filter = [
        *only,
        approved_on(as_of),
        not_happened_by(HouseholdMember.left_date, as_of),
        # Joined by as_of; a member with no joining date has lived there all along.
        or_(HouseholdMember.joined_date.is_(None), HouseholdMember.joined_date <= as_of),
    ]
    members = [
        MemberFacts(**row._mapping)
        for row in db.session.execute(
            select(
                HouseholdMember.id,
                Household.reference.label("household_reference"),
                HouseholdMember.name,
                HouseholdMember.role,
                HouseholdMember.date_of_birth,
                HouseholdMember.joined_date,
                HouseholdMember.left_date,
            )
            .join(Household, Household.id == HouseholdMember.household_id)
            .where(*member_filter)
            .order_by(Household.reference, HouseholdMember.name, HouseholdMember.id)
        )
    ]
    member_ids = select(HouseholdMember.id).join(Household, Household.id == HouseholdMember.household_id)
    member_ids = member_ids.where(*member_filter)
    checks: dict[int, CheckFacts] = {}
    for row in db.session.execute(
        select(
            DbsCheck.id,
            DbsCheck.member_id,
            DbsCheck.issue_date,
            DbsCheck.enhanced_with_barred_list,
            DbsCheck.update_service,
        ).where(DbsCheck.member_id.in_(member_ids), happened_by(DbsCheck.issue_date, as_of))
    ):
        checks[row.id] = CheckFacts(**row._mapping)
    for check_id, checked_on, result in db.session.execute(
        select(DbsStatusCheck.dbs_check_id, DbsStatusCheck.checked_on, DbsStatusCheck.result)
        .join(DbsCheck, DbsCheck.id == DbsStatusCheck.dbs_check_id)
        .where(DbsCheck.member_id.in_(member_ids), happened_by(DbsStatusCheck.checked_on, as_of))
    ):
        if check_id in checks:
            checks[check_id].status_checks.append(StatusCheckFacts(checked_on, result))
    by_member: dict[int, list[CheckFacts]] = defaultdict(list)
    for check in checks.values():
        by_member[check.member_id].append(check)
    rules = DbsRules.from_settings()
    people = (person_dbs(member, as_of, rules, checks=by_member.get(member.id, [])) for member in members)
    return [person for person in people if person is not None]


def _exception_row(person: PersonDbs) -> dict:
    return {
        "household_reference": person.member.household_reference,
        "name": person.member.name,
        "status": person.status.value,
        "due_date": person.due_date,
        "role": person.member.role.value,
    }


def _document(as_of: date, counts: dict[DbsStatus, int], exceptions: list[PersonDbs]) -> dict:
    return {
        "as_of": as_of,
        "people_requiring": sum(counts.values()),
        "current": counts[DbsStatus.CURRENT],
        "due_soon": counts[DbsStatus.DUE_SOON],
        "expired": counts[DbsStatus.EXPIRED],
        "missing": counts[DbsStatus.MISSING],
        "exceptions": [_exception_row(p) for p in exceptions],
    }


def compute(params: ReportParams) -> dict:
    """How many people need a check, how many are current, due soon, expired and missing, and who is not current."""
    people = people_on(params.as_of)
    counts = {status: sum(1 for p in people if p.status is status) for status in DbsStatus}
    exceptions = sort_most_urgent(p for p in people if p.status is not DbsStatus.CURRENT)
    return _document(params.as_of, counts, exceptions)


def page(params: ReportParams, offset: int, limit: int) -> dict:
    """compute's document with only the exceptions from offset (limit of them).

    The counts and the page's people come from the DBS rules in SQL (carertrack/compliance_sql.py), in
    one statement that works the people out once; each shown person's status and due date from the
    Python rule, as compute gives them."""
    as_of = params.as_of
    rules = DbsRules.from_settings()
    if limit > 0:
        people = dbs_people(as_of, rules, as_cte=True)
        rows = db.session.execute(summary_with_exceptions(people, EXCEPTIONS, limit, offset)).all()
    else:
        # The figures only (the dashboard): one pass over the people, which then need not be kept
        # (WITH) for a page that would be empty.
        rows = [db.session.execute(status_summary(dbs_people(as_of, rules))).one()]
    summary = rows[0]._mapping
    counts = {status: int(summary[status.value] or 0) for status in DbsStatus}
    ids = [row.HouseholdMember.id for row in rows if row._mapping.get("HouseholdMember") is not None]
    # The page's people, in the same three statements whether or not the page has anyone.
    by_id = {p.member.id: p for p in people_on(as_of, [HouseholdMember.id.in_(ids)])}
    shown: list[PersonDbs] = [by_id[member_id] for member_id in ids]
    document = _document(as_of, counts, shown)
    return {**document, "row_count": sum(counts.values()) - counts[DbsStatus.CURRENT]}


def table(document: dict) -> Table:
    """The exceptions: everyone whose check is not current, most urgent first."""
    return Table(list(COLUMNS), [[row[c] for c in COLUMNS] for row in document["exceptions"]])


register(
    ReportDef(
        name="dbs",
        title="DBS currency",
        kind="as_of",
        description="Everyone in the approved households who needs a DBS check, and who is not current.",
        compute=compute,
        table=table,
        page=page,
    )
)
