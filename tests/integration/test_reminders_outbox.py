"""The outbox: nothing is lost while the mail server is down, failures are retried with back-off and
sent once when it is back, dead claims are released, and `flask reminders run` / `--dry-run`."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy import func, select

from carertrack.extensions import db
from carertrack.models.base import utcnow
from carertrack.models.reminder import OutboxKind, OutboxMessage, OutboxStatus, SentReminder
from carertrack.reminders import outbox
from carertrack.reminders.jobs import run_daily, run_outbox
from tests.reminder_support import AS_OF, build_scenario, free_port, smtp_server


@pytest.fixture
def mail_config(app, monkeypatch):
    """Point the app at a loopback port where no mail server listens (yet); returns the port."""
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    return port


def outbox_rows(app) -> list[tuple[OutboxStatus, int, str | None]]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [(r.status, r.attempts, r.last_error) for r in rows]


def test_while_the_mail_server_is_down_every_email_stays_queued_then_goes_once(app, mail_config):
    build_scenario(app)
    with app.app_context():
        report = run_daily(AS_OF)
    assert len(report.emails) == 3
    assert report.sent.sent == 0 and report.sent.failed == 3
    rows = outbox_rows(app)
    assert [(status, attempts) for status, attempts, _ in rows] == [(OutboxStatus.QUEUED, 1)] * 3
    assert all("Connection" in error or "refused" in error.lower() for _, _, error in rows)

    with smtp_server(mail_config) as (inbox, _port):
        # The back-off has not passed yet: nothing is tried.
        with app.app_context():
            assert run_outbox().sent == 0
        assert inbox.messages == []
        # After the back-off, each email goes once.
        with app.app_context():
            result = outbox.deliver_due(now=utcnow() + timedelta(minutes=3))
            again = outbox.deliver_due(now=utcnow() + timedelta(hours=12))
            rerun = run_daily(AS_OF)
        assert (result.sent, result.failed, again.sent, len(rerun.emails)) == (3, 0, 0, 0)
        assert len(inbox.messages) == 3
        assert len({m.message["Message-ID"] for m in inbox.messages}) == 3
    assert [(status, attempts) for status, attempts, _ in outbox_rows(app)] == [(OutboxStatus.SENT, 2)] * 3


def test_each_failure_waits_twice_as_long_up_to_a_limit():
    assert outbox.retry_delay(1) == timedelta(minutes=2)
    assert outbox.retry_delay(2) == timedelta(minutes=4)
    assert outbox.retry_delay(3) == timedelta(minutes=8)
    assert outbox.retry_delay(50) == timedelta(hours=6)


def queue_one(app, **fields) -> int:
    with app.app_context():
        message = outbox.enqueue(
            kind=OutboxKind.DAILY_DIGEST,
            recipient_id=None,
            to_address="someone@example.org",
            subject="Test",
            body_text="Hello",
            body_html=None,
            keys=[],
        )
        for key, value in fields.items():
            setattr(message, key, value)
        db.session.commit()
        return message.id


def test_a_failed_attempt_records_its_error_and_the_next_attempt(app, mail_config):
    message_id = queue_one(app)
    before = utcnow()
    with app.app_context():
        result = run_outbox()
        message = db.session.get(OutboxMessage, message_id)
        assert result.failed == 1
        assert message.status is OutboxStatus.QUEUED
        assert message.attempts == 1
        assert message.last_error
        assert message.claim_token is None
        next_attempt = message.next_attempt_at
        if next_attempt.tzinfo is None:  # SQLite hands back UTC without its zone
            next_attempt = next_attempt.replace(tzinfo=UTC)
        assert before + timedelta(minutes=2) <= next_attempt


def test_a_claim_left_by_a_process_that_died_is_released_and_sent(app, mail_config):
    message_id = queue_one(
        app, status=OutboxStatus.SENDING, claim_token="dead-process", claimed_at=utcnow() - timedelta(hours=1)
    )
    with smtp_server(mail_config) as (inbox, _port), app.app_context():
        result = run_outbox()
        assert (result.released, result.sent) == (1, 1)
        assert db.session.get(OutboxMessage, message_id).status is OutboxStatus.SENT
    assert len(inbox.messages) == 1


def test_a_fresh_claim_belongs_to_its_process_and_is_left_alone(app, mail_config):
    queue_one(app, status=OutboxStatus.SENDING, claim_token="busy-process", claimed_at=utcnow())
    with smtp_server(mail_config) as (inbox, _port), app.app_context():
        assert run_outbox().sent == 0
    assert inbox.messages == []


def test_claiming_takes_each_row_once(app):
    ids = [queue_one(app) for _ in range(3)]
    with app.app_context():
        first = outbox.claim(utcnow(), limit=2)
        second = outbox.claim(utcnow(), limit=2)
        third = outbox.claim(utcnow(), limit=2)
        assert sorted(m.id for m in first + second) == ids
        assert third == []
        assert {m.claim_token for m in first} != {m.claim_token for m in second}


def test_dry_run_prints_what_would_be_sent_and_writes_and_sends_nothing(app, runner, mail_config):
    s = build_scenario(app)
    with smtp_server(mail_config) as (inbox, _port):
        result = runner.invoke(args=["reminders", "run", "--as-of", "2025-09-11", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run for 11 September 2025: 3 emails would be sent. Nothing was written or sent." in result.output
    assert f"To: {s.worker.email}" in result.output
    assert "Overdue: 8-month timescale breached: FC-A (Jane and Tom)" in result.output
    assert inbox.messages == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert db.session.scalar(select(func.count()).select_from(SentReminder)) == 0


def test_reminders_run_queues_and_sends_once(app, runner, mail_config):
    build_scenario(app)
    with smtp_server(mail_config) as (inbox, _port):
        first = runner.invoke(args=["reminders", "run", "--as-of", "11/9/2025"])
        second = runner.invoke(args=["reminders", "run", "--as-of", "2025-09-11"])
    assert first.exit_code == 0, first.output
    assert "Reminders for 11 September 2025: 3 emails queued." in first.output
    assert "Outbox: 3 sent, 0 failed" in first.output
    assert "0 emails queued" in second.output
    assert len(inbox.messages) == 3


def test_reminders_send_sends_the_queue(app, runner, mail_config):
    queue_one(app)
    with smtp_server(mail_config) as (inbox, _port):
        result = runner.invoke(args=["reminders", "send"])
    assert "Outbox: 1 sent, 0 failed" in result.output
    assert len(inbox.messages) == 1


@pytest.mark.parametrize("bad", ["2025-02-30", "next tuesday"])
def test_a_malformed_as_of_date_is_a_clear_error(runner, bad):
    result = runner.invoke(args=["reminders", "run", "--as-of", bad])
    assert result.exit_code == 2
    assert "--as-of" in result.output
    assert "Traceback" not in result.output


# The test server is on loopback, so it takes AUTH without TLS (aiosmtpd warns about that in general).
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_mail_server_user_name_and_password_are_used(app, mail_config, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "carertrack")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "not-the-password")
    with app.app_context():
        outbox.enqueue(
            kind=OutboxKind.DAILY_DIGEST,
            recipient_id=None,
            to_address="sam@example.org",
            subject="CarerTrack reminders",
            body_text="Hello Sam",
            body_html=None,
            keys=[],
        )
        db.session.commit()
    with smtp_server(mail_config, login=("carertrack", "s3cret-smtp")) as (inbox, _port):
        with app.app_context():
            refused = run_outbox()
        [(status, attempts, error)] = outbox_rows(app)
        assert (refused.sent, status, attempts, inbox.messages) == (0, OutboxStatus.QUEUED, 1, [])
        assert "535" in error or "uthentication" in error
        monkeypatch.setitem(app.config, "MAIL_PASSWORD", "s3cret-smtp")
        with app.app_context():
            accepted = outbox.deliver_due(now=utcnow() + timedelta(minutes=3))
        assert accepted.sent == 1
        assert [m.rcpt_tos for m in inbox.messages] == [["sam@example.org"]]
    assert outbox_rows(app)[0][:2] == (OutboxStatus.SENT, 2)
