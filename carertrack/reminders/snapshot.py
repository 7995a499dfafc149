"""Read-only snapshots of cases and households for the daily run: plain records, not ORM objects.

The rules read records duck-typed (carertrack/reminders/rules.py, carertrack.compliance,
carertrack.cases.rules), so the daily run, which reads tens of thousands of records, loads their
rows with Core and links them into plain objects: the same attributes and the same child order as
the models' relationships, without the cost of building and tracking ORM instances. Nothing here
is ever written back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.case_records import CaseApplicant
from carertrack.models.dbs import DbsCheck, DbsStatusCheck
from carertrack.models.household import AnnualReview, Household, HouseholdMember


def _rows(model: Any, *where: Any, order: Sequence[Any], joins: Sequence[Any] = ()) -> list[SimpleNamespace]:
    """Every column of the model's rows as plain objects (enum and date columns come typed)."""
    statement = select(*model.__table__.columns)
    for target, on in joins:
        statement = statement.join(target, on)
    statement = statement.where(*where).order_by(*order)
    return [SimpleNamespace(**row._mapping) for row in db.session.execute(statement)]


def _attach(parents: list[SimpleNamespace], name: str, children: list[SimpleNamespace], key: str) -> None:
    """parent.<name> = its children, in the children's order."""
    grouped: dict[int, list[SimpleNamespace]] = defaultdict(list)
    for child in children:
        grouped[getattr(child, key)].append(child)
    for parent in parents:
        setattr(parent, name, grouped.get(parent.id, []))


def cases(ids: Sequence[int]) -> list[SimpleNamespace]:
    """These cases with their applicants (in position order), in id order: two statements."""
    found = _rows(Case, Case.id.in_(ids), order=[Case.id])
    applicants = _rows(CaseApplicant, CaseApplicant.case_id.in_(ids), order=[CaseApplicant.position])
    _attach(found, "applicants", applicants, "case_id")
    return found


def households(ids: Sequence[int]) -> list[SimpleNamespace]:
    """These households with their people, certificates, status checks and reviews: five statements."""
    found = _rows(Household, Household.id.in_(ids), order=[Household.id])
    members = _rows(HouseholdMember, HouseholdMember.household_id.in_(ids), order=[HouseholdMember.id])
    in_households = HouseholdMember.household_id.in_(ids)
    checks = _rows(
        DbsCheck,
        in_households,
        joins=[(HouseholdMember, DbsCheck.member_id == HouseholdMember.id)],
        order=[DbsCheck.issue_date, DbsCheck.id],
    )
    status_checks = _rows(
        DbsStatusCheck,
        in_households,
        joins=[
            (DbsCheck, DbsStatusCheck.dbs_check_id == DbsCheck.id),
            (HouseholdMember, DbsCheck.member_id == HouseholdMember.id),
        ],
        order=[DbsStatusCheck.checked_on, DbsStatusCheck.id],
    )
    reviews = _rows(AnnualReview, AnnualReview.household_id.in_(ids), order=[AnnualReview.completed_date])
    _attach(checks, "status_checks", status_checks, "dbs_check_id")
    _attach(members, "dbs_checks", checks, "member_id")
    _attach(found, "members", members, "household_id")
    _attach(found, "reviews", reviews, "household_id")
    return found
