"""Where the ledger lives: SYNC_LEDGER_URL, else a SQLite file under DAGSTER_HOME; never a password shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import make_url

from sync_pipeline.ledger import Ledger, LedgerError, check_url, resolve_url
from sync_pipeline_tests.postgres import dagster_postgres_url
from sync_pipeline.settings import Settings, SettingsError
from sync_pipeline_tests.settings_environment import clear_settings, set_required

PG_URL = "postgresql+psycopg2://ledger:S3cret-Ledger-pw@db.internal:5432/dagster"


def test_default_is_a_sqlite_file_under_dagster_home(tmp_path: Path):
    url = resolve_url(None, {"DAGSTER_HOME": str(tmp_path / "home")})
    assert make_url(url).database == str(tmp_path / "home" / "sync_ledger.sqlite")
    with Ledger(url) as ledger:  # the folder is created on first use
        ledger.mark("order", "1", "pending")
    assert (tmp_path / "home" / "sync_ledger.sqlite").is_file()


def test_a_configured_url_wins(tmp_path: Path):
    environ = {"DAGSTER_HOME": str(tmp_path), "SYNC_LEDGER_URL": PG_URL}
    assert resolve_url(None, environ) == PG_URL
    assert resolve_url(SecretStr(f"sqlite:///{tmp_path}/other.sqlite"), environ) == f"sqlite:///{tmp_path}/other.sqlite"


def test_no_home_and_no_url_is_a_clear_error():
    with pytest.raises(LedgerError, match="SYNC_LEDGER_URL.*DAGSTER_HOME"):
        resolve_url(None, {})


@pytest.mark.parametrize("url, reason", [
    ("mysql+pymysql://ledger:S3cret-Ledger-pw@db/x", "PostgreSQL or SQLite"),
    ("postgresql+asyncpg://ledger:S3cret-Ledger-pw@db/x", "psycopg2"),
    ("postgresql+psycopg2://ledger:S3cret-Ledger-pw@/x", "host and the database"),
    ("sqlite://", "needs a file"),
    ("sqlite:///:memory:", "needs a file"),
    ("not a url at all", "database URL like"),
])
def test_unusable_urls_are_refused_without_showing_the_password(url, reason):
    with pytest.raises(LedgerError, match=reason) as refused:
        check_url(url)
    assert "S3cret-Ledger-pw" not in str(refused.value)


def test_dagster_postgres_url_quotes_what_needs_quoting():
    url = dagster_postgres_url({"DAGSTER_PG_HOST": "db", "DAGSTER_PG_USER": "u", "DAGSTER_PG_PASSWORD": "p@ss:/w",
                                "DAGSTER_PG_DB": "dagster"})
    parsed = make_url(url)
    assert (parsed.host, parsed.port, parsed.username, parsed.password, parsed.database) == (
        "db", 5432, "u", "p@ss:/w", "dagster")
    with pytest.raises(LedgerError, match="DAGSTER_PG_PASSWORD"):
        dagster_postgres_url({"DAGSTER_PG_HOST": "db", "DAGSTER_PG_USER": "u", "DAGSTER_PG_DB": "dagster"})


@pytest.fixture
def environment(monkeypatch, tmp_path):
    clear_settings(monkeypatch, tmp_path)
    set_required(monkeypatch)
    return monkeypatch


def test_setting_is_optional_and_secret(environment):
    assert Settings.load().sync_ledger_url is None
    environment.setenv("SYNC_LEDGER_URL", PG_URL)
    settings = Settings.load()
    assert settings.sync_ledger_url.get_secret_value() == PG_URL
    assert "S3cret-Ledger-pw" not in repr(settings) and "S3cret-Ledger-pw" not in str(settings)
    assert resolve_url(settings.sync_ledger_url, {}) == PG_URL


def test_a_wrong_setting_gets_its_own_line_without_the_password(environment):
    environment.setenv("SYNC_LEDGER_URL", "mysql+pymysql://ledger:S3cret-Ledger-pw@db/x")
    with pytest.raises(SettingsError) as refused:
        Settings.load()
    [line] = refused.value.problems
    assert line.startswith("SYNC_LEDGER_URL: ") and "PostgreSQL or SQLite" in line
    assert "S3cret-Ledger-pw" not in str(refused.value)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_ledger_can_run_on_an_engine_the_caller_made(backend, tmp_path, request):
    from sqlalchemy import create_engine, inspect

    if backend == "sqlite":
        url, schema = f"sqlite:///{tmp_path}/given.sqlite", None
    else:
        url, schema = request.getfixturevalue("postgres_url"), request.getfixturevalue("postgres_schemas")()
    engine = create_engine(url)
    with Ledger(engine, schema=schema or "sync_ledger") as ledger:
        assert ledger.claim("order", ["1"], "run-1") == {"1"}
        assert ledger.mark("order", "1", "reported")
    with engine.connect() as connection:  # the caller's engine stays open, the tables where they belong
        assert "entries" in inspect(connection).get_table_names(schema=schema)
    engine.dispose()
