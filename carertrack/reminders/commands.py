"""`flask reminders run [--as-of DATE] [--dry-run]`, `flask reminders send` and `flask scheduler run`."""

from __future__ import annotations

import signal
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from carertrack.dates import parse_date
from carertrack.formatting import format_date
from carertrack.reminders.digest import Email


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} {exc}") from exc


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _describe(email: Email) -> list[str]:
    lines = [f"To: {email.recipient.email}", f"Subject: {email.subject}"]
    for item in email.items:
        lines.append(f"  - {'Overdue' if item.urgent else 'Due soon'}: {item.title}: {item.subject}")
    return lines


@click.group(help="Reminder emails: run the daily reminders once, or send the outbox.")
def reminders() -> None:
    """The reminders command group."""


@reminders.command("run")
@click.option("--as-of", "as_of", callback=_as_of, help="Run as if it were this date (YYYY-MM-DD). Default: today.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; write and send nothing.")
@with_appcontext
def run(as_of: date | None, dry_run: bool) -> None:
    """Queue the day's digests (and, on Mondays, the managers' weekly summary), then send the outbox.

    The same code the scheduler's daily job runs: safe to run again, or from cron, or from two places
    at once; nothing is sent twice.
    """
    from carertrack.dates import today
    from carertrack.reminders.jobs import run_daily

    day = as_of or today()
    report = run_daily(day, dry_run=dry_run)
    if dry_run:
        click.echo(
            f"Dry run for {format_date(day)}: {_plural(len(report.emails), 'email')} would be sent. "
            "Nothing was written or sent."
        )
        for email in report.emails:
            click.echo("")
            click.echo("\n".join(_describe(email)))
        return
    click.echo(f"Reminders for {format_date(day)}: {_plural(len(report.emails), 'email')} queued.")
    if report.lost_races:
        click.echo(f"{_plural(report.lost_races, 'email')} had already been queued by another run.")
    if report.sent is not None:
        click.echo(
            f"Outbox: {report.sent.sent} sent, {report.sent.failed} failed "
            "(failures stay queued and are retried with back-off)."
        )


@reminders.command("send")
@with_appcontext
def send() -> None:
    """Send every queued email whose time has come (new ones and retries): the scheduler's outbox job."""
    from carertrack.reminders.jobs import run_outbox

    result = run_outbox()
    click.echo(f"Outbox: {result.sent} sent, {result.failed} failed (failures stay queued and are retried).")


@click.group(help="The one scheduler process that sends reminders.")
def scheduler() -> None:
    """The scheduler command group."""


@scheduler.command("run")
@with_appcontext
def run_scheduler() -> None:
    """Run the scheduler in this process until stopped: daily reminders and the outbox. Run exactly one."""
    import logging

    from carertrack.reminders.scheduler import build_scheduler, send_time

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    built = build_scheduler(app)
    at = send_time(app)
    click.echo(
        f"Scheduler started (Europe/London): daily reminders at {at.strftime('%H:%M')}, outbox every few minutes. "
        f"Mail goes to {app.config['MAIL_SERVER']}:{app.config['MAIL_PORT']}. Stop with Ctrl+C.",
    )
    # A process manager stops us with SIGTERM: treat it like Ctrl+C, so jobs in flight finish and the
    # process exits 0 (docs/production.md).
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        built.start()
    except (KeyboardInterrupt, SystemExit):
        if built.running:
            built.shutdown(wait=True)
        click.echo("Scheduler stopped.")


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)
