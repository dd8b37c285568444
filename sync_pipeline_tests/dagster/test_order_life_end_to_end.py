"""The whole life of an order, every branch in one deployment, as a Norwegian merchant meets it: real Dagster
runs over both seeded sandboxes (real HTTP), the outcomes read where an operator reads them (the assets'
materializations) and the alerts that arrive at a local webhook (the check-failure sensor, ticked as the
daemon does).

Demo orders 3 and 5 go to Sweden (outside SYNC_CUSTOMS_AREA=NO) and their articles lack a customs value;
order 41 has a freight row; order 1 ships in two parcels, picked short, and comes back; order 2 is
cancelled in the ERP before picking, order 4 after.
"""

from __future__ import annotations

import dagster as dg
import pytest

from sync_pipeline_tests.dagster.conftest import Sensors, Stack, Webhook, materialization_metadata
from sync_pipeline_tests.dagster.test_customs_hold_alerts import PRICE, retries_due

EXPORTS = {"3", "5"}


def wms_orders(stack: Stack) -> dict[str, dict]:
    return {o["GoodsOwnerOrderNumber"]: o for o in stack.wms_admin.get("state")["orders"]}


def erp_orders(stack: Stack) -> dict[int, dict]:
    return {o["OrderId"]: o for o in stack.erp_admin.get("state")["orders"]}


def alerts_about(webhook: Webhook, asset: str) -> list[str]:
    return [posted["json"]["text"] for posted in webhook.received if f"{asset}:" in posted["json"]["text"]]


@pytest.fixture
def merchant(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Stack:
    monkeypatch.setenv("SYNC_CUSTOMS_AREA", "NO")
    monkeypatch.setenv("SYNC_FREIGHT_ROW_PATTERN", "^frakt")
    monkeypatch.setenv("SYNC_RETRY_BASE_SECONDS", "1")
    monkeypatch.setenv("SYNC_RETRY_MAX_SECONDS", "1")
    stack.erp_admin.post("orders", [{
        "OrderId": 41, "OrderStatus": "Confirmed", "CustomerId": 1, "InvoiceRows": [
            {"ProductId": 1, "RowId": 1, "Quantity": "2"},
            {"RowId": 2, "Name": "Frakt Posten", "Quantity": "1", "Price": "99"}]}])
    return stack


def test_every_branch_of_an_orders_life_is_shown_and_alerted_once(merchant: Stack, webhook: Webhook,
                                                                  instance: dg.DagsterInstance,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    stack = merchant
    sensors = Sensors(instance, "alert_on_check_failure")

    # A cycle: the domestic orders go, the freight row is left out and names the way of delivery, the
    # export orders are held for customs naming what each article lacks.
    assert sensors.run("sync_all").success
    sensors.tick()
    pushed = materialization_metadata(instance, "wms_orders")
    assert [row["Name"] for row in pushed["rows_left_out"]["41"]] == ["Frakt Posten"]
    assert pushed["way_of_delivery_from_freight_row"] == {"41": "Frakt Posten"}
    assert {hold["order"] for hold in pushed["customs_held"]} == EXPORTS
    in_warehouse = wms_orders(stack)
    assert not EXPORTS & in_warehouse.keys() and {"1", "2", "4", "41"} <= in_warehouse.keys()
    assert [line["ExternalOrderLineCode"] for line in in_warehouse["41"]["Lines"]] == ["1"]
    (customs_alert,) = alerts_about(webhook, "wms_orders")
    assert "held for customs (delivery to SE, outside the customs area)" in customs_alert

    # Order 1 ships in two parcels, row 2 picked short: tracking and delivered quantities reach the ERP.
    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 450, "WayBill": "WB-1", "Parcels": ["WB-2"],
                                             "Picked": {"2": 1}})
    assert sensors.run("report_shipped").success
    sensors.tick()
    shipped = materialization_metadata(instance, "erp_shipped_orders")
    assert shipped["shipments"]["1"]["waybills"] == ["WB-1", "WB-2"]
    assert shipped["short_shipments"]["1"][0]["short"] == "1"
    order_1 = erp_orders(stack)[1]
    assert order_1["OrderStatus"] == "OrderState_Sent" and "Tracking: WB-1, WB-2" in order_1["InvoiceText"]
    assert [row["QuantityDelivered"] for row in order_1["InvoiceRows"]] == ["4", "1", "1"]
    (short_alert,) = alerts_about(webhook, "erp_shipped_orders")
    assert "shipped short" in short_alert

    # Order 2 is taken back in the ERP before picking, order 4 after picking started.
    stack.wms_admin.post("orders/4/status", {"OrderStatusNumber": 320})
    stack.erp_admin.post("orders", [{"OrderId": 2, "OrderStatus": "Offer"}, {"OrderId": 4, "OrderStatus": "Draft"}])
    # Order 1 comes back: the warehouse registers a return of one item of row 1 and marks the order Returned.
    stack.wms_admin.post("orders/1/returns", {"ReturnOrderNumber": "RMA-1", "Lines": [
        {"ExternalOrderLineCode": "1", "ReturnedNumberOfItems": 1, "ReturnCauseName": "Wrong size"}]})
    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 800})
    assert sensors.run("sync_all").success
    sensors.tick()
    cancellations = materialization_metadata(instance, "order_cancellations")
    assert set(cancellations["removed_from_warehouse"]) == {"2"}
    assert "too late to cancel: ship or intercept" in cancellations["failures"]
    assert {n: wms_orders(stack)[n]["OrderStatusNumber"] for n in ("2", "4")} == {"2": 1000, "4": 320}
    (cancel_alert,) = alerts_about(webhook, "order_cancellations")
    assert "too late to cancel" in cancel_alert
    returns = materialization_metadata(instance, "wms_returns")
    (returned,) = returns["returns"]
    assert (returned["order"], returned["returned"], returned["cause"]) == ("1", "1", "Wrong size")

    # The merchant maps the product price to the articles' customs value and resyncs the articles by hand:
    # the held export orders are released by the next cycle, with no one touching them.
    monkeypatch.setenv("SYNC_EXTRA_FIELDS", PRICE)
    from sync_pipeline.definitions import build_definitions

    resync = build_definitions().resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance, asset_selection=[dg.AssetKey("wms_articles")], raise_on_error=False)
    assert resync.success
    retries_due()
    assert sensors.run("sync_all").success
    sensors.tick()
    assert set(materialization_metadata(instance, "wms_orders")["customs_released"]) == EXPORTS
    assert EXPORTS <= wms_orders(stack).keys()

    # Each branch was alerted once; the cycles after it did not repeat it.
    assert len(webhook.received) == 3, [posted["json"]["text"] for posted in webhook.received]
