"""Rematerializing a process asset resyncs: the target is read, and what it lacks is written again.

The warehouse loses its data (its sandbox is reset) while the ledger and the cursors remember every
record as sent. Scheduled runs stay deltas and see nothing to do; the dry run, reading the target,
plans exactly what is missing; an operator's rematerialization (the CLI, or Materialize in the UI)
writes exactly that, and a second one writes nothing. The proof is the sandboxes' state and call logs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import dagster as dg
import pytest

from sync_pipeline.ledger import Kind
from sync_pipeline.processes.runner import SWEEP_SUFFIX
from sync_pipeline.resources import WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job
from sync_pipeline_tests.dagster.test_dry_run import CONFIRMED_DEMO_ORDERS, ledger_of, reset_calls, writes_made
from sync_pipeline_tests.dagster.test_switches_hold import materialize



def wms_state(stack: Stack) -> dict:
    return stack.wms_admin.get("state")


def article_numbers(stack: Stack) -> set[str]:
    return {article["ArticleNumber"] for article in wms_state(stack)["articles"]}


def order_numbers(stack: Stack) -> set[str]:
    return {order["GoodsOwnerOrderNumber"] for order in wms_state(stack)["orders"]}


def erp_product_numbers(stack: Stack) -> set[str]:
    return {product["No"] for product in stack.erp_admin.get("state")["products"]}


def writes(stack: Stack, operation: str) -> set[str]:
    return {key for made, key in writes_made(stack) if made == operation}


def materialize_by_cli(instance: dg.DagsterInstance, asset: str, *config: str) -> None:
    """`dagster asset materialize --select <asset>`, as an operator types it, on the test's instance."""
    env = {**os.environ, "DAGSTER_HOME": instance.root_directory}
    command = [os.path.join(os.path.dirname(sys.executable), "dagster"), "asset", "materialize", "--select", asset,
               "-m", "sync_pipeline.definitions", *config]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]


def changed_days_ago(stack: Stack, days: int = 2) -> None:
    """Every product and order last changed days ago, seconds apart: a delta read after a sync then
    re-reads none of them (the cursor's overlap holds only the latest, which it has handled)."""
    start = datetime.now(timezone.utc) - timedelta(days=days)
    state = stack.erp_admin.get("state")
    for kind, key in (("products", "Id"), ("orders", "OrderId")):
        stack.erp_admin.post(f"{kind}/date_changed", [
            {key: record[key], "DateChanged": (start + timedelta(seconds=10 * i)).isoformat()}
            for i, record in enumerate(sorted(state[kind], key=lambda r: r[key]))])


@pytest.fixture
def synced_then_lost(stack: Stack, instance: dg.DagsterInstance) -> Stack:
    """Everything synced by the schedule, then the warehouse loses everything; the ledger remembers it all."""
    changed_days_ago(stack)
    assert run_job("sync_all", instance).success
    # Again: the stock the first cycle set changed those products in the ERP; now every change is carried over.
    assert run_job("sync_all", instance).success
    assert article_numbers(stack) == erp_product_numbers(stack)
    assert CONFIRMED_DEMO_ORDERS <= order_numbers(stack)
    stack.wms_admin.post("reset")
    assert wms_state(stack)["articles"] == [] and wms_state(stack)["orders"] == []
    assert len(ledger_of(instance).keys_in_states(Kind.ARTICLE, ["sent"], live_only=False)) == 24
    reset_calls(stack)
    return stack


