"""Daily partitions: one UTC day of orders pushed again, one day's stock reconciliation."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import dagster as dg
import pytest

from sync_pipeline.ledger import Kind
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job
from sync_pipeline_tests.dagster.test_dry_run import ledger_of


def materialize(instance: dg.DagsterInstance, asset: str, day: str, *, force: bool = False) -> dg.ExecuteInProcessResult:
    """What "Materialize" on one partition of the asset does in the UI (force: ticked in the launchpad)."""
    from sync_pipeline.definitions import build_definitions  # reads the settings: import late

    job = build_definitions().resolve_job_def("resync_day")
    config = {"ops": {asset: {"config": {"force": True}}}} if force else None
    return job.execute_in_process(instance=instance, partition_key=day, asset_selection=[dg.AssetKey(asset)],
                                  raise_on_error=False, run_config=config)


def erp_orders(stack: Stack) -> dict[int, dict]:
    return {o["OrderId"]: o for o in stack.erp_admin.get("state")["orders"]}


def utc_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone(timezone.utc).date()


def pushed(stack: Stack) -> list[str]:
    """The order numbers ProcessOrder was called for since the call log was reset."""
    return sorted((c["key"] for c in stack.wms_admin.get("calls")["log"] if c["operation"] == "ProcessOrder"),
                  key=int)


def backdate(stack: Stack, order_ids: list[int], day: date, hour: int) -> None:
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc).isoformat()
    stack.erp_admin.post("orders/date_changed", [{"OrderId": i, "DateChanged": moment} for i in order_ids])


def test_one_day_of_orders_is_pushed_again_and_only_that_day(stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success  # articles and confirmed orders are in the warehouse
    cursor_run = instance.get_latest_materialization_event(dg.AssetKey("wms_orders")).run_id
    today = utc_day(erp_orders(stack)[1]["DateChanged"])
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)
    backdate(stack, [2, 3, 8], yesterday, 0)  # 8 is an Offer: not pulled, whatever its day
    backdate(stack, [5], yesterday, 23)
    backdate(stack, [4], before, 12)
    stack.wms_admin.post("orders/3/status", {"OrderStatusNumber": 450})  # shipped: must not change any more

    stack.wms_admin.post("calls/reset")
    result = materialize(instance, "orders_resync", yesterday.isoformat())
    assert result.success
    assert pushed(stack) == [], "the warehouse holds that day's orders as the ERP has them: nothing to write"
    metadata = materialization_metadata(instance, "orders_resync")
    assert (metadata["created"], metadata["updated"], metadata["unchanged"], metadata["failed"]) == (0, 0, 3, 0)

    stack.wms_admin.post("calls/reset")
    assert materialize(instance, "orders_resync", yesterday.isoformat(), force=True).success
    assert pushed(stack) == ["2", "5"], "only that day's confirmed orders, and not one the warehouse shipped"
    metadata = materialization_metadata(instance, "orders_resync")
    assert (metadata["created"], metadata["updated"], metadata["unchanged"], metadata["failed"]) == (0, 2, 1, 0)
    assert metadata["window"].startswith(f"{yesterday.isoformat()}T00:00:00+00:00 to {today.isoformat()}T00:00")
    assert "cursor" not in metadata

    stack.wms_admin.post("calls/reset")
    assert materialize(instance, "orders_resync", yesterday.isoformat(), force=True).success
    assert pushed(stack) == ["2", "5"], "re-running a day with force pushes the same orders again"
    numbers = [o["GoodsOwnerOrderNumber"] for o in stack.wms_admin.get("state")["orders"]]
    assert len(numbers) == len(set(numbers)), "CreateOrUpdate: no order twice in the warehouse"

    stack.wms_admin.post("calls/reset")
    assert materialize(instance, "orders_resync", before.isoformat(), force=True).success
    assert pushed(stack) == ["4"]

    stack.wms_admin.post("calls/reset")
    assert materialize(instance, "orders_resync", today.isoformat(), force=True).success
    expected = sorted((str(i) for i, o in erp_orders(stack).items()
                       if o["OrderStatus"] == "Confirmed" and utc_day(o["DateChanged"]) == today), key=int)
    assert pushed(stack) == expected and "2" not in expected and "4" not in expected

    assert instance.get_latest_materialization_event(dg.AssetKey("wms_orders")).run_id == cursor_run, \
        "a day's resync leaves the delta asset and its cursor alone"
    status = instance.get_status_by_partition(
        dg.AssetKey("orders_resync"), [yesterday.isoformat(), (today - timedelta(days=3)).isoformat()],
        build_partitions())
    assert status[yesterday.isoformat()] == dg.AssetPartitionStatus.MATERIALIZED
    assert status[(today - timedelta(days=3)).isoformat()] is None


def build_partitions() -> dg.PartitionsDefinition:
    from sync_pipeline.assets.process_assets import daily

    return daily


def test_re_running_a_partition_retries_the_records_waiting_out_a_backoff(stack: Stack,
                                                                        instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    today = utc_day(erp_orders(stack)[1]["DateChanged"]).isoformat()
    confirmed = sorted((str(i) for i, o in erp_orders(stack).items()
                        if o["OrderStatus"] == "Confirmed" and utc_day(o["DateChanged"]).isoformat() == today), key=int)
    stack.wms_admin.post("reset")  # the warehouse lost its articles and orders

    assert not materialize(instance, "orders_resync", today).success, "refused: the warehouse lacks their articles"
    entries = ledger_of(instance).entries(Kind.ORDER, confirmed)
    now = datetime.now(timezone.utc)
    assert len(confirmed) > 0 and all(entries[n].next_attempt_at > now for n in confirmed), "all backing off"

    from sync_pipeline_tests.dagster.test_switches_hold import materialize as materialize_assets
    assert materialize_assets(instance, "wms_articles").success  # the operator restores the articles first
    stack.wms_admin.post("calls/reset")
    assert materialize(instance, "orders_resync", today).success  # and runs the day again, well within the backoff

    assert pushed(stack) == confirmed, "every refused order was tried again, not left to its backoff"
    metadata = materialization_metadata(instance, "orders_resync")
    assert (metadata["created"], metadata["failed"]) == (len(confirmed), 0)
    assert {o["GoodsOwnerOrderNumber"] for o in stack.wms_admin.get("state")["orders"]} == set(confirmed)


def test_a_days_stock_reconciliation_writes_only_differing_balances(stack: Stack,
                                                                   instance: dg.DagsterInstance) -> None:
    erp = {p["No"]: Decimal(p["Stock"]) for p in stack.erp_admin.get("state")["products"]}
    wms = {s["ArticleNumber"]: Decimal(s["NumberOfItems"]) for s in stack.wms_admin.get("state")["stock"]}
    differing = [no for no, qty in wms.items() if erp.get(no) != qty]
    day = datetime.now(timezone.utc).date().isoformat()
    assert run_job("push_orders", instance).success  # articles (and orders) into the warehouse, no stock yet
    stack.erp_admin.post("calls/reset")

    assert materialize(instance, "stock_resync", day).success
    assert stack.erp_admin.get("calls")["counts"].get("SetStockQuantity", 0) == len(differing)
    metadata = materialization_metadata(instance, "stock_resync")
    assert metadata["day"] == day and metadata["updated"] == len(differing)
    assert "Changes to write" in metadata["snapshot"]
    assert instance.get_latest_materialization_event(dg.AssetKey("stock_snapshot")) is None

    stack.erp_admin.post("calls/reset")
    assert materialize(instance, "stock_resync", day).success
    assert stack.erp_admin.get("calls")["counts"].get("SetStockQuantity", 0) == 0, "in step now: nothing to write"


@pytest.mark.parametrize("body, status, message", [
    ({"OrderId": 99, "DateChanged": "2026-11-20T10:00:00+00:00"}, 404, "orders[0] (OrderId 99): no such record"),
    ({"OrderId": 1, "DateChanged": "2026-11-20T10:00:00"}, 400, "field DateChanged: needs a UTC offset"),
    ({"OrderId": 1, "DateChanged": "yesterday"}, 400, "field DateChanged: not an ISO 8601 time"),
    ({"OrderId": 1, "DateChanged": "2026-11-20T10:00:00Z", "OrderStatus": "Offer"}, 400,
     'expected exactly {"OrderId": ..., "DateChanged": ...}'),
])
def test_the_sandbox_date_changed_route_refuses_what_it_cannot_do(stack: Stack, body, status, message) -> None:
    before = erp_orders(stack)[1]
    refused = stack.erp_admin.post("orders/date_changed", [body], expect=status)
    assert message in refused["error"]
    assert erp_orders(stack)[1] == before, "nothing changed"


def test_the_sandbox_date_changed_route_moves_only_the_date(stack: Stack) -> None:
    from sync_pipeline.erp import ErpClient
    from sync_pipeline.settings import load_settings

    before = erp_orders(stack)[6]
    moment = datetime.now(timezone.utc).replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(days=6)
    (saved,) = stack.erp_admin.post("orders/date_changed",
                                    {"OrderId": 6, "DateChanged": moment.isoformat().replace("+00:00", "Z")})
    assert saved["DateChanged"] == moment.isoformat()
    assert {k: v for k, v in erp_orders(stack)[6].items() if k != "DateChanged"} == \
           {k: v for k, v in before.items() if k != "DateChanged"}
    erp = ErpClient(load_settings().erp_connection())
    later = erp.order_ids_changed_since(moment + timedelta(days=1))
    assert 6 not in later and 1 in later, "the registration time moved back with the change"
    assert 6 in erp.order_ids_changed_since(moment - timedelta(hours=1))
