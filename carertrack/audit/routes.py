"""The audit log: search it, and see one record's history. Read-only: there is no route that edits it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import or_, select

from carertrack.access import roles
from carertrack.dates import parse_date
from carertrack.extensions import db
from carertrack.formatting import LONDON
from carertrack.ids import parse_id
from carertrack.models.audit import AuditEvent
from carertrack.models.user import Role, User

bp = Blueprint("audit", __name__, url_prefix="/audit")

PER_PAGE = 50
AUDIT_READERS = (Role.MANAGER, Role.ADMIN)


def _start_of(day):  # type: ignore[no-untyped-def]
    return datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC)


@bp.route("")
@roles(*AUDIT_READERS)
def search():
    """Search the log by person, record and date."""
    args = request.args
    errors: dict[str, str] = {}
    statement = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    actor = args.get("actor", "").strip()
    if actor:
        if (actor_id := parse_id(actor)) is not None:
            statement = statement.where(AuditEvent.actor_id == actor_id)
        else:
            errors["actor"] = "Select a person from the list"
    entity_type = args.get("entity_type", "").strip()[:60]
    if entity_type:
        statement = statement.where(or_(AuditEvent.entity_type == entity_type, AuditEvent.parent_type == entity_type))
    entity_id = args.get("entity_id", "").strip()[:60]
    if entity_id:
        statement = statement.where(or_(AuditEvent.entity_id == entity_id, AuditEvent.parent_id == entity_id))
    dates = {}
    for key, label in (("date_from", "From"), ("date_to", "To")):
        try:
            dates[key] = parse_date(args.get(key))
        except ValueError as exc:
            errors[key] = f"{label} date {exc}"
    if dates.get("date_from"):
        statement = statement.where(AuditEvent.occurred_at >= _start_of(dates["date_from"]))
    if dates.get("date_to"):
        statement = statement.where(AuditEvent.occurred_at < _start_of(dates["date_to"] + timedelta(days=1)))
    if dates.get("date_from") and dates.get("date_to") and dates["date_to"] < dates["date_from"]:
        errors["date_to"] = "To date must be the same as or after the from date"
    if errors:
        statement = statement.where(AuditEvent.id.is_(None))
    page = db.paginate(statement, per_page=PER_PAGE, error_out=False)
    people = db.session.execute(select(User.id, User.name).order_by(User.name)).all()
    types = db.session.scalars(select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)).all()
    return render_template("audit/search.html", page=page, people=people, types=types, errors=errors, args=args), (
        400 if errors else 200
    )


@bp.route("/<entity_type>/<entity_id>")
@roles(*AUDIT_READERS)
def history(entity_type: str, entity_id: str):
    """Everything that happened to one record and the records that belong to it, newest first."""
    statement = (
        select(AuditEvent)
        .where(
            or_(
                (AuditEvent.entity_type == entity_type) & (AuditEvent.entity_id == entity_id),
                (AuditEvent.parent_type == entity_type) & (AuditEvent.parent_id == entity_id),
            )
        )
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    page = db.paginate(statement, per_page=PER_PAGE, error_out=False)
    return render_template("audit/history.html", page=page, entity_type=entity_type, entity_id=entity_id)
