"""The panel administrator's home panel: next meeting, papers outstanding, decisions awaited."""

from __future__ import annotations

from typing import Any

from carertrack.dates import today
from carertrack.models.user import Role
from carertrack.panels.queries import HomeSummary, home_summary


def applies(user: Any) -> bool:
    """Shown to panel administrators."""
    return user.role is Role.PANEL_ADMIN


def context(user: Any) -> HomeSummary:
    """The summary the panel renders."""
    return home_summary(today())
