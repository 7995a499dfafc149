"""Reporting years, half-up percentages and medians (CONTRACTS.md sections 2 and 3)."""

from __future__ import annotations

from datetime import date

import pytest

from carertrack.reports.growth import target_to_date
from carertrack.reports.periods import in_year, median, months_of_year, percent, year_containing, year_label


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (2, 3, 66.7),
        (1, 8, 12.5),
        (18, 23, 78.3),  # the seed report: 18 of 23 within timescale
        (1, 16, 6.3),  # 6.25: half-up, where rounding half to even would give 6.2
        (7, 16, 43.8),  # 43.75
        (1, 40, 2.5),
        (0, 5, 0.0),
        (5, 5, 100.0),
    ],
)
def test_percent_rounds_half_up_to_one_decimal(numerator, denominator, expected):
    assert percent(numerator, denominator) == expected


def test_percent_of_nothing_is_none():
    assert percent(0, 0) is None


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert median([244, 183, 245, 243]) == 243.5
    assert median([10, 20]) == 15.0
    assert median([3, 1, 2]) == 2.0
    assert median([]) is None


def test_reporting_year_boundaries():
    assert year_containing(date(2025, 3, 31)) == 2024
    assert year_containing(date(2025, 4, 1)) == 2025
    assert in_year(date(2024, 4, 1), 2024) and in_year(date(2025, 3, 31), 2024)
    assert not in_year(date(2024, 3, 31), 2024) and not in_year(date(2025, 4, 1), 2024)
    assert year_label(2017) == "2017/18"
    assert year_label(2099) == "2099/00"
    assert months_of_year(2024)[0] == "2024-04" and months_of_year(2024)[-1] == "2025-03"


def test_the_target_trajectory_is_a_straight_line_rounded_half_up():
    assert [target_to_date(20, n) for n in (1, 2, 3, 12)] == [1.7, 3.3, 5.0, 20.0]
    assert target_to_date(3, 1) == 0.3  # 0.25 rounds up
    assert target_to_date(0, 6) == 0.0
