"""Backups: `flask backup create` / `flask backup restore` on SQLite, and pg_dump / pg_restore on PostgreSQL.

The commands run as real processes (tests/processes.py) against their own databases built with
`flask db upgrade` and loaded with the demo service; "every record" means every row of every table
compares equal before the backup and after the restore.
"""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from carertrack import create_app
from carertrack.backups import head_revision
from carertrack.extensions import db
from tests.processes import environment, flask, scratch_database, suite_uses_postgres, table_rows

# Tables the demo service fills: a restore that lost any of them would show here first.
DEMO_TABLES = (
    "user",
    "audit_event",
    "case",
    "household",
    "household_member",
    "dbs_check",
    "panel_meeting",
    "placement",
)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database built by the migrations and loaded with the demo service (copied by each test)."""
    path = tmp_path_factory.mktemp("backup-demo") / "demo.db"
    env = environment(f"sqlite:///{path}", "development")
    flask(env, "db", "upgrade")
    flask(env, "seed", "demo")
    return path


@pytest.fixture
def live(demo_file: Path, tmp_path: Path) -> Path:
    """This test's own copy of the demo database: the 'live' database the commands work on."""
    path = tmp_path / "instance" / "carertrack.db"
    path.parent.mkdir()
    shutil.copyfile(demo_file, path)
    return path


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def backup(live: Path | str, *args: str, input: str | None = None) -> Outcome:
    """`flask backup ARGS` in production configuration against the live database (a file or a URL), in this process."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment(url_of(live) if isinstance(live, Path) else live).items():
            patch.setenv(name, value)
        application = create_app()
    result = application.test_cli_runner().invoke(args=["backup", *args], input=input)
    with application.app_context():
        db.engine.dispose()
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def backup_process(live: Path, *args: str) -> subprocess.CompletedProcess:
    """The same, as a real `flask` process started the way an operator would."""
    return flask(environment(url_of(live)), "backup", *args, check=False)


def wipe(path: Path) -> None:
    """Delete every row of every table (the schema stays), as a disastrous mistake would."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        tables = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        for table in tables:
            conn.execute(f'DELETE FROM "{table}"')
        conn.commit()
    finally:
        conn.close()


