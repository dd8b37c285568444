"""Returns as the operator sees them: a demo order shipped, a return registered in the warehouse, then the
cycle's wms_returns materialization, the drift page's returns section and the latency page's returns column
(real Dagster runs over both seeded sandboxes)."""

from __future__ import annotations

import dagster as dg

from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job


def test_a_return_shows_in_its_asset_and_on_the_drift_and_latency_pages(stack: Stack,
                                                                        instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 450, "WayBill": "WB-1"})
    assert run_job("report_shipped", instance).success
    line = next(o for o in stack.wms_admin.get("state")["orders"] if o["GoodsOwnerOrderNumber"] == "1")["Lines"][0]
    stack.wms_admin.post("orders/1/returns", {"ReturnOrderNumber": "RMA-1", "Lines": [
        {"ExternalOrderLineCode": line["ExternalOrderLineCode"], "ReturnedNumberOfItems": 1,
         "ReturnCauseName": "Damaged in transit"}]})
    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 800})  # the warehouse marks the order Returned

    assert run_job("sync_all", instance).success
    returns = materialization_metadata(instance, "wms_returns")
    assert (returns["return_orders"], returns["returned_items"]) == (1, "1")
    (row,) = returns["returns"]
    assert {k: row[k] for k in ("order", "return_order", "article", "returned", "cause", "erp_status")} == {
        "order": "1", "return_order": "RMA-1", "article": line["ArticleNumber"], "returned": "1",
        "cause": "Damaged in transit", "erp_status": "OrderState_Sent"}

    assert run_job("reconcile", instance).success
    drift = materialization_metadata(instance, "drift_report")
    assert drift["orders_with_returns"] == 1
    assert (drift["shipped_not_reported"], drift["erp_shipped_not_in_wms"]) == (0, 0), \
        "an order at 800 is a return, not a shipment"
    assert "**Returns in the warehouse** (not counted): 1 row(s) of 1 order(s)" in drift["drift"]
    assert "| 1 | OrderState\\_Sent | RMA-1 | Returned (200) |" in drift["drift"]
    assert "| Damaged in transit |" in drift["drift"]
    latency = materialization_metadata(instance, "order_latency")
    assert latency["orders_returned_last_24_hours"] == 1
    assert "| shipped → returned | 1 |" in latency["last_24_hours"]
    assert "shipped → returned p50 / p95 (orders)" in latency["by_day"]
