"""The case reminders one person gets, counted in SQL, and the few most urgent fetched with LIMIT.

The home page shows counts and the most urgent few; at national size a manager gets tens of
thousands of case reminders, too many to derive one by one. Each case rule in
carertrack/reminders/rules.py (8 months at risk or breached, the temporary approval's expiry,
extension and milestones, first contact overdue) is a group here, built from the SQL clock statuses
in carertrack/cases/queries.py (proven against carertrack/cases/rules.py by
tests/integration/test_cases_status_sql.py) and from thresholds found from the Python rules
(carertrack/reminders/preselect.py). tests/integration/test_reminders_home_sql.py proves the counts
and the first items equal those the Python rules give on varied generated data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, false, func, literal, or_, select, true, union_all

from carertrack.cases.queries import eight_month_sql, reg24_sql
from carertrack.clocks import REG24_WEEKS
from carertrack.extensions import db
from carertrack.models.case import Case
from carertrack.models.user import Role, User
from carertrack.reminders.items import Directory
from carertrack.reminders.preselect import Thresholds

FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class Group:
    """One case rule's items as SQL: which cases give one, whether it is overdue, and its due-date order."""

    name: str
    condition: ColumnElement[bool]
    urgent: bool
    order: Any  # a column the item's due date rises with


def _not_after(column: Any, as_of: date) -> ColumnElement[bool]:
    return or_(column.is_(None), column > as_of)


def base_condition(as_of: date) -> ColumnElement[bool]:
    """The cases the reminders read (carertrack/reminders/sources.py): not closed or decided by the date."""
    return and_(
        _not_after(Case.closed_date, as_of),
        _not_after(Case.decision_date, as_of),
        or_(Case.enquiry_date <= as_of, Case.application_date <= as_of, Case.placement_date <= as_of),
    )


def _inactive(column: Any) -> ColumnElement[bool]:
    """Nobody, or somebody who is not active (Directory.worker_or_managers passes them over)."""
    return or_(column.is_(None), ~exists().where(User.id == column, User.active.is_(True)))


def _scopes(user: Any, directory: Directory) -> tuple[ColumnElement[bool], ...]:
    """Who gets each kind of case item, for this person: (worker and managers, allocated worker or
    managers, intake or initial-visit worker or managers), as in carertrack.reminders.items.Directory."""
    if user.role == Role.MANAGER and user.id in directory.managers:
        return (
            true(),
            _inactive(Case.allocated_worker_id),
            and_(_inactive(Case.intake_worker_id), _inactive(Case.initial_visit_worker_id)),
        )
    if user.role == Role.SOCIAL_WORKER and user.id in directory.active:
        return (
            Case.allocated_worker_id == user.id,
            Case.allocated_worker_id == user.id,
            or_(
                Case.intake_worker_id == user.id,
                and_(_inactive(Case.intake_worker_id), Case.initial_visit_worker_id == user.id),
            ),
        )
    return (false(), false(), false())


def groups(user: Any, t: Thresholds, settings: Any, directory: Directory) -> list[Group]:
    """The case rules as SQL groups for this person, on the thresholds' date."""
    as_of = t.as_of
    lead = settings.clocks.lead_days
    eight, reg24 = eight_month_sql(as_of, lead), reg24_sql(as_of, lead)
    everyone, allocated, intake = _scopes(user, directory)
    weeks = sorted({settings.reg24_second_weeks, settings.reg24_first_weeks}, reverse=True)
    reached = [as_of + timedelta(weeks=REG24_WEEKS - w) for w in weeks]  # deadline on or before: reached
    before_expiry = and_(reg24.running, Case.reg24_deadline > as_of)
    granted = and_(Case.extension_granted_date.is_not(None), Case.extension_granted_date <= as_of)
    pending_irm = Case.extension_pending_irm.is_(True)
    first_contact = and_(
        Case.enquiry_date <= t.first_contact_enquiry,
        _not_after(Case.first_contact_date, as_of),
        _not_after(Case.initial_visit_date, as_of),
        _not_after(Case.application_date, as_of),
    )
    found = [
        Group("eight_month_breached", and_(eight.breached, everyone), True, Case.eight_month_deadline),
        Group("eight_month_at_risk", and_(eight.at_risk, everyone), False, Case.eight_month_deadline),
        Group("reg24_expiry", and_(reg24.running, Case.reg24_deadline <= as_of, everyone), True, Case.reg24_deadline),
        Group(
            "reg24_extension",
            and_(reg24.at_risk, Case.reg24_deadline > as_of, ~granted, ~pending_irm, everyone),
            False,
            Case.reg24_deadline,
        ),
        Group("first_contact_overdue", and_(first_contact, intake), True, Case.enquiry_date),
    ]
    # Only the latest milestone reached is an item: one group per milestone, each a band of deadlines.
    upper: Any = None
    for index, day in enumerate(reached):
        band = and_(before_expiry, Case.reg24_deadline <= day, allocated)
        if upper is not None:
            band = and_(band, Case.reg24_deadline > upper)
        found.append(Group(f"reg24_milestone_{index}", band, False, Case.reg24_deadline))
        upper = day
    return found


@dataclass(frozen=True)
class CaseCounts:
    """How many case items the person gets, how many overdue, and the cases that hold the most urgent."""

    total: int
    overdue: int
    candidate_ids: list[int]


def case_counts(user: Any, t: Thresholds, settings: Any, directory: Directory, shown: int) -> CaseCounts:
    """Counts in one statement; the ids of each group's `shown` most urgent cases (ties kept) in one more."""
    found = groups(user, t, settings, directory)
    base = base_condition(t.as_of)
    sums = [func.coalesce(func.sum(case((g.condition, 1), else_=0)), 0) for g in found]
    row = db.session.execute(select(*sums).select_from(Case).where(base)).one()
    total = sum(int(n) for n in row)
    overdue = sum(int(n) for n, g in zip(row, found, strict=True) if g.urgent)
    selects = []
    for g in found:  # every group, even an empty one, so the statements are the same whatever the data
        cutoff = select(g.order).where(base, g.condition).order_by(g.order).limit(1).offset(shown - 1).scalar_subquery()
        limit = func.coalesce(cutoff, literal(FAR_FUTURE))
        selects.append(select(Case.id).where(base, g.condition, g.order <= limit))
    ids = sorted(set(db.session.scalars(union_all(*selects))))
    return CaseCounts(total, overdue, ids)
