"""Timeliness and approvals by month on hand-built data; every expected figure worked out by hand."""

from __future__ import annotations

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from tests import report_data as rd
from tests.report_data import d, run_report


@pytest.fixture
def assessments(app):
    """Assessments recommended around the 2024/25 year, and the households their approvals made."""
    with app.app_context(), acting_as("test setup"):
        # Deadline 15 Sep 2024; recommended on it: within, 244 days (2024 is a leap year).
        t1 = rd.case(
            "T1",
            application_date="2024-01-15",
            panel_recommendation="approve",
            recommendation_date="2024-09-15",
            decision="approved",
            decision_date="2024-09-25",
        )
        # A day late: not within, 245 days.
        rd.case(
            "T2",
            application_date="2024-01-15",
            panel_recommendation="not_approve",
            recommendation_date="2024-09-16",
            decision="not_approved",
            decision_date="2024-09-26",
        )
        # 31 August + 8 months is 30 April (clamped to the end of the month); recommended that day: 243 days.
        t3 = rd.case(
            "T3",
            application_date="2023-08-31",
            panel_recommendation="approve",
            recommendation_date="2024-04-30",
            decision="approved",
            decision_date="2024-05-10",
        )
        # 30 June + 8 months is 28 February 2025; recommended 1 March: late, 244 days.
        t4 = rd.case(
            "T4",
            "connected",
            application_date="2024-06-30",
            panel_recommendation="approve",
            recommendation_date="2025-03-01",
            decision="approved",
            decision_date="2025-03-10",
        )
        # Panel on 31 March 2025 (in the year), decision on 5 April (the next year). Deadline 1 April: 242 days.
        t5 = rd.case(
            "T5",
            "connected",
            application_date="2024-08-01",
            panel_date="2025-03-31",
            panel_recommendation="approve",
            recommendation_date="2025-03-31",
            decision="approved",
            decision_date="2025-04-05",
        )
        rd.case("T6", application_date="2024-09-01", panel_recommendation="approve", recommendation_date="2025-04-01")
        rd.case("T7", application_date="2023-09-01", panel_recommendation="approve", recommendation_date="2024-03-31")
        rd.case("T8", application_date="2024-05-01", panel_recommendation="defer", recommendation_date="2024-11-01")
        # No recommendation date recorded: the panel's date stands in. Deadline 10 Dec; 183 days.
        rd.case("T9", application_date="2024-04-10", panel_date="2024-10-10", panel_recommendation="approve")
        # 153 days, within.
        rd.case(
            "T10",
            "connected",
            application_date="2024-07-01",
            panel_recommendation="not_approve",
            recommendation_date="2024-12-01",
        )

        rd.household("T1", "mainstream", "2024-09-25", case_id=t1)
        rd.household("T3", "mainstream", "2024-05-10", case_id=t3)
        rd.household("T4", "connected", "2025-03-10", case_id=t4)
        rd.household("T5", "connected", "2025-04-05", case_id=t5)
        rd.household("I1", "mainstream", "2024-04-01")  # imported: no assessment to time
        rd.household("I2", "parent_and_child", "2025-03-31")
        rd.household("I3", "mainstream", "2024-03-31")
        db.session.commit()


def test_timeliness_of_the_year(app, assessments):
    document = run_report(app, "timeliness", "2025-06-01", 2024)
    assert document["year"] == "2024/25"
    assert (document["period_start"], document["period_end"]) == (d("2024-04-01"), d("2025-03-31"))
    assert document["completed"] == {"mainstream": 4, "connected": 3, "total": 7}  # T1 T2 T3 T9; T4 T5 T10
    assert document["within_timescale"] == {"mainstream": 3, "connected": 2, "total": 5}  # T1 T3 T9; T5 T10
    assert document["percent_within"] == {"mainstream": 75.0, "connected": 66.7, "total": 71.4}  # 3/4 2/3 5/7
    # Mainstream 183 243 244 245: the mean of the middle two. Connected 153 242 244. All seven: 243.
    assert document["median_days"] == {"mainstream": 243.5, "connected": 242.0, "total": 243.0}
    assert [(r["reference"], r["days"], r["within_timescale"]) for r in document["rows"]] == [
        ("T3", 243, True),
        ("T1", 244, True),
        ("T2", 245, False),
        ("T9", 183, True),
        ("T10", 153, True),
        ("T4", 244, False),
        ("T5", 242, True),
    ]


