"""The statutory and local clocks: deadlines, working days and on track / at risk / breached.

Each rule lives here once; pages, reports, reminders and imports all call these functions. Pure
functions: no database and no Flask, so callers pass setting values (lead times, working days) in.
Sources and definitions are in docs/clocks.md.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

EIGHT_MONTHS = 8  # Fostering NMS 2011, standard 14.4: application to panel recommendation
REG24_WEEKS = 16  # Care Planning, Placement and Case Review (England) Regulations 2010, reg 24
REG24_MAX_EXTENSION_WEEKS = 8  # reg 25: one extension of up to 8 weeks (24 weeks at most)
IRM_DAYS = 28  # GOV.UK Independent Review Mechanism guidance: 28 calendar days from the letter
RESIGNATION_NOTICE_DAYS = 28  # Fostering Services (England) Regulations 2011, reg 28(13)


class ClockStatus(enum.StrEnum):
    """Where a running clock stands on the as-of date."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"

    @property
    def label(self) -> str:
        """Text shown to people."""
        return _LABELS[self]

    @property
    def colour(self) -> str:
        """GOV.UK tag colour."""
        return _COLOURS[self]

    @property
    def rank(self) -> int:
        """Order from best (0) to worst (2)."""
        return _RANKS[self]


_LABELS = {ClockStatus.ON_TRACK: "On track", ClockStatus.AT_RISK: "At risk", ClockStatus.BREACHED: "Breached"}
_COLOURS = {ClockStatus.ON_TRACK: "green", ClockStatus.AT_RISK: "yellow", ClockStatus.BREACHED: "red"}
_RANKS = {ClockStatus.ON_TRACK: 0, ClockStatus.AT_RISK: 1, ClockStatus.BREACHED: 2}


def worst(statuses: Iterable[ClockStatus | None]) -> ClockStatus | None:
    """The worst of the given statuses, ignoring None (stopped clocks); None when there are none."""
    present = [status for status in statuses if status is not None]
    if not present:
        return None
    return max(present, key=lambda status: status.rank)


# --- Working days -------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in a year (substitute days included), from the holidays library."""
    # England and Wales share bank holidays; subdiv ENG gives them (Scotland and NI differ).
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    """True when the day is an England and Wales bank holiday (including substitute days and one-offs)."""
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(day: date, n: int) -> date:
    """The nth working day after day (n > 0), before it (n < 0), or day itself (n == 0)."""
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    current = day
    while remaining:
        current += step
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after start up to and including end; negative (the same count reversed) when end < start."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def add_months_clamped(day: date, months: int) -> date:
    """The same day of the month, months later (or earlier), clamped to the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


# --- Deadlines ----------------------------------------------------------------------------------


def eight_month_deadline(application_date: date) -> date:
    """Application date + 8 calendar months, clamped to the end of a shorter month (NMS 14.4)."""
    return add_months_clamped(application_date, EIGHT_MONTHS)


def reg24_deadline(placement_date: date, extension_weeks: int = 0) -> date:
    """Reg 24 placement date + 16 weeks, plus a granted extension of 0 to 8 weeks (reg 25)."""
    if isinstance(extension_weeks, bool) or not isinstance(extension_weeks, int):
        raise ValueError("extension_weeks must be a whole number of weeks")
    if not 0 <= extension_weeks <= REG24_MAX_EXTENSION_WEEKS:
        raise ValueError(f"extension_weeks must be between 0 and {REG24_MAX_EXTENSION_WEEKS}")
    return placement_date + timedelta(weeks=REG24_WEEKS + extension_weeks)


def first_contact_deadline(enquiry_date: date, working_days: int) -> date:
    """The enquiry date + the first-contact setting in working days (local practice)."""
    return add_working_days(enquiry_date, working_days)


def papers_deadline(panel_date: date, working_days: int) -> date:
    """The last day papers may reach panel members: that many working days before the panel (NMS 14.3)."""
    return add_working_days(panel_date, -working_days)


def adm_deadline(trigger_date: date, working_days: int) -> date:
    """The ADM decision deadline: that many working days after the later of recommendation and final minutes."""
    return add_working_days(trigger_date, working_days)


def irm_deadline(letter_date: date) -> date:
    """The last day to apply to the IRM: the qualifying determination letter + 28 calendar days."""
    return letter_date + timedelta(days=IRM_DAYS)


def resignation_effective_date(notice_received: date) -> date:
    """The day a carer's resignation takes effect: 28 days after written notice is received (reg 28(13))."""
    return notice_received + timedelta(days=RESIGNATION_NOTICE_DAYS)


# --- Status -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """One clock for one record, as of a date."""

    name: str
    key: str
    deadline: date
    status: ClockStatus | None
    stopped_on: date | None
    within: bool | None
    days_left: int | None

    @property
    def running(self) -> bool:
        """True while the clock has not stopped (as of the date it was made for)."""
        return self.stopped_on is None

    @property
    def breached(self) -> bool:
        """True for a running clock past its deadline."""
        return self.status is ClockStatus.BREACHED


def clock_status(deadline: date, as_of: date, *, planned: date | None = None, lead_days: int) -> ClockStatus:
    """On track / at risk / breached for a running clock (CONTRACTS 3).

    Breached when as_of is after the deadline; at risk when the planned (predicted or booked) date is
    after the deadline, or when nothing is planned and the deadline is lead_days or fewer away.
    """
    if as_of > deadline:
        return ClockStatus.BREACHED
    if planned is not None:
        return ClockStatus.AT_RISK if planned > deadline else ClockStatus.ON_TRACK
    if (deadline - as_of).days <= lead_days:
        return ClockStatus.AT_RISK
    return ClockStatus.ON_TRACK


def make_clock(
    name: str,
    key: str,
    deadline: date,
    as_of: date,
    *,
    stopped_on: date | None = None,
    planned: date | None = None,
    lead_days: int,
) -> Clock:
    """A Clock as of a date; a stop dated after as_of has not happened yet, so the clock still runs."""
    if stopped_on is not None and stopped_on <= as_of:
        return Clock(
            name=name,
            key=key,
            deadline=deadline,
            status=None,
            stopped_on=stopped_on,
            within=stopped_on <= deadline,
            days_left=None,
        )
    return Clock(
        name=name,
        key=key,
        deadline=deadline,
        status=clock_status(deadline, as_of, planned=planned, lead_days=lead_days),
        stopped_on=None,
        within=None,
        days_left=(deadline - as_of).days,
    )
