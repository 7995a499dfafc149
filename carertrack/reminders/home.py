"""'Your reminders': the same items the emails carry, derived live for the person signed in."""

from __future__ import annotations

from typing import Any

from carertrack.dates import today
from carertrack.models.user import Role
from carertrack.reminders import sources
from carertrack.reminders.items import Item
from carertrack.reminders.links import page_url
from carertrack.reminders.rules import ReminderSettings, due_items, for_recipient

SHOWN = 8
# The roles the rules can name as recipients; administrators and read-only users get none.
RECEIVING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.MANAGER, Role.PANEL_ADMIN})


def items_for(user: Any) -> list[Item]:
    """Everything due for this person today, most urgent first, from records loaded for them alone."""
    as_of = today()
    loaded = sources.load_sources(as_of, user)
    return for_recipient(due_items(loaded, as_of, sources.directory(), ReminderSettings.current()), user.id)


def applies(user: Any) -> bool:
    """Shown to the people reminders are for."""
    return user.role in RECEIVING_ROLES


def context(user: Any) -> dict:
    """The home panel: the most urgent few, with counts."""
    found = items_for(user)
    return {
        "rows": [(item, page_url(item.link)) for item in found[:SHOWN]],
        "total": len(found),
        "overdue": sum(1 for item in found if item.urgent),
    }
