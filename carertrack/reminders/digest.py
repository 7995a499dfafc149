"""Grouping reminders into one email per person per day, and the managers' weekly pipeline summary.

Planning is pure (items, people, preferences and the keys already sent in, emails out); composing
renders the email templates in templates/reminders/email/. Emails carry references, first names
and deadlines only: never dates of birth, DBS details or reasons for delays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app, render_template

from carertrack.formatting import format_date
from carertrack.models.reminder import OutboxKind
from carertrack.models.user import Role
from carertrack.reminders.items import DAILY_DIGEST, WEEKLY_PIPELINE, Item, first_name, most_urgent_first
from carertrack.reminders.links import absolute_url

Key = tuple[str, str, int, date, int]


@dataclass(frozen=True)
class Recipient:
    """What a digest needs to know about a person."""

    id: int
    email: str
    name: str
    role: Role
    daily_digest: bool = True
    weekly_pipeline: bool = True

    @property
    def first_name(self) -> str:
        """For the greeting."""
        return first_name(self.name)


@dataclass
class Email:
    """One email ready for the outbox, with the reminder keys that go in the same transaction."""

    recipient: Recipient
    kind: OutboxKind
    subject: str
    text: str
    html: str
    keys: list[Key]
    items: list[Item] = field(default_factory=list)


def digest_key(recipient_id: int, day: date) -> Key:
    """The key that makes the daily digest at most one a day per person."""
    return (DAILY_DIGEST, "User", recipient_id, day, recipient_id)


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def pipeline_key(recipient_id: int, day: date) -> Key:
    """The key that makes the weekly pipeline summary at most one a week per manager (keyed by its Monday)."""
    return (WEEKLY_PIPELINE, "User", recipient_id, week_start(day), recipient_id)


@dataclass(frozen=True)
class DailyPlan:
    """What one person's digest holds: the items new to them, and how many they were told about before."""

    recipient: Recipient
    new: list[Item]
    earlier: int


def plan_daily(as_of: date, items: Iterable[Item], recipients: dict[int, Recipient], sent: set[Key]) -> list[DailyPlan]:
    """Who gets a digest on the date and with what; nobody gets one twice on a day.

    An item goes once per key (rule, record, due date, recipient). With their digest turned off a
    person gets nothing, except a manager's breach alerts, which cannot be turned off.
    """
    by_person: dict[int, list[Item]] = {}
    for item in items:
        for recipient_id in item.recipients:
            by_person.setdefault(recipient_id, []).append(item)
    plans = []
    for recipient_id, theirs in sorted(by_person.items()):
        recipient = recipients.get(recipient_id)
        if recipient is None or digest_key(recipient_id, as_of) in sent:
            continue
        wanted = theirs if recipient.daily_digest else [i for i in theirs if i.mandatory_for(recipient_id)]
        new = [i for i in wanted if i.key(recipient_id) not in sent]
        if not new:
            continue
        earlier = len(wanted) - len(new) if recipient.daily_digest else 0
        plans.append(DailyPlan(recipient, most_urgent_first(new), earlier))
    return plans


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def daily_subject(as_of: date, items: list[Item]) -> str:
    """'CarerTrack reminders for 5 March 2026: 2 overdue, 1 due soon'."""
    overdue = sum(1 for i in items if i.urgent)
    parts = [f"{overdue} overdue"] if overdue else []
    if len(items) - overdue:
        parts.append(f"{len(items) - overdue} due soon")
    return f"CarerTrack reminders for {format_date(as_of)}: {', '.join(parts)}"


def _reminders(count: int) -> str:
    return _count(count, "reminder", "reminders")


def _footer(home_url: str, preferences_url: str, organisation: str = "") -> list[str]:
    sender = f"CarerTrack for {organisation}" if organisation else "CarerTrack"
    return [
        "See all your reminders on your home page:",
        home_url,
        "",
        "Choose which reminder emails you get:",
        preferences_url,
        "",
        f"This email was sent by {sender}. Please do not reply to it.",
    ]


def daily_text(
    *,
    recipient: Recipient,
    as_of: date,
    overdue: list[tuple[Item, str]],
    due_soon: list[tuple[Item, str]],
    earlier: int,
    digest_off: bool,
    home_url: str,
    preferences_url: str,
    organisation: str = "",
) -> str:
    """The plain-text digest (the HTML version says the same, from templates/reminders/email/daily.html)."""
    lines = [f"Hello {recipient.first_name},", ""]
    if digest_off:
        lines += ["Your daily reminder email is turned off, but alerts about breaches still come to managers.", ""]
    total = len(overdue) + len(due_soon)
    lines.append(
        f"You have {_count(total, 'new reminder', 'new reminders')} on {format_date(as_of)}, most urgent first."
    )
    for heading, rows in (("Overdue", overdue), ("Due soon", due_soon)):
        if not rows:
            continue
        lines += ["", heading, "-" * len(heading)]
        for item, url in rows:
            lines += [f"* {item.title}: {item.subject}", f"  {item.detail}", f"  {url}"]
    if earlier:
        still = "is" if earlier == 1 else "are"
        lines += ["", f"You also have {_reminders(earlier)} you were told about before and {still} still open."]
    lines.append("")
    return "\n".join(lines + _footer(home_url, preferences_url, organisation)) + "\n"


