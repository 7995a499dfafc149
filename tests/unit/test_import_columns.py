"""Reading cells and checking headers: every parser's messages, exactly."""

from __future__ import annotations

from datetime import date

import pytest

from carertrack.imports.columns import (
    CellError,
    Column,
    RowError,
    a_date,
    check_header,
    one_of,
    read_row,
    text,
    whole_number,
    yes_no,
)
from carertrack.imports.readers import Row, Table
from carertrack.models.case import CarerType


def error_of(column: Column, cell):  # type: ignore[no-untyped-def]
    with pytest.raises(CellError) as caught:
        column.read(cell)
    return str(caught.value)


DATE = Column("enquiry_date", "the enquiry date", a_date())


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("2018-02-01", date(2018, 2, 1)),
        ("1/2/2018", date(2018, 2, 1)),
        ("01/02/2018", date(2018, 2, 1)),
        ("31/12/2017", date(2017, 12, 31)),
        ("2018-2-1", date(2018, 2, 1)),
        (date(2018, 2, 1), date(2018, 2, 1)),
        (None, None),
    ],
)
def test_dates_in_iso_and_uk_form_with_one_digit_days_and_months(cell, expected):
    assert DATE.read(cell) == expected


def test_a_date_in_another_form_says_what_would_be_right():
    assert (
        error_of(DATE, "2018/02/01") == "The enquiry date must be a date like 2018-02-01 or 1/2/2018, not '2018/02/01'"
    )
    assert (
        error_of(DATE, "1 Feb 2018") == "The enquiry date must be a date like 2018-02-01 or 1/2/2018, not '1 Feb 2018'"
    )


def test_a_date_that_does_not_exist_is_an_error():
    assert error_of(DATE, "30/2/2018") == "The enquiry date must be a real date, not '30/2/2018'"
    assert error_of(DATE, "2018-13-01") == "The enquiry date must be a real date, not '2018-13-01'"


def test_yes_and_no_in_any_case():
    column = Column("extension_granted", "extension granted", yes_no())
    assert column.read("yes") is True
    assert column.read("No") is False
    assert column.read(None) is None
    assert error_of(column, "Y") == "Extension granted must be yes or no, not 'Y'"


def test_codes_from_a_vocabulary_match_without_regard_to_case():
    column = Column("carer_type", "the carer type", one_of(CarerType))
    assert column.read("Mainstream") == "mainstream"
    assert error_of(column, "foster") == "The carer type must be mainstream or connected, not 'foster'"


def test_whole_numbers_in_a_range():
    column = Column("approved_places", "the number of children", whole_number(1, 10))
    assert column.read("3") == 3
    assert error_of(column, "two") == "The number of children must be a whole number, like 2, not 'two'"
    assert error_of(column, "2.5") == "The number of children must be a whole number, like 2, not '2.5'"
    assert error_of(column, "11") == "The number of children must be between 1 and 10"
    assert error_of(column, "0") == "The number of children must be between 1 and 10"


def test_text_has_a_length_limit():
    column = Column("reference", "the case reference", text(5))
    assert column.read("ABCDE") == "ABCDE"
    assert error_of(column, "ABCDEF") == "The case reference must be 5 characters or fewer"
    assert Column("reference", "the case reference", text(40)).read(date(2018, 2, 1)) == "2018-02-01"


def test_a_required_column_cannot_be_blank():
    column = Column("reference", "the case reference", text(40), required=True)
    assert error_of(column, None) == "Enter the case reference: it cannot be blank"


COLUMNS = (
    Column("reference", "the case reference", text(40), required=True),
    Column("carer_type", "the carer type", one_of(CarerType), required=True),
    Column("enquiry_date", "the enquiry date", a_date()),
)


def test_header_in_any_order_with_optional_columns_left_out():
    layout, errors = check_header(Table(["carer_type", "reference"]), COLUMNS, "cases")
    assert errors == []
    assert layout.positions == {"carer_type": 0, "reference": 1}
    assert layout.missing == []


def test_unknown_repeated_unnamed_and_missing_columns_are_errors():
    table = Table(["reference", "colour", "reference", ""], [Row(2, ["A", "blue", "A", "x"])])
    layout, errors = check_header(table, COLUMNS, "cases")
    assert [str(e) for e in errors] == [
        "row 1, column colour: There is no column called colour in a cases import. "
        "The columns are: reference, carer_type, enquiry_date",
        "row 1, column reference: The reference column appears more than once. Keep one of them",
        "row 1, column D: This column has data but no name. Enter its name in the first row, or delete it",
        "row 1, column carer_type: The carer_type column is missing. A cases import needs it",
    ]
    assert layout.missing == ["carer_type"]


def test_an_unnamed_column_with_nothing_in_it_is_ignored():
    _, errors = check_header(
        Table(["reference", "carer_type", ""], [Row(2, ["A", "mainstream", None])]), COLUMNS, "cases"
    )
    assert errors == []


def test_read_row_gives_every_column_and_the_cells_it_could_not_read():
    layout, _ = check_header(Table(["reference", "carer_type", "enquiry_date"]), COLUMNS, "cases")
    values, errors = read_row(Row(7, [None, "mainstream", "32/1/2018"]), layout, COLUMNS)
    assert values == {"reference": None, "carer_type": "mainstream", "enquiry_date": None}
    assert errors == [
        RowError(7, "reference", "Enter the case reference: it cannot be blank"),
        RowError(7, "enquiry_date", "The enquiry date must be a real date, not '32/1/2018'"),
    ]
    assert str(errors[0]) == "row 7, column reference: Enter the case reference: it cannot be blank"


def test_an_absent_optional_column_reads_as_blank():
    layout, _ = check_header(Table(["reference", "carer_type"]), COLUMNS, "cases")
    values, errors = read_row(Row(2, ["A", "connected"]), layout, COLUMNS)
    assert values["enquiry_date"] is None
    assert errors == []
