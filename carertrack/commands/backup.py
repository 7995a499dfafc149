"""`flask backup create [PATH]` and `flask backup restore PATH --yes` (SQLite; PostgreSQL uses pg_dump)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from carertrack import backups
from carertrack.extensions import db


def _database() -> Path:
    try:
        return backups.sqlite_file(db.engine.url)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(
    help=(
        "Back up and restore a SQLite database while CarerTrack runs (SQLite's online backup API). "
        "PostgreSQL is refused: use pg_dump and pg_restore as docs/production.md describes."
    )
)
def backup() -> None:
    """The backup command group."""


@backup.command("create")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def create(path: Path | None) -> None:
    """Copy the database to PATH, safely while the service is in use.

    PATH defaults to backups/carertrack-YYYYMMDD-HHMMSS.sqlite3 beside the database. An existing file
    is never overwritten. The copy is checked and its migration revision and record count printed.
    """
    database = _database()
    target = path.resolve() if path else backups.default_backup_path(database)
    try:
        summary = backups.create_backup(database, target)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up {database} to {target}: {summary.describe()}.")


@backup.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking first.")
@with_appcontext
def restore(path: Path, yes: bool) -> None:
    """Replace everything in the database with the backup at PATH.

    PATH must be a CarerTrack SQLite backup at a migration revision this version knows. The database
    as it was is saved first in backups/ beside it. Asks before replacing anything unless --yes is
    given. Stop the web server and the scheduler first.
    """
    database = _database()
    path = path.resolve()
    try:
        summary = backups.summarise(path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{path}: a CarerTrack backup, {summary.describe()}.")
    if not yes:
        if not click.confirm(f"Replace everything in {database} with this backup?"):
            raise click.ClickException("Not restored: nothing was changed.")
    db.session.remove()
    db.engine.dispose()  # this process holds no connection while the file is replaced
    try:
        summary, saved = backups.restore_backup(path, database)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {path} into {database}: {summary.describe()}.")
    if saved is not None:
        click.echo(f"The database as it was before the restore is saved at {saved}.")
    head = backups.head_revision()
    if summary.revision != head:
        click.echo(
            f"The backup is at revision {summary.revision} and this version's newest is {head}: "
            "run `flask db upgrade` before starting CarerTrack."
        )