def test_rematerializing_restores_what_the_warehouse_lost_and_writes_only_that(
        synced_then_lost: Stack, instance: dg.DagsterInstance) -> None:
    stack = synced_then_lost
    products = erp_product_numbers(stack)

    # The schedule's delta runs see no change: nothing read, nothing written, the warehouse stays empty.
    assert run_job("push_orders", instance).success
    assert writes(stack, "ProcessArticle") == set() and writes(stack, "ProcessOrder") == set()

    # The dry run reads the target: it plans every lost article and open order, and writes nothing.
    assert run_job("dry_run", instance, by_hand=True).success
    plan = materialization_metadata(instance, "dry_run_plan")["plan_json"]
    planned = {(w["operation"], w["record"]) for w in plan if w["system"] == "Ongoing WMS"}
    assert planned == {("ProcessArticle", n) for n in products} | {("ProcessOrder", n) for n in CONFIRMED_DEMO_ORDERS}
    assert all(w["change"] == "create" for w in plan if w["system"] == "Ongoing WMS")
    assert writes_made(stack) == set()

    # The operator rematerializes the articles from the CLI: exactly the lost ones are written.
    materialize_by_cli(instance, "wms_articles")
    assert article_numbers(stack) == products
    assert writes(stack, "ProcessArticle") == products
    assert len([c for c in stack.wms_admin.get("calls")["log"] if c["operation"] == "ProcessArticle"]) == 24
    metadata = materialization_metadata(instance, "wms_articles")
    assert (metadata["created"], metadata["updated"], metadata["failed"]) == (24, 0, 0)
    assert metadata["read"].startswith("every record in the source")

    # ... and the orders from the UI's Materialize: every open order is back, once.
    reset_calls(stack)
    assert materialize(instance, "wms_orders").success
    assert order_numbers(stack) == CONFIRMED_DEMO_ORDERS
    assert writes(stack, "ProcessOrder") == CONFIRMED_DEMO_ORDERS
    assert materialization_metadata(instance, "wms_orders")["created"] == len(CONFIRMED_DEMO_ORDERS)

    # Both systems agree now: rematerializing again reads everything and writes nothing.
    reset_calls(stack)
    assert materialize(instance, "wms_articles", "wms_orders").success
    assert writes_made(stack) == set()
    assert materialization_metadata(instance, "wms_articles")["unchanged"] == 24


def test_an_article_the_warehouse_holds_differently_is_set_back(stack: Stack, instance: dg.DagsterInstance) -> None:
    changed_days_ago(stack)
    assert run_job("sync_all", instance).success
    sent = next(a for a in wms_state(stack)["articles"] if a["ArticleNumber"] == "SKU-1001")
    # Someone renames the article in the warehouse itself; the ledger still has what was sent.
    settings = load_settings()
    wms = WmsResource(base_url=settings.ongoing_base_url, goods_owner_code=settings.ongoing_goods_owner_code,
                      username=settings.ongoing_username,
                      password=settings.ongoing_password.get_secret_value()).client()
    assert wms.process_article({"ArticleNumber": "SKU-1001", "ProductCode": sent["ProductCode"],
                                "ArticleName": "Renamed in the warehouse"}).success
    reset_calls(stack)

    assert run_job("sync_all", instance).success  # the schedule's delta: nothing changed in the ERP
    assert writes(stack, "ProcessArticle") == set()

    assert materialize(instance, "wms_articles").success
    assert writes(stack, "ProcessArticle") == {"SKU-1001"}, "only the article the warehouse holds differently"
    names = {a["ArticleNumber"]: a.get("ArticleName") for a in wms_state(stack)["articles"]}
    assert names["SKU-1001"] == sent["ArticleName"]


def test_the_launchpad_names_the_records_to_resync(synced_then_lost: Stack, instance: dg.DagsterInstance) -> None:
    stack = synced_then_lost
    materialize_by_cli(instance, "wms_articles", "--config-json",
                       '{"ops": {"wms_articles": {"config": {"records": ["SKU-1002", "SKU-NONE"]}}}}')
    assert article_numbers(stack) == {"SKU-1002"}, "only the named record was read and written"
    assert writes(stack, "ProcessArticle") == {"SKU-1002"}
    metadata = materialization_metadata(instance, "wms_articles")
    assert metadata["failed"] == 1 and "SKU-NONE" in metadata["failures"] and "not found" in metadata["failures"]


def test_the_next_full_sweep_heals_a_warehouse_that_lost_records(synced_then_lost: Stack,
                                                                 instance: dg.DagsterInstance) -> None:
    stack = synced_then_lost
    ledger = ledger_of(instance)
    due = (datetime.now(timezone.utc) - timedelta(hours=25)).isoformat()
    for process in ("articles", "orders"):
        ledger.set_cursor(process + SWEEP_SUFFIX, due)

    assert run_job("sync_all", instance).success  # scheduled: a delta, but the daily sweep is due

    assert article_numbers(stack) == erp_product_numbers(stack)
    assert order_numbers(stack) == CONFIRMED_DEMO_ORDERS
    assert writes(stack, "ProcessArticle") == erp_product_numbers(stack)
    assert materialization_metadata(instance, "wms_articles")["full_sweep"] is True


