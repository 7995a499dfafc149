"""The threshold search that lets SQL compare a stored date with one date found from a Python rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from carertrack.clocks import add_months_clamped
from carertrack.thresholds import REACH, first_day_where, last_day_where

CUT = date(2024, 2, 29)


@pytest.mark.parametrize("offset", [-REACH, -400, -3, 0, 1, 3, 400, REACH - 1])
def test_last_day_where_finds_the_boundary_from_any_guess_in_reach(offset):
    assert last_day_where(lambda d: d <= CUT, CUT + timedelta(days=offset)) == CUT


def test_last_day_where_reports_a_rule_true_or_false_on_the_whole_range():
    guess = date(2026, 11, 30)
    assert last_day_where(lambda d: True, guess) == guess + timedelta(days=REACH)
    assert last_day_where(lambda d: False, guess) == guess - timedelta(days=REACH + 1)


def test_last_day_where_inverts_month_arithmetic_exactly():
    as_of = date(2027, 2, 28)
    # A certificate renewed three years on has expired by as_of exactly when issued on or before the answer.
    answer = last_day_where(lambda issue: add_months_clamped(issue, 36) < as_of, date(2024, 2, 1))
    assert add_months_clamped(answer, 36) < as_of <= add_months_clamped(answer + timedelta(days=1), 36)


def test_first_day_where_finds_the_first_true_day_or_the_day_after_the_range():
    low, high = date(2026, 1, 1), date(2026, 12, 31)
    assert first_day_where(lambda d: d >= date(2026, 6, 15), low, high) == date(2026, 6, 15)
    assert first_day_where(lambda d: True, low, high) == low
    assert first_day_where(lambda d: False, low, high) == high + timedelta(days=1)
