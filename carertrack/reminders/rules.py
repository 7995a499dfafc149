"""What is due, for whom: every reminder rule, derived from the same functions the pages use.

Each rule reads a record through its domain rule (carertrack.cases.rules, carertrack.compliance,
carertrack.panels.rules, carertrack.clocks) and never re-implements a clock; it only decides whether
the clock's position deserves a reminder, who gets it, and how the reminder reads. No writes, no
queries: the records come loaded (carertrack/reminders/sources.py) and settings come in a
:class:`ReminderSettings`. The panel rule functions read their own settings, so an app context is
needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from carertrack import compliance
from carertrack.cases import rules as case_rules
from carertrack.clocks import REG24_WEEKS, ClockStatus, add_months_clamped, working_days_between
from carertrack.formatting import format_date
from carertrack.models.household import MemberRole
from carertrack.models.panel import MeetingStatus
from carertrack.panels import rules as panel_rules
from carertrack.reminders import items as keys
from carertrack.reminders.items import Directory, Item, Link, first_name, most_urgent_first


@dataclass(frozen=True)
class ReminderSettings:
    """The lead times the rules use: local practice, so settings (defaults as in carertrack.settings)."""

    clocks: case_rules.ClockSettings = field(default_factory=case_rules.ClockSettings)
    dbs: compliance.DbsRules = field(default_factory=compliance.DbsRules)
    review_due_soon_days: int = 42
    training_due_soon_days: int = 61
    reg24_first_weeks: int = 12
    reg24_second_weeks: int = 14
    papers_working_days: int = 3
    adm_working_days: int = 5
    irm_days: int = 7
    staying_put_months: int = 3

    @classmethod
    def current(cls) -> ReminderSettings:
        """The values an administrator has set (needs an app context)."""
        from carertrack.settings import get_setting

        return cls(
            clocks=case_rules.ClockSettings.current(),
            dbs=compliance.DbsRules.from_settings(),
            review_due_soon_days=int(get_setting("review_due_soon_days")),
            training_due_soon_days=int(get_setting("training_due_soon_days")),
            reg24_first_weeks=int(get_setting("reg24_first_reminder_weeks")),
            reg24_second_weeks=int(get_setting("reg24_second_reminder_weeks")),
            papers_working_days=int(get_setting("papers_reminder_working_days")),
            adm_working_days=int(get_setting("adm_reminder_working_days")),
            irm_days=int(get_setting("irm_reminder_days")),
            staying_put_months=int(get_setting("staying_put_reminder_months")),
        )


@dataclass
class Sources:
    """The records the rules read, loaded beforehand in a fixed number of queries."""

    cases: list[Any] = field(default_factory=list)
    households: list[Any] = field(default_factory=list)
    staying_put: list[Any] = field(default_factory=list)
    agenda_items: list[Any] = field(default_factory=list)
    determinations: list[Any] = field(default_factory=list)


def due_items(sources: Sources, as_of: date, directory: Directory, settings: ReminderSettings) -> list[Item]:
    """Every reminder due on the date, most urgent first. Items with nobody to tell are dropped."""
    found: list[Item] = []
    for case in sources.cases:
        found += case_items(case, as_of, directory, settings)
    for household in sources.households:
        found += household_items(household, as_of, directory, settings)
    for arrangement in sources.staying_put:
        found += staying_put_items(arrangement, as_of, directory, settings)
    for item in sources.agenda_items:
        found += agenda_items(item, as_of, directory, settings)
    for determination in sources.determinations:
        found += determination_items(determination, as_of, directory, settings)
    return most_urgent_first(i for i in found if i.recipients)


def for_recipient(items: Iterable[Item], recipient_id: int) -> list[Item]:
    """The items one person gets, most urgent first."""
    return most_urgent_first(i for i in items if recipient_id in i.recipients)


# --- Words ----------------------------------------------------------------------------------------


def _on(day: date) -> str:
    return format_date(day)


def _weeks(n: int) -> str:
    return f"{n} week{'' if n == 1 else 's'}"


def case_subject(case: Any) -> str:
    """'FC-2026-0042 (Jane and Tom)': the reference and the applicants' first names."""
    names = [first_name(a.name) for a in sorted(case.applicants, key=lambda a: a.position) if a.name]
    names = [n for n in names if n]
    return f"{case.reference} ({' and '.join(names[:2])})" if names else case.reference


