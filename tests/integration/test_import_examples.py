"""The example files in docs/examples import cleanly into an empty database, in the documented order."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from carertrack.extensions import db
from carertrack.models.dbs import DbsCheck
from carertrack.models.household import Household, HouseholdMember
from carertrack.models.staying_put import StayingPut
from tests.importing import run, table_contents

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ORDER = [
    ("cases", "cases.csv"),
    ("households", "households.csv"),
    ("people", "people.csv"),
    ("staying-put", "staying-put.csv"),
]


def count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_examples_import_cleanly_in_order_with_the_command(app, runner):
    for kind, name in ORDER:
        result = runner.invoke(args=["import", kind, str(EXAMPLES / name)])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"Imported {name}"), result.stdout
    with app.app_context():
        assert count(Household) == 5 + 3  # five imported, three from approved cases
        assert count(StayingPut) == 3
        assert count(DbsCheck) == 9
        assert count(HouseholdMember) == 7 + 4 + 4  # households' carers, approved cases' carers, new people
        before = table_contents()
    for kind, name in ORDER:
        again = runner.invoke(args=["import", kind, str(EXAMPLES / name)])
        assert again.exit_code == 0, again.output
        assert again.stdout.startswith(f"Nothing new to import from {name}")
    with app.app_context():
        assert table_contents() == before


def test_the_example_workbook_holds_the_same_households_as_the_csv(app_ctx):
    from_xlsx = run("households", EXAMPLES / "households.xlsx", dry_run=True)
    from_csv = run("households", EXAMPLES / "households.csv", dry_run=True)
    assert from_xlsx.ok and from_csv.ok
    assert [(p.row, p.summary, p.creates) for p in from_xlsx.plans] == [
        (p.row, p.summary, p.creates) for p in from_csv.plans
    ]
    assert run("households", EXAMPLES / "households.xlsx").written
    assert run("households", EXAMPLES / "households.csv").unchanged_rows == 5
