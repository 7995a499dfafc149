"""Count the SQL statements a block of code (usually one request) runs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event

from carertrack.extensions import db


class QueryCounter:
    """Holds the statements seen; `count` is how many."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextlib.contextmanager
def count_queries(app: Any) -> Iterator[QueryCounter]:
    """with count_queries(app) as q: client.get(...); then compare q.count between data sizes."""
    counter = QueryCounter()
    with app.app_context():
        engine = db.engine

    def _before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", _before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", _before)
