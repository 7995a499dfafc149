"""Changes to panel business: members, meetings, attendance and the agenda.

Outcomes, ADM decisions, approval and qualifying determinations are in decisions.py. Every change is
audited by the recorder in the same flush; the caller (a route, the demo) commits once. Refusals
raise :class:`PanelError` with a GOV.UK-style message (and the form field it belongs to, if any).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select

from carertrack.audit.recorder import current_actor
from carertrack.cases.services import advance_stage
from carertrack.extensions import db
from carertrack.models.base import utcnow
from carertrack.models.case import Case
from carertrack.models.household import Household
from carertrack.models.panel import MeetingStatus, PanelAttendance, PanelMeeting, PanelMember, PanelRole
from carertrack.models.panel_agenda import AgendaItem, AgendaItemMove, ItemConflict, ItemKind
from carertrack.panels import rules


class PanelError(Exception):
    """A change the rules refuse; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class MeetingFull(PanelError):
    """The meeting has no room left and no override reason was given."""


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _touch(record: PanelMeeting | AgendaItem) -> None:
    """Bump the record's version when only its child rows change, so a stale form is still refused."""
    record.updated_at = utcnow()


# --- Members ----------------------------------------------------------------------------------------


@dataclass
class MemberValues:
    """What the member form collects."""

    name: str
    role: PanelRole
    independent: bool
    experience_years: int | None
    start_date: date
    end_date: date | None = None


def save_member(values: MemberValues, member: PanelMember | None = None) -> PanelMember:
    """Add a member to the central list, or change one."""
    if member is None:
        member = PanelMember()
        db.session.add(member)
    member.name = values.name.strip()
    member.role = values.role
    member.independent = values.independent
    member.experience_years = values.experience_years
    member.start_date = values.start_date
    member.end_date = values.end_date
    return member


# --- Meetings ---------------------------------------------------------------------------------------


@dataclass
class MeetingValues:
    """What the meeting form collects."""

    meeting_date: date
    start_time: time
    online: bool
    venue: str | None
    capacity: int
    chair_id: int | None = None


def active_item_count(meeting: PanelMeeting) -> int:
    """Items on the meeting's agenda that have not been taken off it."""
    return db.session.scalar(
        select(func.count())
        .select_from(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.withdrawn_on.is_(None))
    )


def _check_chair(chair_id: int | None, meeting_date: date) -> None:
    if chair_id is None:
        return
    chair = db.session.get(PanelMember, chair_id)
    if chair is None or not chair.serves_on(meeting_date):
        raise PanelError("Select a chair who is on the panel on the date of the meeting", "chair_id")


def create_meeting(values: MeetingValues) -> PanelMeeting:
    """Schedule a meeting."""
    _check_chair(values.chair_id, values.meeting_date)
    meeting = PanelMeeting(status=MeetingStatus.SCHEDULED)
    _apply_meeting(meeting, values)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _apply_meeting(meeting: PanelMeeting, values: MeetingValues) -> None:
    meeting.meeting_date = values.meeting_date
    meeting.start_time = values.start_time
    meeting.online = values.online
    meeting.venue = _clean(values.venue)
    meeting.capacity = values.capacity
    meeting.chair_id = values.chair_id


def update_meeting(meeting: PanelMeeting, values: MeetingValues) -> None:
    """Change a meeting; its booked cases' panel dates follow a change of date."""
    if meeting.status is MeetingStatus.CANCELLED:
        raise PanelError("This meeting was cancelled. It cannot be changed.")
    _check_chair(values.chair_id, values.meeting_date)
    booked = active_item_count(meeting)
    if values.capacity < booked:
        raise PanelError(
            f"Capacity cannot be less than the {booked} items already on the agenda. Move items first.", "capacity"
        )
    moved = values.meeting_date != meeting.meeting_date
    if moved and meeting.status is MeetingStatus.HELD:
        # Its recommendations are dated by it: the ADM clocks and the cases' timescales depend on that.
        raise PanelError("The meeting has been held, so its date cannot be changed", "meeting_date")
    _apply_meeting(meeting, values)
    if moved:
        for item in agenda(meeting):
            _follow_booking(item)


def cancel_meeting(meeting: PanelMeeting, reason: str) -> None:
    """Cancel a meeting that has nothing left on its agenda."""
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise PanelError(f"Only a scheduled meeting can be cancelled. This one is {meeting.status.value}.")
    booked = active_item_count(meeting)
    if booked:
        raise PanelError(
            f"Move the {booked} {'item' if booked == 1 else 'items'} on this agenda to another meeting "
            "before cancelling it",
            "reason",
        )
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason.strip()


def _attendance_row(meeting: PanelMeeting, member_id: int) -> PanelAttendance:
    for row in meeting.attendance:
        if row.member_id == member_id:
            return row
    row = PanelAttendance(member_id=member_id, expected=False)
    meeting.attendance.append(row)
    return row


