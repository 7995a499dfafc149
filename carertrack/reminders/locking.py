"""Retrying a unit of work when the database is momentarily busy.

SQLite has one writer at a time: a second process that wants to write waits (the driver's busy
timeout) and may still be told the database is locked. PostgreSQL may report a deadlock. In both
cases the unit of work is rolled back and run again; it must be safe to repeat (each one re-reads
what it needs and commits once).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from carertrack.extensions import db

RETRIES = 8
T = TypeVar("T")


def is_lock_error(error: OperationalError) -> bool:
    """True for 'database is locked' (SQLite) and deadlocks (PostgreSQL): worth another try."""
    text = str(error.orig).lower()
    return "locked" in text or "busy" in text or "deadlock" in text


def with_lock_retry(work: Callable[[], T]) -> T:
    """Run `work` (which commits); on a lock error roll back and run it again, a few times, with back-off."""
    for attempt in range(RETRIES):
        try:
            return work()
        except OperationalError as error:
            db.session.rollback()
            if not is_lock_error(error) or attempt == RETRIES - 1:
                raise
            time.sleep(0.05 * 2**attempt + random.random() * 0.05)  # noqa: S311 - jitter, not security  # nosec B311
    raise RuntimeError("with_lock_retry ran out of attempts without an error")  # pragma: no cover
