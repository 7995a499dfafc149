"""Running an import, all or nothing.

Read the file, check the header, read every cell, check every row against the rules and the records
already held, and collect every error. Any error, or a dry run, writes nothing. Otherwise every
record is created in one transaction with an :class:`ImportRun` summing it up, and committed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from carertrack.audit.recorder import current_actor
from carertrack.extensions import db
from carertrack.imports.base import (
    COMPLETE,
    CREATE,
    UNCHANGED,
    Importer,
    Progress,
    RowPlan,
    collector_skips_older_objects,
    no_progress,
)
from carertrack.imports.cases import CasesImport
from carertrack.imports.columns import RowError, check_header, read_row
from carertrack.imports.households import HouseholdsImport
from carertrack.imports.people import PeopleImport
from carertrack.imports.readers import UnreadableFile, read_table
from carertrack.imports.staying_put import StayingPutImport
from carertrack.models.import_run import ImportRun

KINDS: dict[str, type[Importer]] = {
    "cases": CasesImport,
    "households": HouseholdsImport,
    "people": PeopleImport,
    "staying-put": StayingPutImport,
}


@dataclass
class ImportResult:
    """What an import found and did. `written` is True only when records were committed."""

    kind: str
    file_name: str
    dry_run: bool
    rows: int = 0
    file_error: str | None = None
    errors: list[RowError] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)
    written: bool = False
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        """True when the file was read and no row has an error."""
        return self.file_error is None and not self.errors

    @property
    def problems(self) -> list[str]:
        """Every problem as a line: the file's, or `row N, column C: message` for each error."""
        return [self.file_error] if self.file_error else [str(error) for error in self.errors]

    def count(self, action: str) -> int:
        """How many rows create records, are unchanged, or complete existing records."""
        return sum(1 for plan in self.plans if plan.action == action)

    @property
    def created_rows(self) -> int:
        """Rows that create records."""
        return self.count(CREATE)

    @property
    def unchanged_rows(self) -> int:
        """Rows already in CarerTrack exactly as given."""
        return self.count(UNCHANGED)

    @property
    def completed_rows(self) -> int:
        """Rows that add facts to a record CarerTrack already holds."""
        return self.count(COMPLETE)

    @property
    def created(self) -> dict[str, int]:
        """How many records of each kind the import creates (or would create)."""
        totals = dict.fromkeys(KINDS[self.kind].record_names, 0)
        for plan in self.plans:
            for key, number in plan.creates.items():
                totals[key] = totals.get(key, 0) + number
        return totals

    def created_phrases(self) -> list[str]:
        """'120 cases', '31 approved households': every kind of record with its count, zeros included."""
        names = KINDS[self.kind].record_names
        return [f"{number} {names[key][0] if number == 1 else names[key][1]}" for key, number in self.created.items()]


def run_import(
    kind: str,
    path: Path,
    file_name: str,
    *,
    dry_run: bool,
    channel: str,
    today: date | None = None,
    progress: Progress = no_progress,
) -> ImportResult:
    """Check the file and, when it is clean and this is not a dry run, write it all in one transaction.

    Writes are attributed to whoever is acting (the signed-in person, or :func:`acting_as` on the
    command line). `progress` is called with a count as rows are checked and again as they are written.
    """
    from carertrack.dates import today as service_today

    result = ImportResult(kind=kind, file_name=file_name, dry_run=dry_run)
    importer = KINDS[kind](today or service_today())
    try:
        table = read_table(path, file_name)
    except UnreadableFile as exc:
        result.file_error = str(exc)
        return result
    result.rows = len(table.rows)
    layout, result.errors = check_header(table, importer.columns, kind)
    if layout.missing:
        result.errors.sort()
        return result  # without a required column no row can be identified
    with collector_skips_older_objects():
        parsed = []
        for row in table.rows:
            values, cell_errors = read_row(row, layout, importer.columns)
            parsed.append((row.number, values, {error.column for error in cell_errors}))
            result.errors += cell_errors
        importer.load([(number, values) for number, values, _ in parsed])
        for number, values, unreadable in parsed:
            row_errors, plan = importer.check(number, values, unreadable)
            result.errors += row_errors
            if plan is not None:
                result.plans.append(plan)
            progress(1)
    result.errors.sort()
    if result.errors or dry_run or not (result.created_rows or result.completed_rows):
        # Nothing to write: a file already imported leaves every table as it was, audit log included.
        db.session.rollback()
        return result
    try:
        importer.write(result.plans, progress)
        actor_id, actor_label = current_actor()
        run = ImportRun(
            kind=kind,
            file_name=file_name[:255],
            actor_id=actor_id,
            actor_label=actor_label[:200],
            channel=channel,
            rows=result.rows,
            created_rows=result.created_rows,
            unchanged_rows=result.unchanged_rows,
            completed_rows=result.completed_rows,
            created=result.created,
        )
        db.session.add(run)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    result.written = True
    result.run_id = run.id
    return result