def serving_members(on: date) -> list[PanelMember]:
    """Members on the panel on a day, chairs first, then by name."""
    members = db.session.scalars(
        select(PanelMember)
        .where(PanelMember.start_date <= on, (PanelMember.end_date.is_(None)) | (PanelMember.end_date >= on))
        .order_by(PanelMember.name, PanelMember.id)
    ).all()
    order = list(PanelRole)
    return sorted(members, key=lambda m: order.index(m.role))


def set_expected(meeting: PanelMeeting, member_ids: set[int]) -> None:
    """Record who is expected, so the page can warn before the day if the quorum is at risk."""
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise PanelError("Expected attendance can only be changed before the meeting is held.")
    serving = {m.id for m in serving_members(meeting.meeting_date)}
    unknown = member_ids - serving
    if unknown:
        raise PanelError("Select members who are on the panel on the date of the meeting", "members")
    _touch(meeting)
    for member_id in member_ids:
        _attendance_row(meeting, member_id).expected = True
    for row in meeting.attendance:
        if row.member_id not in member_ids:
            row.expected = False


def record_attendance(meeting: PanelMeeting, member_ids: set[int], today: date) -> list[str]:
    """Record who was present, mark the meeting held and record its quorum. Returns the quorum problems."""
    if meeting.status is MeetingStatus.CANCELLED:
        raise PanelError("This meeting was cancelled. Attendance cannot be recorded.")
    if meeting.meeting_date > today:
        raise PanelError("Attendance can only be recorded on or after the day of the meeting.", "members")
    serving = {m.id: m for m in serving_members(meeting.meeting_date)}
    if member_ids - set(serving):
        raise PanelError("Select members who were on the panel on the date of the meeting", "members")
    _touch(meeting)
    # Everyone serving gets a row, so the meeting page can show who was absent as well as present.
    for member_id in serving:
        _attendance_row(meeting, member_id)
    for row in meeting.attendance:
        row.present = row.member_id in member_ids
    present = [serving[member_id] for member_id in member_ids]
    problems = rules.quorum_problems(present, chair_id=meeting.chair_id)
    meeting.quorate = not problems
    meeting.quorum_problems = "\n".join(problems) or None
    meeting.status = MeetingStatus.HELD
    return problems


# --- The agenda -------------------------------------------------------------------------------------


def agenda(meeting: PanelMeeting) -> list[AgendaItem]:
    """The meeting's items still on its agenda, in order."""
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id, AgendaItem.withdrawn_on.is_(None))
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def _sets_case_panel_date(item: AgendaItem) -> bool:
    # A regulation 25 extension asks the panel's views on the temporary approval, not the assessment.
    return item.case is not None and item.kind is not ItemKind.REG25_EXTENSION


def _follow_booking(item: AgendaItem) -> None:
    """The case's booked and predicted panel dates follow the item's meeting (until it is decided)."""
    if not _sets_case_panel_date(item) or item.case.decision is not None:
        return
    meeting = item.meeting or db.session.get(PanelMeeting, item.meeting_id)
    item.case.panel_date = meeting.meeting_date
    item.case.predicted_panel_date = meeting.meeting_date
    advance_stage(item.case)


def _check_room(meeting: PanelMeeting, override_reason: str | None) -> str | None:
    """Refuse a meeting that takes no bookings, or a full one without a reason; the reason kept if needed."""
    if not rules.takes_bookings(meeting):
        raise PanelError(
            f"The meeting on {meeting.meeting_date:%d/%m/%Y} is {meeting.status.value}. It cannot take items.",
            "meeting_id",
        )
    if not rules.is_full(meeting, active_item_count(meeting)):
        return None
    reason = _clean(override_reason)
    if reason is None:
        raise MeetingFull(
            f"The meeting is full ({meeting.capacity} items). Give a reason to book it over capacity, "
            "or choose another meeting",
            "over_capacity_reason",
        )
    return reason


def open_item_for(case: Case | None = None, household: Household | None = None) -> AgendaItem | None:
    """An item for the case or household still waiting for its panel (on an agenda, no outcome yet)."""
    statement = select(AgendaItem).where(AgendaItem.withdrawn_on.is_(None), AgendaItem.recommendation.is_(None))
    if case is not None:
        statement = statement.where(AgendaItem.case_id == case.id)
    else:
        statement = statement.where(AgendaItem.household_id == household.id)
    return db.session.scalars(statement.limit(1)).first()


@dataclass
class BookingValues:
    """What the booking form collects."""

    kind: ItemKind
    presenter_id: int
    case: Case | None = None
    household: Household | None = None
    papers_received_on: date | None = None
    notes: str | None = None
    over_capacity_reason: str | None = None


