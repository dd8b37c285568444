"""The fast-path sensors over the seeded sandboxes: ticks, cursors, and the runs they request."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest

from sync_pipeline.settings import load_settings
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job

CONFIRMED_DEMO_ORDERS = "1,2,3,4,5,6,7,10"


class Ticks:
    """One sensor, ticked like the daemon does: each tick starts from the cursor the previous one left."""

    def __init__(self, defs: dg.Definitions, name: str, instance: dg.DagsterInstance):
        self.defs, self.instance = defs, instance
        self.sensor = defs.resolve_sensor_def(name)
        self.cursor: str | None = None
        self.seen: list[str] = []  # everything a tick showed: run keys, tags, skip messages, cursors

    def tick(self) -> dg.RunRequest | str:
        context = dg.build_sensor_context(instance=self.instance, cursor=self.cursor, definitions=self.defs,
                                          resources=self.defs.resources, sensor_name=self.sensor.name)
        result = self.sensor.evaluate_tick(context)
        self.cursor = result.cursor
        self.seen += [result.cursor or "", result.skip_message or ""]
        for request in result.run_requests:
            self.seen += [request.run_key or "", json.dumps(request.tags)]
        if result.run_requests:
            (request,) = result.run_requests
            return request
        assert result.skip_message, "a tick without a run says why"
        return result.skip_message

    def run(self, request: dg.RunRequest) -> dg.ExecuteInProcessResult:
        """The run the daemon would launch for the request: the job, narrowed to the request's assets."""
        job = self.defs.resolve_job_def(request.job_name or self.sensor.job_name)
        return job.execute_in_process(instance=self.instance, tags=request.tags,
                                      asset_selection=request.asset_selection, raise_on_error=False)


def build_definitions() -> dg.Definitions:
    from sync_pipeline.definitions import build_definitions as build  # reads the settings: import late

    return build()


def wms_order_numbers() -> set[str]:
    return {o.GoodsOwnerOrderNumber for o in WmsClient(load_settings().wms_connection()).orders()}


def erp_statuses(stack: Stack) -> dict[int, str]:
    return {o["OrderId"]: o["OrderStatus"] for o in stack.erp_admin.get("state")["orders"]}


def assert_no_secrets(ticks: Ticks, log: str) -> None:
    """No password anywhere, even in DEBUG logs; no address in what the UI shows of a tick."""
    passwords = [os.environ["SO24_PASSWORD"], os.environ["ONGOING_PASSWORD"]]
    for secret in passwords:
        assert secret not in log
    for text in ticks.seen:
        for secret in passwords + [os.environ["SO24_BASE_URL"], os.environ["ONGOING_BASE_URL"]]:
            assert secret not in text, f"{secret!r} shown by a sensor: {text}"


