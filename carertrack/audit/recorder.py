"""Writes an audit event for every create, update and delete, in the same transaction.

Every mapped model is audited unless it sets ``__audited__ = False``. A model may name fields to
leave out entirely (``__audit_exclude__``: their change is recorded, never their value) and fields
whose change alone is not worth an event (``__audit_ignore__``). A model may also define
``audit_parent()`` returning the record whose history should include this one (a case's checks,
say). Writes outside a request must say who is acting with :func:`acting_as`.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from carertrack.models.audit import AuditEvent
from carertrack.models.base import utcnow

REDACTED = "[not recorded]"
_ALREADY_PLAIN = frozenset({str, int, float, bool, type(None)})
_PRIMARY_KEY_NAMES: dict[Any, tuple[str, ...]] = {}
_COLUMN_NAMES: dict[Any, tuple[str, ...]] = {}

_cli_actor: contextvars.ContextVar[tuple[int | None, str] | None] = contextvars.ContextVar(
    "carertrack_audit_actor", default=None
)


class UnattributedWrite(RuntimeError):
    """A change to an audited record with nobody to attribute it to."""


class AuditLogIsAppendOnly(RuntimeError):
    """Audit events cannot be changed or deleted."""


@contextlib.contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Attribute writes in this block to a user, or to a label such as 'command line'."""
    value = (actor.id, actor.name) if hasattr(actor, "id") else (None, str(actor))
    if has_request_context():
        previous = g.get("audit_actor")
        g.audit_actor = value
        try:
            yield
        finally:
            g.audit_actor = previous
        return
    token = _cli_actor.set(value)
    try:
        yield
    finally:
        _cli_actor.reset(token)


def current_actor() -> tuple[int | None, str]:
    """The (user id, label) that a write is attributed to, or raise UnattributedWrite."""
    if has_request_context():
        explicit = g.get("audit_actor")
        if explicit:
            return explicit
        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.name
        raise UnattributedWrite("A change was made by someone who is not signed in.")
    actor = _cli_actor.get()
    if actor is None:
        raise UnattributedWrite("A change was made outside a request without acting_as().")
    return actor


def _is_audited(obj: Any) -> bool:
    return getattr(type(obj), "__audited__", True)


def _plain(value: Any) -> Any:
    if type(value) in _ALREADY_PLAIN:  # most values: skip the checks below
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return REDACTED
    return value


def _identity(obj: Any) -> str:
    # The identity key is not yet set on new objects during after_flush; the primary key is.
    state = inspect(obj)
    ident = [state.dict.get(key) for key in _primary_key_names(state.mapper)]
    if None in ident:  # not in the instance's dict: ask the mapper, which may load it
        ident = state.mapper.primary_key_from_instance(obj)
    return "/".join(str(part) for part in ident)


def _primary_key_names(mapper: Any) -> tuple[str, ...]:
    """The attribute names of the mapper's primary key columns, worked out once per mapper."""
    names = _PRIMARY_KEY_NAMES.get(mapper)
    if names is None:
        names = tuple(mapper.get_property_by_column(column).key for column in mapper.primary_key)
        _PRIMARY_KEY_NAMES[mapper] = names
    return names


def _created(obj: Any, state: Any, excluded: frozenset[str]) -> dict[str, list[Any]]:
    """A new record's columns that have a value.

    Read from the instance's dict rather than through each attribute: the same values (a column
    never set is None; an expired one is loaded), without an attribute call per column per record.
    """
    values, expired = state.dict, state.expired_attributes
    changes: dict[str, list[Any]] = {}
    for key in _column_names(state.mapper):
        value = getattr(obj, key) if key in expired else values.get(key)
        if value is not None:
            changes[key] = [None, REDACTED if key in excluded else _plain(value)]
    return changes


def _column_names(mapper: Any) -> tuple[str, ...]:
    """The mapper's column attribute names an audit event records (all but the version), worked out once."""
    names = _COLUMN_NAMES.get(mapper)
    if names is None:
        names = tuple(attr.key for attr in mapper.column_attrs if attr.key != "version")
        _COLUMN_NAMES[mapper] = names
    return names


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    excluded = getattr(type(obj), "__audit_exclude__", frozenset())
    if action == "create":
        return _created(obj, state, excluded)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key == "version":
            continue
        # Only updates and deletes need the attribute history; skipping it keeps large imports fast.
        history = state.attrs[key].history
        if action == "delete":
            value = history.unchanged[0] if history.unchanged else (history.deleted or [None])[0]
            changes[key] = [REDACTED if key in excluded else _plain(value), None]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
            if key in excluded:
                changes[key] = [REDACTED, REDACTED]
            else:
                changes[key] = [_plain(old), _plain(new)]
    return changes


def _parent(obj: Any) -> tuple[str | None, str | None]:
    finder = getattr(obj, "audit_parent", None)
    parent = finder() if callable(finder) else None
    if parent is None:
        return None, None
    return type(parent).__name__, _identity(parent)


def _summary(obj: Any) -> str | None:
    describe = getattr(obj, "audit_label", None)
    label = describe() if callable(describe) else None
    return str(label)[:500] if label else None


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("Audit events cannot be changed or deleted.")


@event.listens_for(Session, "do_orm_execute")
def _refuse_audit_bulk_changes(orm_execute_state: Any) -> None:
    # session.execute(update(AuditEvent)...) or delete(...) bypasses the flush; refuse those too.
    if orm_execute_state.is_update or orm_execute_state.is_delete:
        target = getattr(orm_execute_state.statement, "table", None)
        if getattr(target, "name", None) == AuditEvent.__tablename__:
            raise AuditLogIsAppendOnly("Audit events cannot be changed or deleted.")


@event.listens_for(Session, "after_flush")
def _record(session: Session, flush_context: Any) -> None:
    rows = []
    pending = [("create", o) for o in session.new]
    pending += [("update", o) for o in session.dirty if session.is_modified(o, include_collections=False)]
    pending += [("delete", o) for o in session.deleted]
    for action, obj in pending:
        if not _is_audited(obj):
            continue
        changes = _changes(obj, action)
        ignored = getattr(type(obj), "__audit_ignore__", frozenset())
        if action == "update" and not (set(changes) - set(ignored)):
            continue
        actor_id, actor_label = current_actor()
        parent_type, parent_id = _parent(obj)
        rows.append(
            {
                "occurred_at": utcnow(),
                "actor_id": actor_id,
                "actor_label": actor_label[:200],
                "action": action,
                "entity_type": type(obj).__name__,
                "entity_id": _identity(obj),
                "parent_type": parent_type,
                "parent_id": parent_id,
                "summary": _summary(obj),
                "changes": changes,
            }
        )
    if rows:
        session.connection().execute(insert(AuditEvent.__table__), rows)
