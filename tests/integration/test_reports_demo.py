"""The demo service makes every report meaningful, and every report's JSON from the command carries the keys
CONTRACTS.md section 2 promises, with counts as integers, percentages to one decimal and dates as YYYY-MM-DD."""

from __future__ import annotations

import json
import re
from datetime import date

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.reports import REPORTS
from carertrack.seed.demo import build_demo

# A fixed day, so the demo (every date relative to its "today") and the figures are the same on every run.
TODAY = date(2026, 11, 22)
YEAR = 2026  # the reporting year containing TODAY

BY_TYPE = {"mainstream", "connected", "total"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# CONTRACTS.md section 2: the keys each report's JSON has at least; {type} values are BY_TYPE objects.
CONTRACT_KEYS = {
    "summary": {"as_of", "households", "temporary_approvals", "staying_put", "in_assessment", "enquiries_open"},
    "net-growth": {"year", "period_start", "period_end", "target", "approved", "deregistered", "net", "projected_net"},
    "timeliness": {"year", "completed", "within_timescale", "percent_within", "median_days"},
    "approvals-by-month": {"year", "months"},
    "in-assessment": {"as_of", "rows"},
    "dbs": {"as_of", "people_requiring", "current", "due_soon", "expired", "missing", "exceptions"},
    "staying-put": {"as_of", "active", "ending_within_90_days", "rows"},
    "breaches": {"as_of", "rows"},
}
TYPED = {
    "summary": ("households",),
    "net-growth": ("approved", "deregistered", "net", "projected_net"),
    "timeliness": ("completed", "within_timescale", "percent_within", "median_days"),
}
COUNTS = {
    "summary": ("temporary_approvals", "staying_put", "in_assessment", "enquiries_open"),
    "dbs": ("people_requiring", "current", "due_soon", "expired", "missing"),
    "staying-put": ("active", "ending_within_90_days"),
}
ROW_KEYS = {
    ("approvals-by-month", "months"): {"month", "mainstream", "connected", "within_timescale"},
    ("in-assessment", "rows"): {
        "reference",
        "carer_type",
        "applicant",
        "allocated_date",
        "predicted_panel_date",
        "days_allocation_to_predicted_panel",
        "delay_reason",
        "timescale_status",
    },
    ("dbs", "exceptions"): {"household_reference", "name", "status", "due_date"},
    ("breaches", "rows"): {"reference", "clock", "deadline", "status", "reason"},
}
DATE_KEYS = {"as_of", "period_start", "period_end", "allocated_date", "predicted_panel_date", "due_date", "deadline"}


def _command_json(runner, name: str) -> dict:
    args = ["report", name, "--as-of", TODAY.isoformat(), "--format", "json"]
    if REPORTS[name].kind == "year":
        args += ["--year", str(YEAR)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, (name, result.output)
    return json.loads(result.output)


def _one_decimal(value) -> bool:
    return value is None or (isinstance(value, float) and round(value, 1) == value)


def _check_contract(name: str, document: dict) -> None:
    assert CONTRACT_KEYS[name] <= set(document), (name, CONTRACT_KEYS[name] - set(document))
    assert document["as_of"] == TODAY.isoformat()
    if REPORTS[name].kind == "year":
        assert document["year"] == "2026/27"
    if name == "net-growth":
        assert (document["period_start"], document["period_end"]) == ("2026-04-01", "2027-03-31")
        assert isinstance(document["target"], int)
    for key in TYPED.get(name, ()):
        assert set(document[key]) == BY_TYPE, (name, key)
        for value in document[key].values():
            if key == "percent_within":
                assert _one_decimal(value), (name, key, value)
            elif key == "median_days":
                assert value is None or isinstance(value, float)
            else:
                assert isinstance(value, int) and not isinstance(value, bool), (name, key, value)
    for key in COUNTS.get(name, ()):
        assert isinstance(document[key], int) and not isinstance(document[key], bool), (name, key)
    for (report, key), keys in ROW_KEYS.items():
        if report != name:
            continue
        assert document[key], f"the demo gives {name} no {key}"
        for row in document[key]:
            assert keys <= set(row), (name, keys - set(row))
            for column in keys & DATE_KEYS:
                assert row[column] is None or ISO_DATE.match(row[column]), (name, column, row[column])
    if name == "approvals-by-month":
        assert [m["month"] for m in document["months"]] == [
            "2026-04",
            "2026-05",
            "2026-06",
            "2026-07",
            "2026-08",
            "2026-09",
            "2026-10",
            "2026-11",
            "2026-12",
            "2027-01",
            "2027-02",
            "2027-03",
        ]
    if name == "in-assessment":
        assert {row["timescale_status"] for row in document["rows"]} <= {"on_track", "at_risk", "breached"}
        assert all(row["delay_reason"] is None or row["delay_reason"].strip() for row in document["rows"])


def test_the_demo_makes_every_report_meaningful_and_each_keeps_its_contract(app, runner):
    with app.app_context(), acting_as("demo test"):
        build_demo(TODAY)
        db.session.commit()
    docs = {name: _command_json(runner, name) for name in REPORTS}
    for name in CONTRACT_KEYS:
        _check_contract(name, docs[name])

    summary = docs["summary"]
    assert summary["households"]["mainstream"] > 0 and summary["households"]["connected"] > 0
    for key in COUNTS["summary"]:
        assert summary[key] > 0, key
    assert summary["in_assessment"] == len(docs["in-assessment"]["rows"])

    households = docs["households"]
    assert all(entry["households"] > 0 for entry in households["by_type"]), households["by_type"]
    assert households["children_placed"]["total"] > 0 and households["vacancies"]["total"] > 0

    statuses = [row["timescale_status"] for row in docs["in-assessment"]["rows"]]
    assert {"on_track", "at_risk", "breached"} <= set(statuses)
    assert any(row["delay_reason"] for row in docs["in-assessment"]["rows"])
    assert any(row["days_allocation_to_predicted_panel"] for row in docs["in-assessment"]["rows"])

    breaches = docs["breaches"]["rows"]
    assert {row["status"] for row in breaches} == {"at_risk", "breached"}
    clocks = {row["clock"] for row in breaches}
    assert {"eight_month", "reg24", "first_contact"} <= clocks and clocks & {"papers", "adm", "irm"}, clocks

    dbs = docs["dbs"]
    for key in ("current", "due_soon", "expired", "missing"):
        assert dbs[key] > 0, key
    assert len(dbs["exceptions"]) == dbs["due_soon"] + dbs["expired"] + dbs["missing"]

    staying_put = docs["staying-put"]
    assert 0 < staying_put["ending_within_90_days"] < staying_put["active"]

    growth = docs["net-growth"]
    assert growth["approved"]["total"] > 0 and growth["deregistered"]["total"] > 0
    assert growth["projected_net"]["total"] > growth["net"]["total"]  # cases heading for panel before 31 March

    timeliness = docs["timeliness"]
    assert timeliness["completed"]["mainstream"] > 0 and timeliness["completed"]["connected"] > 0
    assert 0 < timeliness["within_timescale"]["total"] < timeliness["completed"]["total"]  # some late

    months = docs["approvals-by-month"]["months"]
    assert sum(1 for m in months if m["mainstream"] + m["connected"]) >= 3
    assert sum(m["within_timescale"] for m in months) > 0

    funnel = docs["funnel"]
    for stage in ("enquiries", "initial_visits", "applications", "approvals"):
        assert funnel[stage] > 0, stage
    assert sum(c["total"] for c in funnel["closures"]) > 0

    annual = docs["annual-return"]
    for column in (
        "enquiries",
        "applications_received_total",
        "applications_approved_total",
        "applications_withdrawn_total",
        "applications_in_progress_total",
        "households_approved_total",
        "households_deregistered_total",
        "households_at_31_march_total",
        "vacant_places_31_march",
        "temporary_approvals_31_march",
        "staying_put_31_march",
    ):
        assert annual[column] > 0, column
