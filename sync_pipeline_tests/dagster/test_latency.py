"""Stage latency end to end: stage times recorded by real pushes and reports, shown and checked per day."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest

from sync_pipeline.ledger import Kind, Stage
from sync_pipeline.resources import LedgerResource
from sync_pipeline.settings import load_settings
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job

CONFIRMED_DEMO_ORDERS = {"1", "2", "3", "4", "5", "6", "7", "10"}


@pytest.fixture(autouse=True)
def default_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNC_LATENCY_TARGET_MINUTES", raising=False)


def stage_times(instance: dg.DagsterInstance) -> dict:
    return LedgerResource().ledger(home=instance.root_directory).stage_times(Kind.ORDER)


def latency_check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    found = [e for e in result.get_asset_check_evaluations() if e.check_name == "latency_p95_within_target"]
    assert len(found) == 1
    return found[0]


def test_each_order_gets_its_stage_times_and_the_day_its_figures(stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    erp_orders = stack.erp_admin.get("state")["orders"]
    pushed = {str(o["OrderId"]): datetime.fromisoformat(o["DateChanged"]) for o in erp_orders}
    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 450, "WayBill": "TRACK-1"})
    assert run_job("report_shipped", instance).success
    assert run_job("report_shipped", instance).success  # again: the first times stay

    shipped_time = next(WmsClient(load_settings().wms_connection()).orders(order_numbers=["1"])).ShippedTime
    times = stage_times(instance)
    assert set(times) == CONFIRMED_DEMO_ORDERS
    assert {key: stages[Stage.CONFIRMED] for key, stages in times.items()} == {
        key: pushed[key] for key in CONFIRMED_DEMO_ORDERS}, "confirmed is the ERP's DateChanged of the version pushed"
    assert set(times["1"]) == set(Stage) - {Stage.RETURNED}, "every stage but a return"
    assert times["1"][Stage.SHIPPED] == shipped_time, "shipped is the warehouse's own ShippedTime"
    assert times["1"][Stage.CONFIRMED] <= times["1"][Stage.CREATED_IN_WMS] <= times["1"][Stage.REPORTED]
    assert set(times["2"]) == {Stage.CONFIRMED, Stage.CREATED_IN_WMS}, "not shipped yet"

    result = run_job("reconcile", instance)
    assert result.success and latency_check(result).passed, "pushed and reported within the hour"
    metadata = materialization_metadata(instance, "order_latency")
    assert f"| {times['1'][Stage.REPORTED].date().isoformat()} | " in metadata["by_day"]
    assert metadata["orders_in_wms_last_24_hours"] == len(CONFIRMED_DEMO_ORDERS)
    recent = metadata["last_24_hours"]
    assert "| confirmed → in WMS | 8 |" in recent and "| shipped → Sent in ERP | 1 |" in recent
    assert {"p95_minutes_confirmed_to_wms", "p95_minutes_shipped_to_sent", "p95_minutes_confirmed_to_sent"} <= set(
        metadata)


def test_the_check_warns_when_the_p95_passes_the_target(stack: Stack, instance: dg.DagsterInstance,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Order 1 was confirmed three hours before the integration pushed it.
    confirmed = (datetime.now(timezone.utc) - timedelta(hours=3)).replace(microsecond=0)
    stack.erp_admin.post("orders/date_changed", [{"OrderId": 1, "DateChanged": confirmed.isoformat()}])
    assert run_job("sync_all", instance).success
    assert stage_times(instance)["1"][Stage.CONFIRMED] == confirmed, "confirmed is the ERP's DateChanged pushed"

    result = run_job("reconcile", instance)
    check = latency_check(result)
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert "confirmed → in WMS: p95 3 h" in check.description and "slowest 1" in check.description
    assert check.metadata["target_minutes"].value == 60

    monkeypatch.setenv("SYNC_LATENCY_TARGET_MINUTES", "240")
    assert latency_check(run_job("reconcile", instance)).passed
    monkeypatch.setenv("SYNC_LATENCY_TARGET_MINUTES", "1")
    assert not latency_check(run_job("reconcile", instance)).passed
