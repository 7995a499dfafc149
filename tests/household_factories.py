"""Test data builders for households: each opens its own app context and returns ids, never ORM objects."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.households import services
from carertrack.models.dbs import DbsCheck, DbsStatusCheck, StatusCheckResult
from carertrack.models.household import CarerType, DeregistrationReason, Household, HouseholdMember, Relationship

_counter = itertools.count(1)


def make_household(
    app: Any,
    *,
    reference: str | None = None,
    worker_id: int | None = None,
    carer_type: CarerType = CarerType.MAINSTREAM,
    approval_date: date = date(2022, 5, 1),
    carers: tuple[tuple[str, date], ...] = (("Jane Carer", date(1975, 1, 1)),),
    approved_places: int | None = 2,
    carer_dbs: date | None = None,
    deregistration_date: date | None = None,
    postcode: str | None = "AB1 2CD",
) -> int:
    """A household with its carers (each with a DBS certificate issued on `carer_dbs`, if given)."""
    n = next(_counter)
    with app.app_context(), acting_as("test setup"):
        household = services.create_household(
            reference or f"FH-{n:04d}",
            services.HouseholdDetails(
                carer_type=carer_type,
                approval_date=approval_date,
                supervising_worker_id=worker_id,
                approved_places=approved_places,
                postcode=postcode,
                placement_types=["short_term"],
            ),
            list(carers),
        )
        if carer_dbs is not None:
            for member in household.members:
                db.session.add(DbsCheck(member=member, certificate_number="001234567890", issue_date=carer_dbs))
        if deregistration_date is not None:
            household.deregistration_date = deregistration_date
            household.deregistration_reason = DeregistrationReason.RETIRED
        db.session.commit()
        return household.id


def add_person(
    app: Any,
    household_id: int,
    name: str,
    date_of_birth: date,
    relationship: Relationship = Relationship.OTHER_ADULT,
    dbs_issued: date | None = None,
    update_service: bool = False,
    status_check: date | None = None,
    left_date: date | None = None,
) -> int:
    """A member of the household, optionally with a certificate and a status check; returns the member id."""
    with app.app_context(), acting_as("test setup"):
        household = db.session.get(Household, household_id)
        member = services.add_member(household, name, date_of_birth, relationship)
        member.left_date = left_date
        if dbs_issued is not None:
            check = DbsCheck(
                member=member, certificate_number="001234567890", issue_date=dbs_issued, update_service=update_service
            )
            db.session.add(check)
            if status_check is not None:
                db.session.add(
                    DbsStatusCheck(dbs_check=check, checked_on=status_check, result=StatusCheckResult.NO_CHANGE)
                )
        db.session.commit()
        return member.id


def member_ids(app: Any, household_id: int) -> list[int]:
    """The household's member ids, in the order they were added."""
    with app.app_context():
        return [m.id for m in db.session.get(Household, household_id).members]


def get_member(app: Any, member_id: int) -> dict:
    """A member's fields as a plain dict."""
    with app.app_context():
        m = db.session.get(HouseholdMember, member_id)
        return {c.key: getattr(m, c.key) for c in HouseholdMember.__mapper__.column_attrs}
