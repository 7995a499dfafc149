"""Reading dates people type: ISO (2026-02-01) or UK (1/2/2026, 01/02/2026). One parser for pages and imports."""

from __future__ import annotations

import re
from datetime import date, datetime

from carertrack.formatting import LONDON

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str | None) -> date | None:
    """A date from ISO or UK day/month/year text; None when blank; ValueError when it is not a real date."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _UK.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError("must be a date like 2026-02-01 or 1/2/2026")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError("must be a real date") from exc


def today() -> date:
    """Today in Europe/London: the service's day, used by every page, check, report and reminder."""
    return datetime.now(LONDON).date()
