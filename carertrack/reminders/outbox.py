"""The outbox: every email is written here first, then sent over SMTP, retried with back-off until sent.

Writing (:func:`enqueue`) happens in the same transaction as the reminder keys, so an email exists
exactly when its reminders are recorded. Sending claims queued rows first, so two processes never
send the same row: on PostgreSQL the candidate rows are locked with ``FOR UPDATE SKIP LOCKED``; on
SQLite (a single writer) the claim is one atomic ``UPDATE ... WHERE status = 'queued'``. Either way
only the process whose claim token is on a row sends it. A failed send goes back to the queue with
its attempts, last error and the time of the next attempt; nothing is dropped.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from carertrack.audit.recorder import current_actor
from carertrack.extensions import db
from carertrack.models.audit import AuditEvent
from carertrack.models.base import utcnow
from carertrack.models.reminder import OutboxKind, OutboxMessage, OutboxStatus, SentReminder
from carertrack.reminders.locking import with_lock_retry

BATCH_SIZE = 50
# Retries wait 2, 4, 8 ... minutes, never more than 6 hours apart, and never stop.
RETRY_BASE_SECONDS = 120
RETRY_MAX_SECONDS = 6 * 3600
# A claim older than this belongs to a process that died mid-send; its rows go back to the queue.
STALE_CLAIM_MINUTES = 15
ERROR_LENGTH = 1000


def enqueue(
    *,
    kind: OutboxKind,
    recipient_id: int | None,
    to_address: str,
    subject: str,
    body_text: str,
    body_html: str | None,
    keys: list[tuple[str, str, int, Any, int]],
) -> OutboxMessage:
    """Add an email and its reminder keys to the session; the caller commits both together.

    A key that is already recorded (another process, or an earlier run, got there first) makes the
    flush fail with IntegrityError: the caller rolls back and nothing of this email is kept.
    """
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = sender.rpartition("@")[2] or "carertrack.local"
    message = OutboxMessage(
        kind=kind,
        recipient_id=recipient_id,
        to_address=to_address,
        subject=subject[:200],
        body_text=body_text,
        body_html=body_html,
        message_id=make_msgid(idstring="carertrack", domain=domain),
        status=OutboxStatus.QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    for rule, record_type, record_id, due_date, key_recipient in keys:
        db.session.add(
            SentReminder(
                rule=rule,
                record_type=record_type,
                record_id=record_id,
                due_date=due_date,
                recipient_id=key_recipient,
                outbox_id=message.id,
            )
        )
    db.session.flush()
    return message


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after the nth failed attempt, capped."""
    seconds = RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, RETRY_MAX_SECONDS))


def release_stale_claims(now: datetime) -> int:
    """Put rows claimed by a process that died back in the queue; returns how many."""

    def work() -> int:
        result = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_at < now - timedelta(minutes=STALE_CLAIM_MINUTES),
            )
            .values(status=OutboxStatus.QUEUED, claim_token=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return result.rowcount or 0

    return with_lock_retry(work)


def claim(now: datetime, limit: int = BATCH_SIZE) -> list[OutboxMessage]:
    """Claim queued emails whose time has come for this process, and return them.

    The candidate SELECT locks its rows and skips rows another process has locked (PostgreSQL); the
    UPDATE's ``status = 'queued'`` condition makes the claim atomic on any database.
    """
    token = uuid.uuid4().hex

    def work() -> None:
        candidates = list(
            db.session.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if candidates:
            db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(candidates), OutboxMessage.status == OutboxStatus.QUEUED)
                .values(status=OutboxStatus.SENDING, claim_token=token, claimed_at=now)
                .execution_options(synchronize_session=False)
            )
        db.session.commit()

    with_lock_retry(work)
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.claim_token == token)
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    )


