"""Reading an import file: .csv (UTF-8, with or without a byte order mark) or .xlsx (its first sheet).

Both come out the same shape: the first row's column names, normalised, and every later row with its
row number as a spreadsheet shows it (the header is row 1). Cells are text, a date (from a date-formatted
spreadsheet cell) or None for a blank; numbers and true/false cells arrive as the text people see.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

SUPPORTED_SUFFIXES = (".csv", ".xlsx")
Cell = str | date | None


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass
class Row:
    """One data row: its number in the spreadsheet (the header is row 1) and its cells."""

    number: int
    cells: list[Cell]


@dataclass
class Table:
    """The column names from the first row (normalised; "" when blank) and the non-blank rows after it."""

    header: list[str]
    rows: list[Row] = field(default_factory=list)

    def column_has_data(self, index: int) -> bool:
        """True when any row has something in this column."""
        return any(index < len(row.cells) and row.cells[index] is not None for row in self.rows)


def normalise_column_name(name: object) -> str:
    """' Enquiry Date ' and 'enquiry-date' both read as 'enquiry_date'."""
    text = str(name if name is not None else "").replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def suffix_of(file_name: str) -> str:
    """The file's extension in lower case, like '.csv'."""
    return Path(file_name).suffix.lower()


def read_table(path: Path, file_name: str | None = None) -> Table:
    """Read a .csv or .xlsx file (chosen by file_name's extension, else the path's) into a Table."""
    suffix = suffix_of(file_name or path.name)
    if suffix == ".csv":
        return _table(_csv_rows(path.read_bytes()))
    if suffix == ".xlsx":
        return _table(_xlsx_rows(path))
    raise UnreadableFile("The file must be a .csv or an .xlsx file")


def _table(records: list[list[Cell]]) -> Table:
    if not records or all(cell is None for cell in records[0]):
        raise UnreadableFile("The file is empty: its first row must hold the column names")
    header = [normalise_column_name(cell) if cell is not None else "" for cell in records[0]]
    rows = [
        Row(number, cells)
        for number, cells in enumerate(records[1:], start=2)
        if any(cell is not None for cell in cells)  # blank lines between rows are ignored
    ]
    width = max([len(header)] + [len(row.cells) for row in rows])
    header += [""] * (width - len(header))
    for row in rows:
        row.cells += [None] * (width - len(row.cells))
    return Table(header, rows)


def _csv_rows(data: bytes) -> list[list[Cell]]:
    try:
        text = data.decode("utf-8-sig")  # drops a byte order mark when there is one
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            'The file is not UTF-8 text. Save it from your spreadsheet as "CSV UTF-8 (comma delimited)" and try again'
        ) from exc
    try:
        return [[_text_cell(cell) for cell in record] for record in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise UnreadableFile(f"The file cannot be read as CSV ({exc}). Save it again as CSV UTF-8") from exc


def _xlsx_rows(path: Path) -> list[list[Cell]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile("The file cannot be opened as an Excel workbook (.xlsx). Save it again as .xlsx") from exc
    try:
        if not workbook.worksheets:
            raise UnreadableFile("The workbook has no sheets")
        sheet = workbook.worksheets[0]
        return [[_spreadsheet_cell(value) for value in values] for values in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _text_cell(value: str) -> Cell:
    value = value.strip()
    return value or None


def _spreadsheet_cell(value: object) -> Cell:
    """A cell as people see it: dates as dates, whole numbers without '.0', TRUE/FALSE as yes/no."""
    if value is None:
        return None
    if isinstance(value, str):
        return _text_cell(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        # A date typed into a date-formatted cell comes back as midnight; a real time is not a date.
        return value.date() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text_cell(str(value))
