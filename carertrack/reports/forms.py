"""The as-of date and reporting year people choose on report pages and the dashboard (a GET form)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField

from carertrack.dates import parse_date
from carertrack.formatting import format_date
from carertrack.reports.periods import year_containing, year_label, year_start
from carertrack.reports.registry import ReportParams

FIRST_YEAR, LAST_YEAR = 1900, 2999  # the same range the command accepts


class ReportOptionsForm(FlaskForm):
    """As of a date (every report) and, for year reports, the reporting year. Read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    as_of = StringField(
        "As of",
        widget=GovTextInput(),
        description="The figures as they stood on this date. For example, 31/3/2026. Leave blank for today.",
    )
    year = StringField(
        "Reporting year",
        widget=GovTextInput(),
        description="The year that starts on 1 April. For example, 2025 for 1 April 2025 to 31 March 2026.",
    )

    def __init__(self, formdata: Any, *, with_year: bool, **kwargs: Any) -> None:
        super().__init__(formdata=formdata, **kwargs)
        self.with_year = with_year
        if not with_year:
            del self.year

    def read(self, today: date) -> ReportParams | None:
        """The report's parameters, or None with the problems added to the fields."""
        try:
            as_of = parse_date(self.as_of.data) or today
        except ValueError as exc:
            if "real" in str(exc):
                self.as_of.errors = ["The as-of date must be a real date"]
            else:
                self.as_of.errors = ["Enter the as-of date as a date, like 31/3/2026"]
            return None
        if not self.with_year:
            return ReportParams(as_of=as_of)
        text = (self.year.data or "").strip()
        if not text:
            return ReportParams(as_of=as_of, year=year_containing(as_of))
        if not (text.isascii() and text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= LAST_YEAR):
            self.year.errors = ["Enter the reporting year as 4 digits, like 2025"]
            return None
        year = int(text)
        if as_of < year_start(year):
            self.as_of.errors = [
                f"The as-of date must be the same as or after {format_date(year_start(year))}, "
                f"when the {year_label(year)} reporting year starts"
            ]
            return None
        return ReportParams(as_of=as_of, year=year)

    def query(self, params: ReportParams) -> dict[str, str]:
        """The query string that asks for these parameters again (for download links)."""
        values = {"as_of": params.as_of.isoformat()}
        if params.year is not None:
            values["year"] = str(params.year)
        return values
