"""The panels blueprint with every route registered (each module adds its routes to bp)."""

from carertrack.panels import (  # noqa: F401 - each module registers its routes on bp
    routes_booking,
    routes_decisions,
    routes_items,
    routes_meetings,
    routes_members,
)
from carertrack.panels.blueprint import bp

__all__ = ["bp"]
