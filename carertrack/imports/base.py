"""What every kind of import provides: its columns, a check of each row, and a writer.

A kind's check only reads (the existing records it needs are loaded once, up front, so there is no
query per row); it returns the row's errors and records a :class:`RowPlan` saying what the row
would do. The writer runs only when no row of the file has an error.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from carertrack.imports.columns import Column, RowError

CREATE = "create"
UNCHANGED = "unchanged"
COMPLETE = "complete"  # an existing record gains facts it did not have (never loses or changes one)

Progress = Callable[[int], None]


def no_progress(_count: int) -> None:
    """The progress callback when nobody is watching."""


@dataclass
class RowPlan:
    """What one row does: create records, leave an existing one unchanged, or complete one."""

    row: int
    action: str
    summary: str
    creates: dict[str, int] = field(default_factory=dict)
    payload: Any = None


def shown(value: Any) -> str:
    """A value as the import's messages show it: dates as YYYY-MM-DD, blanks as 'blank'."""
    if value is None:
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def differences(stored: dict[str, Any], given: dict[str, Any], columns: Iterable[str]) -> list[str]:
    """'enquiry_date (2018-02-01 in CarerTrack, 2018-02-03 in this file)' for each column that differs."""
    return [
        f"{name} ({shown(stored.get(name))} in CarerTrack, {shown(given.get(name))} in this file)"
        for name in columns
        if stored.get(name) != given.get(name)
    ]


def listed(parts: Sequence[str], limit: int = 3) -> str:
    """The first few items joined with '; ', and how many more there are."""
    text = "; ".join(parts[:limit])
    return text + (f"; and {len(parts) - limit} more" if len(parts) > limit else "")


def chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    """Slices of at most `size` items, for IN lists that every database accepts."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Importer(ABC):
    """One kind of import. Subclasses set `kind`, `columns` and `record_names`, and implement the hooks."""

    kind: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    # What the kind can create, in the order a summary lists them: key -> (singular, plural).
    record_names: ClassVar[dict[str, tuple[str, str]]]

    def __init__(self, today: date) -> None:
        self.today = today

    def load(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Load, in a few queries, the existing records the rows refer to (nothing, for a kind that refers to none)."""
        return

    @abstractmethod
    def check(self, row: int, values: dict[str, Any], unreadable: set[str]) -> tuple[list[RowError], RowPlan | None]:
        """The row's errors beyond unreadable cells, and what it would do (None when it has errors)."""

    @abstractmethod
    def write(self, plans: list[RowPlan], progress: Progress) -> None:
        """Create the planned records; the engine flushes and commits once."""
