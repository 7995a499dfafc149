"""`flask report NAME [--year Y] [--as-of YYYY-MM-DD] [--format table|json|csv]` (CONTRACTS.md section 2)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db
from carertrack.reports import REPORTS
from tests import report_data as rd


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "nonsense"], "There is no report called 'nonsense'"),
        (["report", "summary", "--as-of", "2025-13-01"], "is not a date in the form YYYY-MM-DD"),
        (["report", "summary", "--as-of", "31/3/2025"], "did you mean 2025-03-31?"),
        (["report", "summary", "--year", "2024"], "The summary report is as of a date"),
        (["report", "breaches", "--year", "2024", "--as-of", "2025-01-01"], "use --as-of"),
        (["report", "net-growth", "--year", "2025", "--as-of", "2025-03-31"], "before the reporting year"),
        (["report", "timeliness", "--year", "twenty"], "is not a valid integer"),
        (["report", "funnel", "--year", "99999"], "four-digit year"),
        (["report", "summary", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_help_lists_every_report(runner):
    result = runner.invoke(args=["report", "--help"])
    assert result.exit_code == 0
    for name in REPORTS:
        assert name in result.output


@pytest.fixture
def households(app):
    with app.app_context(), acting_as("test setup"):
        rd.household("N1", "mainstream", "2024-04-01")
        rd.household("N2", "connected", "2025-03-31")
        rd.household("N3", "mainstream", "2015-01-01", deregistration_date="2024-11-30")
        db.session.commit()


def test_json_is_one_document_and_nothing_else(runner, households):
    result = runner.invoke(args=["report", "net-growth", "--year", "2024", "--as-of", "2025-05-01", "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.output)  # fails if anything else was printed
    assert document["year"] == "2024/25"
    assert (document["period_start"], document["period_end"], document["as_of"]) == (
        "2024-04-01",
        "2025-03-31",
        "2025-05-01",
    )
    assert document["approved"] == {"mainstream": 1, "connected": 1, "total": 2}
    assert document["deregistered"] == {"mainstream": 1, "connected": 0, "total": 1}
    assert document["net"] == {"mainstream": 0, "connected": 1, "total": 1}
    assert document["projected_net"] == document["net"]
    assert isinstance(document["target"], int)


def test_year_defaults_to_the_year_containing_the_as_of_date(runner, households):
    result = runner.invoke(args=["report", "net-growth", "--as-of", "2025-03-31", "--format", "json"])
    assert json.loads(result.output)["year"] == "2024/25"
    result = runner.invoke(args=["report", "net-growth", "--as-of", "2025-04-01", "--format", "json"])
    assert json.loads(result.output)["year"] == "2025/26"


def test_csv_prints_the_rows(runner, households):
    result = runner.invoke(args=["report", "summary", "--as-of", "2024-12-31", "--format", "csv"])
    assert result.exit_code == 0
    assert list(csv.reader(io.StringIO(result.output)))[:4] == [
        ["figure", "value"],
        ["households_mainstream", "1"],
        ["households_connected", "0"],
        ["households_total", "1"],
    ]


def test_table_is_for_people(runner, households):
    result = runner.invoke(args=["report", "net-growth", "--year", "2024", "--as-of", "2025-05-01"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Net household growth, 2024/25 (as of 2025-05-01)"
    assert lines[2].split() == ["measure", "mainstream", "connected", "total"]
    assert lines[4].split() == ["approved", "1", "1", "2"]


def test_the_annual_return_reads_sideways_in_a_terminal_and_as_one_row_in_csv(runner, households):
    table = runner.invoke(args=["report", "annual-return", "--year", "2024", "--as-of", "2025-05-01"]).output
    assert any(line.split() == ["households_approved_total", "2"] for line in table.splitlines())
    rows = list(
        csv.reader(
            io.StringIO(runner.invoke(args=["report", "annual-return", "--year", "2024", "--format", "csv"]).output)
        )
    )
    assert len(rows) == 2 and rows[0][0] == "year" and rows[1][0] == "2024/25"


def test_every_report_runs_on_an_empty_database(runner):
    for name, report in REPORTS.items():
        args = ["report", name, "--as-of", "2025-06-30", "--format", "json"]
        if report.kind == "year":
            args += ["--year", "2024"]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (name, result.output)
        json.loads(result.output)
