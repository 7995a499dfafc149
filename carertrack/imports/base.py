"""What every kind of import provides: its columns, a check of each row, and a writer.

A kind's check only reads (the existing records it needs are loaded once, up front, so there is no
query per row); it returns the row's errors and records a :class:`RowPlan` saying what the row
would do. The writer runs only when no row of the file has an error.
"""

from __future__ import annotations

import contextlib
import gc
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import Column as TableColumn
from sqlalchemy import Integer, func, inspect, select

from carertrack.extensions import db
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


# Rows written per flush: large enough that each table's INSERTs go to the database together, small
# enough that a 20,000-row file never holds every record it creates in memory at once.
WRITE_BATCH = 1000


@contextlib.contextmanager
def collector_skips_older_objects() -> Iterator[None]:
    """Python's cycle collector leaves alone every object that exists on entry, until exit.

    Reading a large file makes many objects while holding many more (the application, the rows read
    so far); each full collection would walk all of those again. Objects made inside the block are
    collected as usual.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def collection_between_batches() -> Iterator[Callable[[], None]]:
    """Run the cycle collector once after each batch written, instead of automatically inside it.

    Yields the function to call after each batch. Writing builds thousands of linked ORM objects;
    automatic full collections in the middle of a batch walked them (and everything older) again and
    again, a third of a 20,000-row import. Objects older than the block are left alone, and each
    batch's objects are freed once it is flushed, so memory stays bounded by the batch.
    """
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield gc.collect
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


def _id_key(mapper: Any) -> tuple[TableColumn, str] | None:
    """A mapper's single integer primary key column the database would number, and its attribute name."""
    if mapper not in _ID_KEYS:
        found = None
        if mapper.inherits is None and len(mapper.primary_key) == 1:
            (column,) = mapper.primary_key
            if column.autoincrement in (True, "auto") and isinstance(column.type, Integer):
                found = (column, mapper.get_property_by_column(column).key)
        _ID_KEYS[mapper] = found
    return _ID_KEYS[mapper]


_ID_KEYS: dict[Any, tuple[TableColumn, str] | None] = {}


def number_new_records() -> None:
    """Give every new record in the session the id the database would give it, one query a table.

    With its ids known the ORM sends each table's rows as one executemany, instead of multi-row
    INSERT ... RETURNING statements whose thousands of parameters psycopg rewrites in Python
    (PostgreSQL), or one INSERT per row (SQLite, which cannot promise RETURNING's order): most of a
    large import's time. PostgreSQL: the next values of the table's sequence, as the INSERTs would
    draw them. SQLite: the ids after the largest, as SQLite numbers rows, once this transaction holds
    SQLite's write lock, so no other connection can insert in between.
    """
    session = db.session
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        return
    waiting: dict[tuple[TableColumn, str], list[Any]] = defaultdict(list)
    for state in (inspect(obj) for obj in session.new):
        id_key = _id_key(state.mapper)
        if id_key is not None and state.dict.get(id_key[1]) is None:
            waiting[id_key].append(state)
    if not waiting:
        return
    with session.no_autoflush:
        if dialect == "sqlite":
            _hold_sqlite_write_lock()
        for (column, key), states in waiting.items():
            states.sort(key=lambda state: state.insert_order)
            numbers = _next_ids(dialect, column, len(states))
            if numbers is None:  # no sequence behind this id: leave it to the database
                continue
            for state, number in zip(states, numbers, strict=True):
                setattr(state.obj(), key, number)


def _hold_sqlite_write_lock() -> None:
    """Take SQLite's write lock now (BEGIN IMMEDIATE) unless this transaction already began writing."""
    connection = db.session.connection()
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _next_ids(dialect: str, column: TableColumn, count: int) -> list[int] | None:
    """The next `count` ids the database would give rows of the column's table, in order."""
    if dialect == "postgresql":
        preparer = db.session.get_bind().dialect.identifier_preparer
        sequence = func.pg_get_serial_sequence(preparer.format_table(column.table), column.name)
        if db.session.scalar(select(sequence)) is None:
            return None
        statement = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return sorted(db.session.scalars(statement))
    largest = db.session.scalar(select(func.max(column))) or 0
    return list(range(largest + 1, largest + 1 + count))


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
