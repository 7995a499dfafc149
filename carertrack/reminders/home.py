"""'Your reminders': the same items the emails carry, derived live for the person signed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from carertrack.dates import today
from carertrack.extensions import CountedPagination
from carertrack.models.user import Role
from carertrack.reminders import case_sql, sources
from carertrack.reminders.items import Item
from carertrack.reminders.links import page_url
from carertrack.reminders.preselect import Thresholds
from carertrack.reminders.rules import ReminderSettings, due_items, for_recipient

SHOWN = 8
PER_PAGE = 50  # the full list, a page at a time
MAX_PAGES = 2000  # a page number typed into the address bar is kept to this
# The roles the rules can name as recipients; administrators and read-only users get none.
RECEIVING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.MANAGER, Role.PANEL_ADMIN})


def items_for(user: Any) -> list[Item]:
    """Everything due for this person today, most urgent first, from records loaded for them alone."""
    as_of = today()
    settings = ReminderSettings.current()
    loaded = sources.load_sources(as_of, user, settings)
    return for_recipient(due_items(loaded, as_of, sources.directory(), settings), user.id)


def applies(user: Any) -> bool:
    """Shown to the people reminders are for."""
    return user.role in RECEIVING_ROLES


@dataclass(frozen=True)
class Summary:
    """One person's reminders for the home page: the most urgent few and the counts."""

    first: list[Item]
    total: int
    overdue: int


def summary(user: Any, as_of: date, settings: ReminderSettings, shown: int = SHOWN) -> Summary:
    """Counts and the most urgent `shown` items, in a fixed number of statements whatever the data.

    The cases loaded grow with `shown` (at most each case rule's `shown` most urgent), not with the data.

    Case items are counted in SQL (reminders/case_sql.py) and only the cases that can hold the most
    urgent few are loaded; households, staying put and panel items are few per person and go through
    the rules as loaded (reminders/sources.py).
    """
    directory = sources.directory()
    counted = case_sql.case_counts(user, Thresholds.for_date(as_of, settings), settings, directory, shown)
    loaded = sources.load_sources(as_of, user, settings, cases=False)
    loaded.cases = sources.cases_by_id(counted.candidate_ids)
    found = for_recipient(due_items(loaded, as_of, directory, settings), user.id)
    others = [item for item in found if item.record_type != "Case"]  # case items are counted in SQL
    return Summary(
        first=found[:shown],
        total=counted.total + len(others),
        overdue=counted.overdue + sum(1 for item in others if item.urgent),
    )


def context(user: Any) -> dict:
    """The home panel: the most urgent few, with counts."""
    found = summary(user, today(), ReminderSettings.current())
    return {
        "rows": [(item, page_url(item.link)) for item in found.first],
        "total": found.total,
        "overdue": found.overdue,
    }


def page_of(user: Any, page: int, per_page: int | None = None) -> tuple[CountedPagination, Summary]:
    """A page of the person's reminders, most urgent first, and the counts (page 1 is the home page's first)."""
    page = max(1, min(page, MAX_PAGES))
    per_page = per_page or PER_PAGE
    found = summary(user, today(), ReminderSettings.current(), shown=page * per_page)
    start = (page - 1) * per_page
    return CountedPagination(found.first[start : start + per_page], found.total, page, per_page), found
