"""The Alembic migrations: one head, upgrade from empty, no drift from the models, downgrade to base and back.

They run against a separate database so the suite's own schema (built by create_all) is untouched:
a temporary SQLite file, or `<name>_migrations` beside the PostgreSQL test database when
TEST_DATABASE_URL points at PostgreSQL (created and dropped here through an AUTOCOMMIT connection).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from carertrack import ROOT, create_app
from carertrack.extensions import db
from carertrack.models.dialect_ddl import include_object_for
from tests.processes import scratch_database

MIGRATIONS = ROOT / "migrations"


def script_directory() -> ScriptDirectory:
    """The migration scripts as Alembic sees them."""
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


@pytest.fixture
def _keep_logging() -> Iterator[None]:
    """Alembic's env.py runs logging.config.fileConfig, which disables every existing logger and replaces
    the root handlers; put them back so later tests' log capture still works."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    loggers = {name: (lg.disabled, lg.level) for name, lg in logging.Logger.manager.loggerDict.items()
               if isinstance(lg, logging.Logger)}  # fmt: skip
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, (disabled, lvl) in loggers.items():
        lg = logging.getLogger(name)
        lg.disabled, lg.level = disabled, lvl


@pytest.fixture
def migrations_url(tmp_path: Path) -> Iterator[str]:
    """An empty database just for this test, removed afterwards."""
    with scratch_database("migrations", tmp_path) as url:
        yield url


@pytest.fixture
def migrations_app(migrations_url: str, monkeypatch: pytest.MonkeyPatch, _keep_logging: None) -> Iterator[Any]:
    """A second application bound to the separate database."""
    import carertrack.models  # noqa: F401 - every model is on the metadata before comparing

    monkeypatch.setenv("TEST_DATABASE_URL", migrations_url)
    application = create_app("test")
    assert application.config["SQLALCHEMY_DATABASE_URI"] == migrations_url
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def flask_db(application: Any, *args: str) -> None:
    """Run `flask db ...` against the application and fail with its output if it does not succeed."""
    result = application.test_cli_runner().invoke(args=["db", *args])
    if result.exit_code != 0 or result.exception is not None:
        raise AssertionError(f"flask db {' '.join(args)} failed ({result.exit_code}):\n{result.output}") from (
            result.exception
        )


def schema_objects(application: Any) -> dict[str, list[str]]:
    """Tables, sequences and enum types left in the database."""
    with application.app_context():
        inspector = inspect(db.engine)
        found = {"tables": sorted(inspector.get_table_names())}
        if db.engine.dialect.name == "postgresql":
            found["sequences"] = sorted(inspector.get_sequence_names())
            with db.engine.connect() as conn:
                found["enum types"] = sorted(
                    conn.scalars(
                        text(
                            "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                            "WHERE n.nspname = 'public' AND t.typtype = 'e'"
                        )
                    )
                )
        return found


def describe(difference: Any) -> str:
    """A one-line account of an Alembic difference (its raw repr spells out whole tables)."""
    if isinstance(difference, list):
        return "; ".join(describe(item) for item in difference)
    operation, *details = difference
    words = []
    for item in details:
        if getattr(item, "table", None) is not None and getattr(item, "name", None):
            words.append(f"{item.table.name}.{item.name}")
        elif getattr(item, "name", None):
            words.append(str(item.name))
        elif item is not None and not isinstance(item, dict):
            words.append(str(item)[:60])
    return f"{operation}: {' '.join(words)}"


def current_revision(application: Any) -> str | None:
    """The revision stamped in the database."""
    with application.app_context(), db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_exactly_one_head() -> None:
    heads = script_directory().get_heads()
    assert len(heads) == 1, f"the migrations have {len(heads)} heads: {heads}; merge them"


# Alembic cannot reflect SQLite's expression indexes and warns before include_object leaves the
# PostgreSQL-only trigram index on the postcode expression out of the comparison anyway.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_upgrade_from_empty_matches_the_models(migrations_app: Any) -> None:
    flask_db(migrations_app, "upgrade")
    assert current_revision(migrations_app) == script_directory().get_current_head()
    with migrations_app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": False,
                "include_object": include_object_for(conn.dialect.name),
            },
        )
        differences = compare_metadata(context, db.metadata)
    if differences:
        pytest.fail(
            "The models and the migrations differ; generate a migration (flask db migrate) for:\n"
            + "\n".join(f"  {describe(difference)}" for difference in differences),
            pytrace=False,
        )
    tables = schema_objects(migrations_app)["tables"]
    assert set(db.metadata.tables) <= set(tables)


def test_downgrade_to_base_and_upgrade_again(migrations_app: Any) -> None:
    flask_db(migrations_app, "upgrade")
    upgraded = schema_objects(migrations_app)
    flask_db(migrations_app, "downgrade", "base")
    left = schema_objects(migrations_app)
    assert left["tables"] == ["alembic_version"], f"downgrade to base left tables behind: {left['tables']}"
    assert not left.get("sequences"), f"downgrade to base left sequences behind: {left['sequences']}"
    assert not left.get("enum types"), f"downgrade to base left enum types behind: {left['enum types']}"
    assert current_revision(migrations_app) is None

    flask_db(migrations_app, "upgrade")
    assert current_revision(migrations_app) == script_directory().get_current_head()
    assert schema_objects(migrations_app) == upgraded
