"""Read-only queries that compute every figure; pages, CSV, JSON and the CLI all use them."""

# Each module registers its reports when imported.
from carertrack.reports import (
    annual_return,
    assessment,
    breaches,
    dbs,
    funnel,
    growth,
    households,
    staying_put,
    summary,
    timeliness,
)
from carertrack.reports.registry import REPORTS, ReportDef, ReportParams, Table, register

# The order the command's help and the reports index list them in: as-of reports, then year reports.
ORDER = (
    "summary",
    "households",
    "in-assessment",
    "breaches",
    "dbs",
    "staying-put",
    "net-growth",
    "timeliness",
    "approvals-by-month",
    "funnel",
    "annual-return",
)
for _name in ORDER:
    REPORTS[_name] = REPORTS.pop(_name)

__all__ = [
    "REPORTS",
    "ReportDef",
    "ReportParams",
    "Table",
    "annual_return",
    "assessment",
    "breaches",
    "dbs",
    "funnel",
    "growth",
    "households",
    "register",
    "staying_put",
    "summary",
    "timeliness",
]
