"""The service navigation, by role. Later areas add their entries to ``ENTRIES``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user

from carertrack.access import rule_for


@dataclass(frozen=True)
class NavEntry:
    """A link in the service navigation; shown to whoever the target route's access rule allows."""

    text: str
    endpoint: str
    prefix: str  # URL prefix that marks this entry as the current section


ENTRIES: list[NavEntry] = [
    NavEntry("Home", "main.home", "/"),
    NavEntry("My cases", "cases.my_cases", "/cases/mine"),
    NavEntry("Pipeline", "cases.pipeline", "/cases/pipeline"),
    NavEntry("Enquiries", "cases.enquiries", "/cases/enquiries"),
    NavEntry("Users", "admin.users", "/admin/users"),
    NavEntry("Settings", "admin.settings", "/admin/settings"),
    NavEntry("Audit log", "audit.search", "/audit"),
    NavEntry("Outbox", "reminders.outbox_list", "/admin/outbox"),
    NavEntry("Households", "households.index", "/households"),
    NavEntry("DBS compliance", "households.compliance", "/dbs-compliance"),
    NavEntry("Staying put", "households.staying_put", "/staying-put"),
    NavEntry("Panel", "panels.calendar", "/panels"),
    NavEntry("Dashboard", "reports.dashboard", "/dashboard"),
    NavEntry("Reports", "reports.index", "/reports"),
    NavEntry("Import", "imports.upload", "/import"),
]


@dataclass(frozen=True)
class NavItem:
    """A navigation entry resolved for this request."""

    text: str
    href: str
    active: bool
    current: bool


def navigation_items() -> list[NavItem]:
    """The entries this person may use, with the current section marked."""
    if not current_user.is_authenticated:
        return []
    items = []
    path = request.path
    for entry in ENTRIES:
        rule = rule_for(entry.endpoint)
        if rule is None or not rule.allows(current_user):
            continue
        href = url_for(entry.endpoint)
        current = path == href
        active = current or (entry.prefix != "/" and path.startswith(entry.prefix))
        items.append(NavItem(entry.text, href, active, current))
    return items
