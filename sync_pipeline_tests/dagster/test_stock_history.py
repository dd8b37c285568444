"""Each stock cycle's frames and differences are kept (files, or the ledger's PostgreSQL), and a SKU's
balances can be looked up over time."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from sync_pipeline.cli import main
from sync_pipeline_tests.postgres import dagster_postgres_url
from sync_pipeline.stock.history import FILES_FOLDER, FileStockHistory, history_of
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job

SKU = "SKU-1002"


def two_cycles_with_a_changed_balance(stack: Stack, instance: dg.DagsterInstance) -> list[str]:
    """Two stock cycles (in sync_all): SKU-1002 at 10 in both systems, then 3 in the warehouse."""
    erp_before = next(p["Stock"] for p in stack.erp_admin.get("state")["products"] if p["No"] == SKU)
    wms_before = next(s["NumberOfItems"] for s in stack.wms_admin.get("state")["stock"] if s["ArticleNumber"] == SKU)
    assert (str(erp_before), str(wms_before)) == ("10", "10"), "the demo data this test counts on"
    first = run_job("sync_all", instance)
    assert first.success
    stack.wms_admin.post("stock", {"ArticleNumber": SKU, "NumberOfItems": 3})
    second = run_job("sync_all", instance)
    assert second.success
    return [first.run_id, second.run_id]


def assert_two_entries(history, run_ids: list[str]) -> None:
    history = history[history["run_id"].isin(run_ids)]
    assert list(history["run_id"]) == run_ids
    assert list(history["wms_quantity"]) == ["10", "3"]
    assert list(history["erp_quantity"]) == ["10", "10"]
    assert list(history["status"]) == ["unchanged", "changed"]
    assert list(history["product_id"]) == [2, 2]
    assert history["taken_at"].is_monotonic_increasing


def test_a_skus_balances_over_two_stock_cycles_are_kept_in_files(
        stack: Stack, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    run_ids = two_cycles_with_a_changed_balance(stack, instance)
    home = instance.root_directory
    assert len(list(Path(home, FILES_FOLDER).glob("*.csv"))) == 2, "one file per cycle"
    assert_two_entries(history_of(SKU, dagster_home=home), run_ids)

    monkeypatch.setenv("DAGSTER_HOME", home)
    assert main(["stock-history", SKU]) == 0
    lines = capsys.readouterr().out.splitlines()[2:]
    assert [[cell.strip() for cell in line.split("|")[2:6]] for line in lines] == [
        ["10", "10", "unchanged", "2"], ["3", "10", "changed", "2"]]


@pytest.mark.slow
def test_a_skus_balances_over_two_stock_cycles_are_kept_in_a_postgresql_table(
        stack: Stack, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch) -> None:
    if not os.environ.get("DAGSTER_PG_HOST"):
        pytest.skip("PostgreSQL not configured (DAGSTER_PG_*)")
    url = dagster_postgres_url()
    # The history's own variable: the ledger stays this test's own (the shared schema would hold other runs').
    monkeypatch.setenv("SYNC_STOCK_HISTORY_URL", url)
    run_ids = two_cycles_with_a_changed_balance(stack, instance)
    assert not list(Path(instance.root_directory, FILES_FOLDER).glob("*.csv"))
    assert_two_entries(history_of(SKU, database_url=url), run_ids)
    where = materialization_metadata(instance, "stock_snapshot")["stock_history"]
    assert "the table sync_ledger.stock_history on postgresql+psycopg2://" in where
    assert ":***@" in where, "the password masked"


def test_a_days_stock_resync_keeps_its_rows_too(stack: Stack, instance: dg.DagsterInstance) -> None:
    from sync_pipeline_tests.dagster.test_partitions import materialize

    day = datetime.now(timezone.utc).date().isoformat()
    assert run_job("push_orders", instance).success  # articles into the warehouse, no stock written yet
    first = materialize(instance, "stock_resync", day)
    stack.wms_admin.post("stock", {"ArticleNumber": SKU, "NumberOfItems": 4})
    second = materialize(instance, "stock_resync", day)
    assert first.success and second.success
    history = history_of(SKU, dagster_home=instance.root_directory)
    assert list(history["run_id"]) == [first.run_id, second.run_id]
    assert list(history["wms_quantity"]) == ["10", "4"]
    assert list(history["status"]) == ["unchanged", "changed"]


def test_cycles_older_than_the_kept_days_are_pruned_as_a_new_one_is_kept(
        stack: Stack, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_STOCK_HISTORY_DAYS", "2")
    files = FileStockHistory(Path(instance.root_directory, FILES_FOLDER))
    assert run_job("sync_all", instance).success
    [kept] = files.directory.glob("*.csv")
    old = files.latest()
    for days_ago in (3, 1):  # the same cycle, as if taken 3 and 1 days ago
        moved = old.assign(taken_at=old["taken_at"] - pd.Timedelta(days=days_ago), run_id=f"{days_ago}-days-ago")
        files.append(moved)

    second = run_job("sync_all", instance)
    assert second.success
    assert [run for run in history_of(SKU, dagster_home=instance.root_directory)["run_id"]] == [
        "1-days-ago", old["run_id"].iloc[0], second.run_id], "the cycle of 3 days ago is gone, the rest kept"
    event = instance.get_latest_materialization_event(dg.AssetKey("stock_snapshot"))
    assert event is not None
    assert event.asset_materialization.metadata["stock_history_cycles_pruned"].value == 1
    assert kept.exists()
    where = event.asset_materialization.metadata["stock_history"].value
    assert f"(2 days) in CSV files in {files.directory}." in where and "`sync-pipeline stock-history SKU-1002`" in where