def build_email(message: OutboxMessage) -> EmailMessage:
    """The MIME email for an outbox row: plain text, with the HTML version as an alternative."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


@contextlib.contextmanager
def smtp_connection() -> Iterator[smtplib.SMTP]:
    """An SMTP connection from MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS (STARTTLS), MAIL_USERNAME and MAIL_PASSWORD."""
    config = current_app.config
    connection = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=30)
    try:
        connection.ehlo()
        if config.get("MAIL_USE_TLS"):
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo()
        if config.get("MAIL_USERNAME"):
            connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        yield connection
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.quit()


def _save_outcome(message: OutboxMessage, error: BaseException | None, moment: datetime) -> None:
    """Record one send's outcome on the row this process claimed, and commit it at once."""
    attempts = message.attempts + 1
    if error is None:
        values = {"status": OutboxStatus.SENT, "sent_at": moment}
    else:
        values = {
            "status": OutboxStatus.QUEUED,
            "last_error": f"{type(error).__name__}: {error}"[:ERROR_LENGTH],
            "next_attempt_at": moment + retry_delay(attempts),
            "claimed_at": None,
        }

    def work() -> None:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == message.claim_token)
            .values(attempts=attempts, claim_token=None, **values)  # either way the claim is released
            .execution_options(synchronize_session=False)
        )
        db.session.commit()

    with_lock_retry(work)


@dataclass
class SendResult:
    """What one pass over the outbox did."""

    sent: int = 0
    failed: int = 0
    released: int = 0


# Connection refused, timeouts and TLS failures are OSErrors; everything the server says is an SMTPException.
SMTP_ERRORS = (smtplib.SMTPException, OSError)


def send_claimed(messages: list[OutboxMessage]) -> SendResult:
    """Send claimed emails over one connection; each outcome is committed as soon as it is known."""
    result = SendResult()
    pending = list(messages)
    try:
        with smtp_connection() as connection:
            while pending:
                message = pending[0]
                try:
                    connection.send_message(build_email(message))
                except smtplib.SMTPServerDisconnected:
                    raise  # the connection is gone: this one and the rest go back to the queue below
                except SMTP_ERRORS as error:
                    _save_outcome(message, error, utcnow())
                    result.failed += 1
                else:
                    _save_outcome(message, None, utcnow())
                    result.sent += 1
                pending.pop(0)
    except SMTP_ERRORS as error:
        # The server could not be reached, or dropped us: every email not yet done goes back to the queue.
        for message in pending:
            _save_outcome(message, error, utcnow())
            result.failed += 1
    return result


def deliver_due(now: datetime | None = None, limit: int = BATCH_SIZE) -> SendResult:
    """One pass of the outbox job: release dead claims, then claim and send until nothing is due."""
    now = now or utcnow()
    total = SendResult(released=release_stale_claims(now))
    while True:
        batch = claim(now, limit)
        if not batch:
            return total
        result = send_claimed(batch)
        total.sent += result.sent
        total.failed += result.failed
        if result.failed and not result.sent:
            # The server is failing: the failures are rescheduled, so stop rather than spin through the queue.
            return total


def queue_counts() -> dict[OutboxStatus, int]:
    """How many emails are in each status."""
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    counts = dict.fromkeys(OutboxStatus, 0)
    counts.update(dict(rows))
    return counts


def retry_now(message: OutboxMessage, now: datetime | None = None) -> bool:
    """Bring a queued email's next attempt forward to now (an admin's 'try again'); False if not queued."""
    if message.status is not OutboxStatus.QUEUED:
        return False
    before = message.next_attempt_at
    message.next_attempt_at = now or utcnow()
    _audit_retry(message, before)
    return True


def _audit_retry(message: OutboxMessage, before: datetime | None) -> None:
    """Outbox rows are not audited (they are a sending log), but a person bringing one forward is."""
    actor_id, actor_label = current_actor()
    db.session.add(
        AuditEvent(
            actor_id=actor_id,
            actor_label=actor_label[:200],
            action="update",
            entity_type="OutboxMessage",
            entity_id=str(message.id),
            summary=f"Email {message.id} tried again now",
            changes={
                "next_attempt_at": [
                    before.isoformat() if before else None,
                    message.next_attempt_at.isoformat(),
                ]
            },
        )
    )
