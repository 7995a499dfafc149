"""Scratch databases and real `flask` / gunicorn processes for the production tests.

Each production test works on its OWN database, built by `flask db upgrade`, never the suite's shared
one: a SQLite file in a temporary folder, or `<test database>_<suffix>` beside the PostgreSQL test
database when TEST_DATABASE_URL is PostgreSQL (created and dropped through an AUTOCOMMIT connection,
as tests/integration/test_migrations.py does).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FLASK = BIN / "flask"
GUNICORN = BIN / "gunicorn"
# Variables the tests set themselves; anything else (PATH, locale) passes through.
_OWN = ("CARERTRACK_CONFIG", "DATABASE_URL", "TEST_DATABASE_URL", "SECRET_KEY", "FLASK_APP", "FLASK_DEBUG")


def suite_uses_postgres() -> bool:
    return os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


@contextmanager
def scratch_database(suffix: str, folder: Path) -> Iterator[str]:
    """An empty database of the suite's kind, dropped afterwards; yields its URL."""
    base = os.environ["TEST_DATABASE_URL"]
    if not base.startswith("postgresql"):
        yield f"sqlite:///{folder / f'{suffix}.db'}"
        return
    url = make_url(base)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def environment(database_url: str, config: str = "production", **extra: str) -> dict[str, str]:
    """The environment a deployment gives `flask` and gunicorn (they do not read .env in production)."""
    env = {key: value for key, value in os.environ.items() if key not in _OWN}
    env.update(
        CARERTRACK_CONFIG=config,
        DATABASE_URL=database_url,
        SECRET_KEY="smoke-test-secret-" + "0" * 40,
        FLASK_APP="wsgi.py",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def flask(env: dict[str, str], *args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run `flask ARGS` from the repository root as a deployment would; fail with its output unless check=False."""
    assert FLASK.exists(), f"{FLASK} is missing: the virtualenv is not set up"
    result = subprocess.run(
        [str(FLASK), *args], cwd=ROOT, env=env, input=input, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(f"flask {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    """A TCP port nobody listens on at the moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def table_rows(database_url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, as sorted tuples of strings: two databases with equal results hold the same records."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = {}
            for table in inspect(conn).get_table_names():
                result = conn.execute(text(f'SELECT * FROM "{table}"'))
                rows[table] = sorted(tuple(str(value) for value in row) for row in result)
            return rows
    finally:
        engine.dispose()
