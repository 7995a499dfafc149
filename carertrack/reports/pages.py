"""What report pages show above their tables: each report's headline figures, in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carertrack.reports.assessment import status_counts


def _dbs(document: dict) -> list[tuple[str, Any]]:
    return [
        ("People who need a DBS check", document["people_requiring"]),
        ("Current", document["current"]),
        ("Due soon", document["due_soon"]),
        ("Expired", document["expired"]),
        ("Missing", document["missing"]),
    ]


def _staying_put(document: dict) -> list[tuple[str, Any]]:
    return [("Active arrangements", document["active"]), ("Ending within 90 days", document["ending_within_90_days"])]


def _breaches(document: dict) -> list[tuple[str, Any]]:
    return [("Clocks breached", document["breached"]), ("Clocks at risk", document["at_risk"])]


def _in_assessment(document: dict) -> list[tuple[str, Any]]:
    counts = status_counts(document)
    return [
        ("In assessment", document.get("row_count", len(document["rows"]))),
        ("Breached", counts["breached"]),
        ("At risk", counts["at_risk"]),
        ("On track", counts["on_track"]),
    ]


def _funnel(document: dict) -> list[tuple[str, Any]]:
    return [
        ("Enquiries", document["enquiries"]),
        ("Initial visits", document["initial_visits"]),
        ("Applications", document["applications"]),
        ("Approvals", document["approvals"]),
    ]


FIGURES: dict[str, Callable[[dict], list[tuple[str, Any]]]] = {
    "dbs": _dbs,
    "staying-put": _staying_put,
    "breaches": _breaches,
    "in-assessment": _in_assessment,
    "funnel": _funnel,
}


def figures_for(name: str, document: dict) -> list[tuple[str, Any]]:
    """The report's headline figures, or none."""
    make = FIGURES.get(name)
    return make(document) if make else []
