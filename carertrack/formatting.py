"""How dates, times and values read on pages, in emails and in reports (UK style, Europe/London)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def local(dt: datetime) -> datetime:
    """A stored (UTC) timestamp in London time; naive values from SQLite are taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(LONDON)


def format_date(value: date | datetime | None, empty: str = "") -> str:
    """1 February 2026."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = local(value).date()
    return f"{value.day} {value:%B %Y}"


def format_short_date(value: date | None, empty: str = "") -> str:
    """1 Feb 2026, for tables."""
    if value is None:
        return empty
    return f"{value.day} {value:%b %Y}"


def format_datetime(value: datetime | None, empty: str = "") -> str:
    """1 February 2026 at 2:05pm, in London time."""
    if value is None:
        return empty
    moment = local(value)
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{format_date(moment.date())} at {hour}:{moment:%M}{suffix}"


def format_time(value: datetime | None) -> str:
    """2:05pm, in London time."""
    if value is None:
        return ""
    moment = local(value)
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M}{'am' if moment.hour < 12 else 'pm'}"
