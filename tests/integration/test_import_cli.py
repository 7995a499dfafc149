"""`flask import KIND FILE [--dry-run]`: exit statuses, the report, --as, progress and the help text."""

from __future__ import annotations

from sqlalchemy import select

from carertrack.extensions import db
from carertrack.imports import commands
from carertrack.models.import_run import ImportRun
from carertrack.models.user import Role
from tests.factories import make_user
from tests.importing import write_csv

HEADER = ["reference", "carer_type", "applicant_1_name", "enquiry_date"]
GOOD = [HEADER, ["FC-1", "mainstream", "Jane Smith", "1/2/2018"], ["FC-2", "connected", "Ann Lee", "2019-01-01"]]
BAD = [HEADER, ["FC-1", "mainstream", "Jane Smith", "1/2/2018"], ["FC-2", "kinship", "Ann Lee", "2019-13-01"]]


def invoke(runner, *args):  # type: ignore[no-untyped-def]
    return runner.invoke(args=["import", *[str(a) for a in args]])


def count_runs(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return len(db.session.scalars(select(ImportRun)).all())


def test_a_clean_file_imports_and_exits_0(app, runner, tmp_path):
    result = invoke(runner, "cases", write_csv(tmp_path, "cases.csv", GOOD))
    assert result.exit_code == 0, result.output
    assert result.stdout == "Imported cases.csv (2 rows): created 2 cases.\n"
    with app.app_context():
        run = db.session.scalar(select(ImportRun))
        assert run.actor_label.startswith("command line import by ")
        assert run.channel == "command line"


def test_importing_again_creates_nothing_and_exits_0(app, runner, tmp_path):
    path = write_csv(tmp_path, "cases.csv", GOOD)
    assert invoke(runner, "cases", path).exit_code == 0
    again = invoke(runner, "cases", path)
    assert again.exit_code == 0
    assert again.stdout == (
        "Nothing new to import from cases.csv (2 rows).\n"
        "2 rows are already in CarerTrack exactly as given: left unchanged.\n"
        "Nothing was written.\n"
    )
    assert count_runs(app) == 1


def test_errors_are_listed_one_a_line_and_exit_1_with_nothing_written(app, runner, tmp_path):
    result = invoke(runner, "cases", write_csv(tmp_path, "cases.csv", BAD))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "row 3, column carer_type: The carer type must be mainstream or connected, not 'kinship'",
        "row 3, column enquiry_date: The enquiry date must be a real date, not '2019-13-01'",
        "Nothing was imported: 2 errors in cases.csv (2 rows). Correct every error and import the file again.",
    ]
    assert count_runs(app) == 0


def test_a_refused_re_import_exits_1(runner, tmp_path):
    assert invoke(runner, "cases", write_csv(tmp_path, "cases.csv", GOOD)).exit_code == 0
    changed = [HEADER, ["FC-1", "mainstream", "Jane Smith", "2/2/2018"]]
    result = invoke(runner, "cases", write_csv(tmp_path, "changed.csv", changed))
    assert result.exit_code == 1
    assert "row 2, column reference: A case with reference FC-1 is already in CarerTrack" in result.stdout


def test_dry_run_writes_nothing_and_exits_0_when_clean_and_1_with_errors(app, runner, tmp_path):
    clean = invoke(runner, "cases", write_csv(tmp_path, "cases.csv", GOOD), "--dry-run")
    assert clean.exit_code == 0
    assert clean.stdout == (
        "Dry run: cases.csv (2 rows) has no errors. Importing it would create 2 cases.\nNothing was written.\n"
    )
    failing = invoke(runner, "cases", write_csv(tmp_path, "bad.csv", BAD), "--dry-run")
    assert failing.exit_code == 1
    assert count_runs(app) == 0


def test_usage_errors_exit_2(runner, tmp_path):
    assert invoke(runner, "carers", write_csv(tmp_path, "cases.csv", GOOD)).exit_code == 2
    assert invoke(runner, "cases", tmp_path / "missing.csv").exit_code == 2
    ods = tmp_path / "cases.ods"
    ods.write_text("x")
    wrong_type = invoke(runner, "cases", ods)
    assert wrong_type.exit_code == 2
    assert "FILE must be a .csv or an .xlsx file." in wrong_type.output
    assert invoke(runner, "cases").exit_code == 2
    unknown = invoke(runner, "cases", write_csv(tmp_path, "cases.csv", GOOD), "--as", "nobody@example.org")
    assert unknown.exit_code == 2
    assert "There is no active CarerTrack user with the email address nobody@example.org." in unknown.output


def test_an_unreadable_file_exits_1(runner, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(b"not a workbook")
    result = invoke(runner, "cases", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "The file cannot be opened as an Excel workbook (.xlsx). Save it again as .xlsx",
        "Nothing was imported from cases.xlsx.",
    ]


def test_as_names_the_user_the_import_is_recorded_against(app, runner, tmp_path):
    manager = make_user(app, Role.MANAGER, name="Maria Jones", email="maria@example.org")
    result = invoke(runner, "cases", write_csv(tmp_path, "cases.csv", GOOD), "--as", "MARIA@example.org")
    assert result.exit_code == 0, result.output
    with app.app_context():
        run = db.session.scalar(select(ImportRun))
        assert (run.actor_id, run.actor_label) == (manager.id, "Maria Jones")


def test_large_files_show_progress_on_standard_error(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(commands, "PROGRESS_FROM_ROWS", 2)
    result = invoke(runner, "cases", write_csv(tmp_path, "cases.csv", GOOD))
    assert result.exit_code == 0
    assert "Importing cases.csv" in result.stderr
    assert "Importing cases.csv" not in result.stdout


def test_help_says_what_the_command_does(runner):
    result = runner.invoke(args=["import", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split()).replace("staying- put", "staying-put")
    assert "Usage: carertrack import [OPTIONS] KIND FILE" in text
    assert "KIND is cases, households, people or staying-put" in text
    assert "All or nothing" in text
    assert "exit status is 1 (2 for a usage error)" in text
    assert "--dry-run" in text and "--as EMAIL" in text
    assert "docs/import.md" in text
