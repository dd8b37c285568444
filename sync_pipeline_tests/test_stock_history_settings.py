"""SYNC_STOCK_HISTORY_URL and SYNC_STOCK_HISTORY_DAYS: checked at load like the ledger's URL, and where the
stock cycles are kept follows from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_pipeline.ledger import sqlite_url
from sync_pipeline.stock.history import FileStockHistory, TableStockHistory, database_of, store_for
from sync_pipeline_tests.settings_environment import clear_settings, load, problems

POSTGRES = "postgresql+psycopg2://sync:s3cret-pw@db.example.com:5432/dagster"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clear_settings(monkeypatch, tmp_path)


def test_by_default_the_cycles_go_to_files_and_a_bit_over_a_year_is_kept(monkeypatch: pytest.MonkeyPatch,
                                                                         tmp_path: Path) -> None:
    settings = load(monkeypatch)
    assert settings.sync_stock_history_days == 400
    assert database_of(settings) is None
    store = store_for(database_of(settings), tmp_path)
    assert isinstance(store, FileStockHistory) and store.directory == tmp_path / "stock_history"


def test_the_ledgers_postgresql_keeps_them_unless_the_history_has_its_own_database(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert database_of(load(monkeypatch, SYNC_LEDGER_URL=POSTGRES)) == POSTGRES
    assert database_of(load(monkeypatch, SYNC_LEDGER_URL=sqlite_url(tmp_path / "l.sqlite"))) is None, \
        "a SQLite ledger is a single machine's: the files are as good"
    own = sqlite_url(tmp_path / "history.sqlite")
    settings = load(monkeypatch, SYNC_LEDGER_URL=POSTGRES, SYNC_STOCK_HISTORY_URL=f"  {own} ")
    assert database_of(settings) == own
    assert isinstance(store_for(database_of(settings), tmp_path), TableStockHistory)


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("SYNC_STOCK_HISTORY_URL", "mysql://u:s3cret-pw@db/x", "SYNC_STOCK_HISTORY_URL: the ledger runs on PostgreSQL or SQLite"),
    ("SYNC_STOCK_HISTORY_URL", "postgresql://u:s3cret-pw@db/x", "SYNC_STOCK_HISTORY_URL: PostgreSQL through psycopg2 only"),
    ("SYNC_STOCK_HISTORY_URL", "sqlite://", "SYNC_STOCK_HISTORY_URL: a SQLite ledger needs a file"),
    ("SYNC_STOCK_HISTORY_DAYS", "0", "SYNC_STOCK_HISTORY_DAYS: must be a whole number of days from 1 to 3660, got '0'"),
    ("SYNC_STOCK_HISTORY_DAYS", "3661", "SYNC_STOCK_HISTORY_DAYS: must be a whole number of days from 1 to 3660"),
    ("SYNC_STOCK_HISTORY_DAYS", "a year", "SYNC_STOCK_HISTORY_DAYS: must be a whole number of days"),
])
def test_each_wrong_value_gets_one_clear_line_without_the_password(monkeypatch: pytest.MonkeyPatch, name: str,
                                                                    value: str, expected: str) -> None:
    found = problems(monkeypatch, **{name: value})
    assert len(found) == 1 and expected in found[0], found
    assert "s3cret-pw" not in found[0]


def test_the_url_never_shows_in_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch, SYNC_STOCK_HISTORY_URL=POSTGRES, SYNC_STOCK_HISTORY_DAYS=" 30 ")
    assert "s3cret-pw" not in repr(settings) + str(settings)
    assert settings.sync_stock_history_days == 30
