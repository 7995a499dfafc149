"""A case's timeline: everything that happened to it, newest first, from its own records and the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, or_, select

from carertrack.extensions import db
from carertrack.formatting import format_date
from carertrack.models.audit import AuditEvent
from carertrack.models.case import Case

AUDIT_LIMIT = 200
# Shown from the case's own records, so their audit events would only repeat them.
SHOWN_FROM_RECORDS = {"StageChange", "CaseNote", "Delay", "CaseAllocation"}
# Case columns whose changes the timeline already shows some other way, or that are bookkeeping.
QUIET_FIELDS = {
    "stage",
    "allocated_worker_id",
    "allocated_date",
    "delay_reason",
    "eight_month_deadline",
    "reg24_deadline",
    "updated_at",
    "created_at",
    "version",
}
FIELD_LABELS = {
    "carer_type": "type of carer",
    "enquiry_date": "enquiry date",
    "enquiry_source": "how they got in touch",
    "intake_worker_id": "enquiry worker",
    "first_contact_date": "first contact",
    "initial_visit_date": "initial visit date",
    "initial_visit_worker_id": "initial visit worker",
    "initial_visit_outcome": "initial visit outcome",
    "initial_visit_reason": "initial visit reason",
    "application_date": "application received",
    "stage1_decision": "Stage 1 decision",
    "stage1_completed_date": "Stage 1 decision date",
    "stage1_decision_reasons": "Stage 1 reasons",
    "preparation_training_date": "preparation training",
    "report_completed_date": "report completed",
    "brief_report": "brief report",
    "brief_report_shared_date": "brief report shared",
    "child_reference": "child's reference",
    "placement_date": "temporary approval placement date",
    "extension_granted_date": "extension granted",
    "extension_weeks": "extension weeks",
    "extension_nominated_officer": "nominated officer",
    "extension_panel_views_date": "panel's views sought",
    "extension_iro_informed_date": "IRO told",
    "extension_pending_irm": "pending IRM outcome",
    "predicted_panel_date": "predicted panel date",
    "panel_date": "panel date",
    "panel_recommendation": "panel recommendation",
    "recommendation_date": "recommendation date",
    "decision_date": "decision date",
    "decision": "decision",
    "closed_date": "closure date",
    "closed_reason": "closure reason",
    "closed_note": "closure note",
}


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened."""

    when: datetime
    title: str
    detail: str | None = None
    who: str | None = None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _field_list(changes: dict) -> str:
    names = [FIELD_LABELS.get(key, key.replace("_", " ")) for key in changes if key not in QUIET_FIELDS]
    return ", ".join(names)


def _from_audit(event: AuditEvent) -> TimelineEntry | None:
    if event.entity_type in SHOWN_FROM_RECORDS:
        return None
    if event.entity_type == "Case":
        if event.action != "update":
            return None
        fields = _field_list(event.changes or {})
        if not fields:
            return None
        return TimelineEntry(
            _aware(event.occurred_at), "Case details changed", f"Changed: {fields}.", event.actor_label
        )
    verb = {"create": "added", "update": "updated", "delete": "removed"}.get(event.action, event.action)
    title = f"{event.summary or event.entity_type} {verb}"
    return TimelineEntry(_aware(event.occurred_at), title[:1].upper() + title[1:], None, event.actor_label)


def _checks_added(events: list[AuditEvent]) -> list[TimelineEntry]:
    """Checks are added in batches (the checklist, a new member): one entry per batch, not one per check."""
    batches: dict[tuple[str, str], list[AuditEvent]] = {}
    for event in events:
        if event.entity_type == "Stage1Check" and event.action == "create":
            moment = _aware(event.occurred_at)
            batches.setdefault((moment.strftime("%Y%m%d%H%M"), event.actor_label), []).append(event)
    entries = []
    for (_minute, actor), batch in batches.items():
        names = [event.summary for event in batch if event.summary]
        title = "Stage 1 check added" if len(batch) == 1 else f"{len(batch)} Stage 1 checks added"
        entries.append(TimelineEntry(_aware(batch[-1].occurred_at), title, "; ".join(names) or None, actor))
    return entries


def build_timeline(case: Case) -> list[TimelineEntry]:
    """Stage changes, allocations, delays, notes and every other recorded change, newest first."""
    entries: list[TimelineEntry] = []
    for change in case.stage_changes:
        title = "Enquiry received" if change.from_stage is None else f"Moved to {change.to_stage.label}"
        entries.append(TimelineEntry(_aware(change.changed_at), title, None, change.changed_by_label))
    for number, allocation in enumerate(case.allocations):
        verb = "Allocated" if number == 0 else "Reallocated"
        detail = f"From {format_date(allocation.allocated_date)}."
        if allocation.reason:
            detail += f" Reason: {allocation.reason}"
        who = allocation.recorded_by.name if allocation.recorded_by else None
        entries.append(
            TimelineEntry(_aware(allocation.recorded_at), f"{verb} to {allocation.worker.name}", detail, who)
        )
    for delay in case.delays:
        period = f"{format_date(delay.start_date)} to {format_date(delay.end_date) if delay.end_date else 'now'}"
        who = delay.recorded_by.name if delay.recorded_by else None
        entries.append(TimelineEntry(_aware(delay.recorded_at), "Delay recorded", f"{delay.reason} ({period})", who))
    for note in case.notes:
        entries.append(TimelineEntry(_aware(note.written_at), "Note", note.text, note.author_label))
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(
                and_(AuditEvent.entity_type == "Case", AuditEvent.entity_id == str(case.id)),
                and_(AuditEvent.parent_type == "Case", AuditEvent.parent_id == str(case.id)),
            )
        )
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_LIMIT)
    )
    events = list(events)
    entries += [
        entry
        for event in events
        if event.entity_type != "Stage1Check" or event.action != "create"
        if (entry := _from_audit(event)) is not None
    ]
    entries += _checks_added(events)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
