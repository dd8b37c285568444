"""The issue's cancellations as an operator meets them: sync_all over the seeded sandboxes through real HTTP,
the outcome in order_cancellations' materialization and its failed check (which the alert sensor alerts)."""

from __future__ import annotations

import dagster as dg

from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job


def wms_status(stack: Stack) -> dict[str, int]:
    return {o["GoodsOwnerOrderNumber"]: o["OrderStatusNumber"] for o in stack.wms_admin.get("state")["orders"]}


def erp_status(stack: Stack) -> dict[int, str]:
    return {o["OrderId"]: o["OrderStatus"] for o in stack.erp_admin.get("state")["orders"]}


def check_of(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    [evaluation] = [e for e in result.get_asset_check_evaluations()
                    if e.asset_key == dg.AssetKey("order_cancellations")]
    return evaluation


def test_cancellations_both_ways_are_shown_and_alerted_once(stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    assert {n: wms_status(stack)[n] for n in ("3", "4", "5")} == {"3": 200, "4": 200, "5": 200}
    stack.erp_admin.post("orders", [{"OrderId": 3, "OrderStatus": "Offer"}, {"OrderId": 4, "OrderStatus": "Draft"}])
    stack.wms_admin.post("orders/4/status", {"OrderStatusNumber": 320})  # picking started before the ERP change
    stack.wms_admin.post("orders/5/status", {"OrderStatusNumber": 1000})  # the warehouse cancelled 5

    cycle = run_job("sync_all", instance)

    assert cycle.success, "a delta run's failed records warn through the check; the run goes through"
    assert {n: wms_status(stack)[n] for n in ("3", "4", "5")} == {"3": 1000, "4": 320, "5": 1000}
    assert {i: erp_status(stack)[i] for i in (3, 4, 5)} == {3: "Offer", 4: "Draft", 5: "Inactive"}
    shown = materialization_metadata(instance, "order_cancellations")
    assert shown["removed_from_warehouse"] == {
        "3": "set to Offer in 24SevenOffice: cancelled in the warehouse (was status 200 Open)"}
    assert shown["cancelled_by_warehouse"] == {"5": "set from Confirmed to Inactive in 24SevenOffice"}
    assert (shown["updated"], shown["failed"]) == (2, 2)
    assert "too late to cancel: ship or intercept" in shown["failures"]
    check = check_of(cycle)
    assert not check.passed and check.metadata["records"].value == "4, 5"

    calm = run_job("sync_all", instance)

    assert calm.success and check_of(calm).passed, "each is alerted once, not every cycle"
    assert materialization_metadata(instance, "order_cancellations")["failed"] == 0
    assert {n: wms_status(stack)[n] for n in ("3", "4", "5")} == {"3": 1000, "4": 320, "5": 1000}
