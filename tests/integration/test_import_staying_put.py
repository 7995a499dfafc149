"""The `staying-put` import: arrangements only (no members), the 18th and 21st birthday rules, re-import."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from carertrack.extensions import db
from carertrack.models.household import HouseholdMember
from carertrack.models.staying_put import StayingPut, StayingPutEndReason
from tests.importing import TODAY, messages, run, table_contents, write_csv

HEADER = ["household_reference", "young_person_reference", "date_of_birth", "start_date", "end_date", "end_reason"]


def row(**values: object) -> list[object]:
    """A staying-put row: a current arrangement with FH-1 unless told otherwise."""
    base = {
        "household_reference": "FH-1",
        "young_person_reference": "YP-100",
        "date_of_birth": "2005-04-10",
        "start_date": "2023-04-10",
    }
    base.update(values)
    return [base.get(name) for name in HEADER]


@pytest.fixture
def household(app_ctx, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(
        tmp_path,
        "households.csv",
        [["reference", "carer_1_name", "approval_date"], ["FH-1", "Asha Patel", "2010-05-04"]],
    )
    assert run("households", path).written


def import_rows(tmp_path, *rows, **options):  # type: ignore[no-untyped-def]
    return run("staying-put", write_csv(tmp_path, "staying-put.csv", [HEADER, *rows]), **options)


def test_arrangements_are_created_without_adding_household_members(household, tmp_path):
    members_before = db.session.scalar(select(db.func.count()).select_from(HouseholdMember))
    result = import_rows(
        tmp_path,
        row(),
        row(
            young_person_reference="YP-101",
            date_of_birth="2000-01-15",
            start_date="2018-01-15",
            end_date="2021-01-15",
            end_reason="turned_21",
        ),
        row(young_person_reference="YP-102", end_date=(TODAY + timedelta(days=30)).isoformat()),
    )
    assert result.written, result.problems
    assert result.created == {"arrangements": 3}
    arrangements = {a.young_person_reference: a for a in db.session.scalars(select(StayingPut))}
    assert (arrangements["YP-100"].date_of_birth, arrangements["YP-100"].start_date) == (
        date(2005, 4, 10),
        date(2023, 4, 10),
    )
    assert arrangements["YP-100"].member_id is None
    assert arrangements["YP-101"].end_reason is StayingPutEndReason.TURNED_21
    assert arrangements["YP-102"].end_reason is None  # a planned end
    assert db.session.scalar(select(db.func.count()).select_from(HouseholdMember)) == members_before


@pytest.mark.parametrize(
    "values,expected",
    [
        (
            {"household_reference": "FH-9"},
            "row 2, column household_reference: There is no household with reference FH-9. Import the households "
            "first, or correct the reference",
        ),
        (
            {"young_person_reference": None},
            "row 2, column young_person_reference: Enter the young person's reference: it cannot be blank",
        ),
        (
            {"date_of_birth": None},
            "row 2, column date_of_birth: Enter the young person's date of birth: it cannot be blank",
        ),
        ({"start_date": None}, "row 2, column start_date: Enter the start date: it cannot be blank"),
        (
            {"start_date": "2023-04-09"},
            "row 2, column start_date: Staying put starts on or after the young person's 18th birthday, 10 April 2023",
        ),
        (
            {"end_date": "2026-04-11"},
            "row 2, column end_date: An arrangement ends on the young person's 21st birthday at the latest",
        ),
        (
            {"end_date": "2023-04-10", "end_reason": "moved_on"},
            "row 2, column end_date: The end date must be after the start date, 10 April 2023",
        ),
        (
            {"end_date": "2024-01-01"},
            "row 2, column end_reason: Enter why the arrangement ended: turned_21, moved_on, breakdown, returned_home, other",
        ),
        ({"end_reason": "moved_on"}, "row 2, column end_date: Enter the date the arrangement ended"),
        (
            {"end_date": "2024-01-01", "end_reason": "left"},
            "row 2, column end_reason: The end reason must be turned_21, moved_on, breakdown, returned_home or "
            "other, not 'left'",
        ),
        (
            {"date_of_birth": TODAY.isoformat(), "start_date": TODAY.replace(year=TODAY.year + 18).isoformat()},
            "row 2, column date_of_birth: Date of birth must be in the past",
        ),
    ],
)
def test_each_column_is_checked_by_the_staying_put_pages_rules(household, tmp_path, values, expected):
    assert messages(import_rows(tmp_path, row(**values))) == [expected]


def test_the_same_arrangement_twice_in_a_file_is_an_error(household, tmp_path):
    assert messages(import_rows(tmp_path, row(), row(household_reference="fh-1", young_person_reference="yp-100"))) == [
        "row 3, column young_person_reference: The arrangement for yp-100 with household fh-1 is also on row 2. "
        "Put each arrangement on one row"
    ]


def test_re_import_is_unchanged_and_a_difference_is_refused(household, tmp_path):
    assert import_rows(tmp_path, row()).written
    before = table_contents()
    again = import_rows(tmp_path, row())
    assert again.ok and not again.written and again.unchanged_rows == 1
    changed = import_rows(tmp_path, row(end_date="2024-01-01", end_reason="moved_on"))
    assert messages(changed) == [
        "row 2, column young_person_reference: The arrangement for YP-100 with household FH-1 is already in "
        "CarerTrack with different details: end_date (blank in CarerTrack, 2024-01-01 in this file); end_reason "
        "(blank in CarerTrack, moved_on in this file). The import never changes an arrangement: correct the row, "
        "or remove it"
    ]
    assert table_contents() == before
