"""Imports every area's demo builders so they register. Each declares its own order (`@builder(order=N)`):
cases (10) first, then households (20), which turns approved cases into households, then panels (30),
which links the cases' recommendations and decisions to meetings."""

import carertrack.cases.demo
import carertrack.households.demo
import carertrack.panels.demo  # noqa: F401
