"""The four processes end to end: Dagster jobs over the seeded sandboxes, through real HTTP."""

from __future__ import annotations

from decimal import Decimal

import dagster as dg
import pytest

from sync_pipeline.settings import load_settings
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job

CONFIRMED_DEMO_ORDERS = {"1", "2", "3", "4", "5", "6", "7", "10"}


def erp_state(stack: Stack) -> dict:
    return stack.erp_admin.get("state")


def wms_orders(stack: Stack) -> dict[str, object]:
    client = load_settings().wms_connection()
    from sync_pipeline.wms import WmsClient

    return {o.GoodsOwnerOrderNumber: o for o in WmsClient(client).orders()}


def calls(admin, operation: str) -> int:
    return admin.get("calls")["counts"].get(operation, 0)


def test_sync_all_moves_articles_orders_and_stock(stack: Stack, instance: dg.DagsterInstance) -> None:
    before = {p["No"]: Decimal(p["Stock"]) for p in erp_state(stack)["products"]}
    wms_stock = {s["ArticleNumber"]: Decimal(s["NumberOfItems"]) for s in stack.wms_admin.get("state")["stock"]}
    differing = {no for no, qty in wms_stock.items() if before.get(no) != qty}
    assert differing, "the demo data has stock differences to sync"

    result = run_job("sync_all", instance)
    assert result.success

    articles = {a["ArticleNumber"] for a in stack.wms_admin.get("state")["articles"]}
    assert articles == set(before), "every ERP product became a WMS article"
    assert set(wms_orders(stack)) == CONFIRMED_DEMO_ORDERS, "only Confirmed orders reach the warehouse"
    after = {p["No"]: Decimal(p["Stock"]) for p in erp_state(stack)["products"]}
    assert {no: after[no] for no in wms_stock} == wms_stock, "ERP stock now equals the warehouse's"
    assert calls(stack.erp_admin, "SetStockQuantity") == len(differing), "only differing balances written"

    metadata = materialization_metadata(instance, "wms_articles")
    assert (metadata["created"], metadata["failed"]) == (len(before), 0)
    assert materialization_metadata(instance, "wms_orders")["created"] == len(CONFIRMED_DEMO_ORDERS)
    assert materialization_metadata(instance, "stock_snapshot")["updated"] == len(differing)


def test_second_cycle_writes_nothing_new(stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    stack.erp_admin.post("calls/reset")
    stack.wms_admin.post("calls/reset")
    assert run_job("sync_all", instance).success
    assert calls(stack.erp_admin, "SetStockQuantity") == 0
    assert calls(stack.wms_admin, "ProcessOrder") == 0, "no order changed, none is pushed again"


def test_shipped_order_becomes_sent_exactly_once(stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 450, "WayBill": "TRACK-1"})
    assert run_job("report_shipped", instance).success
    orders = {o["OrderId"]: o for o in erp_state(stack)["orders"]}
    assert orders[1]["OrderStatus"] == "OrderState_Sent"
    assert orders[2]["OrderStatus"] == "Confirmed", "unshipped orders keep their status"
    saves = calls(stack.erp_admin, "SaveInvoices")
    assert run_job("report_shipped", instance).success
    assert run_job("sync_all", instance).success
    assert calls(stack.erp_admin, "SaveInvoices") == saves, "Sent is reported once"


def test_a_refused_article_does_not_stop_the_others(stack: Stack, instance: dg.DagsterInstance) -> None:
    stack.erp_admin.post("products", [{"Id": 99, "No": "SKU-LONG", "Name": "x" * 120}])
    result = run_job("sync_all", instance)
    assert result.success
    metadata = materialization_metadata(instance, "wms_articles")
    assert metadata["failed"] == 1 and metadata["created"] == 24
    assert "SKU-LONG" in metadata["failures"]
    checks = [e for e in result.get_asset_check_evaluations() if e.asset_key == dg.AssetKey("wms_articles")]
    assert checks and not checks[0].passed


@pytest.mark.parametrize("switch, asset, operation", [
    ("SYNC_STOCK", "stock_snapshot", "SetStockQuantity"),
    ("SYNC_ORDERS", "wms_orders", "GetInvoices"),
])
def test_a_process_switched_off_does_not_run(stack: Stack, instance: dg.DagsterInstance,
                                             monkeypatch: pytest.MonkeyPatch, switch, asset, operation) -> None:
    monkeypatch.setenv(switch, "off")
    assert run_job("sync_all", instance).success
    assert instance.get_latest_materialization_event(dg.AssetKey(asset)) is None
    assert calls(stack.erp_admin, operation) == 0


def test_imported_status_option_sets_the_erp_status(stack: Stack, instance: dg.DagsterInstance,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_IMPORTED_ERP_STATUS", "Pack")
    assert run_job("sync_all", instance).success
    statuses = {o["OrderId"]: o["OrderStatus"] for o in erp_state(stack)["orders"]}
    assert {statuses[int(n)] for n in CONFIRMED_DEMO_ORDERS} == {"Pack"}
    assert statuses[8] == "Offer"
