"""Configuration: production refuses to start unsafely; development keeps one generated secret key."""

from __future__ import annotations

import stat

import pytest

import config
from config import ConfigurationError, normalise_database_url, resolve


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "CARERTRACK_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        (("SECRET_KEY", "DATABASE_URL"), "Production refuses to start without SECRET_KEY and DATABASE_URL set."),
        (("SECRET_KEY",), "Production refuses to start without SECRET_KEY set."),
        (("DATABASE_URL",), "Production refuses to start without DATABASE_URL set."),
    ],
)
def test_production_refuses_to_start_without_its_secrets(clean_env, tmp_path, missing, message):
    if "SECRET_KEY" not in missing:
        clean_env.setenv("SECRET_KEY", "a-real-secret")
    if "DATABASE_URL" not in missing:
        clean_env.setenv("DATABASE_URL", "postgresql://db.internal/carertrack")
    with pytest.raises(ConfigurationError) as raised:
        resolve("production", tmp_path)
    assert str(raised.value) == message
    assert not (tmp_path / "secret_key").exists(), "production never generates a key"


def test_production_reads_the_environment_and_hardens_cookies(clean_env, tmp_path):
    clean_env.setenv("SECRET_KEY", "a-real-secret")
    clean_env.setenv("DATABASE_URL", "postgres://db.internal/carertrack")
    values = resolve("production", tmp_path)
    assert values["SECRET_KEY"] == "a-real-secret"
    assert values["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db.internal/carertrack"
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["REMEMBER_COOKIE_SECURE"] is True
    assert values["HSTS"] is True
    assert values["DEMO_DATA_ALLOWED"] is False
    assert values["PASSWORD_HASH_METHOD"] == "scrypt"


def test_development_generates_a_secret_key_once_and_reuses_it(clean_env, tmp_path):
    instance = tmp_path / "instance"
    first = resolve("development", instance)
    key_file = instance / "secret_key"
    assert key_file.exists()
    assert len(first["SECRET_KEY"]) >= 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = resolve("development", instance)
    assert second["SECRET_KEY"] == first["SECRET_KEY"]
    assert resolve("development", tmp_path / "elsewhere")["SECRET_KEY"] != first["SECRET_KEY"]


def test_development_defaults_to_sqlite_in_the_instance_folder(clean_env, tmp_path):
    values = resolve("development", tmp_path)
    assert values["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'carertrack.db'}"
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["HSTS"] is False


def test_environment_overrides_development_defaults(clean_env, tmp_path):
    clean_env.setenv("SECRET_KEY", "from-the-environment")
    clean_env.setenv("DATABASE_URL", "postgresql://localhost/dev")
    values = resolve("development", tmp_path)
    assert values["SECRET_KEY"] == "from-the-environment"
    assert values["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://localhost/dev"
    assert not (tmp_path / "secret_key").exists()


def test_carertrack_config_chooses_the_configuration(clean_env, tmp_path):
    clean_env.setenv("CARERTRACK_CONFIG", "production")
    with pytest.raises(ConfigurationError):
        resolve(None, tmp_path)
    clean_env.setenv("CARERTRACK_CONFIG", "staging")
    with pytest.raises(ConfigurationError, match="CARERTRACK_CONFIG must be one of development, test, production"):
        resolve(None, tmp_path)


def test_every_configuration_keeps_cookies_http_only_and_same_site_lax(clean_env, tmp_path):
    for name in config.CONFIGS:
        cls = config.CONFIGS[name]
        assert cls.SESSION_COOKIE_HTTPONLY is True
        assert cls.SESSION_COOKIE_SAMESITE == "Lax"
        assert cls.REMEMBER_COOKIE_HTTPONLY is True


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_use_the_installed_driver(url, expected):
    assert normalise_database_url(url) == expected


def test_postgresql_connections_turn_jit_off_and_keep_other_engine_options(clean_env, tmp_path):
    clean_env.setenv("DATABASE_URL", "postgresql://db.internal/carertrack")
    values = resolve("development", tmp_path)
    options = values["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"] == {"options": "-c jit=off"}
    assert options["pool_pre_ping"] is True
    assert "connect_args" not in config.Config.SQLALCHEMY_ENGINE_OPTIONS, "the class default is not mutated"


def test_sqlite_gets_no_postgresql_options(clean_env, tmp_path):
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert "connect_args" not in resolve("development", tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]
