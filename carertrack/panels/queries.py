"""Read-only queries for the panel pages, the home panel and reports. A fixed number of statements per
page whatever the amount of data: counts are grouped in SQL, related rows are eager-loaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, lazyload

from carertrack.clocks import Clock, ClockStatus
from carertrack.compliance import DbsRules, HouseholdCompliance
from carertrack.extensions import db
from carertrack.households.queries import compliance_for, load_people
from carertrack.loading import load_collection
from carertrack.models.case import Case
from carertrack.models.household import Household
from carertrack.models.panel import MeetingStatus, PanelMeeting
from carertrack.models.panel_agenda import (
    AdmDecision,
    AgendaItem,
    AgendaItemMove,
    QualifyingDetermination,
    Recommendation,
)
from carertrack.models.user import Role
from carertrack.panels import rules

# A list of agenda items: each item's meeting, case and household joined into the list's statement;
# the cases' applicants by load_applicants and the households' people with their compliance
# (item_views), each in statements that run whether or not the list has rows (carertrack.loading);
# the meetings' attendance and the items' conflicts, which lists do not show, not at all. Lists that
# show the ADM decision add DECISION_JOINED.
ITEM_ROWS = (
    joinedload(AgendaItem.meeting).lazyload(PanelMeeting.attendance),
    joinedload(AgendaItem.case).lazyload(Case.applicants),
    joinedload(AgendaItem.household).lazyload(Household.members),
    lazyload(AgendaItem.conflicts),
)
DECISION_JOINED = joinedload(AgendaItem.decision).lazyload(AdmDecision.determination)


def related(items: Sequence[AgendaItem], attribute: str) -> list[Any]:
    """The items' distinct cases or households (`attribute`), in first-seen order, without the missing."""
    found = (getattr(item, attribute) for item in items)
    return list({record.id: record for record in found if record is not None}.values())


def load_applicants(items: Sequence[AgendaItem]) -> None:
    """The applicants of the items' cases, in one statement (loaded with ITEM_ROWS)."""
    load_collection(related(items, "case"), Case.applicants)


def subject_name(item: AgendaItem) -> str:
    """Who the item is about: the applicants' names, or the household's carers."""
    if item.case is not None:
        from carertrack.cases.rules import applicant_display

        return applicant_display(item.case) or item.case.reference
    if item.household is not None:
        return item.household.name
    return ""


def sees_item(user: Any, item: AgendaItem) -> bool:
    """Everyone but social workers reads every item; a social worker, the items they present or whose case
    or household is theirs."""
    if user.role is not Role.SOCIAL_WORKER:
        return True
    if item.presenter_id == user.id:
        return True
    if item.case is not None and item.case.allocated_worker_id == user.id:
        return True
    return item.household is not None and item.household.supervising_worker_id == user.id


def _own_items_condition(user: Any) -> Any:
    return or_(
        AgendaItem.presenter_id == user.id,
        AgendaItem.case_id.in_(select(Case.id).where(Case.allocated_worker_id == user.id)),
        AgendaItem.household_id.in_(select(Household.id).where(Household.supervising_worker_id == user.id)),
    )


# --- The calendar -------------------------------------------------------------------------------------


@dataclass
class MeetingRow:
    """A meeting as the calendar shows it."""

    meeting: PanelMeeting
    papers_deadline: date
    booked: int = 0
    papers_received: int = 0
    papers_late: int = 0
    papers_missing: int = 0
    quorum: rules.QuorumView | None = None

    @property
    def full(self) -> bool:
        """True when the meeting has no room left."""
        return rules.is_full(self.meeting, self.booked)


def meeting_rows(meetings: Sequence[PanelMeeting]) -> list[MeetingRow]:
    """Capacity used, papers and quorum for each meeting, in one query for all their items (which runs
    whether or not there are any meetings). The meetings' attendance, for the quorum, comes in one more
    statement (their statements carry lazyload(PanelMeeting.attendance))."""
    load_collection(meetings, PanelMeeting.attendance)
    rows = {
        m.id: MeetingRow(m, rules.papers_deadline_for(m.meeting_date), quorum=rules.meeting_quorum(m)) for m in meetings
    }
    items = db.session.execute(
        select(AgendaItem.meeting_id, AgendaItem.papers_received_on).where(
            AgendaItem.meeting_id.in_(list(rows)), AgendaItem.withdrawn_on.is_(None)
        )
    ).all()
    for meeting_id, received in items:
        row = rows[meeting_id]
        row.booked += 1
        if received is None:
            row.papers_missing += 1
        elif received > row.papers_deadline:
            row.papers_late += 1
        else:
            row.papers_received += 1
    return [rows[m.id] for m in meetings]