def book_item(meeting: PanelMeeting, values: BookingValues) -> AgendaItem:
    """Put an item on a meeting's agenda; a case's panel date (and predicted date) follow the booking."""
    if values.kind.about_case:
        if values.case is None:
            raise PanelError("Select the case", "case_id")
        if values.case.is_closed:
            raise PanelError(f"Case {values.case.reference} is closed. It cannot go to panel.", "case_id")
        if values.case.decision is not None and values.kind is not ItemKind.REG25_EXTENSION:
            raise PanelError(f"Case {values.case.reference} already has an agency decision.", "case_id")
        subject_item = open_item_for(case=values.case)
    else:
        if values.household is None:
            raise PanelError("Select the household", "household_id")
        subject_item = open_item_for(household=values.household)
    if subject_item is not None:
        raise PanelError(
            f"{subject_item.subject.reference} is already on the agenda for "
            f"{subject_item.meeting.meeting_date:%d/%m/%Y}. Move that item instead.",
            "case_id" if values.kind.about_case else "household_id",
        )
    override = _check_room(meeting, values.over_capacity_reason)
    position = (
        db.session.scalar(
            select(func.max(AgendaItem.position)).where(
                AgendaItem.meeting_id == meeting.id, AgendaItem.withdrawn_on.is_(None)
            )
        )
        or 0
    ) + 1
    item = AgendaItem(
        meeting=meeting,
        kind=values.kind,
        case=values.case if values.kind.about_case else None,
        household=None if values.kind.about_case else values.household,
        presenter_id=values.presenter_id,
        position=position,
        papers_received_on=values.papers_received_on,
        notes=_clean(values.notes),
        over_capacity_reason=override,
    )
    db.session.add(item)
    db.session.flush()
    _follow_booking(item)
    return item


def _require_undecided(item: AgendaItem, action: str) -> None:
    """Only an item with no recommendation yet can move or come off (an inquorate panel's items can)."""
    if item.recommendation is not None:
        raise PanelError(f"The panel has already made its recommendation on this item, so it cannot be {action}.")
    if not item.active:
        raise PanelError(f"This item was taken off the agenda, so it cannot be {action}.")


def move_item(item: AgendaItem, target: PanelMeeting, reason: str, over_capacity_reason: str | None = None) -> None:
    """Move an item to another meeting, recording why; the case's panel dates follow."""
    _require_undecided(item, "moved")
    if target.id == item.meeting_id:
        raise PanelError("Select a different meeting", "meeting_id")
    override = _check_room(target, over_capacity_reason)
    actor_id, _label = current_actor()
    db.session.add(
        AgendaItemMove(
            item=item,
            from_meeting_id=item.meeting_id,
            to_meeting_id=target.id,
            reason=reason.strip(),
            moved_by_id=actor_id,
        )
    )
    last = db.session.scalar(
        select(func.max(AgendaItem.position)).where(
            AgendaItem.meeting_id == target.id, AgendaItem.withdrawn_on.is_(None)
        )
    )
    item.meeting = target
    item.position = (last or 0) + 1
    item.over_capacity_reason = override
    db.session.flush()
    _follow_booking(item)


def withdraw_item(item: AgendaItem, reason: str, on: date) -> None:
    """Take an item off the agenda; a case's booked panel date is cleared (its prediction stays)."""
    _require_undecided(item, "taken off the agenda")
    item.withdrawn_on = on
    item.withdrawn_reason = reason.strip()
    if _sets_case_panel_date(item) and item.case.decision is None:
        item.case.panel_date = None


def reorder_item(item: AgendaItem, direction: int) -> None:
    """Swap the item with its neighbour above (-1) or below (+1) on the agenda."""
    items = agenda(item.meeting)
    index = next(i for i, other in enumerate(items) if other.id == item.id)
    other_index = index + direction
    if not 0 <= other_index < len(items):
        return
    # Renumber first so equal or gapped positions still swap cleanly.
    for number, each in enumerate(items, start=1):
        each.position = number
    items[index].position, items[other_index].position = items[other_index].position, items[index].position


def record_papers(item: AgendaItem, received_on: date | None) -> None:
    """The date the item's papers reached panel members (blank to clear)."""
    item.papers_received_on = received_on


def add_conflict(item: AgendaItem, member: PanelMember, note: str) -> ItemConflict:
    """A member's declared conflict of interest on the item."""
    conflict = ItemConflict(member=member, note=note.strip())
    item.conflicts.append(conflict)
    _touch(item)
    db.session.flush()
    return conflict


def remove_conflict(conflict: ItemConflict) -> None:
    """Remove a conflict recorded in error (the audit log keeps it)."""
    _touch(conflict.item)
    conflict.item.conflicts.remove(conflict)
