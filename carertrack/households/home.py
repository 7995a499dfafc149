"""The households block on the home page: a social worker's households needing action, a
manager's service-wide DBS and review position.

Counts come from SQL (carertrack.compliance_sql mirrors the rules in carertrack.compliance) and
only the first SHOWN items of each list are loaded, so the block costs the same however many
households there are; the statuses and dates of the items shown come from the Python rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from carertrack import compliance_sql as sql_rules
from carertrack.compliance import DbsRules, DueStatus, ReviewPosition, review_position
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.households.queries import dbs_exception_page, visible_conditions
from carertrack.models.household import Household
from carertrack.models.user import Role
from carertrack.settings import get_setting

SHOWN = 8


def applies(user: Any) -> bool:
    """Social workers (their households) and managers (the whole service)."""
    return user.role in (Role.SOCIAL_WORKER, Role.MANAGER)


def review_counts(reviews: sql_rules.ReviewsDue) -> dict[str, int]:
    """Approved households per annual review status (overdue, due_soon, not_due), in one statement."""
    counts = {status.value: 0 for status in DueStatus}
    counts.update(dict(db.session.execute(select(reviews.c.status, func.count()).group_by(reviews.c.status)).all()))
    return counts


def first_reviews(
    reviews: sql_rules.ReviewsDue, status: DueStatus, as_of: date, due_soon_days: int
) -> list[tuple[Household, ReviewPosition]]:
    """The first SHOWN households whose review has the status, earliest due first, with their
    review position from the Python rule."""
    statement = (
        select(Household)
        .join(reviews.rows, reviews.c.household_id == Household.id)
        .where(reviews.c.status == status.value)
        .order_by(reviews.c.due_key, Household.reference)
        .limit(SHOWN)
        # Joined, so the block runs the same statements whether or not the list is empty.
        .options(joinedload(Household.reviews), joinedload(Household.members))
    )
    households = db.session.scalars(statement).unique().all()
    return [
        (h, review_position(h.approval_date, [r.completed_date for r in h.reviews], as_of, due_soon_days))
        for h in households
    ]


def context(user: Any) -> dict:
    """DBS and annual review positions of the households this person is responsible for."""
    as_of = today()
    rules = DbsRules.from_settings()
    review_soon = int(get_setting("review_due_soon_days"))
    manager = user.role is Role.MANAGER
    conditions = visible_conditions(None if manager else user)
    exceptions, counts = dbs_exception_page(as_of, rules, user=None if manager else user, page=1, per_page=SHOWN)
    reviews = sql_rules.reviews_due(as_of, review_soon, conditions)
    by_status = review_counts(reviews)
    return {
        "manager": manager,
        # Every approved household has a next review, so the review counts add up to them all.
        "households": sum(by_status.values()),
        "not_compliant": counts["not_compliant"],
        "dbs_exceptions": exceptions.items,
        "dbs_exception_count": exceptions.total,
        "reviews_overdue_count": by_status[DueStatus.OVERDUE.value],
        "reviews_due_count": by_status[DueStatus.DUE_SOON.value],
        # Only a worker's block lists overdue reviews (a manager sees the counts).
        "reviews_overdue": [] if manager else first_reviews(reviews, DueStatus.OVERDUE, as_of, review_soon),
        "shown": SHOWN,
        "as_of": as_of,
    }
