"""Each stock cycle's frames and differences are kept (files, or the ledger's PostgreSQL), and a SKU's
balances can be looked up over time."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pytest

from sync_pipeline.ledger.engine import dagster_postgres_url
from sync_pipeline.stock.history import FILES_FOLDER, history_of
from sync_pipeline_tests.dagster.conftest import Stack, run_job

SKU = "SKU-1002"


def two_cycles_with_a_changed_balance(stack: Stack, instance: dg.DagsterInstance) -> tuple[str, list[str]]:
    erp_before = next(p["Stock"] for p in stack.erp_admin.get("state")["products"] if p["No"] == SKU)
    wms_before = next(s["NumberOfItems"] for s in stack.wms_admin.get("state")["stock"] if s["ArticleNumber"] == SKU)
    first = run_job("sync_all", instance)
    assert first.success
    stack.wms_admin.post("stock", {"ArticleNumber": SKU, "NumberOfItems": 3})
    second = run_job("sync_all", instance)
    assert second.success
    assert str(wms_before) == "10"
    return str(erp_before), [first.run_id, second.run_id]


def assert_two_entries(history, erp_before: str, run_ids: list[str]) -> None:
    history = history[history["run_id"].isin(run_ids)]
    assert list(history["run_id"]) == run_ids
    assert list(history["wms_quantity"]) == ["10", "3"]
    assert list(history["erp_quantity"]) == [None if erp_before in ("None", "") else erp_before, "10"]
    assert history["status"].iloc[1] == "changed"
    assert history["taken_at"].is_monotonic_increasing


def test_a_skus_balances_over_two_stock_cycles_are_kept_in_files(stack: Stack, instance: dg.DagsterInstance) -> None:
    erp_before, run_ids = two_cycles_with_a_changed_balance(stack, instance)
    home = instance.root_directory
    assert len(list(Path(home, FILES_FOLDER).glob("*.csv"))) == 2, "one file per cycle"
    assert_two_entries(history_of(SKU, dagster_home=home), erp_before, run_ids)


@pytest.mark.slow
def test_a_skus_balances_over_two_stock_cycles_are_kept_in_the_ledgers_postgresql(
        stack: Stack, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch) -> None:
    if not os.environ.get("DAGSTER_PG_HOST"):
        pytest.skip("PostgreSQL not configured (DAGSTER_PG_*)")
    url = dagster_postgres_url()
    monkeypatch.setenv("SYNC_LEDGER_URL", url)
    erp_before, run_ids = two_cycles_with_a_changed_balance(stack, instance)
    assert not list(Path(instance.root_directory, FILES_FOLDER).glob("*.csv"))
    assert_two_entries(history_of(SKU, ledger_url=url), erp_before, run_ids)
