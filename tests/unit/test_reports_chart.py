"""The net growth chart's geometry and words (pure: no database)."""

from __future__ import annotations

from datetime import date

from carertrack.reports import chart
from carertrack.reports.periods import months_of_year


def _document(cumulative, *, as_of, target=12, projected=6):
    months = []
    for index, month in enumerate(months_of_year(2024)):
        value = cumulative[index] if index < len(cumulative) else None
        months.append({"month": month, "cumulative_net": value})
    return {
        "year": "2024/25",
        "period_start": date(2024, 4, 1),
        "period_end": date(2025, 3, 31),
        "as_of": as_of,
        "target": target,
        "months": months,
        "projected_net": {"total": projected},
    }


def test_part_way_through_the_year():
    drawn = chart.growth_chart(_document([1, 3, 2], as_of=date(2024, 6, 15)))
    plot_width = chart.WIDTH - chart.LEFT - chart.RIGHT
    # 0 to 12 in steps of 2: seven gridlines, the top one at the top of the plot.
    assert [label for _, label in drawn.y_ticks] == ["0", "2", "4", "6", "8", "10", "12"]
    assert drawn.y_ticks[-1][0] == chart.TOP
    assert [label for _, label in drawn.x_ticks][:3] == ["Apr", "May", "Jun"]
    # The target runs from 0 on 1 April to 12 on 31 March.
    assert drawn.target[0] == chart.Point(chart.LEFT, drawn.zero_y)
    assert drawn.target[-1] == chart.Point(chart.WIDTH - chart.RIGHT, chart.TOP)
    # Start, April, May, and June drawn half-way through the month (15 of 30 days).
    assert len(drawn.actual) == 4
    assert drawn.actual[-1].x == chart.LEFT + plot_width * 2.5 / 12
    assert drawn.projection[0] == drawn.actual[-1]
    assert drawn.projection[1].x == chart.WIDTH - chart.RIGHT
    assert drawn.description == (
        "Net growth in 2024/25: 2 by 15 June 2024, against a target to date of 2.5 (a target of 12 for the year)."
        " Projected net growth by 31 March 2025: 6."
    )


def test_a_finished_year_has_no_projection_and_can_go_below_zero():
    drawn = chart.growth_chart(_document([-1, -3] + [-3] * 10, as_of=date(2025, 6, 1), target=4, projected=-3))
    assert drawn.projection == []
    assert [label for _, label in drawn.y_ticks] == ["-4", "-2", "0", "2", "4"]
    assert drawn.actual[-1].x == chart.WIDTH - chart.RIGHT
    assert "Projected" not in drawn.description


def test_points_attribute():
    assert chart.GrowthChart.points([chart.Point(1, 2), chart.Point(3.5, 4)]) == "1.0,2.0 3.5,4.0"
