"""`flask import KIND FILE [--dry-run] [--as EMAIL]`: the spreadsheet import on the command line.

Exit status 0 when the file is clean (and imported, unless --dry-run), 1 when any row has an error
(nothing is written), 2 for a usage error (unknown KIND, missing file, wrong kind of file, unknown --as).
The report goes to standard output; the progress bar for large files goes to standard error.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from carertrack.audit.recorder import acting_as
from carertrack.imports.engine import KINDS, ImportResult, run_import
from carertrack.imports.readers import SUPPORTED_SUFFIXES, suffix_of
from carertrack.imports.summary import summary_lines

# Below this many rows an import takes a moment and a progress bar would only flicker.
PROGRESS_FROM_ROWS = 1000


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "an unknown user"


def _actor(email: str | None) -> object:
    if email is None:
        return f"command line import by {_os_user()}"
    from carertrack.auth.services import find_user

    user = find_user(email)
    if user is None or not user.active:
        raise click.BadParameter(
            f"There is no active CarerTrack user with the email address {email}.", param_hint="--as"
        )
    return user


def _count_rows(path: Path) -> int:
    """A quick upper bound on the rows, to decide whether to show progress (CSV: lines; xlsx: the sheet's size)."""
    if suffix_of(path.name) == ".csv":
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - the import itself reports an unreadable file properly
        return 0
    try:
        if not workbook.worksheets:
            return 0
        return workbook.worksheets[0].max_row or 0
    finally:
        workbook.close()


def _run(kind: str, path: Path, dry_run: bool) -> ImportResult:
    rows = _count_rows(path)
    if rows < PROGRESS_FROM_ROWS:
        return run_import(kind, path, path.name, dry_run=dry_run, channel="command line")
    # Each row is counted once when checked and once when written.
    length = rows if dry_run else rows * 2
    with click.progressbar(length=length, label=f"Importing {path.name}", file=sys.stderr) as bar:
        return run_import(kind, path, path.name, dry_run=dry_run, channel="command line", progress=bar.update)


@click.command(
    "import",
    help=(
        "Import a tracker spreadsheet: KIND is cases, households, people or staying-put; FILE is .csv (UTF-8) "
        "or .xlsx (first sheet). All or nothing: any error in any row means nothing is written, every error "
        "is listed as 'row N, column C: message', and the exit status is 1 (2 for a usage error). Rows already in CarerTrack "
        "exactly as given are left unchanged, so importing a file twice creates nothing new. "
        "Import in this order: cases, households, people, staying-put. The format is in docs/import.md."
    ),
)
@click.argument("kind", type=click.Choice(list(KINDS)), metavar="KIND")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report what it would create, writing nothing.")
@click.option(
    "--as",
    "as_email",
    metavar="EMAIL",
    help="Record the import in the audit log as this user (default: the command line and your login name).",
)
@with_appcontext
def import_command(kind: str, file: Path, dry_run: bool, as_email: str | None) -> None:
    """Run the import and report it."""
    if suffix_of(file.name) not in SUPPORTED_SUFFIXES:
        raise click.BadParameter("FILE must be a .csv or an .xlsx file.", param_hint="FILE")
    with acting_as(_actor(as_email)):
        result = _run(kind, file, dry_run)
    for line in result.problems:
        click.echo(line)
    for line in summary_lines(result):
        click.echo(line)
    if not result.ok:
        raise click.exceptions.Exit(1)
