"""Reporting years, rounding and medians, exactly as CONTRACTS.md section 2 and 3 define them."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import median as _median


def year_start(year: int) -> date:
    """1 April of the reporting year that starts in `year`."""
    return date(year, 4, 1)


def year_end(year: int) -> date:
    """31 March of the following calendar year."""
    return date(year + 1, 3, 31)


def year_label(year: int) -> str:
    """'2017/18' for the year 1 April 2017 to 31 March 2018."""
    return f"{year}/{(year + 1) % 100:02d}"


def year_containing(day: date) -> int:
    """The reporting year (by its starting calendar year) that contains this date."""
    return day.year if day.month >= 4 else day.year - 1


def in_year(day: date | None, year: int) -> bool:
    """True when the date falls in the reporting year, both ends inclusive."""
    return day is not None and year_start(year) <= day <= year_end(year)


def percent(numerator: int, denominator: int) -> float | None:
    """A percentage rounded half-up to one decimal place; None when there is nothing to divide by."""
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def median(values: list[int | float]) -> float | None:
    """The usual median (mean of the middle two for an even count); None for no values."""
    if not values:
        return None
    return float(_median(values))


def months_of_year(year: int) -> list[str]:
    """The twelve 'YYYY-MM' months of a reporting year, April first."""
    months = []
    for offset in range(12):
        month = 4 + offset
        calendar_year = year + (month - 1) // 12
        months.append(f"{calendar_year}-{(month - 1) % 12 + 1:02d}")
    return months
