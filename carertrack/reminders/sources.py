"""Loading what the reminder rules read, in a fixed number of queries whatever the amount of data.

The SQL here only narrows what is loaded (carertrack/reminders/preselect.py: open cases whose clocks
can be due, approved households whose DBS, review or training can be due, staying-put arrangements
ending within the window, live panel items); the rules decide. Every narrowing is looser than the
rule it serves, so nothing due is missed. For one person's home page the load is narrowed further to
the records that can give them a reminder, in a fixed number of statements. The daily run (no
person) loads the preselected records in batches of BATCH, each with its children.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import joinedload, lazyload

from carertrack.extensions import db
from carertrack.households.queries import approved_on_clause
from carertrack.models.case import Case
from carertrack.models.dbs import DbsCheck
from carertrack.models.household import Household, HouseholdMember
from carertrack.models.panel import PanelMeeting
from carertrack.models.panel_agenda import AdmDecision, AgendaItem, QualifyingDetermination, Recommendation
from carertrack.models.staying_put import StayingPut
from carertrack.models.user import Role, User
from carertrack.reminders import snapshot
from carertrack.reminders.items import Directory
from carertrack.reminders.preselect import (
    Thresholds,
    case_condition,
    household_condition,
    staying_put_condition,
)
from carertrack.reminders.rules import ReminderSettings, Sources

BATCH = 2000  # records per statement in the daily run (their children come in a few more statements each)


def directory() -> Directory:
    """Every active person who can receive reminders, by role (one query)."""
    return Directory.from_users(db.session.execute(select(User.id, User.role, User.active)).all())


def _not_after(column: Any, as_of: date) -> Any:
    """The event has not happened by the date (no date, or a later one)."""
    return or_(column.is_(None), column > as_of)


def _load(model: Any, statement: Any, joined: list[Any], read: Callable[[list[int]], list[Any]] | None) -> list[Any]:
    """The records a statement selects, with their children.

    For one person (`read` None): ORM records in one statement with the children joined, so the
    count of statements is the same whether or not anything is due. For the daily run: the ids
    first, then BATCH records at a time as read-only snapshots (reminders/snapshot.py), whose
    children's statements repeat a plain id list, not the preselection.
    """
    if read is None:
        return list(db.session.scalars(statement.options(*joined).order_by(model.id)).unique())
    ids = list(db.session.scalars(statement.with_only_columns(model.id).order_by(model.id)))
    found: list[Any] = []
    for start in range(0, len(ids), BATCH):
        found += read(ids[start : start + BATCH])
    return found


def _cases(t: Thresholds, user: Any | None) -> list[Case]:
    as_of = t.as_of
    statement = select(Case).where(
        _not_after(Case.closed_date, as_of),
        _not_after(Case.decision_date, as_of),
        or_(Case.enquiry_date <= as_of, Case.application_date <= as_of, Case.placement_date <= as_of),
        case_condition(t),
    )
    if user is not None:
        if user.role == Role.SOCIAL_WORKER:
            statement = statement.where(
                or_(
                    Case.allocated_worker_id == user.id,
                    Case.intake_worker_id == user.id,
                    Case.initial_visit_worker_id == user.id,
                )
            )
        elif user.role != Role.MANAGER:
            return []
    return _load(Case, statement, [joinedload(Case.applicants)], None if user is not None else snapshot.cases)


def _households(t: Thresholds, user: Any | None) -> list[Household]:
    statement = select(Household).where(approved_on_clause(t.as_of), household_condition(t))
    statement = _household_scope(statement, user, Household.supervising_worker_id)
    if statement is None:
        return []
    joined = [
        joinedload(Household.members).joinedload(HouseholdMember.dbs_checks).joinedload(DbsCheck.status_checks),
        joinedload(Household.reviews),
    ]
    return _load(Household, statement, joined, None if user is not None else snapshot.households)


def _household_scope(statement: Any, user: Any | None, worker_column: Any) -> Any | None:
    """A social worker's own households; a manager's, those nobody active supervises (they fall to managers)."""
    if user is None:
        return statement
    if user.role == Role.SOCIAL_WORKER:
        return statement.where(worker_column == user.id)
    if user.role == Role.MANAGER:
        # The worker column is a foreign key to "user", so "no active user with that id" is "the id
        # of an inactive user". Put that way PostgreSQL reads the few such households by index before
        # the preselection, instead of preselecting every household of the service first (measured
        # at national size: 40 ms against 430 ms).
        inactive_workers = select(User.id).where(User.active.is_not(True))
        return statement.where(or_(worker_column.is_(None), worker_column.in_(inactive_workers)))
    return None


def _staying_put(t: Thresholds, user: Any | None) -> list[StayingPut]:
    as_of = t.as_of
    statement = (
        select(StayingPut)
        .join(Household, StayingPut.household_id == Household.id)
        .where(StayingPut.start_date <= as_of, _not_after(StayingPut.end_date, as_of), staying_put_condition(t))
        # Joined, so the statements are the same whether or not an arrangement is ending.
        .options(joinedload(StayingPut.household).joinedload(Household.members))
    )
    statement = _household_scope(statement, user, Household.supervising_worker_id)
    if statement is None:
        return []
    return list(db.session.scalars(statement.order_by(StayingPut.id)).unique())


# What the rules read of an agenda item (its meeting, decision, case's applicants, household's people),
# joined into the statement that chooses the items, so the statements are the same whether or not any
# item is live; its conflicts, attendance and determination are not read.
ITEM_JOINED = (
    joinedload(AgendaItem.meeting).lazyload(PanelMeeting.attendance),
    joinedload(AgendaItem.decision).lazyload(AdmDecision.determination),
    joinedload(AgendaItem.case).joinedload(Case.applicants),
    joinedload(AgendaItem.household).joinedload(Household.members),
    lazyload(AgendaItem.conflicts),
)


def _agenda_items(as_of: date, user: Any | None) -> list[AgendaItem]:
    decided = exists().where(AdmDecision.item_id == AgendaItem.id, AdmDecision.decided_on <= as_of)
    papers_pending = and_(PanelMeeting.meeting_date >= as_of, _not_after(AgendaItem.papers_received_on, as_of))
    decision_pending = and_(
        AgendaItem.recommendation.in_([Recommendation.APPROVE, Recommendation.NOT_APPROVE]), ~decided
    )
    statement = (
        select(AgendaItem)
        .join(PanelMeeting, AgendaItem.meeting_id == PanelMeeting.id)
        .where(AgendaItem.withdrawn_on.is_(None), or_(papers_pending, decision_pending))
        .options(*ITEM_JOINED)
    )
    if user is not None:
        if user.role == Role.SOCIAL_WORKER:
            statement = statement.where(AgendaItem.presenter_id == user.id)
        elif user.role == Role.MANAGER:
            statement = statement.where(decision_pending)
        elif user.role != Role.PANEL_ADMIN:
            return []
    return list(db.session.scalars(statement.order_by(AgendaItem.id)).unique())


def _determinations(as_of: date, user: Any | None) -> list[QualifyingDetermination]:
    # Every determination still open on the date: the IRM clock decides whether it is worth a reminder.
    statement = (
        select(QualifyingDetermination)
        .join(AdmDecision, QualifyingDetermination.decision_id == AdmDecision.id)
        .join(AgendaItem, AdmDecision.item_id == AgendaItem.id)
        .where(
            QualifyingDetermination.letter_date.is_not(None),
            QualifyingDetermination.letter_date <= as_of,
            _not_after(QualifyingDetermination.final_decision_date, as_of),
        )
        .options(
            joinedload(QualifyingDetermination.decision).options(
                lazyload(AdmDecision.determination), joinedload(AdmDecision.item).options(*ITEM_JOINED)
            )
        )
    )
    if user is not None:
        if user.role == Role.SOCIAL_WORKER:
            statement = statement.where(AgendaItem.presenter_id == user.id)
        elif user.role != Role.PANEL_ADMIN:
            return []
    return list(db.session.scalars(statement.order_by(QualifyingDetermination.id)).unique())


def cases_by_id(ids: list[int]) -> list[Case]:
    """These cases with their applicants (one statement, whether or not there are any), in id order."""
    statement = select(Case).where(Case.id.in_(ids)).options(joinedload(Case.applicants)).order_by(Case.id)
    return list(db.session.scalars(statement).unique())


def load_sources(
    as_of: date, user: Any | None = None, settings: ReminderSettings | None = None, *, cases: bool = True
) -> Sources:
    """Everything the rules can find due on the date; for `user`, only what can give them a reminder.

    With cases=False the cases are left out (the home page counts those in SQL: reminders/case_sql.py).
    """
    t = Thresholds.for_date(as_of, settings or ReminderSettings.current())
    return Sources(
        cases=_cases(t, user) if cases else [],
        households=_households(t, user),
        staying_put=_staying_put(t, user),
        agenda_items=_agenda_items(as_of, user),
        determinations=_determinations(as_of, user),
    )
