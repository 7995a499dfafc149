"""SQL timing for the benchmark: each response says how long its SQL took, only when asked for.

With ``CARERTRACK_SQL_TIMING=1`` in the environment (config ``SQL_TIMING``), every response carries
``X-SQL-Time-Ms`` (time spent executing statements, measured around each cursor execute with
SQLAlchemy's before/after_cursor_execute events) and ``X-SQL-Statements``. bench/bench.py reads them
to report each page's share of time in SQL. Off by default, so normal serving pays nothing.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, g, has_request_context

from carertrack.extensions import db


def init_app(app: Flask) -> None:
    """Listen on the engine and add the headers, when SQL_TIMING is on."""
    if not app.config.get("SQL_TIMING"):
        return
    with app.app_context():
        engine = db.engine

    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        conn.info.setdefault("sql_timing_started", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _stop(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        elapsed = time.perf_counter() - conn.info["sql_timing_started"].pop()
        if has_request_context():
            g.sql_seconds = g.get("sql_seconds", 0.0) + elapsed
            g.sql_statements = g.get("sql_statements", 0) + 1

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["X-SQL-Time-Ms"] = f"{g.get('sql_seconds', 0.0) * 1000:.2f}"
        response.headers["X-SQL-Statements"] = str(g.get("sql_statements", 0))
        return response
