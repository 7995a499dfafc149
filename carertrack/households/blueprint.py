"""The households blueprint and the save step every form page shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint
from sqlalchemy.orm.exc import StaleDataError

from carertrack.concurrency import EditConflict, VersionedForm, check_version, conflict_from_stale
from carertrack.extensions import db

bp = Blueprint("households", __name__)


def save(form: VersionedForm, record: Any | None, change: Callable[[], Any]) -> bool:
    """Validate the form, refuse a lost update, make the change and commit; True when saved.

    `record` is the record being edited (its version is checked), or None when creating one.
    """
    if not form.validate_on_submit():
        return False
    try:
        if record is not None:
            check_version(record, form.version.data)
        change()
        db.session.commit()
    except EditConflict as conflict:
        db.session.rollback()
        form.add_conflict(conflict)
        return False
    except StaleDataError:
        form.add_conflict(conflict_from_stale(record))
        return False
    return True


def status_code(form: VersionedForm) -> int:
    """400 when the page shows errors, else 200."""
    return 400 if form.errors else 200