def household_subject(household: Any) -> str:
    """'Household HH-0042 (Jane and Tom)': the reference and the current carers' first names."""
    carers = [m for m in household.members if m.role == MemberRole.CARER and m.left_date is None]
    names = [first_name(m.name) for m in carers if first_name(m.name)]
    return (
        f"Household {household.reference} ({' and '.join(names[:2])})" if names else f"Household {household.reference}"
    )


def member_subject(household: Any, member: Any) -> str:
    """'Household HH-0042: Jamie'."""
    return f"Household {household.reference}: {first_name(member.name)}"


def item_subject(item: Any) -> str:
    """An agenda item's case or household, by reference and first names."""
    if item.case is not None:
        return case_subject(item.case)
    if item.household is not None:
        return household_subject(item.household)
    return f"Panel item {item.id}"


def _case_link(case: Any) -> Link:
    return Link.to("cases.show", case_id=case.id)


def _household_link(household: Any, anchor: str | None = None) -> Link:
    return Link.to("households.view", anchor=anchor, household_id=household.id)


def _item_link(item: Any) -> Link:
    return Link.to("panels.item", item_id=item.id)


# --- Cases: the 8-month clock, regulation 24 and first contact ----------------------------------------


def case_items(case: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> list[Item]:
    """The 8-month clock at risk or breached, the temporary approval's milestones, and first contact overdue."""
    return [
        *_eight_month(case, as_of, directory, settings),
        *_reg24(case, as_of, directory, settings),
        *_first_contact(case, as_of, directory, settings),
    ]


def _case_item(
    case: Any,
    rule: str,
    *,
    due: date,
    title: str,
    detail: str,
    urgent: bool,
    recipients: tuple[int, ...],
    directory: Directory,
) -> Item:
    return Item(
        rule=rule,
        record_type="Case",
        record_id=case.id,
        due_date=due,
        title=title,
        subject=case_subject(case),
        detail=detail,
        link=_case_link(case),
        urgent=urgent,
        recipients=recipients,
        managers=frozenset(directory.managers) & frozenset(recipients),
    )


def _eight_month(case: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> Iterator[Item]:
    """At risk or breached: the assessing (allocated) social worker and the managers."""
    clock = case_rules.eight_month_clock(case, as_of, settings.clocks)
    if clock is None or clock.status is None or clock.status is ClockStatus.ON_TRACK:
        return
    recipients = directory.worker_and_managers(case.allocated_worker_id)
    if clock.status is ClockStatus.BREACHED:
        yield _case_item(
            case,
            keys.EIGHT_MONTH_BREACHED,
            due=clock.deadline,
            title="8-month timescale breached",
            detail=f"The deadline was {_on(clock.deadline)} and there is no panel recommendation yet.",
            urgent=True,
            recipients=recipients,
            directory=directory,
        )
    else:
        yield _case_item(
            case,
            keys.EIGHT_MONTH_AT_RISK,
            due=clock.deadline,
            title="8-month timescale at risk",
            detail=f"Panel recommendation needed by {_on(clock.deadline)}.",
            urgent=False,
            recipients=recipients,
            directory=directory,
        )


def _reg24(case: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> Iterator[Item]:
    """Temporary approval: reminders at 12 and 14 weeks, an extension decision when at risk, and expiry."""
    clock = case_rules.reg24_clock(case, as_of, settings.clocks)
    if clock is None or clock.status is None:
        return
    deadline = clock.deadline
    if as_of >= deadline:
        if as_of == deadline:
            detail = f"The temporary approval ends on {_on(deadline)}: a decision is needed now."
        else:
            detail = f"The temporary approval ended on {_on(deadline)} with no decision."
        yield _case_item(
            case,
            keys.REG24_EXPIRY,
            due=deadline,
            title="Temporary approval has ended",
            detail=detail,
            urgent=True,
            recipients=directory.worker_and_managers(case.allocated_worker_id),
            directory=directory,
        )
        return
    granted = case.extension_granted_date is not None and case.extension_granted_date <= as_of
    if clock.status is ClockStatus.AT_RISK and not granted and not case.extension_pending_irm:
        yield _case_item(
            case,
            keys.REG24_EXTENSION,
            due=deadline,
            title="Temporary approval extension decision needed",
            detail=f"No panel date before the temporary approval ends on {_on(deadline)}; decide whether to seek an extension.",
            urgent=False,
            recipients=directory.worker_and_managers(case.allocated_worker_id),
            directory=directory,
        )
    # The milestones count from the placement, moved on by any extension granted (they sit the same
    # distance before the deadline as 12 and 14 weeks sit before the 16).
    milestones = [
        (keys.REG24_SECOND, settings.reg24_second_weeks),
        (keys.REG24_FIRST, settings.reg24_first_weeks),
    ]
    for rule, weeks in sorted(milestones, key=lambda m: -m[1]):
        reached = deadline - timedelta(weeks=REG24_WEEKS - weeks)
        if as_of >= reached:
            yield _case_item(
                case,
                rule,
                due=reached,
                title=f"Temporary approval: {_weeks(weeks)} reached",
                detail=f"The temporary approval ends on {_on(deadline)}.",
                urgent=False,
                recipients=directory.worker_or_managers(case.allocated_worker_id),
                directory=directory,
            )
            break  # only the latest milestone reached


def _first_contact(case: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> Iterator[Item]:
    """First contact overdue: the worker who took the enquiry, or the managers who allocate enquiries."""
    clock = case_rules.first_contact_clock(case, as_of, settings.clocks)
    if clock is None or clock.status is not ClockStatus.BREACHED:
        return
    yield _case_item(
        case,
        keys.FIRST_CONTACT_OVERDUE,
        due=clock.deadline,
        title="First contact overdue",
        detail=f"The enquirer should have been contacted by {_on(clock.deadline)}.",
        urgent=True,
        recipients=directory.worker_or_managers(case.intake_worker_id, case.initial_visit_worker_id),
        directory=directory,
    )


# --- Approved households: DBS, turning 18, reviews, training -----------------------------------------


def _household_item(
    household: Any,
    rule: str,
    *,
    record_type: str,
    record_id: int,
    due: date,
    title: str,
    subject: str,
    detail: str,
    urgent: bool,
    directory: Directory,
    anchor: str | None = None,
) -> Item:
    recipients = directory.worker_or_managers(household.supervising_worker_id)
    return Item(
        rule=rule,
        record_type=record_type,
        record_id=record_id,
        due_date=due,
        title=title,
        subject=subject,
        detail=detail,
        link=_household_link(household, anchor),
        urgent=urgent,
        recipients=recipients,
        managers=frozenset(directory.managers) & frozenset(recipients),
    )


def household_items(household: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> list[Item]:
    """DBS due soon, expired or missing, a child turning 18 without one, the annual review and training standards.

    All go to the supervising social worker (the managers when the household has none).
    """
    if not compliance.is_approved_on(household, as_of):
        return []
    return [
        *_dbs(household, as_of, directory, settings),
        *_review(household, as_of, directory, settings),
        *_training(household, as_of, directory, settings),
    ]


def _needed_since(household: Any, member: Any) -> date:
    """A stable date for an adult's missing DBS (the reminder key), from when the check was first needed.

    compliance.dbs_status gives a missing adult the as-of date as due date, which moves every day;
    as a key that would repeat the reminder daily.
    """
    days = [household.approval_date, member.joined_date]
    if member.date_of_birth is not None:
        days.append(compliance.birthday(member.date_of_birth, compliance.ADULT_AGE))
    return max(d for d in days if d is not None)


def _dbs(household: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> Iterator[Item]:
    for person in household_dbs(household, as_of, settings.dbs):
        member = person.member
        due = person.due_date
        if person.status is compliance.DbsStatus.EXPIRED:
            rule, title, urgent = keys.DBS_EXPIRED, "DBS check expired", True
            detail = "Their DBS check is out of date."
        elif person.status is compliance.DbsStatus.DUE_SOON:
            rule, title, urgent = keys.DBS_DUE_SOON, "DBS check due for renewal", False
            detail = f"Their DBS check needs renewing within {settings.dbs.due_soon_days} days."
        elif compliance.is_adult_on(member.date_of_birth, as_of) or member.role != MemberRole.CHILD_MEMBER:
            rule, title, urgent = keys.DBS_MISSING, "No DBS check", True
            due = _needed_since(household, member)
            detail = "They need an enhanced DBS check with the children's barred list."
        else:
            rule, title, urgent = keys.DBS_TURNING_18, "Turning 18 without a DBS check", False
            detail = f"They turn 18 within {settings.dbs.window_months} months and need a DBS check before then."
        yield _household_item(
            household,
            rule,
            record_type="HouseholdMember",
            record_id=member.id,
            due=due,
            title=title,
            subject=member_subject(household, member),
            detail=detail,
            urgent=urgent,
            directory=directory,
            anchor="people",
        )


def household_dbs(household: Any, as_of: date, rules: compliance.DbsRules) -> list[compliance.PersonDbs]:
    """The household's people whose DBS is not current, from compliance (the single source of truth)."""
    return compliance.household_compliance(household, as_of, rules).exceptions


def _review(household: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> Iterator[Item]:
    position = compliance.review_position(
        household.approval_date, [r.completed_date for r in household.reviews], as_of, settings.review_due_soon_days
    )
    first = " (the first review goes to panel)" if position.first else ""
    if position.status is compliance.DueStatus.OVERDUE:
        yield _household_item(
            household,
            keys.REVIEW_OVERDUE,
            record_type="Household",
            record_id=household.id,
            due=position.due_date,
            title="Annual review overdue",
            subject=household_subject(household),
            detail=f"The annual review was due by {_on(position.due_date)}{first}.",
            urgent=True,
            directory=directory,
            anchor="reviews",
        )
    elif position.status is compliance.DueStatus.DUE_SOON:
        yield _household_item(
            household,
            keys.REVIEW_DUE_SOON,
            record_type="Household",
            record_id=household.id,
            due=position.due_date,
            title="Annual review due",
            subject=household_subject(household),
            detail=f"The annual review is due by {_on(position.due_date)}{first}.",
            urgent=False,
            directory=directory,
            anchor="reviews",
        )


def _training(household: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> Iterator[Item]:
    for member in household.members:
        if member.role != MemberRole.CARER or not compliance.lives_there_on(member, as_of):
            continue
        status, due = compliance.training_status(
            household.approval_date,
            household.carer_type,
            member.tsd_completed_date,
            as_of,
            settings.training_due_soon_days,
        )
        if status is compliance.DueStatus.OVERDUE:
            rule, title, detail, urgent = (
                keys.TRAINING_OVERDUE,
                "Training standards overdue",
                f"Training, Support and Development Standards were due by {_on(due)}.",
                True,
            )
        elif status is compliance.DueStatus.DUE_SOON:
            rule, title, detail, urgent = (
                keys.TRAINING_DUE_SOON,
                "Training standards due",
                f"Training, Support and Development Standards are due by {_on(due)}.",
                False,
            )
        else:
            continue
        yield _household_item(
            household,
            rule,
            record_type="HouseholdMember",
            record_id=member.id,
            due=due,
            title=title,
            subject=member_subject(household, member),
            detail=detail,
            urgent=urgent,
            directory=directory,
            anchor="people",
        )


# --- Staying put ----------------------------------------------------------------------------------------


def staying_put_items(arrangement: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> list[Item]:
    """An arrangement ending within the window (default 3 months): the supervising social worker."""
    window = (add_months_clamped(as_of, settings.staying_put_months) - as_of).days
    if not compliance.ending_within_days(arrangement, as_of, window):
        return []
    household = arrangement.household
    # The end date may be the young person's 21st birthday, so it is a key here but never shown.
    return [
        _household_item(
            household,
            keys.STAYING_PUT_ENDING,
            record_type="StayingPut",
            record_id=arrangement.id,
            due=compliance.staying_put_ends(arrangement),
            title="Staying-put arrangement ending",
            subject=f"Household {household.reference}: young person {arrangement.young_person_reference}",
            detail=f"The arrangement ends within {settings.staying_put_months} months: plan the move on.",
            urgent=False,
            directory=directory,
            anchor="staying-put",
        )
    ]


# --- Panel: papers, ADM decisions, qualifying determinations ------------------------------------------


def _panel_item(
    item: Any,
    rule: str,
    *,
    record_type: str,
    record_id: int,
    due: date,
    title: str,
    detail: str,
    urgent: bool,
    recipients: tuple[int, ...],
    directory: Directory,
) -> Item:
    return Item(
        rule=rule,
        record_type=record_type,
        record_id=record_id,
        due_date=due,
        title=title,
        subject=item_subject(item),
        detail=detail,
        link=_item_link(item),
        urgent=urgent,
        recipients=recipients,
        managers=frozenset(directory.managers) & frozenset(recipients),
    )


def agenda_items(item: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> list[Item]:
    """Papers due within 3 working days of their deadline or overdue; an ADM decision waiting 5 working days."""
    return [*_papers(item, as_of, directory, settings), *_adm(item, as_of, directory, settings)]


def _papers(item: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> Iterator[Item]:
    """The presenting social worker and the panel administrators, before a meeting that has not yet sat."""
    meeting = item.meeting
    if not item.active or meeting.status is not MeetingStatus.SCHEDULED or meeting.meeting_date < as_of:
        return
    deadline = panel_rules.papers_deadline_for(meeting.meeting_date)
    clock = panel_rules.papers_clock(item, deadline, as_of)
    if clock.status is None:
        return
    recipients = directory.worker_and_panel_admins(item.presenter_id)
    panel = f"the panel on {_on(meeting.meeting_date)}"
    if clock.status is ClockStatus.BREACHED:
        yield _panel_item(
            item,
            keys.PAPERS_OVERDUE,
            record_type="AgendaItem",
            record_id=item.id,
            due=deadline,
            title="Panel papers overdue",
            detail=f"Papers for {panel} were due by {_on(deadline)}.",
            urgent=True,
            recipients=recipients,
            directory=directory,
        )
    elif working_days_between(as_of, deadline) <= settings.papers_working_days:
        yield _panel_item(
            item,
            keys.PAPERS_DUE,
            record_type="AgendaItem",
            record_id=item.id,
            due=deadline,
            title="Panel papers due",
            detail=f"Papers for {panel} must reach members by {_on(deadline)}.",
            urgent=False,
            recipients=recipients,
            directory=directory,
        )


def _adm(item: Any, as_of: date, directory: Directory, settings: ReminderSettings) -> Iterator[Item]:
    """The panel administrators and the managers, once the decision has waited 5 working days."""
    if not panel_rules.needs_decision(item):
        return
    clock = panel_rules.adm_clock(item, as_of)
    trigger = panel_rules.adm_trigger(item)
    if clock is None or clock.status is None or trigger is None or trigger > as_of:
        return
    recipients = tuple(dict.fromkeys(directory.panel_admins + directory.managers))
    if clock.status is ClockStatus.BREACHED:
        yield _panel_item(
            item,
            keys.ADM_OVERDUE,
            record_type="AgendaItem",
            record_id=item.id,
            due=clock.deadline,
            title="Agency decision overdue",
            detail=f"The agency decision maker's decision was due by {_on(clock.deadline)}.",
            urgent=True,
            recipients=recipients,
            directory=directory,
        )
    elif working_days_between(trigger, as_of) >= settings.adm_working_days:
        yield _panel_item(
            item,
            keys.ADM_DUE,
            record_type="AgendaItem",
            record_id=item.id,
            due=clock.deadline,
            title="Agency decision awaited",
            detail=f"The agency decision maker's decision is due by {_on(clock.deadline)}.",
            urgent=False,
            recipients=recipients,
            directory=directory,
        )


def determination_items(
    determination: Any, as_of: date, directory: Directory, settings: ReminderSettings
) -> list[Item]:
    """A qualifying determination's 28 days ending (default 7 days before) or ended with no final decision."""
    clock = panel_rules.irm_clock(determination, as_of)
    if clock is None or clock.status is None:
        return []
    item = determination.decision.item
    recipients = directory.worker_and_panel_admins(item.presenter_id)
    if clock.status is ClockStatus.BREACHED:
        return [
            _panel_item(
                item,
                keys.IRM_ENDED,
                record_type="QualifyingDetermination",
                record_id=determination.id,
                due=clock.deadline,
                title="IRM window ended",
                detail=f"The 28 days ended on {_on(clock.deadline)}: record the final decision.",
                urgent=True,
                recipients=recipients,
                directory=directory,
            )
        ]
    if clock.days_left is not None and clock.days_left <= settings.irm_days:
        return [
            _panel_item(
                item,
                keys.IRM_ENDING,
                record_type="QualifyingDetermination",
                record_id=determination.id,
                due=clock.deadline,
                title="IRM window ending",
                detail=f"The 28 days for representations or an IRM application end on {_on(clock.deadline)}.",
                urgent=False,
                recipients=recipients,
                directory=directory,
            )
        ]
    return []
