"""Configuration for CarerTrack, read from environment variables.

Choose a configuration with CARERTRACK_CONFIG (development, test or production; default
development). Local-practice figures (lead times, targets, lock-out limits) are not here: they are
settings that admins change on the Settings page (see carertrack/settings.py).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at the psycopg 3 driver, the only PostgreSQL driver installed."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Settings shared by every environment."""

    NAME = "base"
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY: str | None = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 3600 * 8
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a hashing method, not a password (n=2**15)  # nosec B105
    HSTS = False
    DEMO_DATA_ALLOWED = True
    ORGANISATION_NAME = os.environ.get("CARERTRACK_ORGANISATION", "Fostering service")
    SERVER_BASE_URL = os.environ.get("CARERTRACK_BASE_URL", "http://127.0.0.1:5000")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "carertrack@localhost")
    # The benchmark's per-response SQL timing headers (carertrack/sql_timing.py); off unless asked for.
    SQL_TIMING = _bool("CARERTRACK_SQL_TIMING")


class DevelopmentConfig(Config):
    """Local development: SQLite in the instance folder unless DATABASE_URL says otherwise."""

    NAME = "development"
    DEBUG = False


class TestConfig(Config):
    """The test suite: a database chosen by TEST_DATABASE_URL, or a throwaway SQLite file."""

    NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 - test-only constant  # nosec B105
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105 - still scrypt, cheap for test sign-ins  # nosec B105


class ProductionConfig(Config):
    """Production: refuses to start without SECRET_KEY and DATABASE_URL."""

    NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    DEMO_DATA_ALLOWED = False


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


class ConfigurationError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def resolve(config: str | type[Config] | None, instance_path: Path) -> dict:
    """Return the configuration mapping for create_app, reading the environment now."""
    if config is None:
        config = os.environ.get("CARERTRACK_CONFIG", "development")
    if isinstance(config, str):
        try:
            config = CONFIGS[config]
        except KeyError as exc:
            raise ConfigurationError(f"CARERTRACK_CONFIG must be one of {', '.join(CONFIGS)}, not {config!r}") from exc
    values = {key: getattr(config, key) for key in dir(config) if key.isupper()}

    database_url = os.environ.get("DATABASE_URL")
    secret_key = os.environ.get("SECRET_KEY")
    if config is ProductionConfig:
        missing = [n for n, v in (("SECRET_KEY", secret_key), ("DATABASE_URL", database_url)) if not v]
        if missing:
            raise ConfigurationError("Production refuses to start without " + " and ".join(missing) + " set.")
    if config is TestConfig:
        database_url = os.environ.get("TEST_DATABASE_URL") or values.get("SQLALCHEMY_DATABASE_URI")
    if database_url:
        values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(database_url)
    elif not values.get("SQLALCHEMY_DATABASE_URI"):
        instance_path.mkdir(parents=True, exist_ok=True)
        values["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_path / 'carertrack.db'}"
    if values["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        values["SQLALCHEMY_ENGINE_OPTIONS"] = postgresql_engine_options(values.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    if secret_key:
        values["SECRET_KEY"] = secret_key
    elif not values.get("SECRET_KEY"):
        values["SECRET_KEY"] = _instance_secret_key(instance_path)
    return values


def postgresql_engine_options(options: dict) -> dict:
    """The engine options with PostgreSQL's JIT compiler off for every connection.

    The pages and reminders aggregate over whole tables in short statements; at national size the
    planner's cost estimates cross jit_above_cost and PostgreSQL spends 2 to 10 s compiling queries
    that run in a few hundred ms (docs/performance.md). JIT helps long analytical queries, not these.
    """
    connect_args = dict(options.get("connect_args", {}))
    connect_args["options"] = (connect_args.get("options", "") + " -c jit=off").strip()
    return {**options, "connect_args": connect_args}


def _instance_secret_key(instance_path: Path) -> str:
    """Generate a development secret key once and keep it in the instance folder."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
