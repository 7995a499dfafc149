"""Loading what the reminder rules read, in a fixed number of queries whatever the amount of data.

The SQL here only narrows what is loaded (open cases, approved households, live panel items); the
rules decide. Every narrowing is looser than the rule it serves, so nothing due is missed. For one
person's home page the load is narrowed further to the records that can give them a reminder.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import selectinload, subqueryload

from carertrack.extensions import db
from carertrack.households.queries import approved_on_clause
from carertrack.models.case import Case
from carertrack.models.dbs import DbsCheck
from carertrack.models.household import Household, HouseholdMember
from carertrack.models.panel import PanelMeeting
from carertrack.models.panel_agenda import AdmDecision, AgendaItem, QualifyingDetermination, Recommendation
from carertrack.models.staying_put import StayingPut
from carertrack.models.user import Role, User
from carertrack.reminders.items import Directory
from carertrack.reminders.rules import Sources


def directory() -> Directory:
    """Every active person who can receive reminders, by role (one query)."""
    return Directory.from_users(db.session.execute(select(User.id, User.role, User.active)).all())


def _not_after(column: Any, as_of: date) -> Any:
    """The event has not happened by the date (no date, or a later one)."""
    return or_(column.is_(None), column > as_of)


def _cases(as_of: date, user: Any | None) -> list[Case]:
    statement = select(Case).where(
        _not_after(Case.closed_date, as_of),
        _not_after(Case.decision_date, as_of),
        or_(Case.enquiry_date <= as_of, Case.application_date <= as_of, Case.placement_date <= as_of),
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
    # A manager's reminders read every open case: load their applicants in one statement (selectin
    # would add one per 500 cases, so the count would grow with the data).
    statement = statement.options(subqueryload(Case.applicants))
    return list(db.session.scalars(statement.order_by(Case.id)).unique())


def _households(as_of: date, user: Any | None) -> list[Household]:
    statement = (
        select(Household)
        .where(approved_on_clause(as_of))
        .options(
            selectinload(Household.members)
            .selectinload(HouseholdMember.dbs_checks)
            .selectinload(DbsCheck.status_checks),
            selectinload(Household.reviews),
        )
    )
    statement = _household_scope(statement, user, Household.supervising_worker_id)
    if statement is None:
        return []
    return list(db.session.scalars(statement.order_by(Household.id)).unique())


def _household_scope(statement: Any, user: Any | None, worker_column: Any) -> Any | None:
    """A social worker's own households; a manager's, those nobody active supervises (they fall to managers)."""
    if user is None:
        return statement
    if user.role == Role.SOCIAL_WORKER:
        return statement.where(worker_column == user.id)
    if user.role == Role.MANAGER:
        active_worker = exists().where(User.id == worker_column, User.active.is_(True))
        return statement.where(or_(worker_column.is_(None), ~active_worker))
    return None


def _staying_put(as_of: date, user: Any | None) -> list[StayingPut]:
    statement = (
        select(StayingPut)
        .join(Household, StayingPut.household_id == Household.id)
        .where(StayingPut.start_date <= as_of, _not_after(StayingPut.end_date, as_of))
        .options(selectinload(StayingPut.household).selectinload(Household.members))
    )
    statement = _household_scope(statement, user, Household.supervising_worker_id)
    if statement is None:
        return []
    return list(db.session.scalars(statement.order_by(StayingPut.id)).unique())


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
        .options(selectinload(AgendaItem.case).selectinload(Case.applicants))
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
            selectinload(QualifyingDetermination.decision)
            .selectinload(AdmDecision.item)
            .selectinload(AgendaItem.case)
            .selectinload(Case.applicants)
        )
    )
    if user is not None:
        if user.role == Role.SOCIAL_WORKER:
            statement = statement.where(AgendaItem.presenter_id == user.id)
        elif user.role != Role.PANEL_ADMIN:
            return []
    return list(db.session.scalars(statement.order_by(QualifyingDetermination.id)).unique())


def load_sources(as_of: date, user: Any | None = None) -> Sources:
    """Everything the rules read on the date; for `user`, only what can give them a reminder."""
    return Sources(
        cases=_cases(as_of, user),
        households=_households(as_of, user),
        staying_put=_staying_put(as_of, user),
        agenda_items=_agenda_items(as_of, user),
        determinations=_determinations(as_of, user),
    )
