"""Threshold dates found from the Python rules, so SQL can compare a stored date with one value.

A date rule with month or working-day arithmetic in it (an 18th birthday, a renewal date, a
deadline in working days) is monotone in the stored date it reads: true for every date up to some
day and false after it, or the other way round. So "the rule holds for this row" is "the stored
date is on or before (or after) one threshold date", and that threshold is found here by asking the
Python rule itself about candidate dates, by bisection. SQL never re-implements the arithmetic
(SQLite and PostgreSQL differ in it), and the Python rule stays the single definition.

Used by carertrack/compliance_sql.py (DBS, reviews, staying put), carertrack/cases/queries.py (the
first-contact clock) and carertrack/reminders/preselect.py (which records can be due).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

_DAY = timedelta(days=1)
#: Days either side of the guess that a search covers: far beyond any setting's reach (about 11 years).
REACH = 4000


def last_day_where(holds: Callable[[date], bool], guess: date, reach: int = REACH) -> date:
    """The latest date on which `holds` is true, for a rule true up to some date and false after it.

    Searches `reach` days either side of `guess`. When the rule holds on the whole range the range's
    last day is returned; when it holds on none of it, the day before the range.
    """
    low = max(date.min + _DAY, guess - timedelta(days=reach))
    high = min(date.max, guess + timedelta(days=reach))
    if holds(high):
        return high
    if not holds(low):
        return low - _DAY
    while high - low > _DAY:  # holds(low) and not holds(high)
        middle = low + (high - low) // 2
        if holds(middle):
            low = middle
        else:
            high = middle
    return low


def first_day_where(holds: Callable[[date], bool], low: date, high: date) -> date:
    """The first day in [low, high] on which a rule false up to some date and true after it holds.

    The day after `high` when it holds on none of the range.
    """
    if not holds(high):
        return high + _DAY
    while low < high:
        middle = low + (high - low) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + _DAY
    return low
