"""`flask scheduler run`: APScheduler in one dedicated process, on Europe/London time.

Two jobs: the daily reminders at the `reminder_send_time` setting (default 07:00) and the outbox
every few minutes. A third job watches the setting so an administrator's change takes effect without
a restart. Only this command builds a scheduler: `create_app` never does, so web workers never send
anything (a scheduler per worker would send every reminder once per worker).
"""

from __future__ import annotations

import logging
from datetime import datetime, time

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from carertrack.dates import today
from carertrack.formatting import LONDON

log = logging.getLogger("carertrack.scheduler")

TIMEZONE = "Europe/London"
DAILY_JOB = "daily-reminders"
OUTBOX_JOB = "outbox"
WATCH_JOB = "watch-send-time"
OUTBOX_MINUTES = 5
WATCH_MINUTES = 5


def send_time(app: Flask) -> time:
    """The daily reminder time an administrator has set."""
    from carertrack.settings import get_setting

    with app.app_context():
        value = get_setting("reminder_send_time")
    return value if isinstance(value, time) else time(7, 0)


def daily_trigger(at: time) -> CronTrigger:
    """Every day at the time, London time (so 07:00 stays 07:00 across the clock changes)."""
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=TIMEZONE)


def daily_job(app: Flask) -> None:
    """Compose today's digests into the outbox and send them."""
    from carertrack.reminders.jobs import run_daily

    with app.app_context():
        report = run_daily(today())
        sent = report.sent
        log.info(
            "Daily reminders for %s: %d emails queued, %d sent, %d failed (queued for retry)",
            report.as_of.isoformat(),
            len(report.emails),
            sent.sent if sent else 0,
            sent.failed if sent else 0,
        )


def outbox_job(app: Flask) -> None:
    """Send whatever in the outbox is due (new emails and retries)."""
    from carertrack.reminders.jobs import run_outbox

    with app.app_context():
        result = run_outbox()
        if result.sent or result.failed or result.released:
            log.info("Outbox: %d sent, %d failed (queued for retry)", result.sent, result.failed)


def watch_send_time(app: Flask, scheduler: BaseScheduler) -> None:
    """Move the daily job when the reminder time setting changes."""
    at = send_time(app)
    job = scheduler.get_job(DAILY_JOB)
    current = getattr(job, "trigger", None)
    wanted = daily_trigger(at)
    if current is None or str(current) != str(wanted):
        scheduler.reschedule_job(DAILY_JOB, trigger=wanted)
        log.info("Daily reminders now run at %s (%s)", at.strftime("%H:%M"), TIMEZONE)


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler] = BlockingScheduler) -> BaseScheduler:
    """The scheduler with its jobs, not started. A missed daily run (process down at the time) runs on start."""
    at = send_time(app)
    scheduler = scheduler_class(
        timezone=TIMEZONE,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    now = datetime.now(LONDON)
    catch_up = now.time() >= at
    scheduler.add_job(
        daily_job,
        trigger=daily_trigger(at),
        args=[app],
        id=DAILY_JOB,
        name="Daily reminders",
        # Started after today's time: run once now; the unique keys make it harmless if today's ran.
        **({"next_run_time": now} if catch_up else {}),
    )
    scheduler.add_job(
        outbox_job,
        trigger=IntervalTrigger(minutes=OUTBOX_MINUTES, timezone=TIMEZONE),
        args=[app],
        id=OUTBOX_JOB,
        name="Send the outbox",
    )
    scheduler.add_job(
        watch_send_time,
        trigger=IntervalTrigger(minutes=WATCH_MINUTES, timezone=TIMEZONE),
        args=[app, scheduler],
        id=WATCH_JOB,
        name="Follow the reminder time setting",
    )
    return scheduler
