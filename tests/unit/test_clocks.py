"""The statutory and local clocks: deadlines, working days and statuses, checked at every boundary."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carertrack.clocks import (
    Clock,
    ClockStatus,
    add_months_clamped,
    add_working_days,
    adm_deadline,
    clock_status,
    eight_month_deadline,
    first_contact_deadline,
    irm_deadline,
    is_bank_holiday,
    is_working_day,
    make_clock,
    papers_deadline,
    reg24_deadline,
    resignation_effective_date,
    working_days_between,
    worst,
)

LEAD = 42

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


# --- ClockStatus and worst ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "value", "label", "colour", "rank"),
    [
        (ClockStatus.ON_TRACK, "on_track", "On track", "green", 0),
        (ClockStatus.AT_RISK, "at_risk", "At risk", "yellow", 1),
        (ClockStatus.BREACHED, "breached", "Breached", "red", 2),
    ],
)
def test_status_properties(status: ClockStatus, value: str, label: str, colour: str, rank: int) -> None:
    assert status == value
    assert str(status) == value
    assert status.label == label
    assert status.colour == colour
    assert status.rank == rank


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], None),
        ([None, None], None),
        ([ClockStatus.ON_TRACK], ClockStatus.ON_TRACK),
        ([ClockStatus.ON_TRACK, None, ClockStatus.AT_RISK], ClockStatus.AT_RISK),
        ([ClockStatus.BREACHED, ClockStatus.AT_RISK, ClockStatus.ON_TRACK], ClockStatus.BREACHED),
        ([None, ClockStatus.BREACHED], ClockStatus.BREACHED),
    ],
)
def test_worst(statuses: list[ClockStatus | None], expected: ClockStatus | None) -> None:
    assert worst(statuses) is expected
    assert worst(reversed(statuses)) is expected  # any iterable, order does not matter


def test_worst_accepts_a_generator() -> None:
    assert worst(s for s in [ClockStatus.AT_RISK, ClockStatus.ON_TRACK]) is ClockStatus.AT_RISK


# --- Calendar months ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("application", "deadline"),
    [
        (date(2025, 6, 30), date(2026, 2, 28)),  # clamped to a short February
        (date(2025, 8, 31), date(2026, 4, 30)),  # clamped to a 30-day month
        (date(2025, 10, 31), date(2026, 6, 30)),
        (date(2023, 6, 30), date(2024, 2, 29)),  # leap year
        (date(2023, 6, 29), date(2024, 2, 29)),
        (date(2025, 6, 29), date(2026, 2, 28)),
        (date(2025, 6, 28), date(2026, 2, 28)),
        (date(2026, 1, 15), date(2026, 9, 15)),
        (date(2026, 5, 31), date(2027, 1, 31)),  # across the year end, no clamping
        (date(2025, 12, 31), date(2026, 8, 31)),
        (date(2026, 1, 1), date(2026, 9, 1)),
    ],
)
def test_eight_month_deadline(application: date, deadline: date) -> None:
    assert eight_month_deadline(application) == deadline


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 31), -2, date(2025, 11, 30)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2026, 7, 9), 0, date(2026, 7, 9)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
    ],
)
def test_add_months_clamped(day: date, months: int, expected: date) -> None:
    assert add_months_clamped(day, months) == expected


@given(day=dates, months=st.integers(min_value=-120, max_value=120))
def test_add_months_clamped_never_overflows(day: date, months: int) -> None:
    result = add_months_clamped(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last_day)


# --- Regulation 24 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("placement", "extension", "deadline"),
    [
        (date(2026, 1, 5), 0, date(2026, 4, 27)),  # 16 weeks
        (date(2026, 1, 5), 8, date(2026, 6, 22)),  # 24 weeks, the longest possible
        (date(2026, 1, 5), 4, date(2026, 5, 25)),
        (date(2025, 12, 1), 0, date(2026, 3, 23)),
        (date(2023, 11, 10), 0, date(2024, 3, 1)),  # across a leap day
    ],
)
def test_reg24_deadline(placement: date, extension: int, deadline: date) -> None:
    assert reg24_deadline(placement, extension) == deadline


def test_reg24_deadline_defaults_to_no_extension() -> None:
    assert reg24_deadline(date(2026, 1, 5)) == date(2026, 4, 27)


@pytest.mark.parametrize("extension", [9, -1, 16, 2.5, True])
def test_reg24_rejects_an_extension_outside_0_to_8_weeks(extension: object) -> None:
    with pytest.raises(ValueError, match="extension_weeks"):
        reg24_deadline(date(2026, 1, 5), extension)  # type: ignore[arg-type]


# --- Working days and bank holidays -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 9), True),  # Friday
        (date(2026, 1, 10), False),  # Saturday
        (date(2026, 1, 11), False),  # Sunday
        (date(2026, 1, 1), False),  # New Year's Day
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 5, 4), False),  # early May bank holiday
        (date(2026, 5, 25), False),  # spring bank holiday
        (date(2026, 8, 31), False),  # summer bank holiday
        (date(2026, 12, 25), False),  # Christmas Day, Friday
        (date(2026, 12, 28), False),  # substitute Boxing Day, Monday
        (date(2026, 12, 29), True),
        (date(2023, 5, 8), False),  # coronation of King Charles III, a one-off
        (date(2024, 5, 8), True),
        (date(2022, 9, 19), False),  # state funeral, a one-off
        (date(2022, 6, 2), False),  # spring bank holiday moved for the platinum jubilee
        (date(2022, 6, 3), False),  # platinum jubilee
        (date(2022, 5, 30), True),  # the usual spring bank holiday Monday, not a holiday that year
        (date(2022, 12, 27), False),  # substitute Christmas Day (25th was a Sunday)
        (date(2023, 1, 2), False),  # substitute New Year's Day
        (date(2026, 3, 17), True),  # St Patrick's Day: Northern Ireland only
        (date(2026, 1, 2), True),  # 2 January: Scotland only
        (date(2026, 8, 3), True),  # first Monday in August: Scotland only
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_is_bank_holiday_is_about_holidays_not_weekends() -> None:
    assert is_bank_holiday(date(2026, 12, 28)) is True
    assert is_bank_holiday(date(2026, 1, 10)) is False  # a Saturday, but not a bank holiday


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 1, 12), 1, date(2026, 1, 13)),  # Monday to Tuesday
        (date(2026, 1, 9), 1, date(2026, 1, 12)),  # Friday to Monday over a weekend
        (date(2026, 1, 10), 1, date(2026, 1, 12)),  # from a Saturday
        (date(2026, 1, 9), 5, date(2026, 1, 16)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Christmas Fri, substitute Boxing Day Mon
        (date(2022, 12, 23), 1, date(2022, 12, 28)),  # Boxing Day Mon, substitute Christmas Tue
        (date(2022, 12, 30), 1, date(2023, 1, 3)),  # substitute New Year's Day
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # Good Friday and Easter Monday
        (date(2026, 5, 1), 1, date(2026, 5, 5)),  # early May bank holiday
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # spring bank holiday
        (date(2023, 5, 5), 1, date(2023, 5, 9)),  # coronation
        (date(2026, 12, 29), -1, date(2026, 12, 24)),  # backwards over Christmas
        (date(2026, 1, 12), -1, date(2026, 1, 9)),  # backwards over a weekend
        (date(2026, 1, 10), 0, date(2026, 1, 10)),  # zero days: the day itself, even a Saturday
    ],
)
def test_add_working_days(day: date, n: int, expected: date) -> None:
    assert add_working_days(day, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 9), date(2026, 1, 9), 0),
        (date(2026, 1, 9), date(2026, 1, 10), 0),  # Friday to Saturday
        (date(2026, 1, 9), date(2026, 1, 12), 1),  # the start day itself does not count
        (date(2026, 1, 9), date(2026, 1, 16), 5),
        (date(2026, 12, 24), date(2026, 12, 29), 1),
        (date(2026, 12, 18), date(2027, 1, 4), 8),  # 21-24, 29-31 Dec, 4 Jan (1 Jan is a holiday)
        (date(2026, 1, 16), date(2026, 1, 9), -5),
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


@given(day=dates, n=st.integers(min_value=-60, max_value=60).filter(lambda n: n != 0))
def test_add_working_days_lands_on_a_working_day(day: date, n: int) -> None:
    result = add_working_days(day, n)
    assert is_working_day(result)
    assert (result > day) if n > 0 else (result < day)


@given(day=dates, n=st.integers(min_value=1, max_value=60))
def test_working_days_between_inverts_add_working_days(day: date, n: int) -> None:
    assert working_days_between(day, add_working_days(day, n)) == n


@given(day=dates, n=st.integers(min_value=1, max_value=60))
def test_going_back_returns_to_a_working_start(day: date, n: int) -> None:
    start = day if is_working_day(day) else add_working_days(day, 1)
    assert add_working_days(add_working_days(start, n), -n) == start


@given(day=dates)
def test_weekends_are_never_working_days(day: date) -> None:
    if day.weekday() >= 5:
        assert not is_working_day(day)


# --- Working-day deadlines ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("panel", "expected"),
    [
        (date(2026, 5, 26), date(2026, 5, 18)),  # Tuesday after the spring bank holiday Monday
        (date(2026, 4, 7), date(2026, 3, 27)),  # Tuesday after Easter: Good Friday, Easter Monday
        (date(2026, 1, 16), date(2026, 1, 9)),  # an ordinary Friday: a week before
        (date(2027, 1, 5), date(2026, 12, 24)),  # after Christmas, substitute Boxing Day, New Year
    ],
)
def test_papers_deadline_five_working_days_before_panel(panel: date, expected: date) -> None:
    assert papers_deadline(panel, 5) == expected


@pytest.mark.parametrize(
    ("trigger", "expected"),
    [
        (date(2026, 1, 12), date(2026, 1, 21)),
        (date(2026, 12, 17), date(2026, 12, 30)),  # over Christmas and the substitute Boxing Day
        (date(2026, 3, 30), date(2026, 4, 10)),  # over Easter
    ],
)
def test_adm_deadline_seven_working_days(trigger: date, expected: date) -> None:
    assert adm_deadline(trigger, 7) == expected


@pytest.mark.parametrize(
    ("enquiry", "working_days", "expected"),
    [
        (date(2026, 4, 2), 2, date(2026, 4, 8)),  # Thursday before Easter
        (date(2026, 1, 8), 2, date(2026, 1, 12)),  # Thursday over a weekend
        (date(2026, 1, 12), 2, date(2026, 1, 14)),
        (date(2026, 1, 12), 3, date(2026, 1, 15)),  # the setting changes the answer
    ],
)
def test_first_contact_deadline(enquiry: date, working_days: int, expected: date) -> None:
    assert first_contact_deadline(enquiry, working_days) == expected


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        (date(2026, 2, 10), date(2026, 3, 10)),
        (date(2026, 12, 20), date(2027, 1, 17)),
        (date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_irm_deadline_28_calendar_days(letter: date, expected: date) -> None:
    assert irm_deadline(letter) == expected


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2026, 12, 10), date(2027, 1, 7)),
    ],
)
def test_resignation_takes_effect_28_days_after_notice(notice: date, expected: date) -> None:
    assert resignation_effective_date(notice) == expected


# --- Status -------------------------------------------------------------------------------------

DEADLINE = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("as_of", "planned", "expected"),
    [
        (date(2026, 7, 1), None, ClockStatus.BREACHED),  # the day after the deadline
        (date(2026, 7, 1), date(2026, 6, 20), ClockStatus.BREACHED),  # a plan cannot undo a breach
        (date(2026, 6, 30), None, ClockStatus.AT_RISK),  # on the deadline: not breached
        (date(2026, 6, 30), date(2026, 6, 30), ClockStatus.ON_TRACK),  # planned on the deadline
        (date(2026, 5, 19), None, ClockStatus.AT_RISK),  # exactly 42 days away, nothing planned
        (date(2026, 5, 18), None, ClockStatus.ON_TRACK),  # 43 days away
        (date(2026, 1, 1), date(2026, 7, 1), ClockStatus.AT_RISK),  # planned the day after
        (date(2026, 6, 1), date(2026, 6, 29), ClockStatus.ON_TRACK),  # inside lead time but planned in time
        (date(2026, 1, 1), date(2026, 3, 1), ClockStatus.ON_TRACK),
    ],
)
def test_clock_status(as_of: date, planned: date | None, expected: ClockStatus) -> None:
    assert clock_status(DEADLINE, as_of, planned=planned, lead_days=LEAD) is expected


def test_clock_status_uses_the_lead_days_given() -> None:
    as_of = date(2026, 5, 18)  # 43 days before the deadline
    assert clock_status(DEADLINE, as_of, lead_days=42) is ClockStatus.ON_TRACK
    assert clock_status(DEADLINE, as_of, lead_days=43) is ClockStatus.AT_RISK


@given(deadline=dates, as_of=dates, planned=st.none() | dates, lead=st.integers(min_value=0, max_value=120))
def test_breached_exactly_when_as_of_is_after_the_deadline(
    deadline: date, as_of: date, planned: date | None, lead: int
) -> None:
    status = clock_status(deadline, as_of, planned=planned, lead_days=lead)
    assert (status is ClockStatus.BREACHED) == (as_of > deadline)


def test_running_clock() -> None:
    clock = make_clock("8 months", "eight_month", DEADLINE, date(2026, 6, 1), lead_days=LEAD)
    assert clock == Clock(
        name="8 months",
        key="eight_month",
        deadline=DEADLINE,
        status=ClockStatus.AT_RISK,
        stopped_on=None,
        within=None,
        days_left=29,
    )
    assert clock.running
    assert not clock.breached


def test_breached_clock_has_negative_days_left() -> None:
    clock = make_clock("Regulation 24", "reg24", DEADLINE, date(2026, 7, 3), lead_days=LEAD)
    assert clock.status is ClockStatus.BREACHED
    assert clock.days_left == -3
    assert clock.breached


def test_running_clock_passes_the_planned_date_on() -> None:
    on_time = make_clock("8 months", "eight_month", DEADLINE, date(2026, 6, 1), planned=DEADLINE, lead_days=LEAD)
    late = make_clock("8 months", "eight_month", DEADLINE, date(2026, 1, 1), planned=date(2026, 7, 1), lead_days=LEAD)
    assert on_time.status is ClockStatus.ON_TRACK
    assert late.status is ClockStatus.AT_RISK


@pytest.mark.parametrize(
    ("stopped_on", "within"),
    [
        (date(2026, 6, 30), True),  # a recommendation on the deadline day is within
        (date(2026, 6, 29), True),
        (date(2026, 7, 1), False),  # the day after is not
    ],
)
def test_stopped_clock(stopped_on: date, within: bool) -> None:
    clock = make_clock("8 months", "eight_month", DEADLINE, date(2026, 7, 15), stopped_on=stopped_on, lead_days=LEAD)
    assert clock.status is None
    assert clock.stopped_on == stopped_on
    assert clock.within is within
    assert clock.days_left is None
    assert not clock.running


def test_clock_stopped_on_the_as_of_date_has_stopped() -> None:
    clock = make_clock("ADM decision", "adm", DEADLINE, date(2026, 6, 10), stopped_on=date(2026, 6, 10), lead_days=LEAD)
    assert clock.status is None
    assert clock.within is True


def test_stop_dated_after_as_of_has_not_happened_yet() -> None:
    clock = make_clock(
        "8 months", "eight_month", DEADLINE, date(2026, 6, 1), stopped_on=date(2026, 6, 15), lead_days=LEAD
    )
    assert clock.status is ClockStatus.AT_RISK
    assert clock.stopped_on is None
    assert clock.within is None
    assert clock.days_left == 29
    assert clock.running


def test_stop_after_as_of_on_a_breached_clock_still_shows_breached() -> None:
    clock = make_clock(
        "8 months", "eight_month", DEADLINE, date(2026, 7, 5), stopped_on=date(2026, 7, 10), lead_days=LEAD
    )
    assert clock.status is ClockStatus.BREACHED
    assert clock.days_left == -5


def test_eight_month_clock_end_to_end() -> None:
    deadline = eight_month_deadline(date(2025, 8, 31))
    assert deadline == date(2026, 4, 30)
    assert make_clock("8 months", "eight_month", deadline, date(2026, 5, 1), lead_days=LEAD).breached
    stopped = make_clock("8 months", "eight_month", deadline, date(2026, 5, 1), stopped_on=deadline, lead_days=LEAD)
    assert stopped.within is True


def test_clock_is_immutable() -> None:
    clock = make_clock("IRM window", "irm", DEADLINE, date(2026, 6, 1), lead_days=LEAD)
    with pytest.raises(AttributeError):
        clock.status = ClockStatus.BREACHED  # type: ignore[misc]


def test_status_dates_are_plain_calendar_days() -> None:
    # days_left counts calendar days, not working days: a weekend in between still counts.
    friday_deadline = date(2026, 1, 16)
    clock = make_clock("Papers to panel", "papers", friday_deadline, date(2026, 1, 9), lead_days=2)
    assert clock.days_left == (friday_deadline - date(2026, 1, 9)).days == 7
    assert clock.status is ClockStatus.ON_TRACK
    assert (
        make_clock(
            "Papers to panel", "papers", friday_deadline, friday_deadline - timedelta(days=2), lead_days=2
        ).status
        is ClockStatus.AT_RISK
    )
