"""The households block on the home page: a social worker's households needing action, a
manager's service-wide DBS and review position."""

from __future__ import annotations

from typing import Any

from carertrack.compliance import DbsRules, DueStatus, household_compliance, review_position
from carertrack.dates import today
from carertrack.households.queries import PersonRow, approved_households, dbs_exceptions
from carertrack.models.user import Role
from carertrack.settings import get_setting

SHOWN = 8


def applies(user: Any) -> bool:
    """Social workers (their households) and managers (the whole service)."""
    return user.role in (Role.SOCIAL_WORKER, Role.MANAGER)


def context(user: Any) -> dict:
    """DBS and annual review positions of the households this person is responsible for."""
    as_of = today()
    rules = DbsRules.from_settings()
    review_soon = int(get_setting("review_due_soon_days"))
    households = approved_households(as_of, user if user.role is Role.SOCIAL_WORKER else None, with_reviews=True)
    rows, not_compliant, reviews_overdue, reviews_due = [], 0, [], []
    for household in households:
        compliance = household_compliance(household, as_of, rules)
        not_compliant += not compliance.compliant
        rows += [PersonRow(household, person) for person in compliance.people]
        review = review_position(
            household.approval_date, [r.completed_date for r in household.reviews], as_of, review_soon
        )
        if review.status is DueStatus.OVERDUE:
            reviews_overdue.append((household, review))
        elif review.status is DueStatus.DUE_SOON:
            reviews_due.append((household, review))
    exceptions = dbs_exceptions(rows)
    return {
        "manager": user.role is Role.MANAGER,
        "households": len(households),
        "not_compliant": not_compliant,
        "dbs_exceptions": exceptions[:SHOWN],
        "dbs_exception_count": len(exceptions),
        "reviews_overdue": sorted(reviews_overdue, key=lambda pair: pair[1].due_date),
        "reviews_due": sorted(reviews_due, key=lambda pair: pair[1].due_date),
        "shown": SHOWN,
        "as_of": as_of,
    }
