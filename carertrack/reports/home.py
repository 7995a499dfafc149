"""The manager's home panel: the headline figures, from the same reports the dashboard shows."""

from __future__ import annotations

from typing import Any

from carertrack.dates import today
from carertrack.models.user import Role
from carertrack.reports import REPORTS
from carertrack.reports.periods import year_containing
from carertrack.reports.registry import ReportParams


def applies(user: Any) -> bool:
    """Managers and read-only (BI) users see the headline figures."""
    return user.role in (Role.MANAGER, Role.VIEWER)


def context(user: Any) -> dict:
    """Households, temporary approvals, in assessment, and net growth this year against the target, today."""
    as_of = today()
    summary = REPORTS["summary"].compute(ReportParams(as_of=as_of))
    growth = REPORTS["net-growth"].compute(ReportParams(as_of=as_of, year=year_containing(as_of)))
    return {
        "as_of": as_of,
        "households": summary["households"],
        "temporary_approvals": summary["temporary_approvals"],
        "in_assessment": summary["in_assessment"],
        "year": growth["year"],
        "net": growth["net"]["total"],
        "target": growth["target"],
        "projected_net": growth["projected_net"]["total"],
    }