def test_timeliness_part_way_through_the_year(app, assessments):
    # On 30 November 2024 only T3, T1, T2 and T9 had been recommended.
    document = run_report(app, "timeliness", "2024-11-30", 2024)
    assert document["completed"] == {"mainstream": 4, "connected": 0, "total": 4}
    assert document["percent_within"] == {"mainstream": 75.0, "connected": None, "total": 75.0}
    assert document["median_days"]["connected"] is None


def test_an_empty_year_gives_null_percentages_and_medians(app, assessments):
    document = run_report(app, "timeliness", "2031-01-01", 2030)
    assert document["completed"] == {"mainstream": 0, "connected": 0, "total": 0}
    assert document["percent_within"] == {"mainstream": None, "connected": None, "total": None}
    assert document["median_days"] == {"mainstream": None, "connected": None, "total": None}


def test_percentages_round_half_up(app):
    with app.app_context(), acting_as("test setup"):
        # Connected: 1 of 8 within (12.5). Mainstream: 1 of 16 within: 6.25 rounds half-up to 6.3.
        for n in range(8):
            late = "2025-01-02" if n else "2024-12-01"
            rd.case(
                f"C{n}",
                "connected",
                application_date="2024-05-01",
                panel_recommendation="approve",
                recommendation_date=late,
            )
        for n in range(16):
            late = "2025-01-02" if n else "2024-12-01"
            rd.case(
                f"M{n:02d}", application_date="2024-05-01", panel_recommendation="approve", recommendation_date=late
            )
        db.session.commit()
    document = run_report(app, "timeliness", "2025-06-01", 2024)
    assert document["percent_within"] == {"mainstream": 6.3, "connected": 12.5, "total": 8.3}  # 2/24 = 8.33


def test_approvals_by_month(app, assessments):
    document = run_report(app, "approvals-by-month", "2025-06-01", 2024)
    months = {
        m["month"]: (m["mainstream"], m["connected"], m["total"], m["within_timescale"]) for m in document["months"]
    }
    assert list(months) == [
        "2024-04",
        "2024-05",
        "2024-06",
        "2024-07",
        "2024-08",
        "2024-09",
        "2024-10",
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
        "2025-03",
    ]
    assert months == {
        "2024-04": (1, 0, 1, 0),  # I1, imported: cannot be timed
        "2024-05": (1, 0, 1, 1),  # T3, within
        "2024-06": (0, 0, 0, 0),
        "2024-07": (0, 0, 0, 0),
        "2024-08": (0, 0, 0, 0),
        "2024-09": (1, 0, 1, 1),  # T1, within
        "2024-10": (0, 0, 0, 0),
        "2024-11": (0, 0, 0, 0),
        "2024-12": (0, 0, 0, 0),
        "2025-01": (0, 0, 0, 0),
        "2025-02": (0, 0, 0, 0),
        "2025-03": (1, 1, 2, 0),  # I2 (parent and child counts as mainstream); T4, late
    }
    assert [
        (q["quarter"], q["mainstream"], q["connected"], q["total"], q["within_timescale"]) for q in document["quarters"]
    ] == [("Q1", 2, 0, 2, 1), ("Q2", 1, 0, 1, 1), ("Q3", 0, 0, 0, 0), ("Q4", 1, 1, 2, 0)]
    assert document["totals"] == {"mainstream": 4, "connected": 1, "total": 5, "within_timescale": 2}


def test_a_panel_in_one_year_and_its_decision_in_the_next(app, assessments):
    # T5: recommended 31 March 2025 (timeliness 2024/25, above); approved 5 April 2025 (approvals 2025/26).
    document = run_report(app, "approvals-by-month", "2025-06-01", 2025)
    assert document["months"][0] == {
        "month": "2025-04",
        "mainstream": 0,
        "connected": 1,
        "total": 1,
        "within_timescale": 1,
    }
    assert document["totals"]["total"] == 1
    next_year = run_report(app, "timeliness", "2025-06-01", 2025)
    assert [row["reference"] for row in next_year["rows"]] == ["T6"]  # recommended 1 April 2025; T5 is not here
    assert run_report(app, "net-growth", "2025-06-01", 2025)["approved"]["connected"] == 1
