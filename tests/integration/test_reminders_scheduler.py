"""`flask scheduler run`: one dedicated process, Europe/London time, the daily job at the setting's time,
the outbox job every few minutes; and `create_app` never starts a scheduler."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import time, timedelta
from pathlib import Path

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from carertrack import create_app
from carertrack.audit.recorder import acting_as
from carertrack.clocks import add_months_clamped
from carertrack.dates import today
from carertrack.extensions import db
from carertrack.models.user import Role
from carertrack.reminders import scheduler as reminder_scheduler
from carertrack.settings import set_setting
from tests.factories import make_user
from tests.reminder_support import make_case, smtp_server

ROOT = Path(__file__).resolve().parents[2]


def jobs_by_id(built: BaseScheduler) -> dict:
    return {job.id: job for job in built.get_jobs()}


def test_the_scheduler_has_a_daily_job_at_the_reminder_time_and_an_outbox_job(app):
    built = reminder_scheduler.build_scheduler(app)
    assert isinstance(built, BlockingScheduler)
    assert not built.running
    assert str(built.timezone) == "Europe/London"
    jobs = jobs_by_id(built)
    assert set(jobs) == {"daily-reminders", "outbox", "watch-send-time"}
    daily = jobs["daily-reminders"].trigger
    assert str(daily.timezone) == "Europe/London"
    fields = {f.name: str(f) for f in daily.fields}
    assert (fields["hour"], fields["minute"]) == ("7", "0")
    assert jobs["outbox"].trigger.interval == timedelta(minutes=5)


def test_the_daily_time_follows_the_setting_without_a_restart(app):
    built = reminder_scheduler.build_scheduler(app)
    with app.app_context(), acting_as("test setup"):
        set_setting("reminder_send_time", time(18, 30))
        db.session.commit()
    reminder_scheduler.watch_send_time(app, built)
    fields = {f.name: str(f) for f in jobs_by_id(built)["daily-reminders"].trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("18", "30")
    assert {f.name: str(f) for f in reminder_scheduler.build_scheduler(app).get_job("daily-reminders").trigger.fields}[
        "hour"
    ] == "18"


def test_create_app_never_starts_a_scheduler(monkeypatch):
    started = []
    monkeypatch.setattr(BaseScheduler, "start", lambda self, *a, **k: started.append(self))
    threads_before = {t.name for t in threading.enumerate()}
    application = create_app("test")
    with application.test_client() as client:
        client.get("/health")
    assert started == []
    new_threads = {t.name for t in threading.enumerate()} - threads_before
    assert not any("apscheduler" in name.lower() or "scheduler" in name.lower() for name in new_threads)


def test_the_daily_job_sends_todays_reminders(app, monkeypatch):
    worker = make_user(app, Role.SOCIAL_WORKER, name="Sam Okafor")
    make_case(app, "FC-TODAY", add_months_clamped(today() - timedelta(days=3), -8), worker.id)
    with smtp_server() as (inbox, port):
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        reminder_scheduler.daily_job(app)
        reminder_scheduler.daily_job(app)  # a restart's catch-up run sends nothing twice
        reminder_scheduler.outbox_job(app)
    [received] = inbox.messages
    assert received.rcpt_tos == [worker.email]
    assert "8-month timescale breached: FC-TODAY" in received.text


def test_flask_scheduler_run_starts_in_its_own_process(app):
    env = {
        **os.environ,
        "CARERTRACK_CONFIG": "test",
        "FLASK_APP": "wsgi.py",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": "1025",
        "PYTHONUNBUFFERED": "1",
    }
    with app.app_context():
        db.session.remove()
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "scheduler", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    try:
        # Read until APScheduler says its loop is running (or the process ends).
        for line in process.stdout:
            seen.append(line)
            if "apscheduler.scheduler: Scheduler started" in line:
                break
    finally:
        process.terminate()
        rest, _ = process.communicate(timeout=60)
    output = "".join(seen)
    assert "Scheduler started (Europe/London): daily reminders at 07:00" in output, output + rest
    assert "Mail goes to 127.0.0.1:1025" in output
    assert "apscheduler.scheduler: Scheduler started" in output
    assert "Traceback" not in output + rest
