"""Net household growth on hand-built data; every expected figure worked out by hand."""

from __future__ import annotations

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.settings import set_setting
from tests import report_data as rd
from tests.report_data import d, run_report

TARGET_20 = [1.7, 3.3, 5.0, 6.7, 8.3, 10.0, 11.7, 13.3, 15.0, 16.7, 18.3, 20.0]  # 20 x n / 12, half-up


@pytest.fixture
def households(app):
    """Households approved and deregistered around the 2024/25 reporting year (1 April 2024 to 31 March 2025)."""
    with app.app_context(), acting_as("test setup"):
        rd.household("G1", "mainstream", "2024-04-01")  # first day of the year
        rd.household("G2", "mainstream", "2024-03-31")  # the year before
        rd.household("G3", "connected", "2025-03-31")  # last day of the year
        rd.household("G4", "connected", "2025-04-01")  # the year after
        rd.household("G5", "short_breaks", "2024-06-15", deregistration_date="2025-01-10")  # in and out
        rd.household("G6", "mainstream", "2020-01-01", deregistration_date="2024-04-01")
        rd.household("G7", "connected", "2021-01-01", deregistration_date="2025-03-31")
        rd.household("G8", "mainstream", "2019-01-01", deregistration_date="2025-04-01")  # the year after
        rd.household("G9", "parent_and_child", "2024-10-01")
        db.session.commit()


def test_a_finished_year(app, households):
    document = run_report(app, "net-growth", "2025-06-01", 2024)
    expected_months = [
        ("2024-04", 1, 1, 0, 0),  # G1 in, G6 out
        ("2024-05", 0, 0, 0, 0),
        ("2024-06", 1, 0, 1, 1),  # G5
        ("2024-07", 0, 0, 0, 1),
        ("2024-08", 0, 0, 0, 1),
        ("2024-09", 0, 0, 0, 1),
        ("2024-10", 1, 0, 1, 2),  # G9
        ("2024-11", 0, 0, 0, 2),
        ("2024-12", 0, 0, 0, 2),
        ("2025-01", 0, 1, -1, 1),  # G5 out
        ("2025-02", 0, 0, 0, 1),
        ("2025-03", 1, 1, 0, 1),  # G3 in, G7 out
    ]
    assert document == {
        "year": "2024/25",
        "period_start": d("2024-04-01"),
        "period_end": d("2025-03-31"),
        "as_of": d("2025-06-01"),
        "target": 20,
        "approved": {"mainstream": 3, "connected": 1, "total": 4},  # G1, G5, G9; G3
        "deregistered": {"mainstream": 2, "connected": 1, "total": 3},  # G5, G6; G7
        "net": {"mainstream": 1, "connected": 0, "total": 1},
        "approved_and_deregistered": {"mainstream": 1, "connected": 0, "total": 1},  # G5
        "projected_approvals": {"mainstream": 0, "connected": 0, "total": 0},
        "projected_net": {"mainstream": 1, "connected": 0, "total": 1},  # the year is over: equals net
        "months": [
            {"month": m, "approved": a, "deregistered": r, "net": n, "cumulative_net": c, "target_to_date": t}
            for (m, a, r, n, c), t in zip(expected_months, TARGET_20, strict=True)
        ],
    }


def test_part_way_through_the_year_with_a_projection(app, households):
    with app.app_context(), acting_as("test setup"):
        rd.case("K1", application_date="2024-06-01", predicted_panel_date="2025-02-10")  # counts
        rd.case("K2", "connected", application_date="2024-09-01", panel_date="2025-03-31")  # booked, last day
        rd.case("K3", application_date="2024-07-01", predicted_panel_date="2025-04-01")  # next year
        rd.case(
            "K4",
            application_date="2024-05-01",
            predicted_panel_date="2025-01-15",
            closed_date="2024-12-01",
            closed_reason="AW2",
        )  # closed
        rd.case(
            "K5",
            application_date="2024-05-01",
            panel_date="2024-12-20",
            predicted_panel_date="2024-12-20",
            panel_recommendation="approve",
            recommendation_date="2024-12-20",
        )  # recommended: not in assessment
        rd.case("K6", application_date="2024-05-01", predicted_panel_date="2024-12-31")  # the as-of day
        db.session.commit()
    document = run_report(app, "net-growth", "2024-12-31", 2024)
    assert document["approved"] == {"mainstream": 3, "connected": 0, "total": 3}  # G1, G5, G9
    assert document["deregistered"] == {"mainstream": 1, "connected": 0, "total": 1}  # G6 (G5 leaves in January)
    assert document["net"] == {"mainstream": 2, "connected": 0, "total": 2}
    assert document["approved_and_deregistered"] == {"mainstream": 0, "connected": 0, "total": 0}
    assert document["projected_approvals"] == {"mainstream": 2, "connected": 1, "total": 3}  # K1, K6; K2
    assert document["projected_net"] == {"mainstream": 4, "connected": 1, "total": 5}
    cumulative = [m["cumulative_net"] for m in document["months"]]
    assert cumulative == [0, 0, 1, 1, 1, 1, 2, 2, 2, None, None, None]  # later months have not happened
    assert document["months"][9]["approved"] is None


def test_the_target_is_the_setting(app, households):
    with app.app_context(), acting_as("test setup"):
        set_setting("net_growth_target", 24)
        db.session.commit()
    document = run_report(app, "net-growth", "2025-06-01", 2024)
    assert document["target"] == 24
    assert [m["target_to_date"] for m in document["months"]] == [2.0 * n for n in range(1, 13)]


def test_the_next_year_counts_the_boundary_households(app, households):
    document = run_report(app, "net-growth", "2025-06-01", 2025)
    assert document["approved"] == {"mainstream": 0, "connected": 1, "total": 1}  # G4 on 1 April 2025
    assert document["deregistered"] == {"mainstream": 1, "connected": 0, "total": 1}  # G8 on 1 April 2025
    assert document["months"][0]["cumulative_net"] == 0
    assert document["months"][2]["cumulative_net"] == 0  # June 2025, the as-of month, counts up to 1 June
    assert document["months"][3]["cumulative_net"] is None  # July has not come yet
