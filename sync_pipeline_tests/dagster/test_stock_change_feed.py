"""SYNC_STOCK_CHANGE_FEED on, through Dagster: a scheduled stock cycle compares the articles the warehouse
changed and says so in its materialization; an operator's run still compares everything."""

from __future__ import annotations

from decimal import Decimal

import dagster as dg
import pytest

from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job

SKU = "SKU-1002"


def erp_stock(stack: Stack) -> dict[str, Decimal]:
    return {p["No"]: Decimal(str(p["Stock"])) for p in stack.erp_admin.get("state")["products"]}


def test_a_scheduled_cycle_compares_the_changed_articles_and_an_operators_run_everything(
        stack: Stack, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_STOCK_CHANGE_FEED", "on")
    assert run_job("sync_all", instance).success  # the demo's stock, all of it new in the feed
    first = materialization_metadata(instance, "stock_snapshot")
    assert first["stock_changes_read"] == first["stock_changes_reported"] > 0

    stack.wms_admin.post("stock", {"ArticleNumber": SKU, "NumberOfItems": 3})
    stack.erp_admin.post("products", [{"Id": 5, "Stock": "77"}])  # a change in the ERP alone
    assert run_job("sync_all", instance).success
    second = materialization_metadata(instance, "stock_snapshot")
    assert (second["stock_changes_read"], second["stock_changes_reported"]) == (1, 1)
    assert erp_stock(stack)[SKU] == 3 and erp_stock(stack)["SKU-1005"] == 77

    assert run_job("sync_all", instance, by_hand=True).success  # an operator's run: everything
    assert "stock_changes_read" not in materialization_metadata(instance, "stock_snapshot")
    assert erp_stock(stack)["SKU-1005"] == 25  # the warehouse's figure (5 x Id)
