"""The shape of a reminder: one item, due for some people, about one record, with a link to it.

Kept apart from the rules so that the digest, the home page and the outbox share it without
importing every domain module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from carertrack.models.user import Role

# Rule keys, in the order the rules are listed in the issue (ties in urgency sort by this order).
DBS_EXPIRED = "dbs_expired"
DBS_MISSING = "dbs_missing"
DBS_DUE_SOON = "dbs_due_soon"
DBS_TURNING_18 = "dbs_turning_18"
EIGHT_MONTH_BREACHED = "eight_month_breached"
EIGHT_MONTH_AT_RISK = "eight_month_at_risk"
REG24_EXPIRY = "reg24_expiry"
REG24_EXTENSION = "reg24_extension"
REG24_SECOND = "reg24_second"
REG24_FIRST = "reg24_first"
FIRST_CONTACT_OVERDUE = "first_contact_overdue"
PAPERS_OVERDUE = "papers_overdue"
PAPERS_DUE = "papers_due"
ADM_OVERDUE = "adm_overdue"
ADM_DUE = "adm_due"
IRM_ENDED = "irm_ended"
IRM_ENDING = "irm_ending"
REVIEW_OVERDUE = "review_overdue"
REVIEW_DUE_SOON = "review_due_soon"
TRAINING_OVERDUE = "training_overdue"
TRAINING_DUE_SOON = "training_due_soon"
STAYING_PUT_ENDING = "staying_put_ending"

RULE_ORDER = (
    EIGHT_MONTH_BREACHED,
    REG24_EXPIRY,
    FIRST_CONTACT_OVERDUE,
    PAPERS_OVERDUE,
    ADM_OVERDUE,
    IRM_ENDED,
    DBS_EXPIRED,
    DBS_MISSING,
    REVIEW_OVERDUE,
    TRAINING_OVERDUE,
    EIGHT_MONTH_AT_RISK,
    REG24_EXTENSION,
    REG24_SECOND,
    REG24_FIRST,
    PAPERS_DUE,
    ADM_DUE,
    IRM_ENDING,
    DBS_TURNING_18,
    DBS_DUE_SOON,
    REVIEW_DUE_SOON,
    TRAINING_DUE_SOON,
    STAYING_PUT_ENDING,
)
_RULE_RANK = {rule: index for index, rule in enumerate(RULE_ORDER)}

# The digests' own keys in sent_reminder: one per person per day, one per manager per week.
DAILY_DIGEST = "daily_digest"
WEEKLY_PIPELINE = "weekly_pipeline"


@dataclass(frozen=True)
class Link:
    """Where an item points: an endpoint and its values, resolved to a URL when shown or sent."""

    endpoint: str
    values: tuple[tuple[str, Any], ...] = ()
    anchor: str | None = None

    @classmethod
    def to(cls, endpoint: str, anchor: str | None = None, **values: Any) -> Link:
        """Link.to('cases.show', case_id=3)."""
        return cls(endpoint, tuple(sorted(values.items())), anchor)


@dataclass(frozen=True)
class Item:
    """One reminder about one record, for its recipients.

    `subject` and `detail` are what an email may carry: references, first names and dates that are
    not personal (deadlines, panel dates). Never a date of birth, DBS details or a delay reason.
    The key (rule, record, due date, recipient) decides whether it has already been sent.
    """

    rule: str
    record_type: str
    record_id: int
    due_date: date
    title: str
    subject: str
    detail: str
    link: Link
    urgent: bool
    recipients: tuple[int, ...]
    # Managers among the recipients: for them an urgent item is a breach alert that cannot be
    # turned off.
    managers: frozenset[int] = field(default_factory=frozenset)

    def key(self, recipient_id: int) -> tuple[str, str, int, date, int]:
        """The unique key this item is recorded under for one recipient."""
        return (self.rule, self.record_type, self.record_id, self.due_date, recipient_id)

    def mandatory_for(self, recipient_id: int) -> bool:
        """True when this is a breach alert for a manager: sent even with their digest turned off."""
        return self.urgent and recipient_id in self.managers

    @property
    def colour(self) -> str:
        """The tag colour on pages."""
        return "red" if self.urgent else "yellow"

    @property
    def status_text(self) -> str:
        """The tag text on pages (never colour alone)."""
        return "Overdue" if self.urgent else "Due soon"


def sort_key(item: Item) -> tuple[int, date, int, str, int]:
    """Most urgent first: overdue and breached before due soon, then the earliest due date."""
    return (
        0 if item.urgent else 1,
        item.due_date,
        _RULE_RANK.get(item.rule, len(_RULE_RANK)),
        item.subject,
        item.record_id,
    )


def most_urgent_first(items: Iterable[Item]) -> list[Item]:
    """The items in the order a digest and the home page show them."""
    return sorted(items, key=sort_key)


@dataclass(frozen=True)
class Directory:
    """Who can receive reminders: active people by role, for rules that send to a role."""

    active: frozenset[int]
    managers: tuple[int, ...]
    panel_admins: tuple[int, ...]

    @classmethod
    def from_users(cls, users: Iterable[Any]) -> Directory:
        """Build from users (only active ones count)."""
        active = [u for u in users if u.active]
        return cls(
            active=frozenset(u.id for u in active),
            managers=tuple(sorted(u.id for u in active if u.role == Role.MANAGER)),
            panel_admins=tuple(sorted(u.id for u in active if u.role == Role.PANEL_ADMIN)),
        )

    def worker_or_managers(self, *worker_ids: int | None) -> tuple[int, ...]:
        """The first named worker who is active, or every manager when none is (someone must be told)."""
        for worker_id in worker_ids:
            if worker_id is not None and worker_id in self.active:
                return (worker_id,)
        return self.managers

    def worker_and_managers(self, worker_id: int | None) -> tuple[int, ...]:
        """The named worker (when active) and every manager."""
        named = (worker_id,) if worker_id is not None and worker_id in self.active else ()
        return _unique(named + self.managers)

    def worker_and_panel_admins(self, worker_id: int | None) -> tuple[int, ...]:
        """The named worker (when active) and every panel administrator."""
        named = (worker_id,) if worker_id is not None and worker_id in self.active else ()
        return _unique(named + self.panel_admins)


def _unique(ids: Iterable[int]) -> tuple[int, ...]:
    seen: list[int] = []
    for ident in ids:
        if ident not in seen:
            seen.append(ident)
    return tuple(seen)


def first_name(name: str | None) -> str:
    """The first word of a name: emails carry first names only."""
    return name.split()[0] if name and name.split() else ""
