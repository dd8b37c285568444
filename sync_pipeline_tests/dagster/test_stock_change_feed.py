"""SYNC_STOCK_CHANGE_FEED on, through Dagster: the first scheduled stock cycle compares everything and
starts the feed's cursor; the next ones compare the articles whose stock changed in the warehouse since
(an adjustment, a pick shipped) and say so in their materialization; an operator's run still compares
everything."""

from __future__ import annotations

from decimal import Decimal

import dagster as dg
import pytest

from sync_pipeline.sync.stock import CHANGES_READ, FULL_COMPARISON
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job

SKU = "SKU-1002"
SHIPPED_ORDER = "1"


def erp_stock(stack: Stack) -> dict[str, Decimal]:
    return {p["No"]: Decimal(str(p["Stock"])) for p in stack.erp_admin.get("state")["products"]}


def wms_stock(stack: Stack) -> dict[str, Decimal]:
    return {s["ArticleNumber"]: Decimal(str(s["NumberOfItems"])) for s in stack.wms_admin.get("state")["stock"]}


def articles_of(stack: Stack, order_number: str) -> set[str]:
    found = [o for o in stack.wms_admin.get("state")["orders"] if o["GoodsOwnerOrderNumber"] == order_number]
    assert found, f"order {order_number} is not in the warehouse"
    return {line["ArticleNumber"] for line in found[0]["Lines"]}


def test_scheduled_cycles_follow_the_warehouses_stock_changes_and_an_operators_run_compares_everything(
        stack: Stack, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_STOCK_CHANGE_FEED", "on")
    assert run_job("sync_all", instance).success  # no cursor yet: everything compared, the demo orders pushed
    assert materialization_metadata(instance, "stock_snapshot")[FULL_COMPARISON] == "no cursor yet"
    picked = articles_of(stack, SHIPPED_ORDER)
    before = wms_stock(stack)

    stack.wms_admin.post("stock", {"ArticleNumber": SKU, "NumberOfItems": 3})
    stack.wms_admin.post(f"orders/{SHIPPED_ORDER}/status", {"OrderStatusNumber": 450, "WayBill": "DEMO-1"})
    assert all(wms_stock(stack)[number] < before[number] for number in picked - {SKU})  # the pick left stock
    for _ in range(2):  # the shipment is reported to the ERP first; until then its articles are held
        assert run_job("sync_all", instance).success
        delta = materialization_metadata(instance, "stock_snapshot")
        assert FULL_COMPARISON not in delta and delta[CHANGES_READ] >= 1

    now_in_erp, now_in_wms = erp_stock(stack), wms_stock(stack)
    changed = picked | {SKU}
    assert {n: now_in_erp[n] for n in changed} == {n: now_in_wms[n] for n in changed}
    assert all(now_in_erp[n] < before[n] for n in changed)

    assert run_job("sync_all", instance, by_hand=True).success  # an operator's run: everything
    assert CHANGES_READ not in materialization_metadata(instance, "stock_snapshot")
    assert erp_stock(stack) == {n: q for n, q in wms_stock(stack).items() if n in erp_stock(stack)}
