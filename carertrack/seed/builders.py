"""Imports every area's demo builders so they register, in the order the demo needs them."""

import carertrack.cases.demo  # first: households and panels build on the cases
import carertrack.households.demo  # noqa: F401 - after the cases builder: approved cases become households

# Panels run after the cases and households builders: they link to the cases' recommendations and decisions.
from carertrack.panels import demo as panels_demo  # noqa: F401
