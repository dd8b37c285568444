"""Returns on the drift page (plain data): listed per order and row, never counted; WMS status 800 is a
return, not a shipment."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sync_pipeline.reconcile.drift import DriftOptions, compare_systems
from sync_pipeline.reconcile.markdown import drift_markdown
from sync_pipeline.wms.models import ReturnLine, ReturnOrder
from sync_pipeline_tests.reconcile.test_drift import EARLIER, NOW, SETTLED, Systems, erp_order, in_step, wms_order


def return_order(number: str, *lines: tuple[str, int, int, str | None], rid: int = 1) -> ReturnOrder:
    return ReturnOrder(ReturnOrderId=rid, OrderNumber=number, ReturnOrderNumber=f"R-{number}",
                       ReturnInDate=datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc), ReturnOrderStatusId=200,
                       ReturnOrderStatusText="Returned", ReturnCauseName="Wrong size",
                       Lines=[ReturnLine(ReturnOrderLineId=i, ArticleNumber=article, ExternalOrderLineCode=str(i),
                                         PickedNumberOfItems=Decimal(picked), ToBeReturnedNumberOfItems=Decimal(picked),
                                         ReturnedNumberOfItems=Decimal(returned), ReturnCauseName=cause)
                              for i, (article, picked, returned, cause) in enumerate(lines, start=1)])


def compare(options: DriftOptions = DriftOptions(), **systems):
    return compare_systems(Systems(**{**in_step(), **systems}), options, SETTLED)


def test_returns_are_listed_per_order_and_row_and_not_counted():
    drift = compare(returns=[return_order("2", ("SKU-1", 2, 2, "Damaged"), ("SKU-2", 1, 0, None)),
                             return_order("WEB-9", ("SKU-1", 1, 1, None), rid=2)])

    assert drift.total == 0
    assert [(r["order"], r["return_order"], r["article"], r["returned"], r["cause"], r["erp_status"])
            for r in drift.returns] == [("2", "R-2", "SKU-1", "2", "Damaged", "OrderState_Sent"),
                                        ("2", "R-2", "SKU-2", "0", "Wrong size", "OrderState_Sent")]
    page = drift_markdown(drift, threshold=0, grace_minutes=30, at=NOW)
    assert "**Returns in the warehouse** (not counted): 2 row(s) of 1 order(s)" in page
    assert "| 2 | OrderState\\_Sent | R-2 | Returned (200) | 2026-03-02T09:00:00+00:00 | SKU-1 | 1 | 2 | 2 | 2 " \
           "| Damaged |" in page


def test_an_order_at_800_is_a_return_not_a_shipment_to_report():
    drift = compare(erp_orders={1: erp_order(1), 2: erp_order(2, "Confirmed")},
                    wms_orders={"1": wms_order("1"), "2": wms_order("2", 800, EARLIER)})

    assert drift.rows["shipped_not_reported"] == [] and drift.total == 0
    assert [(r["order"], r["return_order"], r["return_status"]) for r in drift.returns] == [
        ("2", None, "order at WMS status 800, no return order read")]


def test_without_the_returns_process_nothing_is_listed():
    options = DriftOptions(processes_on=frozenset({"articles", "orders", "shipped", "stock"}))
    drift = compare(options, returns=[return_order("2", ("SKU-1", 1, 1, None))])
    assert drift.returns == []
    assert "Returns in the warehouse" not in drift_markdown(drift, threshold=0, grace_minutes=30, at=NOW)
