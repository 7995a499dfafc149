"""The import engine: all or nothing, one transaction, CSV and XLSX alike, headers, and the audit record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from carertrack.extensions import db
from carertrack.models.audit import AuditEvent
from carertrack.models.case import Case
from carertrack.models.import_run import ImportRun
from tests.importing import messages, run, table_contents, write_csv, write_xlsx

CASE_HEADER = [
    "reference",
    "carer_type",
    "applicant_1_name",
    "enquiry_date",
    "application_date",
    "panel_date",
    "panel_recommendation",
    "decision_date",
    "decision",
]


def good_case(n: int) -> list[object]:
    approved = n % 3 == 0
    return [
        f"FC-{n:03d}",
        "connected" if n % 4 == 0 else "mainstream",
        f"Applicant {n}",
        "2018-02-01",
        "1/3/2018",
        "2018-10-01" if approved else None,
        "approve" if approved else None,
        "2018-10-08" if approved else None,
        "approved" if approved else None,
    ]


@pytest.fixture
def existing(app_ctx, tmp_path):  # type: ignore[no-untyped-def]
    """Some records already held, so "unchanged" is tested on a database that is not empty."""
    households = write_csv(
        tmp_path, "h.csv", [["reference", "carer_1_name", "approval_date"], ["FH-1", "Asha Patel", "2016-05-04"]]
    )
    assert run("households", households).written
    assert run("cases", write_csv(tmp_path, "c.csv", [CASE_HEADER, good_case(900)])).written


def test_a_bad_last_row_leaves_every_table_unchanged(existing, tmp_path):
    before = table_contents()
    rows = [good_case(n) for n in range(1, 60)]
    rows.append(["FC-999", "mainstream", "Last Row", "2018-02-01", "2018-01-01", None, None, None, None])
    result = run("cases", write_csv(tmp_path, "cases.csv", [CASE_HEADER, *rows]))
    assert messages(result) == [
        "row 61, column application_date: The date the application was received must be the same as or after the "
        "enquiry date (1 February 2018)"
    ]
    assert not result.written
    assert table_contents() == before


def test_a_failure_while_writing_rolls_back_everything_written_before_it(existing, tmp_path, monkeypatch):
    from carertrack.panels import decisions

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(decisions, "create_household_from_case", fail)
    before = table_contents()
    with pytest.raises(RuntimeError):
        run("cases", write_csv(tmp_path, "cases.csv", [CASE_HEADER, *[good_case(n) for n in range(1, 7)]]))
    db.session.remove()
    assert table_contents() == before


def test_xlsx_and_csv_give_the_same_result(app_ctx, tmp_path):
    rows = [CASE_HEADER, *[good_case(n) for n in range(1, 10)]]
    xlsx_rows = [CASE_HEADER] + [
        [date(2018, 2, 1) if cell == "2018-02-01" else cell for cell in row] for row in rows[1:]
    ]
    from_xlsx = run("cases", write_xlsx(tmp_path, "cases.xlsx", xlsx_rows), dry_run=True)
    from_csv = run("cases", write_csv(tmp_path, "cases.csv", rows), dry_run=True)
    assert from_xlsx.ok and from_csv.ok
    assert [(p.row, p.action, p.summary, p.creates) for p in from_xlsx.plans] == [
        (p.row, p.action, p.summary, p.creates) for p in from_csv.plans
    ]
    bad = [CASE_HEADER, ["FC-1", "foster", "Jane Smith", "1/2/2018", None, None, None, None, None]]
    assert (
        run("cases", write_xlsx(tmp_path, "bad.xlsx", bad)).problems
        == run("cases", write_csv(tmp_path, "bad.csv", bad)).problems
    )
    written = run("cases", tmp_path / "cases.xlsx")
    assert written.written
    assert run("cases", tmp_path / "cases.csv").unchanged_rows == 9


def test_a_file_with_a_byte_order_mark_imports(app_ctx, tmp_path):
    result = run("cases", write_csv(tmp_path, "bom.csv", [CASE_HEADER, good_case(1)], bom=True))
    assert result.written, result.problems
    assert db.session.scalar(select(Case.reference)) == "FC-001"


def test_unknown_columns_are_errors_and_rows_are_still_checked(app_ctx, tmp_path):
    result = run(
        "cases",
        write_csv(tmp_path, "c.csv", [[*CASE_HEADER, "notes"], [*good_case(1)[:1], "foster", *good_case(1)[2:], "x"]]),
    )
    assert messages(result) == [
        "row 1, column notes: There is no column called notes in a cases import. The columns are: reference, "
        "carer_type, applicant_1_name, applicant_2_name, enquiry_date, enquiry_source, initial_visit_date, "
        "application_date, allocated_date, allocated_worker, temporary_approval_date, extension_granted, "
        "stage1_completed_date, predicted_panel_date, panel_date, panel_recommendation, decision_date, decision, "
        "closed_date, closed_reason, delay_reason",
        "row 2, column carer_type: The carer type must be mainstream or connected, not 'foster'",
    ]


def test_missing_required_columns_stop_the_check_at_the_header(app_ctx, tmp_path):
    result = run("cases", write_csv(tmp_path, "c.csv", [["reference", "enquiry_date"], ["FC-1", "not a date"]]))
    assert messages(result) == [
        "row 1, column applicant_1_name: The applicant_1_name column is missing. A cases import needs it",
        "row 1, column carer_type: The carer_type column is missing. A cases import needs it",
    ]


def test_an_unreadable_file_is_reported_and_nothing_is_written(app_ctx, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("reference\nCafé\n".encode("utf-16"))
    before = table_contents()
    result = run("cases", path)
    assert messages(result) == [
        'The file is not UTF-8 text. Save it from your spreadsheet as "CSV UTF-8 (comma delimited)" and try again'
    ]
    assert not result.ok and table_contents() == before


def test_the_import_is_recorded_with_who_when_the_file_and_the_counts(app_ctx, tmp_path):
    result = run(
        "cases",
        write_csv(tmp_path, "tracker.csv", [CASE_HEADER, *[good_case(n) for n in range(1, 7)]]),
        actor="command line import by jo",
    )
    assert result.written
    import_run = db.session.get(ImportRun, result.run_id)
    assert (import_run.kind, import_run.file_name, import_run.actor_label, import_run.channel) == (
        "cases",
        "tracker.csv",
        "command line import by jo",
        "command line",
    )
    assert (import_run.rows, import_run.created_rows, import_run.unchanged_rows) == (6, 6, 0)
    assert import_run.created == {"cases": 6, "households": 2}
    assert import_run.imported_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "ImportRun"))
    assert event.actor_label == "command line import by jo"
    assert event.summary == "Import of tracker.csv (cases): 6 rows, 6 created"
    assert event.changes["file_name"] == [None, "tracker.csv"]
    created_cases = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "Case")).all()
    assert len(created_cases) == 6
    assert {e.actor_label for e in created_cases} == {"command line import by jo"}
