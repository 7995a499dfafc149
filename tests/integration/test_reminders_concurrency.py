"""Two real processes at once send nothing twice: each runs `flask reminders run` (or `flask reminders
send`) against the test database (PostgreSQL when TEST_DATABASE_URL says so, else the SQLite file)
and the same loopback SMTP server.

To make the two really overlap, the test holds a write lock on the table they write until both are
waiting for it (PostgreSQL shows who waits; for SQLite, until both have the database file open and a
moment more), so both have worked out the same emails before either records one. Without the overlap
the test would still pass; with it, the unique keys and the claims are what keep each email single.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.models.reminder import OutboxKind, OutboxMessage, OutboxStatus, SentReminder
from carertrack.models.user import Role
from carertrack.reminders import outbox
from tests.factories import make_user
from tests.reminder_support import AS_OF, make_case, smtp_server

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 30


def start(port: int, *args: str) -> subprocess.Popen:
    """`flask ARGS` in its own process, configured like the tests (same database) and sending to the port."""
    env = {
        **os.environ,
        "CARERTRACK_CONFIG": "test",
        "TEST_DATABASE_URL": os.environ["TEST_DATABASE_URL"],
        "FLASK_APP": "wsgi.py",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "MAIL_USE_TLS": "",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return output


@contextlib.contextmanager
def holding_writes(app, table: str) -> Iterator[Callable[[list[subprocess.Popen]], None]]:
    """Block writes to a table; the block's `wait_for(processes)` returns once both are queued behind it."""
    url = os.environ["TEST_DATABASE_URL"]
    if url.startswith("postgresql"):
        with app.app_context():
            connection = db.engine.connect()
        transaction = connection.begin()
        connection.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))

        def wait_for(processes: list[subprocess.Popen]) -> None:
            waiting = text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )

            def ready() -> bool:
                # A fresh transaction each time: pg_stat_activity is a snapshot kept for the transaction.
                with app.app_context(), db.engine.connect() as probe:
                    return probe.execute(waiting).scalar() >= len(processes)

            _poll(ready, processes)

        try:
            yield wait_for
        finally:
            transaction.rollback()
            connection.close()
        return
    path = url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")

    def wait_for_sqlite(processes: list[subprocess.Popen]) -> None:
        real = os.path.realpath(path)
        _poll(lambda: all(_has_open(p.pid, real) for p in processes), processes)
        time.sleep(1)  # they have started reading; give them a moment to reach their first write

    try:
        yield wait_for_sqlite
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _has_open(pid: int, path: str) -> bool:
    fds = Path(f"/proc/{pid}/fd")
    with contextlib.suppress(OSError):
        return any(os.path.realpath(fd) == path for fd in fds.iterdir())
    return False


def _poll(ready: Callable[[], bool], processes: list[subprocess.Popen], limit: float = 60) -> None:
    """Wait until ready() (or a process ended, or the limit passed: then they simply run one after the other)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and all(p.poll() is None for p in processes):
        if ready():
            return
        time.sleep(0.05)


def release_connections(app) -> None:
    """Let the subprocesses have the database to themselves (SQLite has one writer)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_two_reminder_runs_at_once_send_each_digest_once(app):
    manager = make_user(app, Role.MANAGER, name="Maria Jones")
    workers = [make_user(app, Role.SOCIAL_WORKER, name=f"Worker {n}") for n in range(WORKERS)]
    for n, worker in enumerate(workers):
        # Each case breached its 8 months on 10 September 2025: the worker and the manager hear about it.
        make_case(app, f"FC-{n:03d}", date(2025, 1, 10), worker.id)
    release_connections(app)

    with smtp_server() as (inbox, port):
        with holding_writes(app, "sent_reminder") as wait_for:
            first = start(port, "reminders", "run", "--as-of", AS_OF.isoformat())
            second = start(port, "reminders", "run", "--as-of", AS_OF.isoformat())
            wait_for([first, second])
        outputs = [finish(first), finish(second)]

    received = Counter(address for m in inbox.messages for address in m.rcpt_tos)
    assert received == Counter({w.email: 1 for w in [*workers, manager]}), outputs
    [managers_email] = inbox.to(manager.email)
    assert managers_email.text.count("8-month timescale breached") == WORKERS
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == WORKERS + 1
        statuses = db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts)).all()
        assert set(statuses) == {(OutboxStatus.SENT, 1)}
        # One digest key and one item key per worker; the manager's digest key and one key per case.
        assert db.session.scalar(select(func.count()).select_from(SentReminder)) == 2 * WORKERS + 1 + WORKERS
    queued = sum(int(line.split(":")[1].split()[0]) for o in outputs for line in o.splitlines() if " queued." in line)
    assert queued == WORKERS + 1


def test_two_outbox_senders_at_once_send_each_email_once(app):
    with app.app_context(), acting_as("test setup"):
        for n in range(60):
            outbox.enqueue(
                kind=OutboxKind.DAILY_DIGEST,
                recipient_id=None,
                to_address=f"person{n}@example.org",
                subject=f"Email {n}",
                body_text="Hello",
                body_html=None,
                keys=[],
            )
        db.session.commit()
    release_connections(app)

    with smtp_server() as (inbox, port):
        with holding_writes(app, "outbox_message") as wait_for:
            first = start(port, "reminders", "send")
            second = start(port, "reminders", "send")
            wait_for([first, second])
        outputs = [finish(first), finish(second)]

    assert len(inbox.messages) == 60, outputs
    assert len({m.message["Message-ID"] for m in inbox.messages}) == 60
    with app.app_context():
        assert set(db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts)).all()) == {
            (OutboxStatus.SENT, 1)
        }
