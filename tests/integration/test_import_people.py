"""The `people` import: household members and their DBS, identity by household, name and date of birth,
completing carers the households import created, and refusing contradictions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from carertrack.extensions import db
from carertrack.models.dbs import DbsCheck, DbsStatusCheck, StatusCheckResult
from carertrack.models.household import Household, HouseholdMember, MemberRole, Relationship
from tests.importing import TODAY, messages, run, table_contents, write_csv

HEADER = [
    "household_reference",
    "name",
    "date_of_birth",
    "role",
    "dbs_certificate_number",
    "dbs_issue_date",
    "dbs_update_service",
    "dbs_last_status_check_date",
    "left_household_date",
]


def row(**values: object) -> list[object]:
    """A people row: an adult member of FH-1 unless told otherwise."""
    base = {"household_reference": "FH-1", "name": "Kim Patel", "date_of_birth": "2001-07-19", "role": "adult_member"}
    base.update(values)
    return [base.get(name) for name in HEADER]


@pytest.fixture
def household(app_ctx, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(
        tmp_path,
        "households.csv",
        [
            ["reference", "carer_1_name", "carer_2_name", "approval_date"],
            ["FH-1", "Asha Patel", "Ravi Patel", "2016-05-04"],
        ],
    )
    assert run("households", path).written
    return db.session.scalar(select(Household).where(Household.reference == "FH-1")).id


def import_rows(tmp_path, *rows, **options):  # type: ignore[no-untyped-def]
    return run("people", write_csv(tmp_path, "people.csv", [HEADER, *rows]), **options)


def members(household_id: int) -> list[HouseholdMember]:
    db.session.expire_all()
    return list(db.session.scalars(select(HouseholdMember).where(HouseholdMember.household_id == household_id)))


def test_people_are_added_and_carers_from_the_households_import_are_completed(household, tmp_path):
    result = import_rows(
        tmp_path,
        row(
            name="asha  patel",
            date_of_birth="2/3/1975",
            role="carer",
            dbs_certificate_number="0012 3456 7890",
            dbs_issue_date="2022-01-10",
            dbs_update_service="yes",
            dbs_last_status_check_date="2023-01-10",
        ),
        row(),
        row(name="Leo Patel", date_of_birth="2012-09-01", role=None),
        row(name="Old Lodger", date_of_birth="1960-01-01", role=None, left_household_date="2019-06-30"),
    )
    assert result.written, result.problems
    assert result.created == {"members": 3, "dbs_checks": 1, "status_checks": 1}
    assert (result.created_rows, result.completed_rows) == (3, 1)
    people = {m.name: m for m in members(household)}
    assert set(people) == {"Asha Patel", "Ravi Patel", "Kim Patel", "Leo Patel", "Old Lodger"}
    asha = people["Asha Patel"]
    assert (asha.date_of_birth, asha.role) == (date(1975, 3, 2), MemberRole.CARER)
    check = db.session.scalar(select(DbsCheck).where(DbsCheck.member_id == asha.id))
    assert (check.certificate_number, check.issue_date, check.update_service) == (
        "001234567890",
        date(2022, 1, 10),
        True,
    )
    status = db.session.scalar(select(DbsStatusCheck))
    assert (status.checked_on, status.result) == (date(2023, 1, 10), StatusCheckResult.NO_CHANGE)
    assert (people["Kim Patel"].role, people["Kim Patel"].relationship) == (MemberRole.ADULT_MEMBER, None)
    assert people["Leo Patel"].role is MemberRole.CHILD_MEMBER  # blank role, under 18
    assert people["Old Lodger"].role is MemberRole.ADULT_MEMBER
    assert people["Old Lodger"].left_date == date(2019, 6, 30)
    assert people["Ravi Patel"].date_of_birth is None


def test_rows_that_would_complete_people_change_nothing_when_another_row_has_an_error(household, tmp_path):
    # Row 2 would give Asha Patel (created by the households import) a date of birth and a certificate,
    # and row 3 would add Kim Patel; row 4 names a household that does not exist. Nothing may change.
    completing = row(name="Asha Patel", date_of_birth="1975-03-02", role="carer", dbs_issue_date="2022-01-10")
    before = table_contents()
    result = import_rows(tmp_path, completing, row(), row(household_reference="FH-404"))
    assert messages(result) == [
        "row 4, column household_reference: There is no household with reference FH-404. Import the households "
        "first, or correct the reference"
    ]
    assert table_contents() == before
    # Without the bad row the same rows do change things, so the comparison above could have failed.
    assert import_rows(tmp_path, completing, row()).written
    assert table_contents() != before
    asha = next(m for m in members(household) if m.name == "Asha Patel")
    assert asha.date_of_birth == date(1975, 3, 2)


def test_a_new_carer_is_a_carer_by_relationship_too(household, tmp_path):
    assert import_rows(tmp_path, row(name="New Carer", role="carer")).written
    carer = next(m for m in members(household) if m.name == "New Carer")
    assert (carer.role, carer.relationship) == (MemberRole.CARER, Relationship.CARER)


@pytest.mark.parametrize(
    "values,expected",
    [
        (
            {"household_reference": "FH-404"},
            "row 2, column household_reference: There is no household with reference FH-404. Import the households "
            "first, or correct the reference",
        ),
        ({"name": None}, "row 2, column name: Enter the person's full name: it cannot be blank"),
        (
            {"date_of_birth": "19/7/01"},
            "row 2, column date_of_birth: The date of birth must be a date like 2018-02-01 or 1/2/2018, not '19/7/01'",
        ),
        (
            {"date_of_birth": TODAY.isoformat()},
            "row 2, column date_of_birth: Date of birth must be in the past",
        ),
        (
            {"role": "lodger"},
            "row 2, column role: The role must be carer, adult_member or child_member, not 'lodger'",
        ),
        (
            {"dbs_certificate_number": "12345", "dbs_issue_date": "2022-01-10"},
            "row 2, column dbs_certificate_number: Certificate number must be 12 digits, like 001234567890",
        ),
        (
            {"dbs_certificate_number": "001234567890"},
            "row 2, column dbs_issue_date: Enter the DBS date of issue for the certificate number",
        ),
        (
            {"dbs_issue_date": (TODAY + timedelta(days=1)).isoformat()},
            "row 2, column dbs_issue_date: The date of issue must be today or in the past",
        ),
        (
            {"dbs_issue_date": "2001-07-19"},
            "row 2, column dbs_issue_date: The date of issue must be after the person's date of birth",
        ),
        (
            {"dbs_update_service": "Y"},
            "row 2, column dbs_update_service: DBS Update Service must be yes or no, not 'Y'",
        ),
        (
            {"dbs_update_service": "yes"},
            "row 2, column dbs_update_service: A DBS Update Service subscription goes with a certificate: enter its "
            "dbs_issue_date, or leave this blank",
        ),
        (
            {"dbs_issue_date": "2022-01-10", "dbs_last_status_check_date": "2023-01-10"},
            "row 2, column dbs_last_status_check_date: A status check needs a DBS Update Service subscription: "
            "enter yes in dbs_update_service",
        ),
        (
            {"dbs_issue_date": "2022-01-10", "dbs_update_service": "yes", "dbs_last_status_check_date": "2021-12-31"},
            "row 2, column dbs_last_status_check_date: The status check must be on or after the certificate's date "
            "of issue, 10 January 2022",
        ),
        (
            {
                "dbs_issue_date": "2022-01-10",
                "dbs_update_service": "yes",
                "dbs_last_status_check_date": (TODAY + timedelta(days=1)).isoformat(),
            },
            "row 2, column dbs_last_status_check_date: The date of the status check must be today or in the past",
        ),
        (
            {"left_household_date": (TODAY + timedelta(days=1)).isoformat()},
            "row 2, column left_household_date: The date they left must be today or in the past",
        ),
        (
            {"left_household_date": "2001-07-19"},
            "row 2, column left_household_date: The date they left must be after their date of birth",
        ),
    ],
)
def test_each_column_is_checked(household, tmp_path, values, expected):
    assert messages(import_rows(tmp_path, row(**values))) == [expected]


def test_the_same_person_twice_in_a_file_is_an_error(household, tmp_path):
    assert messages(import_rows(tmp_path, row(), row(name="KIM PATEL"))) == [
        "row 3, column name: KIM PATEL of household FH-1 is also on row 2. Put each person on one row"
    ]


def test_people_with_the_same_name_and_different_dates_of_birth_are_different_people(household, tmp_path):
    result = import_rows(tmp_path, row(), row(date_of_birth="2005-01-01"))
    assert result.written and result.created["members"] == 2


def test_re_import_is_unchanged_and_adds_nothing(household, tmp_path):
    rows = [
        row(
            name="Asha Patel",
            date_of_birth="1975-03-02",
            role="carer",
            dbs_issue_date="2022-01-10",
            dbs_update_service="yes",
            dbs_last_status_check_date="2023-01-10",
        ),
        row(dbs_certificate_number="001234567890", dbs_issue_date="2021-05-05"),
    ]
    assert import_rows(tmp_path, *rows).written
    before = table_contents()
    again = import_rows(tmp_path, *rows)
    assert again.ok and not again.written
    assert (again.unchanged_rows, again.created_rows, again.completed_rows) == (2, 0, 0)
    assert table_contents() == before


def test_a_later_certificate_is_added_to_the_person_held(household, tmp_path):
    assert import_rows(tmp_path, row(dbs_certificate_number="001234567890", dbs_issue_date="2019-05-05")).written
    result = import_rows(tmp_path, row(dbs_certificate_number="009876543210", dbs_issue_date="2022-05-05"))
    assert result.written and result.completed_rows == 1
    assert result.created == {"members": 0, "dbs_checks": 1, "status_checks": 0}
    kim = next(m for m in members(household) if m.name == "Kim Patel")
    issued = sorted(c.issue_date for c in db.session.scalars(select(DbsCheck).where(DbsCheck.member_id == kim.id)))
    assert issued == [date(2019, 5, 5), date(2022, 5, 5)]


def test_a_row_that_contradicts_the_person_held_is_refused(household, tmp_path):
    assert import_rows(
        tmp_path,
        row(dbs_certificate_number="001234567890", dbs_issue_date="2021-05-05", left_household_date="2023-01-01"),
    ).written
    before = table_contents()
    result = import_rows(
        tmp_path,
        row(
            role="child_member",
            dbs_certificate_number="001234567891",
            dbs_issue_date="2021-05-05",
            left_household_date="2023-02-01",
        ),
    )
    assert messages(result) == [
        "row 2, column dbs_certificate_number: CarerTrack records 001234567890 for Kim Patel of household FH-1, "
        "not 001234567891. The import never changes what is recorded: correct the row, or change it in CarerTrack",
        "row 2, column left_household_date: CarerTrack records 2023-01-01 for Kim Patel of household FH-1, not "
        "2023-02-01. The import never changes what is recorded: correct the row, or change it in CarerTrack",
        "row 2, column role: CarerTrack records adult_member for Kim Patel of household FH-1, not child_member. "
        "The import never changes what is recorded: correct the row, or change it in CarerTrack",
    ]
    assert table_contents() == before
