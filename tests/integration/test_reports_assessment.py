"""The in-assessment report's rows on hand-built data; every expected value worked out by hand."""

from __future__ import annotations

import json

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.reports.registry import to_json
from tests import report_data as rd
from tests.report_data import d, run_report


def _build(app):
    with app.app_context(), acting_as("test setup"):
        # Deadline 10 Sep; predicted 14 Aug: on track. Allocation 20 Jan to 14 Aug is 206 days.
        rd.case(
            "CT-001",
            applicants=("Ann Smith", "Bob Smith"),
            application_date="2025-01-10",
            allocated_date="2025-01-20",
            predicted_panel_date="2025-08-14",
        )
        # 31 Oct + 8 months = 30 June (clamped), the as-of day: not yet breached, but predicted after it: at risk.
        # Delays: the one that had started by 30 June gives the reason. 5 Nov to 10 Jul is 247 days.
        rd.case(
            "CT-002",
            applicants=("Cara Jones",),
            application_date="2024-10-31",
            allocated_date="2024-11-05",
            predicted_panel_date="2025-07-10",
            delays=(("Bereavement", "2025-03-01"), ("Applicants asked for the August panel", "2025-07-05")),
        )
        # Connected: regulation 24 from 15 Feb ran out on 7 June (breached), though 8 months is on track.
        # Allocated after the as-of date: not allocated yet. The imported delay reason stands.
        rd.case(
            "CT-003",
            "connected",
            applicants=("Dee Patel",),
            application_date="2025-02-01",
            placement_date="2025-02-15",
            allocated_date="2025-08-01",
            delay_reason="Waiting for medical",
        )
        # Deadline 1 Aug, 32 days away, nothing predicted: at risk (42-day lead time). A blank reason is null.
        rd.case(
            "CT-004",
            applicants=("Eve Brown",),
            application_date="2024-12-01",
            allocated_date="2024-12-10",
            delay_reason="   ",
        )
        rd.case("CT-005", application_date="2024-12-01", closed_date="2025-05-01", closed_reason="AW4")
        db.session.commit()


def test_rows_most_urgent_first(app):
    _build(app)
    document = run_report(app, "in-assessment", "2025-06-30")
    rows = [
        {
            key: row[key]
            for key in (
                "reference",
                "carer_type",
                "applicant",
                "allocated_date",
                "predicted_panel_date",
                "days_allocation_to_predicted_panel",
                "delay_reason",
                "timescale_status",
            )
        }
        for row in document["rows"]
    ]
    assert rows == [
        {
            "reference": "CT-003",
            "carer_type": "connected",
            "applicant": "Dee Patel",
            "allocated_date": None,
            "predicted_panel_date": None,
            "days_allocation_to_predicted_panel": None,
            "delay_reason": "Waiting for medical",
            "timescale_status": "breached",
        },
        {
            "reference": "CT-002",
            "carer_type": "mainstream",
            "applicant": "Cara Jones",
            "allocated_date": d("2024-11-05"),
            "predicted_panel_date": d("2025-07-10"),
            "days_allocation_to_predicted_panel": 247,
            "delay_reason": "Bereavement",
            "timescale_status": "at_risk",
        },
        {
            "reference": "CT-004",
            "carer_type": "mainstream",
            "applicant": "Eve Brown",
            "allocated_date": d("2024-12-10"),
            "predicted_panel_date": None,
            "days_allocation_to_predicted_panel": None,
            "delay_reason": None,
            "timescale_status": "at_risk",
        },
        {
            "reference": "CT-001",
            "carer_type": "mainstream",
            "applicant": "Ann Smith and Bob Smith",
            "allocated_date": d("2025-01-20"),
            "predicted_panel_date": d("2025-08-14"),
            "days_allocation_to_predicted_panel": 206,
            "delay_reason": None,
            "timescale_status": "on_track",
        },
    ]


def test_json_has_the_contract_keys_with_nulls(app):
    _build(app)
    document = json.loads(to_json(run_report(app, "in-assessment", "2025-06-30")))
    assert document["as_of"] == "2025-06-30"
    first = document["rows"][0]
    for key in (
        "reference",
        "carer_type",
        "applicant",
        "allocated_date",
        "predicted_panel_date",
        "days_allocation_to_predicted_panel",
        "delay_reason",
        "timescale_status",
    ):
        assert key in first
    assert document["rows"][2]["delay_reason"] is None
    assert document["rows"][1]["allocated_date"] == "2024-11-05"


def test_before_the_delays_and_the_breach(app):
    _build(app)
    # 1 March 2025: CT-005 had not closed yet. CT-002 is predicted for 10 July, after its 30 June deadline:
    # at risk already; its first delay starts that day. CT-003's regulation 24 deadline (7 June) is 98 days
    # away: on track.
    rows = {r["reference"]: r for r in run_report(app, "in-assessment", "2025-03-01")["rows"]}
    assert set(rows) == {"CT-001", "CT-002", "CT-003", "CT-004", "CT-005"}
    assert rows["CT-002"]["timescale_status"] == "at_risk"
    assert rows["CT-002"]["delay_reason"] == "Bereavement"
    assert rows["CT-003"]["timescale_status"] == "on_track"
    assert rows["CT-003"]["allocated_date"] is None
    assert rows["CT-001"]["delay_reason"] is None
    earlier = {r["reference"]: r for r in run_report(app, "in-assessment", "2025-02-28")["rows"]}
    assert earlier["CT-002"]["delay_reason"] is None  # no delay had started yet