def compose_daily(plan: DailyPlan, as_of: date) -> Email:
    """The daily digest email: overdue first, then due soon, each item with its link."""
    rows = [(item, absolute_url(item.link)) for item in plan.new]
    context = {
        "recipient": plan.recipient,
        "as_of": as_of,
        "overdue": [(i, url) for i, url in rows if i.urgent],
        "due_soon": [(i, url) for i, url in rows if not i.urgent],
        "earlier": plan.earlier,
        "digest_off": not plan.recipient.daily_digest,
        "home_url": absolute_url("main.home"),
        "preferences_url": absolute_url("reminders.preferences"),
        "organisation": current_app.config.get("ORGANISATION_NAME", ""),
    }
    keys = [digest_key(plan.recipient.id, as_of)] + [item.key(plan.recipient.id) for item in plan.new]
    return Email(
        recipient=plan.recipient,
        kind=OutboxKind.DAILY_DIGEST,
        subject=daily_subject(as_of, plan.new),
        text=daily_text(**context),
        html=render_template("reminders/email/daily.html", **context),
        keys=keys,
        items=plan.new,
    )


# --- The managers' weekly pipeline summary -----------------------------------------------------------


@dataclass(frozen=True)
class PipelineRow:
    """One clock at risk or breached, by reference only."""

    reference: str
    clock: str
    deadline: date
    breached: bool


@dataclass(frozen=True)
class PipelineSummary:
    """What the Monday email tells managers: breaches, at risk, assessments and net growth against target."""

    as_of: date
    breaches: list[PipelineRow]
    at_risk: list[PipelineRow]
    in_assessment: int
    year_label: str
    approved: int
    deregistered: int
    net: int
    target: int
    target_to_date: float
    projected_net: int


def pipeline_summary(as_of: date) -> PipelineSummary:
    """The figures, from the reports (the same computations as the dashboard and `flask report`)."""
    from carertrack.reports.assessment import cases_in_assessment
    from carertrack.reports.breaches import compute as breaches
    from carertrack.reports.growth import compute as growth
    from carertrack.reports.periods import year_containing
    from carertrack.reports.registry import ReportParams

    clocks = breaches(ReportParams(as_of=as_of))
    rows = [
        PipelineRow(r["reference"], r.get("clock_name") or r["clock"], r["deadline"], r["status"] == "breached")
        for r in clocks["rows"]
    ]
    year = year_containing(as_of)
    net_growth = growth(ReportParams(as_of=as_of, year=year))
    this_month = next(m for m in net_growth["months"] if m["month"] == f"{as_of:%Y-%m}")
    return PipelineSummary(
        as_of=as_of,
        breaches=[r for r in rows if r.breached],
        at_risk=[r for r in rows if not r.breached],
        in_assessment=len(cases_in_assessment(as_of)),
        year_label=net_growth["year"],
        approved=net_growth["approved"]["total"],
        deregistered=net_growth["deregistered"]["total"],
        net=net_growth["net"]["total"],
        target=net_growth["target"],
        target_to_date=this_month["target_to_date"],
        projected_net=net_growth["projected_net"]["total"],
    )


def plan_weekly(as_of: date, recipients: dict[int, Recipient], sent: set[Key]) -> list[Recipient]:
    """The managers who get the pipeline summary: on Mondays only, once, unless they turned it off."""
    if as_of.weekday() != 0:
        return []
    return [
        r
        for r in sorted(recipients.values(), key=lambda r: r.id)
        if r.role == Role.MANAGER and r.weekly_pipeline and pipeline_key(r.id, as_of) not in sent
    ]


def weekly_text(
    *,
    recipient: Recipient,
    summary: PipelineSummary,
    as_of: date,
    week_start: date,
    home_url: str,
    preferences_url: str,
) -> str:
    """The plain-text pipeline summary (the HTML version is templates/reminders/email/weekly.html)."""
    lines = [f"Hello {recipient.first_name},", "", f"The pipeline on {format_date(as_of)}."]
    for heading, rows, empty in (
        ("Breaches", summary.breaches, "No clock is breached."),
        ("At risk", summary.at_risk, "No clock is at risk."),
    ):
        lines += ["", f"{heading}: {len(rows)}"]
        lines += [f"* {r.reference}: {r.clock}, deadline {format_date(r.deadline)}" for r in rows] or [empty]
    lines += [
        "",
        f"Assessments in progress: {summary.in_assessment}",
        f"Net growth in {summary.year_label} so far: {summary.net} "
        f"({summary.approved} approved, {summary.deregistered} deregistered)",
        f"Target for the year: {summary.target} (about {summary.target_to_date:g} by now)",
        f"Projected by 31 March: {summary.projected_net}",
        "",
        "See the details in CarerTrack:",
        home_url,
        "",
        "Choose which reminder emails you get:",
        preferences_url,
    ]
    return "\n".join(lines) + "\n"


def compose_weekly(recipient: Recipient, summary: PipelineSummary, as_of: date) -> Email:
    """The Monday summary for one manager."""
    context: dict[str, Any] = {
        "recipient": recipient,
        "summary": summary,
        "as_of": as_of,
        "week_start": week_start(as_of),
        "home_url": absolute_url("main.home"),
        "preferences_url": absolute_url("reminders.preferences"),
    }
    subject = (
        f"CarerTrack pipeline, week of {format_date(week_start(as_of))}: "
        f"{_count(len(summary.breaches), 'breach', 'breaches')}, {len(summary.at_risk)} at risk"
    )
    return Email(
        recipient=recipient,
        kind=OutboxKind.WEEKLY_PIPELINE,
        subject=subject,
        text=weekly_text(**context),
        html=render_template("reminders/email/weekly.html", **context),
        keys=[pipeline_key(recipient.id, as_of)],
    )
