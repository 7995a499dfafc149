"""The assessment pipeline's pages; each group of routes lives in its own module."""

from carertrack.cases import (  # noqa: F401 - each module registers its routes on bp
    routes_allocation,
    routes_case,
    routes_intake,
    routes_lists,
    routes_people,
    routes_steps,
)
from carertrack.cases.blueprint import bp

__all__ = ["bp"]
