"""Backing up and restoring a SQLite database with SQLite's online backup API (`flask backup`).

PostgreSQL is backed up with pg_dump and restored with pg_restore (docs/production.md); these
functions refuse it and say so. A backup is an ordinary SQLite file: a consistent copy taken while the
service runs. Restoring checks the file is a CarerTrack database at a migration revision this code
knows, and first saves the database it replaces, so a restore never loses what was there.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import URL

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
# Tables every CarerTrack database has had since the first migration.
REQUIRED_TABLES = ("alembic_version", "user", "audit_event", "setting")
DOCS = "docs/production.md"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do instead."""


@dataclass(frozen=True)
class DatabaseSummary:
    """What a SQLite database holds: its migration revision and the rows in each table."""

    revision: str
    counts: dict[str, int]

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        return f"migration revision {self.revision}, {self.records:,} records in {len(self.counts)} tables"


def postgres_commands(url: URL) -> str:
    """The pg_dump, createdb and pg_restore commands for this database (password hidden), as in docs/production.md."""
    plain = url.set(drivername="postgresql").render_as_string(hide_password=True)
    target = f"{url.database}_restored"
    restored = url.set(drivername="postgresql", database=target).render_as_string(hide_password=True)
    where = " ".join(
        f"--{option}={value}"
        for option, value in (("host", url.host), ("port", url.port), ("username", url.username))
        if value
    )
    return (
        f"  pg_dump --format=custom --no-owner --file=carertrack.dump '{plain}'\n"
        f"  createdb {where} {target}\n"
        f"  pg_restore --no-owner --exit-on-error --single-transaction --dbname='{restored}' carertrack.dump"
    )


def sqlite_file(url: URL) -> Path:
    """The file behind a SQLite URL; refuses PostgreSQL (pointing to pg_dump) and in-memory databases."""
    backend = url.get_backend_name()
    if backend == "postgresql":
        raise BackupError(
            "flask backup works with SQLite only, and this database is PostgreSQL. Back it up with pg_dump "
            f"and restore it with pg_restore, as {DOCS} describes:\n{postgres_commands(url)}"
        )
    if backend != "sqlite":
        raise BackupError(f"flask backup works with SQLite only, not {backend}.")
    if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
        raise BackupError("This SQLite database is in memory: there is no file to back up or restore.")
    return Path(url.database).resolve()


def known_revisions() -> set[str]:
    """Every migration revision this version of CarerTrack knows."""
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def head_revision() -> str:
    """The newest migration revision (there is exactly one head)."""
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        return ScriptDirectory.from_config(config).get_current_head() or ""
    except CommandError as exc:  # more than one head: a broken checkout
        raise BackupError(f"The migrations have more than one head: {exc}") from exc


def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def summarise(path: Path) -> DatabaseSummary:
    """Check a file is a sound CarerTrack SQLite database at a known revision, and count its rows."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite database, so it is not a CarerTrack backup.")
    try:
        conn = _connect_read_only(path)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be opened as a SQLite database: {exc}") from exc
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(f"{path} is damaged (SQLite's check says: {check[0] if check else 'nothing'}).")
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        missing = [name for name in REQUIRED_TABLES if name not in tables]
        if missing:
            raise BackupError(
                f"{path} is a SQLite database but not a CarerTrack one made by its migrations "
                f"(it has no {', '.join(missing)} table)."
            )
        versions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
        if len(versions) != 1:
            raise BackupError(
                f"{path} has {len(versions)} migration revisions recorded; a CarerTrack database has one."
            )
        revision = versions[0]
        if revision not in known_revisions():
            raise BackupError(
                f"{path} is at migration revision {revision}, which this version of CarerTrack does not know "
                "(a backup from a newer version?). Restore it with the version that made it."
            )
        counts = {name: conn.execute(_count_rows(name)).fetchone()[0] for name in tables}
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be read as a CarerTrack database: {exc}") from exc
    finally:
        conn.close()
    return DatabaseSummary(revision, counts)


def _count_rows(table: str) -> str:
    """SELECT count(*) for a table named in the file itself, quoted as SQLite quotes identifiers."""
    quoted = '"' + table.replace('"', '""') + '"'
    return f"SELECT count(*) FROM {quoted}"  # noqa: S608 - a quoted identifier, read-only connection  # nosec B608


def default_backup_path(database: Path, now: datetime | None = None) -> Path:
    """backups/carertrack-YYYYMMDD-HHMMSS.sqlite3 beside the database."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return database.parent / "backups" / f"carertrack-{stamp}.sqlite3"


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy a whole database into a new file with the online backup API, written aside then renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    dest = sqlite3.connect(partial)
    try:
        source.backup(dest)
    finally:
        dest.close()
    partial.chmod(0o600)  # it holds personal data
    os.replace(partial, target)


def create_backup(database: Path, target: Path) -> DatabaseSummary:
    """Copy the live database to target (never overwriting a file) and check the copy."""
    if not database.is_file():
        raise BackupError(f"There is no database at {database} to back up.")
    if target.exists():
        raise BackupError(f"{target} already exists. Choose a new file name; a backup never overwrites a file.")
    summarise(database)  # refuses a database with no migration revision: its backup could not be restored
    source = _connect_read_only(database)
    try:
        _copy(source, target)
    finally:
        source.close()
    return summarise(target)


def restore_backup(backup: Path, database: Path) -> tuple[DatabaseSummary, Path | None]:
    """Replace the database's contents with the backup's; returns the backup's summary and where the
    database as it was has been saved (None when there was no database)."""
    summary = summarise(backup)
    if backup.resolve() == database.resolve():
        raise BackupError(f"{backup} is the database itself, not a backup of it.")
    saved: Path | None = None
    if database.is_file() and database.stat().st_size > 0:
        saved = database.parent / "backups" / f"before-restore-{datetime.now():%Y%m%d-%H%M%S-%f}.sqlite3"
        current = sqlite3.connect(database)
        try:
            _copy(current, saved)
        finally:
            current.close()
    source = _connect_read_only(backup)
    dest = sqlite3.connect(database)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    return summary, saved
