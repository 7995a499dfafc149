"""Lost-update protection shared by every edit form.

Each edit form carries the version of the record it was opened at (``VersionedForm``). Before a
save, :func:`check_version` compares it with the record's current version and raises
:class:`EditConflict`, naming who changed the record and when, so the page can show the message and
keep what the person typed. SQLAlchemy's ``version_id_col`` catches the narrower race between that
check and the UPDATE; :func:`conflict_from_stale` turns it into the same message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from carertrack.extensions import db
from carertrack.formatting import format_datetime
from carertrack.models.audit import AuditEvent


class EditConflict(Exception):
    """The record changed after the person opened the form."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.message = message
        self.current_version = current_version


class VersionedForm(FlaskForm):
    """A form that remembers which version of the record it was opened at."""

    version = HiddenField()

    def load_version(self, record: Any) -> None:
        """Set the hidden version from the record when the form is first shown."""
        self.version.data = str(record.version)

    def add_conflict(self, conflict: EditConflict) -> None:
        """Show the conflict, keep the typed values, and let the next save go ahead knowingly."""
        self.form_errors.append(conflict.message)
        self.version.data = str(conflict.current_version)


def last_change(entity_type: str, entity_id: str | None = None) -> AuditEvent | None:
    """The newest audit event for a record (or, without an id, for any record of that kind)."""
    statement = select(AuditEvent).where(AuditEvent.entity_type == entity_type)
    if entity_id is not None:
        statement = statement.where(AuditEvent.entity_id == entity_id)
    return db.session.scalars(statement.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(1)).first()


def changed_by_phrase(last: AuditEvent | None) -> str:
    """'changed by X at T', or 'changed by someone else' when the log does not say."""
    if last is None:
        return "changed by someone else"
    return f"changed by {last.actor_label} at {format_datetime(last.occurred_at)}"


def describe_last_change(record: Any) -> str:
    """'this record was changed by X at T since you opened it', from the audit log."""
    mapper = inspect(record).mapper
    entity_id = "/".join(str(v) for v in mapper.primary_key_from_instance(record))
    last = last_change(type(record).__name__, entity_id)
    return (
        f"This record was {changed_by_phrase(last)} since you opened it. "
        "Your changes have not been saved. Check the record and your answers below, then save again."
    )


def check_version(record: Any, submitted: str | int | None) -> None:
    """Raise EditConflict when the submitted version is not the record's current version."""
    try:
        submitted_version = int(submitted) if submitted not in (None, "") else None
    except (TypeError, ValueError):
        submitted_version = None
    if submitted_version != record.version:
        raise EditConflict(describe_last_change(record), record.version)


def conflict_from_stale(record: Any) -> EditConflict:
    """Build the conflict for a StaleDataError raised at flush (a save that lost a race)."""
    db.session.rollback()
    fresh = db.session.get(type(record), inspect(record).identity)
    version = fresh.version if fresh is not None else 0
    return EditConflict(describe_last_change(fresh) if fresh else "This record has been deleted.", version)


def commit_versioned(form: VersionedForm, record: Any | None, change: Callable[[], Any]) -> bool:
    """Check the form's version against `record` (None when creating), make the change and commit once.

    True when saved; False with the conflict on the form when someone else saved first (checked before the
    change, or caught at flush). Other exceptions from `change` propagate for the caller to show.
    """
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