def test_rematerializing_stock_writes_exactly_the_differing_balances(stack: Stack,
                                                                    instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    wms = {s["ArticleNumber"]: Decimal(s["NumberOfItems"]) for s in wms_state(stack)["stock"]}
    products = {p["No"]: p["Id"] for p in stack.erp_admin.get("state")["products"]}
    changed = sorted(wms)[:3]
    stack.erp_admin.post("products", [{"Id": products[no], "Stock": str(wms[no] + 7)} for no in changed])
    reset_calls(stack)

    assert materialize(instance, "stock_snapshot").success

    assert writes(stack, "SetStockQuantity") == {str(products[no]) for no in changed}
    erp = {p["No"]: Decimal(p["Stock"]) for p in stack.erp_admin.get("state")["products"]}
    assert {no: erp[no] for no in changed} == {no: wms[no] for no in changed}


def test_a_range_of_change_times_narrows_the_resync(synced_then_lost: Stack, instance: dg.DagsterInstance) -> None:
    stack = synced_then_lost
    old = (datetime.now(timezone.utc) - timedelta(days=10)).isoformat()
    stack.erp_admin.post("products/date_changed", [{"Id": 1, "DateChanged": old}, {"Id": 2, "DateChanged": old}])
    since = (datetime.now(timezone.utc) - timedelta(days=11)).date().isoformat()
    until = (datetime.now(timezone.utc) - timedelta(days=9)).date().isoformat()
    numbers = {p["No"] for p in stack.erp_admin.get("state")["products"] if p["Id"] in (1, 2)}

    materialize_by_cli(instance, "wms_articles", "--config-json",
                       '{"ops": {"wms_articles": {"config": {"changed_from": "%s", "changed_before": "%s"}}}}'
                       % (since, until))

    assert article_numbers(stack) == numbers
    assert writes(stack, "ProcessArticle") == numbers


def test_a_shipped_status_lost_in_the_erp_is_reported_again(stack: Stack, instance: dg.DagsterInstance) -> None:
    assert run_job("sync_all", instance).success
    stack.wms_admin.post("orders/1/status", {"OrderStatusNumber": 450})
    assert run_job("report_shipped", instance).success
    assert erp_status(stack, 1) == "OrderState_Sent"
    stack.erp_admin.post("orders", [{"OrderId": 1, "OrderStatus": "Confirmed"}])  # set back in the ERP by hand
    reset_calls(stack)

    assert run_job("report_shipped", instance).success  # the schedule: nothing new shipped
    assert writes(stack, "SaveInvoices") == set() and erp_status(stack, 1) == "Confirmed"

    assert materialize(instance, "erp_shipped_orders").success  # the operator: the ERP is read, not the ledger
    assert writes(stack, "SaveInvoices") == {"1"}
    assert erp_status(stack, 1) == "OrderState_Sent"


def erp_status(stack: Stack, order_id: int) -> str:
    return next(o["OrderStatus"] for o in stack.erp_admin.get("state")["orders"] if o["OrderId"] == order_id)


def test_rematerializing_the_suppliers_restores_them(stack: Stack, instance: dg.DagsterInstance,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_SUPPLIERS", "on")
    changed_days_ago(stack)
    assert run_job("sync_all", instance).success
    suppliers = {s["SupplierNumber"] for s in wms_state(stack)["suppliers"]}
    assert len(suppliers) == 3
    stack.wms_admin.post("reset")

    assert materialize(instance, "wms_suppliers").success

    assert {s["SupplierNumber"] for s in wms_state(stack)["suppliers"]} == suppliers
    metadata = materialization_metadata(instance, "wms_suppliers")
    assert (metadata["updated"], metadata["failed"]) == (3, 0)
    reset_calls(stack)
    assert materialize(instance, "wms_suppliers").success
    assert writes_made(stack) == set(), "the warehouse holds them now: nothing written"
