"""Reading import files: CSV with and without a BOM, .xlsx cells, header names, blank rows, unreadable files."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from carertrack.imports.readers import UnreadableFile, normalise_column_name, read_table
from tests.importing import write_csv, write_xlsx


def test_csv_with_and_without_a_byte_order_mark_read_the_same(tmp_path):
    rows = [["reference", "carer_type"], ["FC-1", "mainstream"]]
    plain = read_table(write_csv(tmp_path, "plain.csv", rows))
    with_bom = read_table(write_csv(tmp_path, "bom.csv", rows, bom=True))
    assert (tmp_path / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert with_bom.header == plain.header == ["reference", "carer_type"]
    assert [r.cells for r in with_bom.rows] == [r.cells for r in plain.rows] == [["FC-1", "mainstream"]]


def test_header_names_are_normalised():
    assert normalise_column_name(" Enquiry Date ") == "enquiry_date"
    assert normalise_column_name("staying-put") == "staying_put"
    assert normalise_column_name("\ufeffreference") == "reference"


def test_row_numbers_count_the_header_as_row_1_and_blank_rows_are_skipped(tmp_path):
    path = write_csv(tmp_path, "f.csv", [["reference"], ["A"], [""], ["B"]])
    table = read_table(path)
    assert [(row.number, row.cells) for row in table.rows] == [(2, ["A"]), (4, ["B"])]


def test_cells_are_trimmed_and_blank_cells_are_none(tmp_path):
    path = write_csv(tmp_path, "f.csv", [["reference", "name"], ["  A  ", "   "]])
    assert read_table(path).rows[0].cells == ["A", None]


def test_short_rows_are_padded_and_extra_cells_get_an_unnamed_column(tmp_path):
    path = write_csv(tmp_path, "f.csv", [["a", "b"], ["1"], ["1", "2", "3"]])
    table = read_table(path)
    assert table.header == ["a", "b", ""]
    assert table.rows[0].cells == ["1", None, None]
    assert table.column_has_data(2)


def test_xlsx_cells_arrive_as_people_see_them(tmp_path):
    path = write_xlsx(
        tmp_path,
        "f.xlsx",
        [
            ["Reference", "Date", "Moment", "Places", "Ratio", "Flag", "Blank"],
            ["FC-1", date(2018, 2, 1), datetime(2018, 2, 1, 0, 0), 2, 2.5, True, None],
            [1234, datetime(2018, 2, 1, 13, 30), None, 3.0, None, False, "  "],
        ],
    )
    table = read_table(path)
    assert table.header == ["reference", "date", "moment", "places", "ratio", "flag", "blank"]
    assert table.rows[0].cells == ["FC-1", date(2018, 2, 1), date(2018, 2, 1), "2", "2.5", "yes", None]
    assert table.rows[1].cells == ["1234", "2018-02-01 13:30:00", None, "3", None, "no", None]


def test_xlsx_reads_only_the_first_sheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["reference"])
    workbook.active.append(["FIRST"])
    other = workbook.create_sheet("Other")
    other.append(["reference"])
    other.append(["SECOND"])
    workbook.save(tmp_path / "two.xlsx")
    assert [row.cells for row in read_table(tmp_path / "two.xlsx").rows] == [["FIRST"]]


def test_a_file_that_is_not_utf8_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("reference,name\nFC-1,Zoë\n".encode("latin-1"))
    with pytest.raises(UnreadableFile) as caught:
        read_table(path)
    assert str(caught.value) == (
        'The file is not UTF-8 text. Save it from your spreadsheet as "CSV UTF-8 (comma delimited)" and try again'
    )


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFile) as caught:
        read_table(path)
    assert str(caught.value) == "The file is empty: its first row must hold the column names"


def test_a_broken_workbook_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(UnreadableFile) as caught:
        read_table(path)
    assert str(caught.value) == "The file cannot be opened as an Excel workbook (.xlsx). Save it again as .xlsx"


def test_other_file_types_are_refused(tmp_path):
    path = tmp_path / "cases.ods"
    path.write_bytes(b"x")
    with pytest.raises(UnreadableFile) as caught:
        read_table(path)
    assert str(caught.value) == "The file must be a .csv or an .xlsx file"


def test_the_file_name_decides_how_a_stored_file_is_read(tmp_path):
    path = write_csv(tmp_path, "token-without-extension", [["reference"], ["A"]])
    assert read_table(path, "cases.csv").rows[0].cells == ["A"]
