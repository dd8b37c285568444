"""Order life, shipped side, through Dagster and both seeded sandboxes: demo order 1 shipped in two parcels
and picked short. The operator sees the parcels, carrier and shortfall in erp_shipped_orders' metadata,
the ERP order carries the tracking line under the merchant's text and each row's delivered quantity, and
the shortfall is alerted once (check no_short_shipments), not by the runs after. An order the warehouse
marks Returned (800) does not start report_shipped."""

from __future__ import annotations

import dagster as dg

from sync_pipeline_tests.dagster.conftest import Sensors, Stack, Webhook, materialization_metadata
from sync_pipeline_tests.dagster.test_sensors import Ticks

MERCHANT_TEXT = "Takk for handelen! Bytterett 30 dager."  # the demo orders' own InvoiceText
CARRIER = "Posten Norge – Pakke til hentested"  # demo order 1's way of delivery: no transporter booked


def check_of(result: dg.ExecuteInProcessResult, name: str) -> dg.AssetCheckEvaluation:
    (found,) = [e.event_specific_data for e in result.all_events
                if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.check_name == name]
    return found


def test_a_tracked_short_shipment_is_shown_written_once_and_alerted_once(stack: Stack, webhook: Webhook,
                                                                         instance: dg.DagsterInstance) -> None:
    sensor = Sensors(instance, "alert_on_check_failure")
    assert sensor.run("sync_all").success
    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 450, "WayBill": "WB-1", "Parcels": ["WB-2"],
                                             "Picked": {"2": 1}})

    shipped = sensor.run("report_shipped")

    assert shipped.success
    metadata = materialization_metadata(instance, "erp_shipped_orders")
    assert metadata["shipments"]["1"] == {"waybills": ["WB-1", "WB-2"], "carrier": CARRIER, "field": "InvoiceText",
                                          "appended": f"Tracking: WB-1, WB-2 ({CARRIER})", "rows_delivered": 3}
    assert metadata["short_shipments"] == {"1": [{"row": "2", "article": "SKU-1002", "ordered": "2", "picked": "1",
                                                  "short": "1"}]}
    check = check_of(shipped, "no_short_shipments")
    assert (check.passed, check.severity) == (False, dg.AssetCheckSeverity.WARN)
    order = {o["OrderId"]: o for o in stack.erp_admin.get("state")["orders"]}[1]
    assert order["OrderStatus"] == "OrderState_Sent"
    assert order["InvoiceText"] == f"{MERCHANT_TEXT}\nTracking: WB-1, WB-2 ({CARRIER})"
    assert [(r["RowId"], r["ProductId"], r["QuantityDelivered"], r["QuantityRest"]) for r in order["InvoiceRows"]] == [
        (1, 1, "4", "0"), (2, 2, "1", "1"), (3, 14, "1", "0")]

    sensor.tick()
    (posted,) = webhook.received
    assert posted["json"]["kind"] == "checks failed"
    assert ("erp_shipped_orders: 1 order(s) shipped short; first: order 1: row 2 (SKU-1002) 1 of 2 picked, 1 short "
            "(check no_short_shipments, warn).") in posted["json"]["text"]

    again = sensor.run("report_shipped")
    sensor.tick()

    assert again.success and check_of(again, "no_short_shipments").passed
    assert len(webhook.received) == 1, "the shortfall is alerted once"
    order = {o["OrderId"]: o for o in stack.erp_admin.get("state")["orders"]}[1]
    assert order["InvoiceText"] == f"{MERCHANT_TEXT}\nTracking: WB-1, WB-2 ({CARRIER})", "appended once"


def test_the_shipped_sensor_does_not_take_a_returned_order_for_a_shipment(stack: Stack,
                                                                          instance: dg.DagsterInstance) -> None:
    from sync_pipeline.definitions import build_definitions  # reads the settings the stack set: import late

    defs = build_definitions()
    assert defs.resolve_job_def("sync_all").execute_in_process(instance=instance).success
    ticks = Ticks(defs, "wms_shipped_orders", instance)
    assert isinstance(ticks.tick(), str)

    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 800})  # Returned
    assert "no order newly shipped (0 shipped" in str(ticks.tick())

    stack.wms_admin.post("orders/2/status", {"OrderStatusNumber": 450})
    request = ticks.tick()
    assert isinstance(request, dg.RunRequest) and request.tags["sync_pipeline/orders"] == "2"
