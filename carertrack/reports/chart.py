"""The net growth chart, drawn on the server as SVG geometry: cumulative net growth month by month against
the target's straight-line trajectory, and the projection to 31 March.

Pure: it takes the net-growth report's document and returns coordinates and words; the template
draws them with classes (the Content-Security-Policy forbids inline styles). The chart always comes
with a text description and a table of the same numbers, and its lines differ by pattern and marker,
never by colour alone.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date

from carertrack.formatting import format_date

WIDTH, HEIGHT = 680, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 20, 44
MONTH_NAMES = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


@dataclass(frozen=True)
class Point:
    """A point in the SVG's coordinates."""

    x: float
    y: float


@dataclass
class GrowthChart:
    """What the template draws."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    zero_y: float
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    target: list[Point]
    actual: list[Point]
    projection: list[Point] = field(default_factory=list)
    description: str = ""

    @staticmethod
    def points(points: list[Point]) -> str:
        """The `points` attribute of a polyline."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)


def _step(span: float) -> int:
    """A round tick step giving at most about six ticks over the span."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if span / step <= 6:
            return step
    return 10 ** math.ceil(math.log10(span))


def _months_elapsed(as_of: date, period_start: date, period_end: date) -> float:
    """How far through the year as_of is, in months (the partial month as a fraction)."""
    if as_of < period_start:
        return 0.0
    if as_of >= period_end:
        return 12.0
    whole = (as_of.year - period_start.year) * 12 + as_of.month - period_start.month
    return whole + as_of.day / calendar.monthrange(as_of.year, as_of.month)[1]


def growth_chart(document: dict) -> GrowthChart:
    """The chart of a net-growth document (its `months`, `target`, `projected_net` and dates)."""
    months = document["months"]
    target = document["target"]
    as_of, start, end = document["as_of"], document["period_start"], document["period_end"]
    known = [m for m in months if m["cumulative_net"] is not None]
    elapsed = _months_elapsed(as_of, start, end)
    projected = document["projected_net"]["total"]
    show_projection = as_of < end
    values = [0, target] + [m["cumulative_net"] for m in known] + ([projected] if show_projection else [])
    low, high = min(values), max(values + [1])
    step = _step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(months_in: float) -> float:
        return LEFT + plot_w * months_in / 12

    def y(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    actual = [Point(x(0), y(0))]
    for index, month in enumerate(known, start=1):
        # The month the as-of date falls in is drawn up to that day, not to the month's end.
        actual.append(Point(x(min(index, elapsed)), y(month["cumulative_net"])))
    projection = [actual[-1], Point(x(12), y(projected))] if show_projection else []
    cumulative = known[-1]["cumulative_net"] if known else 0
    target_now = target * elapsed / 12
    description = (
        f"Net growth in {document['year']}: {cumulative} by {format_date(min(as_of, end))}, "
        f"against a target to date of {target_now:.1f} (a target of {target} for the year)."
    )
    if show_projection:
        description += f" Projected net growth by {format_date(end)}: {projected}."
    return GrowthChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        zero_y=y(0),
        y_ticks=[(y(v), str(v)) for v in range(int(low), int(high) + 1, step)],
        x_ticks=[(x(i + 1), MONTH_NAMES[i]) for i in range(12)],
        target=[Point(x(i), y(target * i / 12)) for i in range(13)],
        actual=actual,
        projection=projection,
        description=description,
    )
