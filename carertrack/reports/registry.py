"""The report registry: each figure is computed once, by its report's `compute`, and shown as JSON,
CSV, a text table or a web page from that one result (CONTRACTS.md section 2)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from carertrack.reports.periods import year_containing, year_end, year_label, year_start

Kind = Literal["as_of", "year"]


@dataclass(frozen=True)
class ReportParams:
    """What a report is asked for: the as-of date and, for year reports, the reporting year."""

    as_of: date
    year: int | None = None

    def _year(self) -> int:
        if self.year is None:
            raise ValueError("This is an as-of report: it has no reporting year")
        return self.year

    @property
    def period_start(self) -> date:
        return year_start(self._year())

    @property
    def period_end(self) -> date:
        return year_end(self._year())

    @property
    def year_label(self) -> str:
        return year_label(self._year())


@dataclass
class Table:
    """Rows for CSV, the text table and the page: column headers and plain values."""

    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ReportDef:
    """A report: its name (as on the command line), title, kind and the two functions behind it."""

    name: str
    title: str
    kind: Kind
    description: str
    compute: Callable[[ReportParams], dict]
    table: Callable[[dict], Table]
    # For people (the text table and the page) when the CSV's shape does not suit them, e.g. a one-row
    # return with sixty columns reads better turned on its side. None means: the same as `table`.
    display: Callable[[dict], Table] | None = None
    # For reports with many rows: page(params, offset, limit) gives the document with every headline
    # figure (the same as compute's) and a "row_count" of all rows, but only the rows from offset (limit
    # of them), in compute's order. Pages show one page of rows; the dashboard asks for limit 0 (figures
    # only). CSV, JSON and the command always use compute. None: the page shows every row.
    page: Callable[[ReportParams, int, int], dict] | None = None

    def display_table(self, document: dict) -> Table:
        """The table people read: `display` when the report has one, else `table`."""
        return (self.display or self.table)(document)


def sliced(compute: Callable[[ReportParams], dict], key: str = "rows") -> Callable[[ReportParams, int, int], dict]:
    """A `page` for a report cheap to compute whole: compute, then keep one page of document[key]."""

    def page(params: ReportParams, offset: int, limit: int) -> dict:
        document = compute(params)
        rows = document[key]
        return {**document, key: rows[offset : offset + limit], "row_count": len(rows)}

    return page


REPORTS: dict[str, ReportDef] = {}


def register(report: ReportDef) -> ReportDef:
    """Add a report to the registry (each report module calls this once)."""
    REPORTS[report.name] = report
    return report


class ReportParamError(ValueError):
    """The options make no sense together; the message says why."""


def resolve_params(report: ReportDef, *, year: int | None, as_of: date | None, today: date) -> ReportParams:
    """Check the options against the report's kind and fill in the defaults (as-of today)."""
    as_of = as_of or today
    if report.kind == "as_of":
        if year is not None:
            raise ReportParamError(f"The {report.name} report is as of a date: use --as-of YYYY-MM-DD, not --year.")
        return ReportParams(as_of=as_of)
    if year is None:
        year = year_containing(as_of)
    if not 1900 <= year <= 2999:
        raise ReportParamError("--year must be a four-digit year, like 2025 for 1 April 2025 to 31 March 2026.")
    if as_of < year_start(year):
        raise ReportParamError(
            f"--as-of {as_of.isoformat()} is before the reporting year {year_label(year)} starts "
            f"({year_start(year).isoformat()}): nothing in it was known then."
        )
    return ReportParams(as_of=as_of, year=year)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"Cannot put {type(value).__name__} in a report")


def to_json(document: dict) -> str:
    """One JSON document, dates as YYYY-MM-DD."""
    return json.dumps(document, indent=2, default=_plain)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# A spreadsheet runs text starting with these as a formula: typed text (names, delay reasons) is defused
# with a leading apostrophe (OWASP "CSV injection"). Numbers are never touched: net growth can be -2.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return _cell(value)


def to_csv(table: Table) -> str:
    """The report's rows as CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue()


def to_text(report: ReportDef, params: ReportParams, table: Table) -> str:
    """A fixed-width table for people reading a terminal."""
    heading = report.title
    if params.year is not None:
        heading += f", {params.year_label}"
    heading += f" (as of {params.as_of.isoformat()})"
    cells = [table.headers] + [[_cell(v) for v in row] for row in table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.headers))]
    lines = [heading, ""]
    for index, row in enumerate(cells):
        lines.append("  ".join(value.ljust(widths[i]) for i, value in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    if not table.rows:
        lines.append("(no rows)")
    return "\n".join(lines)
