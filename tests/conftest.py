"""Fixtures shared by every test.

The database is chosen by TEST_DATABASE_URL (PostgreSQL in CI's second run) or is a throwaway SQLite
file. The schema is built once per run from the models (tests/integration/test_migrations.py proves
the migrations build the same schema, upgrade and downgrade); after each test every table is
emptied. Tests never keep an app context open around requests: use `with app.app_context():` for
set-up and assertions, or the `app_ctx` fixture in tests that make no requests.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

# Property-based tests are repeatable (the same examples every run, so CI cannot pass or fail by luck)
# and have no per-example time limit: speed is the benchmark's business, not a test's.
hypothesis_settings.register_profile("carertrack", derandomize=True, deadline=None, database=None)
hypothesis_settings.load_profile("carertrack")

_tmp = Path(tempfile.mkdtemp(prefix="carertrack-tests-"))
if not os.environ.get("TEST_DATABASE_URL"):
    os.environ["TEST_DATABASE_URL"] = f"sqlite:///{_tmp / 'test.db'}"
os.environ["CARERTRACK_CONFIG"] = "test"

from carertrack import create_app  # noqa: E402
from carertrack.extensions import db as _db  # noqa: E402
from carertrack.models.user import Role  # noqa: E402
from tests.factories import UserInfo, make_user  # noqa: E402
from tests.forms import submit  # noqa: E402


def is_postgres(app: Any) -> bool:
    """True when the suite runs against PostgreSQL."""
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def reset_schema(app: Any) -> None:
    """Drop everything in the test database so migrations start from empty."""
    with app.app_context():
        engine = _db.engine
        if is_postgres(app):
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            _db.session.remove()
            engine.dispose()
            path = Path(engine.url.database)
            if path.exists():
                path.unlink()


@pytest.fixture(scope="session")
def app() -> Iterator[Any]:
    """The application under test, its schema built from the models."""
    import carertrack.models  # noqa: F401 - every table

    application = create_app("test")
    reset_schema(application)
    with application.app_context():
        _db.create_all()
        _db.session.remove()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


def empty_tables(app: Any) -> None:
    """Empty every table (the schema stays)."""
    with app.app_context():
        _db.session.remove()
        tables = list(reversed(_db.metadata.sorted_tables))
        with _db.engine.begin() as conn:
            if is_postgres(app):
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _empty_tables(app: Any) -> Iterator[None]:
    """Each test starts with empty tables (the schema stays)."""
    yield
    empty_tables(app)


@pytest.fixture
def app_ctx(app: Any) -> Iterator[Any]:
    """An app context for tests that call services directly and make no requests."""
    with app.app_context():
        yield app
        _db.session.remove()


@pytest.fixture
def client(app: Any) -> Any:
    """A test client (cookies kept between requests)."""
    return app.test_client()


@pytest.fixture
def runner(app: Any) -> Any:
    """Runs `flask` commands against the test app."""
    return app.test_cli_runner()


def sign_in(client: Any, user: UserInfo) -> Any:
    """Sign in through the real form and return the response."""
    response = submit(client, "/sign-in", {"email": user.email, "password": user.password})
    assert response.status_code == 302, "sign-in failed"
    return response


@pytest.fixture
def signed_in_as(app: Any, client: Any):
    """signed_in_as(Role.MANAGER) creates a user with that role, signs the client in and returns the user."""

    def _sign_in(role: Role, **kwargs: Any) -> UserInfo:
        user = make_user(app, role, **kwargs)
        sign_in(client, user)
        return user

    return _sign_in


@pytest.fixture
def social_worker(signed_in_as: Any) -> UserInfo:
    return signed_in_as(Role.SOCIAL_WORKER)


@pytest.fixture
def manager(signed_in_as: Any) -> UserInfo:
    return signed_in_as(Role.MANAGER)


@pytest.fixture
def panel_admin(signed_in_as: Any) -> UserInfo:
    return signed_in_as(Role.PANEL_ADMIN)


@pytest.fixture
def admin(signed_in_as: Any) -> UserInfo:
    return signed_in_as(Role.ADMIN)


@pytest.fixture
def viewer(signed_in_as: Any) -> UserInfo:
    return signed_in_as(Role.VIEWER)