def test_erp_sensor_requests_push_orders_once_per_change(stack: Stack, instance: dg.DagsterInstance,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ticks = Ticks(build_definitions(), "erp_new_orders", instance)
    assert ticks.sensor.job_name == "push_orders"

    first = ticks.tick()  # no cursor: looks back an hour, and the demo orders were just seeded
    assert isinstance(first, dg.RunRequest)
    assert first.tags["sync_pipeline/orders"] == CONFIRMED_DEMO_ORDERS
    cursor_after_first = ticks.cursor
    assert cursor_after_first

    assert "no order in status Confirmed new or changed" in ticks.tick(), "nothing changed since"
    assert ticks.tick() == ticks.tick(), "quiet ticks keep skipping"
    assert ticks.cursor == cursor_after_first, "the cursor stays at the newest change seen"

    stack.erp_admin.post("orders", {"OrderId": 2, "OrderStatus": "Offer"})  # changed, but not to be pulled
    assert "(1 other change(s))" in ticks.tick()
    assert ticks.cursor != cursor_after_first, "the cursor moved past the change it saw"

    stack.erp_admin.post("products", {"Id": 25, "No": "SKU-2001", "Name": "Ny vare"})  # a new product, too
    stack.erp_admin.post("orders", {"OrderId": 11, "OrderStatus": "Confirmed", "CustomerId": 3,
                                    "InvoiceRows": [{"ProductId": 25, "RowId": 1, "Quantity": 2}]})
    stack.erp_admin.post("orders", {"OrderId": 8, "OrderStatus": "Confirmed"})  # an Offer becomes Confirmed
    request = ticks.tick()
    assert isinstance(request, dg.RunRequest)
    assert request.tags["sync_pipeline/orders"] == "8,11"
    assert request.tags["sync_pipeline/trigger"] == "erp_new_orders"
    assert isinstance(ticks.tick(), str), "the cursor persisted: the same change starts no second run"

    run = ticks.run(request)
    assert run.success
    assert {"8", "11"} <= wms_order_numbers(), "the orders reached the warehouse, the new article first"
    assert run.dagster_run.tags["sync_pipeline/orders"] == "8,11"
    assert materialization_metadata(instance, "wms_orders")["failed"] == 0
    assert_no_secrets(ticks, caplog.text)


def test_wms_sensor_requests_report_shipped_for_a_shipped_order(stack: Stack, instance: dg.DagsterInstance,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    defs = build_definitions()
    assert run_job("sync_all", instance).success  # the confirmed orders are in the warehouse now
    ticks = Ticks(defs, "wms_shipped_orders", instance)
    assert ticks.sensor.job_name == "report_shipped"

    assert "no order newly shipped (0 shipped" in ticks.tick()
    assert ticks.cursor, "a quiet tick still stores where it looked"

    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 300})  # released, not shipped
    assert isinstance(ticks.tick(), str)

    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 450, "WayBill": "TRACK-1"})
    request = ticks.tick()
    assert isinstance(request, dg.RunRequest)
    assert request.tags.items() >= {"sync_pipeline/trigger": "wms_shipped_orders", "sync_pipeline/orders": "1"}.items()
    assert "no order newly shipped (1 shipped order(s) seen again)" in ticks.tick(), "the cursor persisted"

    stack.wms_admin.post("orders/3/status", {"OrderStatusNumber": 450})
    second = ticks.tick()
    assert isinstance(second, dg.RunRequest) and second.tags["sync_pipeline/orders"] == "3"
    assert second.run_key != request.run_key

    assert ticks.run(request).success
    statuses = erp_statuses(stack)
    assert statuses[1] == "OrderState_Sent" and statuses[3] == "OrderState_Sent"
    assert statuses[2] == "Confirmed", "an order the warehouse has not shipped keeps its status"
    assert_no_secrets(ticks, caplog.text)


def test_sensor_run_keys_name_the_changes(stack: Stack, instance: dg.DagsterInstance) -> None:
    """Two evaluations that see the same change give the same run key: Dagster starts one run."""
    defs = build_definitions()
    first, second = Ticks(defs, "erp_new_orders", instance), Ticks(defs, "erp_new_orders", instance)
    a, b = first.tick(), second.tick()
    assert isinstance(a, dg.RunRequest) and isinstance(b, dg.RunRequest)
    assert a.run_key == b.run_key


def test_sensors_follow_the_settings(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_REPORT_SHIPPED", "off")
    names = {sensor.name for sensor in build_definitions().sensors}
    always = {"alert_on_run_failure", "alert_on_check_failure", "failed_records_partitions"}
    assert names == always | {"erp_new_orders"}
    monkeypatch.setenv("SYNC_ORDERS", "off")
    assert {sensor.name for sensor in build_definitions().sensors} == always


def test_the_order_sensors_look_as_often_as_set(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    def intervals() -> dict[str, int]:
        return {s.name: s.minimum_interval_seconds for s in build_definitions().sensors
                if s.name in ("erp_new_orders", "wms_shipped_orders")}

    assert intervals() == {"erp_new_orders": 30, "wms_shipped_orders": 30}
    monkeypatch.setenv("SYNC_SENSOR_INTERVAL_SECONDS", "120")
    assert intervals() == {"erp_new_orders": 120, "wms_shipped_orders": 120}
    assert all("every 120 s" in s.description for s in build_definitions().sensors if s.name.endswith("orders"))


def test_an_operator_can_set_a_sensor_cursor_to_a_time(stack: Stack, instance: dg.DagsterInstance) -> None:
    """The UI lets an operator set a cursor by hand: a plain UTC time means "look from here"."""
    defs = build_definitions()
    erp = Ticks(defs, "erp_new_orders", instance)
    erp.cursor = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat()
    assert isinstance(erp.tick(), str), "nothing changed after that time"
    erp.cursor = (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()
    request = erp.tick()
    assert isinstance(request, dg.RunRequest) and request.tags["sync_pipeline/orders"] == CONFIRMED_DEMO_ORDERS

    wms = Ticks(defs, "wms_shipped_orders", instance)
    wms.cursor = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()
    assert isinstance(wms.tick(), str)
    assert json.loads(wms.cursor)["seen"] == [], "the next cursor is the sensor's own again"
