"""Bulk writing for generated data: rows buffered per table and inserted in batches with SQLAlchemy Core.

The ORM's audit hook never sees these rows (Core inserts bypass the session's flush), so whoever uses
this writer records one audit event for the whole run (see carertrack/seed/scale.py). Ids are given
explicitly, so parents and children can be linked before anything is written; `finish` moves
PostgreSQL's sequences past them so the application's own inserts carry on from there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text

from carertrack.extensions import db

BATCH = 5_000


class BulkWriter:
    """Buffers rows per table and writes them parents first, in batches of executemany inserts."""

    def __init__(self, connection: Connection, progress: Callable[[str], None] | None = None) -> None:
        self.connection = connection
        self.progress = progress or (lambda _message: None)
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.written: dict[str, int] = {}
        self.next_ids: dict[str, int] = {}
        self.tables = {t.name: t for t in db.metadata.sorted_tables}

    def new_id(self, table: str) -> int:
        """The next free id in a table (after any rows already there)."""
        if table not in self.next_ids:
            current = self.connection.scalar(select(func.max(self.tables[table].c.id)))
            self.next_ids[table] = (current or 0) + 1
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def add(self, table: str, row: dict[str, Any]) -> None:
        """Queue one row; every row of a table must carry the same keys."""
        self.buffers.setdefault(table, []).append(row)

    def flush(self) -> None:
        """Write everything queued, parents before children, so foreign keys hold at every step."""
        for table in db.metadata.sorted_tables:
            rows = self.buffers.get(table.name)
            if not rows:
                continue
            for start in range(0, len(rows), BATCH):
                self.connection.execute(insert(table), rows[start : start + BATCH])
            self.written[table.name] = self.written.get(table.name, 0) + len(rows)
            rows.clear()

    def finish(self) -> None:
        """Write what is left and move PostgreSQL's id sequences past the ids given here."""
        self.flush()
        if self.connection.dialect.name != "postgresql":
            return
        for name in self.written:
            table: Table = self.tables[name]
            last = self.connection.scalar(select(func.max(table.c.id))) or 0
            self.connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last + 1, false)"),
                {"table": f'"{table.name}"', "last": last},
            )