def upcoming_meetings_statement(today: date) -> Select:
    """Meetings from today on, soonest first (cancelled ones included, marked as such)."""
    return (
        select(PanelMeeting)
        .where(PanelMeeting.meeting_date >= today)
        .options(lazyload(PanelMeeting.attendance))
        .order_by(PanelMeeting.meeting_date, PanelMeeting.start_time, PanelMeeting.id)
    )


def upcoming_meetings(today: date, limit: int | None = None) -> list[PanelMeeting]:
    """Meetings from today on, soonest first; the first `limit` of them when given."""
    statement = upcoming_meetings_statement(today)
    if limit is not None:
        statement = statement.limit(limit)
    return list(db.session.scalars(statement))


def upcoming_count(today: date) -> int:
    """How many meetings there are from today on (one COUNT)."""
    return db.session.scalar(select(func.count(PanelMeeting.id)).where(PanelMeeting.meeting_date >= today)) or 0


def past_meetings_statement(today: date) -> Select:
    """Meetings before today, latest first (for pagination)."""
    return (
        select(PanelMeeting)
        .where(PanelMeeting.meeting_date < today)
        .options(lazyload(PanelMeeting.attendance))
        .order_by(PanelMeeting.meeting_date.desc(), PanelMeeting.start_time.desc(), PanelMeeting.id.desc())
    )


def bookable_meetings(today: date, exclude_id: int | None = None) -> list[PanelMeeting]:
    """Scheduled meetings an item can go to (from a month back, for late recording)."""
    statement = (
        select(PanelMeeting)
        .where(PanelMeeting.status == MeetingStatus.SCHEDULED, PanelMeeting.meeting_date >= today - timedelta(days=31))
        .options(lazyload(PanelMeeting.attendance))
        .order_by(PanelMeeting.meeting_date, PanelMeeting.id)
    )
    if exclude_id is not None:
        statement = statement.where(PanelMeeting.id != exclude_id)
    return list(db.session.scalars(statement))


def bookable_cases_statement() -> Select:
    """Cases that can be booked onto a panel, in reference order (SQL for rules.case_can_go_to_panel)."""
    return (
        select(Case)
        .where(Case.closed_date.is_(None), Case.application_date.is_not(None), Case.decision.is_(None))
        .order_by(Case.reference)
    )


# --- The meeting page ----------------------------------------------------------------------------------


@dataclass
class ItemView:
    """An agenda item with what the pages show about it."""

    item: AgendaItem
    name: str
    papers: rules.PapersStatus
    adm: Clock | None = None
    visible: bool = True
    compliance: HouseholdCompliance | None = None


def household_compliance_of(items: Sequence[AgendaItem], as_of: date) -> dict[int, HouseholdCompliance]:
    """DBS compliance of the households the items are about (loaded with the items), their people
    loaded in three statements whether or not any item is about a household."""
    households = related(items, "household")
    load_people(households)
    return compliance_for(households, as_of, DbsRules.from_settings())


def item_views(items: Sequence[AgendaItem], deadline_for: Any, today: date, user: Any | None = None) -> list[ItemView]:
    """Each item with its subject's name, papers status, ADM clock and (for a household) DBS compliance."""
    compliance = household_compliance_of(items, today)
    views = []
    for item in items:
        deadline = deadline_for(item.meeting.meeting_date)
        views.append(
            ItemView(
                item=item,
                name=subject_name(item),
                papers=rules.papers_status(item.papers_received_on, deadline, today),
                adm=rules.adm_clock(item, today),
                visible=user is None or sees_item(user, item),
                compliance=compliance.get(item.household_id) if item.household_id is not None else None,
            )
        )
    return views


def meeting_items(meeting: PanelMeeting) -> tuple[list[AgendaItem], list[AgendaItem]]:
    """The agenda in order, and the items taken off it."""
    items = db.session.scalars(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id)
        .options(*ITEM_ROWS, DECISION_JOINED)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    load_applicants(items)
    load_collection(items, AgendaItem.conflicts)
    return [i for i in items if i.active], [i for i in items if not i.active]


def moved_away(meeting: PanelMeeting) -> list[AgendaItemMove]:
    """Items moved from this meeting to another, with why."""
    return list(
        db.session.scalars(
            select(AgendaItemMove)
            .where(AgendaItemMove.from_meeting_id == meeting.id)
            # The items (only their subjects' references are shown) in the same statement.
            .options(joinedload(AgendaItemMove.item).options(*ITEM_ROWS, lazyload(AgendaItem.decision)))
            .order_by(AgendaItemMove.moved_at)
        )
    )


def item_moves(item: AgendaItem) -> list[AgendaItemMove]:
    """The item's booking history, oldest first."""
    return list(
        db.session.scalars(
            select(AgendaItemMove).where(AgendaItemMove.item_id == item.id).order_by(AgendaItemMove.moved_at)
        )
    )


