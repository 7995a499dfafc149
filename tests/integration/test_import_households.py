"""The `households` import: columns, the household pages' rules, carers, deregistration and re-import."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from carertrack.extensions import db
from carertrack.models.household import CarerType, DeregistrationReason, Household, MemberRole, Relationship
from tests.importing import TODAY, messages, run, table_contents, write_csv

HEADER = [
    "reference",
    "carer_type",
    "carer_1_name",
    "carer_2_name",
    "approval_date",
    "deregistration_date",
    "deregistration_reason",
    "approved_places",
    "age_from",
    "age_to",
]


def row(**values: object) -> list[object]:
    """A households row: a current mainstream household unless told otherwise."""
    base = {
        "reference": "FH-1",
        "carer_type": "mainstream",
        "carer_1_name": "Asha Patel",
        "approval_date": "2016-05-04",
    }
    base.update(values)
    return [base.get(name) for name in HEADER]


def import_rows(tmp_path, *rows, **options):  # type: ignore[no-untyped-def]
    return run("households", write_csv(tmp_path, "households.csv", [HEADER, *rows]), **options)


def test_households_are_created_with_their_carers_terms_and_deregistration(app_ctx, tmp_path):
    result = import_rows(
        tmp_path,
        row(carer_2_name="Ravi Patel", approved_places="2", age_from="0", age_to="11"),
        row(
            reference="FH-2",
            carer_type="short_breaks",
            approval_date="1/4/2015",
            deregistration_date="31/3/2020",
            deregistration_reason="retired",
        ),
        row(reference="FH-3", carer_type=None),
    )
    assert result.written, result.problems
    assert result.created == {"households": 3, "carers": 4}
    households = {h.reference: h for h in db.session.scalars(select(Household))}
    first = households["FH-1"]
    assert (first.carer_type, first.approval_date) == (CarerType.MAINSTREAM, date(2016, 5, 4))
    assert (first.approved_places, first.age_from, first.age_to) == (2, 0, 11)
    assert [(m.name, m.role, m.relationship, m.joined_date) for m in first.members] == [
        ("Asha Patel", MemberRole.CARER, Relationship.CARER, date(2016, 5, 4)),
        ("Ravi Patel", MemberRole.CARER, Relationship.CARER, date(2016, 5, 4)),
    ]
    second = households["FH-2"]
    assert second.carer_type is CarerType.SHORT_BREAKS
    assert (second.deregistration_date, second.deregistration_reason) == (
        date(2020, 3, 31),
        DeregistrationReason.RETIRED,
    )
    assert households["FH-3"].carer_type is CarerType.MAINSTREAM  # blank: counted as mainstream, as reports do


@pytest.mark.parametrize(
    "values,expected",
    [
        ({"reference": None}, "row 2, column reference: Enter the household reference: it cannot be blank"),
        (
            {"carer_type": "kinship"},
            "row 2, column carer_type: The carer type must be mainstream, connected, short_breaks or "
            "parent_and_child, not 'kinship'",
        ),
        (
            {"carer_1_name": None},
            "row 2, column carer_1_name: Enter the first carer's full name: it cannot be blank",
        ),
        (
            {"carer_2_name": "n" * 121},
            "row 2, column carer_2_name: The second carer's full name must be 120 characters or fewer",
        ),
        ({"approval_date": None}, "row 2, column approval_date: Enter the date of approval: it cannot be blank"),
        (
            {"approval_date": (TODAY + timedelta(days=1)).isoformat()},
            "row 2, column approval_date: The date of approval must be today or in the past",
        ),
        (
            {"deregistration_date": "2019-01-01"},
            "row 2, column deregistration_reason: Enter why approval ended: resigned, retired, transferred_ifa, "
            "transferred_la, sgo, adoption, terminated, placement_ended, moved_away, death, other",
        ),
        (
            {"deregistration_reason": "resigned"},
            "row 2, column deregistration_date: Enter the date approval ended",
        ),
        (
            {"deregistration_date": "2016-05-04", "deregistration_reason": "resigned"},
            "row 2, column deregistration_date: Approval must end after the date of approval, 4 May 2016",
        ),
        (
            {"deregistration_date": "2019-01-01", "deregistration_reason": "quit"},
            "row 2, column deregistration_reason: The deregistration reason must be resigned, retired, "
            "transferred_ifa, transferred_la, sgo, adoption, terminated, placement_ended, moved_away, death or "
            "other, not 'quit'",
        ),
        (
            {"approved_places": "11"},
            "row 2, column approved_places: The number of children must be between 1 and 10",
        ),
        (
            {"age_from": "baby"},
            "row 2, column age_from: The youngest age must be a whole number, like 1, not 'baby'",
        ),
        (
            {"age_from": "12", "age_to": "4"},
            "row 2, column age_to: The oldest age must be the same as or more than the youngest age",
        ),
    ],
)
def test_each_column_is_checked(app_ctx, tmp_path, values, expected):
    assert messages(import_rows(tmp_path, row(**values))) == [expected]


def test_a_reference_repeated_in_the_file_is_an_error_whatever_its_case(app_ctx, tmp_path):
    assert messages(import_rows(tmp_path, row(), row(reference="fh-1"))) == [
        "row 3, column reference: The reference fh-1 is also on row 2. Put each household on one row"
    ]


def test_a_household_created_by_an_approved_case_cannot_be_imported(app_ctx, tmp_path):
    cases = write_csv(
        tmp_path,
        "cases.csv",
        [
            [
                "reference",
                "carer_type",
                "applicant_1_name",
                "application_date",
                "panel_date",
                "panel_recommendation",
                "decision_date",
                "decision",
            ],
            ["FC-9", "mainstream", "Jane Smith", "2018-03-01", "2018-10-01", "approve", "2018-10-08", "approved"],
        ],
    )
    assert run("cases", cases).written
    result = import_rows(tmp_path, row(reference="FC-9", carer_1_name="Jane Smith", approval_date="2018-10-08"))
    assert messages(result) == [
        "row 2, column reference: The household FC-9 was created when case FC-9 was approved, so it cannot be "
        "imported. Remove the row"
    ]


def test_re_import_is_unchanged_and_a_difference_is_refused(app_ctx, tmp_path):
    rows = [
        row(carer_2_name="Ravi Patel"),
        row(reference="FH-2", deregistration_date="2020-01-01", deregistration_reason="moved_away"),
    ]
    assert import_rows(tmp_path, *rows).written
    before = table_contents()
    again = import_rows(tmp_path, *rows)
    assert again.ok and not again.written and again.unchanged_rows == 2
    changed = import_rows(tmp_path, row(carer_2_name="Ravi Patel", approved_places="3"))
    assert messages(changed) == [
        "row 2, column reference: A household with reference FH-1 is already in CarerTrack with different details: "
        "approved_places (blank in CarerTrack, 3 in this file). The import never changes a household: correct the "
        "row, or remove it"
    ]
    assert table_contents() == before
