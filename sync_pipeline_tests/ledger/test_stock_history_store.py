"""The stock history's stores (files; the ledger's table on SQLite and PostgreSQL): cycles appended, a SKU
looked up over time, where each difference stands, and cycles pruned by age."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pandas as pd
import pytest

from sync_pipeline.ledger import sqlite_url
from sync_pipeline.ledger.migrations import version
from sync_pipeline.stock.history import COLUMNS, FileStockHistory, Standing, StockHistoryStore, TableStockHistory
from sync_pipeline_tests.ledger.conftest import Store

START = datetime(2026, 3, 1, 6, 0, tzinfo=timezone.utc)
CYCLE = timedelta(minutes=15)


@pytest.fixture(params=["files", "sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def history(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StockHistoryStore]:
    if request.param == "files":
        yield FileStockHistory(tmp_path / "stock_history")
        return
    if request.param == "sqlite":
        table = TableStockHistory(sqlite_url(tmp_path / "ledger.sqlite"))
    else:
        table = TableStockHistory(request.getfixturevalue("postgres_url"),
                                  schema=request.getfixturevalue("postgres_schemas")())
    yield table
    table.engine.dispose()


def cycle(number: int, figures: dict[str, tuple[str | None, str | None, str]]) -> pd.DataFrame:
    """Cycle `number` (15 minutes apart): article -> (WMS, ERP, status)."""
    rows = [{"taken_at": pd.Timestamp(START + number * CYCLE), "run_id": f"run-{number}", "basis": "physical",
             "article_number": article, "product_id": index + 1, "product_code": str(index + 1),
             "wms_quantity": wms, "erp_quantity": erp, "status": status, "error": None}
            for index, (article, (wms, erp, status)) in enumerate(sorted(figures.items()))]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def keep(history: StockHistoryStore) -> None:
    history.append(cycle(0, {"SKU-A": ("10", "10", "unchanged"), "SKU-B": ("5", "4", "changed")}))
    history.append(cycle(1, {"SKU-A": ("7", "10", "changed"), "SKU-B": ("5", "5", "unchanged")}))
    history.append(cycle(2, {"SKU-A": ("7.5", "10", "changed"), "SKU-B": ("6", "5", "changed"),
                             "SKU-C": ("1", None, "only_in_wms")}))


def test_a_skus_balances_over_time_oldest_first(history: StockHistoryStore) -> None:
    keep(history)
    found = history.history_of("SKU-A")
    assert list(found["run_id"]) == ["run-0", "run-1", "run-2"]
    assert list(found["wms_quantity"]) == ["10", "7", "7.5"]
    assert list(found["erp_quantity"]) == ["10", "10", "10"]
    assert list(found["status"]) == ["unchanged", "changed", "changed"]
    assert list(history.latest()["article_number"]) == ["SKU-A", "SKU-B", "SKU-C"]


def test_a_difference_stands_since_the_first_cycle_of_its_unbroken_run(history: StockHistoryStore) -> None:
    keep(history)
    assert history.standings(["SKU-A", "SKU-B", "SKU-C", "SKU-NEVER"]) == {
        # differed in cycles 1 and 2: since cycle 1, though the figure moved
        "SKU-A": Standing("SKU-A", START + 2 * CYCLE, "7.5", "10", "changed", START + CYCLE),
        # differed in cycle 0, agreed in 1, differs again in 2: a fresh difference
        "SKU-B": Standing("SKU-B", START + 2 * CYCLE, "6", "5", "changed", START + 2 * CYCLE),
        "SKU-C": Standing("SKU-C", START + 2 * CYCLE, "1", None, "only_in_wms", None),
    }


def test_cycles_older_than_the_kept_window_are_pruned(history: StockHistoryStore) -> None:
    keep(history)
    assert history.prune(before=START + CYCLE) == 1
    assert history.prune(before=START + CYCLE) == 0
    assert list(history.history_of("SKU-B")["run_id"]) == ["run-1", "run-2"]
    assert list(history.history_of("SKU-A")["run_id"]) == ["run-1", "run-2"]


def test_the_table_is_made_by_the_ledgers_migrations(tmp_path: Path) -> None:
    table = TableStockHistory(sqlite_url(tmp_path / "ledger.sqlite"))
    assert version(table.engine) == 0
    table.append(cycle(0, {"SKU-A": ("1", "1", "unchanged")}))
    from sync_pipeline.ledger import SCHEMA_VERSION

    assert version(table.engine) == SCHEMA_VERSION, "the history's database is a ledger at the latest revision"
    table.engine.dispose()


def test_a_table_made_before_its_revision_is_adopted_with_its_rows(store: Store) -> None:
    """The stock history's first release created its table on first use; revision 0005 keeps that table."""
    import sqlalchemy as sa

    from sync_pipeline.ledger import SCHEMA_VERSION, migrate

    engine = store.engine()
    assert migrate(engine, target=4) == 4
    before = sa.MetaData()
    first_release = sa.Table(
        "stock_history", before,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False), sa.Column("run_id", sa.Text, nullable=False),
        sa.Column("basis", sa.Text), sa.Column("article_number", sa.Text, nullable=False),
        sa.Column("product_id", sa.BigInteger), sa.Column("product_code", sa.Text),
        sa.Column("wms_quantity", sa.Numeric(38, 6)), sa.Column("erp_quantity", sa.Numeric(38, 6)),
        sa.Column("status", sa.Text, nullable=False), sa.Column("error", sa.Text))
    sa.Index("ix_stock_history_article_time", first_release.c.article_number, first_release.c.taken_at)
    with engine.begin() as connection:
        before.create_all(connection)
        connection.execute(first_release.insert(), [{"taken_at": START, "run_id": "run-0", "article_number": "SKU-A",
                                                     "wms_quantity": 3, "erp_quantity": 4, "status": "changed"}])

    assert migrate(engine) == SCHEMA_VERSION
    history = TableStockHistory(store.url, schema=store.schema)
    assert list(history.history_of("SKU-A")["wms_quantity"]) == ["3"]
    with engine.connect() as connection:
        indexes = {i["name"] for i in sa.inspect(connection).get_indexes(
            "stock_history", schema=None if store.backend == "sqlite" else store.schema)}
    assert indexes == {"ix_stock_history_article_time", "ix_stock_history_taken_at"}
    history.engine.dispose()