def test_a_restored_backup_has_every_record(live: Path, tmp_path: Path) -> None:
    before = table_rows(url_of(live))
    records = sum(len(rows) for rows in before.values())
    assert all(before[table] for table in DEMO_TABLES), "the demo service fills these tables"
    target = tmp_path / "backups" / "nightly.sqlite3"

    created = backup(live, "create", str(target))

    assert created.returncode == 0, created.stderr
    assert f"Backed up {live} to {target}: migration revision {head_revision()}, {records:,} records" in created.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600, "a backup holds personal data: owner only"

    wipe(live)
    assert not any(table_rows(url_of(live)).values())
    restored = backup(live, "restore", str(target), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert (
        f"Restored {target} into {live}: migration revision {head_revision()}, {records:,} records" in restored.stdout
    )
    assert table_rows(url_of(live)) == before, "every record of every table is back"
    saved = [line for line in restored.stdout.splitlines() if "saved at" in line]
    assert saved, restored.stdout
    saved_path = Path(saved[0].rsplit("saved at ", 1)[1].rstrip("."))
    assert not any(table_rows(url_of(saved_path)).values()), "the wiped database was kept, as it was"

    live.unlink()  # the file itself lost
    again = backup(live, "restore", str(target), "--yes")
    assert again.returncode == 0, again.stderr
    assert table_rows(url_of(live)) == before


def test_restore_asks_first_and_changes_nothing_when_told_no(live: Path, tmp_path: Path) -> None:
    target = tmp_path / "b.sqlite3"
    assert backup(live, "create", str(target)).returncode == 0
    wipe(live)
    refused = backup(live, "restore", str(target), input="n\n")
    assert refused.returncode == 1
    assert "Replace everything in" in refused.stdout
    assert "Not restored: nothing was changed." in refused.stderr
    assert not any(table_rows(url_of(live)).values()), "still as it was"
    assert not (live.parent / "backups").exists()
    agreed = backup(live, "restore", str(target), input="y\n")
    assert agreed.returncode == 0, agreed.stderr
    assert any(table_rows(url_of(live)).values())


def test_restore_refuses_anything_but_a_carertrack_backup(live: Path, tmp_path: Path) -> None:
    before = table_rows(url_of(live))
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE things (id INTEGER)")
    conn.close()
    future = tmp_path / "future.sqlite3"
    assert backup(live, "create", str(future)).returncode == 0
    with sqlite3.connect(future) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    cases = {
        tmp_path / "missing.sqlite3": "does not exist",
        text_file: "is not a SQLite database, so it is not a CarerTrack backup",
        other: "is a SQLite database but not a CarerTrack one",
        future: "is at migration revision 9999_from_the_future, which this version of CarerTrack does not know",
        live: "is the database itself",
    }
    for path, message in cases.items():
        result = backup(live, "restore", str(path), "--yes")
        assert result.returncode == 1, (path, result.stdout)
        assert message in result.stderr, (path, result.stderr)
        assert "Traceback" not in result.stderr
    assert table_rows(url_of(live)) == before, "nothing changed"


def test_create_never_overwrites_and_has_a_default_place(live: Path, tmp_path: Path) -> None:
    existing = tmp_path / "existing.sqlite3"
    existing.write_text("keep me")
    refused = backup(live, "create", str(existing))
    assert refused.returncode == 1
    assert "already exists" in refused.stderr
    assert existing.read_text() == "keep me"

    default = backup(live, "create")
    assert default.returncode == 0, default.stderr
    made = list((live.parent / "backups").glob("carertrack-*.sqlite3"))
    assert len(made) == 1, default.stdout
    assert table_rows(url_of(made[0])) == table_rows(url_of(live))


def test_a_database_without_migrations_is_not_backed_up(tmp_path: Path) -> None:
    bare = tmp_path / "bare.db"
    with sqlite3.connect(bare) as conn:
        conn.execute("CREATE TABLE things (id INTEGER)")
    conn.close()
    result = backup(bare, "create", str(tmp_path / "b.sqlite3"))
    assert result.returncode == 1
    assert "not a CarerTrack one made by its migrations" in result.stderr
    assert not (tmp_path / "b.sqlite3").exists()


def test_postgresql_is_refused_with_the_documented_commands() -> None:
    for args in (("create",), ("restore", "anything.sqlite3", "--yes")):
        result = backup("postgresql+psycopg://carertrack:hunter2-secret@127.0.0.1:1/carertrack", *args)
        assert result.returncode == 1
        assert "flask backup works with SQLite only, and this database is PostgreSQL" in result.stderr
        assert "docs/production.md" in result.stderr
        assert "pg_dump --format=custom --no-owner --file=carertrack.dump" in result.stderr
        assert "pg_restore --no-owner --exit-on-error --single-transaction" in result.stderr
        assert "hunter2-secret" not in result.stderr, "the password is never printed"
    docs = (Path(__file__).resolve().parents[2] / "docs" / "production.md").read_text()
    assert "pg_dump --format=custom --no-owner" in docs
    assert "pg_restore --no-owner --exit-on-error --single-transaction" in docs


def postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else Debian's newest /usr/lib/postgresql/*/bin (as .ci/run finds the server)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]), reverse=True)
    if not candidates:
        pytest.fail(f"{name} is needed to back up PostgreSQL and was not found (install postgresql-client)")
    return str(candidates[0])


def test_the_documented_backup_of_the_suites_database_keeps_every_record(demo_file: Path, tmp_path: Path) -> None:
    """On PostgreSQL, pg_dump and pg_restore as docs/production.md gives them; on SQLite, `flask backup
    create` and `flask backup restore` as real processes. Either way every record comes back."""
    if suite_uses_postgres():
        check_pg_dump_and_pg_restore(tmp_path)
    else:
        check_flask_backup_processes(demo_file, tmp_path)


def new_records_get_fresh_ids(database_url: str) -> None:
    """A new account is stored beside the restored ones (on PostgreSQL: the sequences came back too)."""
    flask(
        environment(database_url),
        *("users", "create", "--email", "after.restore@example.org", "--name", "After Restore"),
        *("--role", "viewer", "--password", "quiet-lantern-meadow-4817"),
    )


def check_flask_backup_processes(demo_file: Path, tmp_path: Path) -> None:
    live = tmp_path / "carertrack.db"
    shutil.copyfile(demo_file, live)
    before = table_rows(url_of(live))
    target = tmp_path / "carertrack-backup.sqlite3"
    created = backup_process(live, "create", str(target))
    assert created.returncode == 0, created.stderr
    live.unlink()
    restored = backup_process(live, "restore", str(target), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert f"Restored {target} into {live}" in restored.stdout
    assert table_rows(url_of(live)) == before, "every record of every table is back"
    new_records_get_fresh_ids(url_of(live))


def check_pg_dump_and_pg_restore(tmp_path: Path) -> None:
    dump = tmp_path / "carertrack.dump"
    with (
        scratch_database("backup_source", tmp_path) as source_url,
        scratch_database("backup_restored", tmp_path) as restored_url,
    ):
        env = environment(source_url, "development")
        flask(env, "db", "upgrade")
        flask(env, "seed", "demo")
        before = table_rows(source_url)
        assert all(before[table] for table in DEMO_TABLES)

        def libpq(url: str) -> str:
            return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

        # The commands docs/production.md gives, word for word apart from the names.
        subprocess.run(
            [postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", libpq(source_url)],
            check=True,
            timeout=300,
        )
        subprocess.run(
            [
                postgres_tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={libpq(restored_url)}",
                str(dump),
            ],
            check=True,
            timeout=300,
        )

        assert table_rows(restored_url) == before, "every record of every table is in the restored database"
        new_records_get_fresh_ids(restored_url)
