"""The households blueprint with every route module registered on it."""

from carertrack.households import household_routes, overview_routes, people_routes, record_routes  # noqa: F401
from carertrack.households.blueprint import bp

__all__ = ["bp"]