# --- Decisions awaited and determinations open -------------------------------------------------------------


def awaiting_decision() -> list[AgendaItem]:
    """Items with a recommendation to approve or not approve and no ADM decision yet.

    Loaded as ITEM_ROWS; the decision (none) comes from the statement's own join.
    """
    items = list(
        db.session.scalars(
            select(AgendaItem)
            .outerjoin(AdmDecision, AdmDecision.item_id == AgendaItem.id)
            .where(
                AdmDecision.id.is_(None),
                AgendaItem.withdrawn_on.is_(None),
                AgendaItem.recommendation.in_([Recommendation.APPROVE, Recommendation.NOT_APPROVE]),
            )
            .options(*ITEM_ROWS, contains_eager(AgendaItem.decision))
        )
    )
    load_applicants(items)
    return items


def _clock_order(clock: Clock | None) -> tuple[int, date]:
    if clock is None or clock.status is None:
        return 3, date.max
    return 2 - clock.status.rank, clock.deadline


def awaiting_views(today: date) -> list[ItemView]:
    """The ADM decisions awaited, most urgent first (those still waiting for minutes last)."""
    views = item_views(awaiting_decision(), rules.papers_deadline_for, today)
    return sorted(views, key=lambda v: (_clock_order(v.adm), v.item.recommendation_date or date.max))


@dataclass
class DeterminationView:
    """A qualifying determination with its subject and 28-day clock."""

    determination: QualifyingDetermination
    item: AgendaItem
    name: str
    clock: Clock | None = field(default=None)


def open_determinations(today: date) -> list[DeterminationView]:
    """Determinations with no final decision, most urgent first."""
    determinations = db.session.scalars(
        select(QualifyingDetermination)
        .where(QualifyingDetermination.final_decision.is_(None))
        .options(
            joinedload(QualifyingDetermination.decision).options(
                lazyload(AdmDecision.determination),
                joinedload(AdmDecision.item).options(*ITEM_ROWS, DECISION_JOINED),
            )
        )
    ).all()
    items = [qd.item for qd in determinations]
    load_applicants(items)
    load_people(related(items, "household"))
    views = [DeterminationView(qd, qd.item, subject_name(qd.item), rules.irm_clock(qd, today)) for qd in determinations]
    return sorted(views, key=lambda v: (_clock_order(v.clock), v.determination.decision.decided_on))


# --- Social workers' items -------------------------------------------------------------------------------


def own_items_statement(user: Any, today: date) -> Select:
    """The items a social worker presents or whose case or household is theirs: upcoming first, then recent
    (loaded as ITEM_ROWS with their decisions: call load_applicants on the page's items)."""
    return (
        select(AgendaItem)
        .join(PanelMeeting, AgendaItem.meeting_id == PanelMeeting.id)
        .where(_own_items_condition(user))
        .options(*ITEM_ROWS, DECISION_JOINED)
        .order_by((PanelMeeting.meeting_date < today), PanelMeeting.meeting_date.desc(), AgendaItem.position)
    )


# --- The home panel ------------------------------------------------------------------------------------


@dataclass
class HomeSummary:
    """What a panel administrator sees first."""

    next_meeting: MeetingRow | None
    papers_outstanding: int
    decisions_awaited: int
    decisions_late: int
    determinations_open: int


def home_summary(today: date) -> HomeSummary:
    """Next meeting, papers outstanding for upcoming meetings, ADM decisions awaited, determinations open."""
    scheduled = upcoming_meetings_statement(today).where(PanelMeeting.status == MeetingStatus.SCHEDULED)
    rows = meeting_rows(list(db.session.scalars(scheduled.limit(1))))
    # meeting_rows' "papers missing", counted in SQL over every scheduled upcoming meeting.
    outstanding = db.session.scalar(
        select(func.count(AgendaItem.id))
        .join(PanelMeeting, AgendaItem.meeting_id == PanelMeeting.id)
        .where(
            PanelMeeting.meeting_date >= today,
            PanelMeeting.status == MeetingStatus.SCHEDULED,
            AgendaItem.withdrawn_on.is_(None),
            AgendaItem.papers_received_on.is_(None),
        )
    )
    awaited = awaiting_views(today)
    open_count = db.session.scalar(
        select(func.count(QualifyingDetermination.id)).where(QualifyingDetermination.final_decision.is_(None))
    )
    return HomeSummary(
        next_meeting=rows[0] if rows else None,
        papers_outstanding=outstanding or 0,
        decisions_awaited=len(awaited),
        decisions_late=sum(1 for v in awaited if v.adm is not None and v.adm.status is ClockStatus.BREACHED),
        determinations_open=open_count or 0,
    )
