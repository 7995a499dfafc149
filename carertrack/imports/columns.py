"""Columns of an import: what each is called, whether it is required, and how its cells are read.

Every problem becomes a :class:`RowError` printed as ``row N, column C: message`` (CONTRACTS.md
section 1), with a message that says what is wrong and what would be right.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl.utils import get_column_letter

from carertrack.dates import parse_date
from carertrack.imports.readers import Cell, Row, Table


@dataclass(frozen=True, order=True)
class RowError:
    """One problem: the row (the header is row 1), the column's name and a plain-English message."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class CellError(ValueError):
    """A cell cannot be read; the message is the whole sentence to show."""


def _sentence(what: str) -> str:
    return what[0].upper() + what[1:]


def _shown(cell: Cell) -> str:
    return cell.isoformat() if isinstance(cell, date) else str(cell)


Parser = Callable[[Cell, str], Any]


def text(max_length: int) -> Parser:
    """Free text up to a length."""

    def parse(cell: Cell, what: str) -> str:
        value = _shown(cell)
        if len(value) > max_length:
            raise CellError(f"{_sentence(what)} must be {max_length} characters or fewer")
        return value

    return parse


def a_date() -> Parser:
    """A date: YYYY-MM-DD or UK D/M/YYYY text, or a date-formatted spreadsheet cell."""

    def parse(cell: Cell, what: str) -> date:
        if isinstance(cell, date):
            return cell
        try:
            value = parse_date(cell)
        except ValueError as exc:
            if "real" in str(exc):
                raise CellError(f"{_sentence(what)} must be a real date, not '{cell}'") from exc
            raise CellError(f"{_sentence(what)} must be a date like 2018-02-01 or 1/2/2018, not '{cell}'") from exc
        assert value is not None  # noqa: S101 - typing only: blank cells never reach a parser  # nosec B101
        return value

    return parse


def yes_no() -> Parser:
    """yes or no (in any case)."""

    def parse(cell: Cell, what: str) -> bool:
        value = _shown(cell).lower()
        if value not in ("yes", "no"):
            raise CellError(f"{_sentence(what)} must be yes or no, not '{_shown(cell)}'")
        return value == "yes"

    return parse


def one_of(values: type[enum.Enum] | Sequence[str]) -> Parser:
    """One code from a vocabulary (matched without regard to case); returns the code as listed."""
    codes = [member.value for member in values] if isinstance(values, type) else list(values)
    by_key = {code.lower(): code for code in codes}
    listed = ", ".join(codes[:-1]) + f" or {codes[-1]}" if len(codes) > 1 else codes[0]

    def parse(cell: Cell, what: str) -> str:
        value = by_key.get(_shown(cell).lower())
        if value is None:
            raise CellError(f"{_sentence(what)} must be {listed}, not '{_shown(cell)}'")
        return value

    return parse


def whole_number(minimum: int, maximum: int) -> Parser:
    """A whole number in a range."""

    def parse(cell: Cell, what: str) -> int:
        shown = _shown(cell)
        try:
            value = int(shown)
        except ValueError as exc:
            raise CellError(f"{_sentence(what)} must be a whole number, like {minimum + 1}, not '{shown}'") from exc
        if not minimum <= value <= maximum:
            raise CellError(f"{_sentence(what)} must be between {minimum} and {maximum}")
        return value

    return parse


@dataclass(frozen=True)
class Column:
    """One column: its name in the first row, what it holds (for messages) and how its cells are read.

    A required column must be present and no row may leave it blank.
    """

    name: str
    what: str
    parse: Parser
    required: bool = False

    def read(self, cell: Cell) -> Any:
        """The cell's value (None when blank), or raise CellError."""
        if cell is None:
            if self.required:
                raise CellError(f"Enter {self.what}: it cannot be blank")
            return None
        return self.parse(cell, self.what)


@dataclass
class Layout:
    """Where each known column is in the file, and the required columns it lacks."""

    positions: dict[str, int]
    missing: list[str]


def check_header(table: Table, columns: Iterable[Column], kind: str) -> tuple[Layout, list[RowError]]:
    """Match the first row to the kind's columns: unknown, repeated, unnamed and missing columns are errors."""
    columns = list(columns)
    known = {column.name for column in columns}
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    listed = ", ".join(column.name for column in columns)
    for index, name in enumerate(table.header):
        if not name:
            if table.column_has_data(index):
                letter = get_column_letter(index + 1)
                errors.append(
                    RowError(
                        1, letter, "This column has data but no name. Enter its name in the first row, or delete it"
                    )
                )
            continue
        if name not in known:
            errors.append(
                RowError(1, name, f"There is no column called {name} in a {kind} import. The columns are: {listed}")
            )
        elif name in positions:
            errors.append(RowError(1, name, f"The {name} column appears more than once. Keep one of them"))
        else:
            positions[name] = index
    missing = [column.name for column in columns if column.required and column.name not in positions]
    for name in missing:
        errors.append(RowError(1, name, f"The {name} column is missing. A {kind} import needs it"))
    return Layout(positions, missing), errors


def read_row(row: Row, layout: Layout, columns: Iterable[Column]) -> tuple[dict[str, Any], list[RowError]]:
    """Every column's value for one row (None when blank or absent), and the cells that could not be read."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in columns:
        index = layout.positions.get(column.name)
        cell = row.cells[index] if index is not None else None
        if index is None:  # a missing required column is a header error, reported once
            values[column.name] = None
            continue
        try:
            values[column.name] = column.read(cell)
        except CellError as exc:
            values[column.name] = None
            errors.append(RowError(row.number, column.name, str(exc)))
    return values, errors
