"""Helpers for the spreadsheet import tests: write files, run an import, read every table."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from carertrack.audit.recorder import acting_as
from carertrack.extensions import db

# Every import test runs "as of" this day, so the results never depend on the real date.
TODAY = date(2024, 6, 3)


def write_csv(folder: Path, name: str, rows: Sequence[Sequence[Any]], *, bom: bool = False) -> Path:
    """A CSV file whose first row is the header; cells written as given (None as blank)."""
    path = folder / name
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
    return path


def write_xlsx(folder: Path, name: str, rows: Sequence[Sequence[Any]]) -> Path:
    """An .xlsx workbook with the rows on its first sheet (dates as real date cells)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    path = folder / name
    workbook.save(path)
    return path


def table_contents() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, every column, in a fixed order (needs an app context).

    Equal before and after an import means no table gained, lost or changed a row.
    """
    db.session.expire_all()
    contents = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        contents[table.name] = [tuple(row) for row in rows]
    return contents


def run(kind: str, path: Path, *, dry_run: bool = False, today: date = TODAY, actor: str = "test import") -> Any:
    """Run an import as the engine does for the command line (needs an app context)."""
    from carertrack.imports.engine import run_import

    with acting_as(actor):
        return run_import(kind, path, path.name, dry_run=dry_run, channel="command line", today=today)


def messages(result: Any) -> list[str]:
    """Every problem line of a result."""
    return result.problems
