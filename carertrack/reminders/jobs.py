"""The two jobs: the daily reminders (compose digests into the outbox) and the outbox (send what is due).

`flask scheduler run` calls them on a timetable; `flask reminders run` calls them once. Each email is
recorded in its own transaction with its reminder keys, so a rerun, a restart or a second process
at the same time records nothing twice: the loser of a race hits the unique key, rolls back and
moves on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.reminder import ReminderPreference, SentReminder
from carertrack.models.user import User
from carertrack.reminders import digest, outbox, sources
from carertrack.reminders.digest import DailyPlan, Email, Key, Recipient
from carertrack.reminders.items import Item
from carertrack.reminders.locking import with_lock_retry
from carertrack.reminders.rules import ReminderSettings, due_items

ACTOR = "scheduled reminders"
ID_CHUNK = 5000  # record ids per IN (...) query: far below every driver's parameter limit
FEW_DUE_DATES = 50  # up to this many due dates in a group, the query names them
SENT_COLUMNS = (
    SentReminder.rule,
    SentReminder.record_type,
    SentReminder.record_id,
    SentReminder.due_date,
    SentReminder.recipient_id,
)


# --- Reading what has been sent, and who people are -------------------------------------------------


def already_sent(keys: Iterable[Key]) -> set[Key]:
    """Which of these keys are already recorded, in a few queries however many keys there are.

    Keys are asked for by rule and record type, with a plain list of record ids (the unique key's
    leading columns, so its index serves), and the rows are matched to the keys here: far cheaper
    than one five-column tuple per key in the SQL.
    """
    wanted = set(keys)
    groups: dict[tuple[str, str], list[Key]] = defaultdict(list)
    for key in wanted:
        groups[(key[0], key[1])].append(key)
    found: set[Key] = set()
    for (rule, record_type), group in sorted(groups.items()):
        ids = sorted({key[2] for key in group})
        dues = sorted({key[3] for key in group})
        for start in range(0, len(ids), ID_CHUNK):
            statement = select(*SENT_COLUMNS).where(
                SentReminder.rule == rule,
                SentReminder.record_type == record_type,
                SentReminder.record_id.in_(ids[start : start + ID_CHUNK]),
            )
            if len(dues) <= FEW_DUE_DATES:  # a digest's key: today's only, not every day's before
                statement = statement.where(SentReminder.due_date.in_(dues))
            rows = db.session.execute(statement).all()
            found.update(row for row in ((r[0], r[1], r[2], r[3], r[4]) for r in rows) if row in wanted)
    return found


def recipients(ids: Iterable[int]) -> dict[int, Recipient]:
    """Active people with their email choices (one query)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.session.execute(
        select(
            User.id,
            User.email,
            User.name,
            User.role,
            ReminderPreference.daily_digest,
            ReminderPreference.weekly_pipeline,
        )
        .outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
        .where(User.id.in_(wanted), User.active.is_(True))
    ).all()
    return {
        r.id: Recipient(
            r.id,
            r.email,
            r.name,
            r.role,
            daily_digest=r.daily_digest is not False,
            weekly_pipeline=r.weekly_pipeline is not False,
        )
        for r in rows
    }


def current_items(as_of: date) -> list[Item]:
    """Every reminder due on the date, for everyone (the same rules as the home page)."""
    settings = ReminderSettings.current()
    return due_items(sources.load_sources(as_of, settings=settings), as_of, sources.directory(), settings)


# --- Recording emails -------------------------------------------------------------------------------


def record(email: Email) -> bool:
    """Write one email and its keys to the outbox in one transaction; False when they were already recorded."""

    def work() -> bool:
        try:
            with acting_as(ACTOR):
                outbox.enqueue(
                    kind=email.kind,
                    recipient_id=email.recipient.id,
                    to_address=email.recipient.email,
                    subject=email.subject,
                    body_text=email.text,
                    body_html=email.html,
                    keys=email.keys,
                )
                db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return False
        return True

    return with_lock_retry(work)


def record_daily(plan: DailyPlan, as_of: date) -> Email | None:
    """Record one person's digest; after a lost race, send only what the other run did not (or nothing)."""
    for _ in range(3):
        email = digest.compose_daily(plan, as_of)
        if record(email):
            return email
        keys = [digest.digest_key(plan.recipient.id, as_of)] + [i.key(plan.recipient.id) for i in plan.new]
        sent = already_sent(keys)
        remaining = [i for i in plan.new if i.key(plan.recipient.id) not in sent]
        if digest.digest_key(plan.recipient.id, as_of) in sent or not remaining:
            return None
        plan = DailyPlan(plan.recipient, remaining, plan.earlier + len(plan.new) - len(remaining))
    return None


@dataclass
class RunReport:
    """What a run did (or, in a dry run, would do)."""

    as_of: date
    dry_run: bool
    emails: list[Email] = field(default_factory=list)
    lost_races: int = 0
    sent: outbox.SendResult | None = None


def daily_emails(as_of: date) -> list[Email]:
    """The digests due on the date, composed but not recorded."""
    items = current_items(as_of)
    people = recipients(r for i in items for r in i.recipients)
    keys = [k for i in items for r in i.recipients for k in (i.key(r), digest.digest_key(r, as_of))]
    plans = digest.plan_daily(as_of, items, people, already_sent(keys))
    return [digest.compose_daily(plan, as_of) for plan in plans]


def weekly_emails(as_of: date) -> list[Email]:
    """The managers' pipeline summaries due on the date (Mondays), composed but not recorded."""
    managers = recipients(sources.directory().managers)
    chosen = digest.plan_weekly(as_of, managers, already_sent(digest.pipeline_key(m, as_of) for m in managers))
    if not chosen:
        return []
    summary = digest.pipeline_summary(as_of)
    return [digest.compose_weekly(manager, summary, as_of) for manager in chosen]


def run_daily(as_of: date, *, dry_run: bool = False, send: bool = True) -> RunReport:
    """The daily job: every digest and (on Mondays) the weekly summaries into the outbox, then send.

    A dry run composes the same emails and records and sends nothing.
    """
    report = RunReport(as_of=as_of, dry_run=dry_run)
    if dry_run:
        report.emails = daily_emails(as_of) + weekly_emails(as_of)
        db.session.rollback()
        return report
    items = current_items(as_of)
    people = recipients(r for i in items for r in i.recipients)
    keys = [k for i in items for r in i.recipients for k in (i.key(r), digest.digest_key(r, as_of))]
    for plan in digest.plan_daily(as_of, items, people, already_sent(keys)):
        email = record_daily(plan, as_of)
        if email is None:
            report.lost_races += 1
        else:
            report.emails.append(email)
    for email in weekly_emails(as_of):
        if record(email):
            report.emails.append(email)
        else:
            report.lost_races += 1
    if send:
        report.sent = run_outbox()
    return report


def run_outbox() -> outbox.SendResult:
    """The outbox job: send every queued email whose time has come."""
    return outbox.deliver_due()
