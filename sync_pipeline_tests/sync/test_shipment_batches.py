"""Shipped orders reported in batches over real HTTP: the orders one run reports go in one SaveInvoices,
an order 24SevenOffice refuses fails alone (named with its field) and the rest are Sent, each once."""

from __future__ import annotations

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.sync.shipped import report_shipped
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import erp_orders


def order(order_id: int) -> dict:
    return {"OrderId": order_id, "OrderStatus": "Confirmed", "CustomerId": 1, "CustomerDeliveryPhone": "+47 1",
            "InvoiceEmailAddress": "a@example.no", "InvoiceRows": [{"ProductId": 1, "RowId": 1, "Quantity": "1"}]}


@pytest.fixture
def pushed(erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    erp_admin.post("products", [{"Id": 1, "No": "A-1", "Name": "Vare"}])
    assert sync_articles(erp, wms, None).created == 1
    erp_admin.post("orders", [order(31), order(32), order(33)])
    assert push_orders(erp, wms, None, OrderOptions()).created == 3


def saves(erp_admin: Admin) -> list[str]:
    return [c["key"] for c in erp_admin.get("calls")["log"] if c["operation"] == "SaveInvoices"]


def test_a_refused_order_fails_alone_and_the_rest_of_the_batch_is_sent(erp: ErpClient, wms: WmsClient,
                                                                        erp_admin: Admin, wms_admin: Admin,
                                                                        pushed: None) -> None:
    for number in (31, 32, 33):
        wms_admin.post(f"orders/{number}/status", {"OrderStatusNumber": 450, "WayBill": f"TRACK-{number}"})
    erp_admin.post("orders", {"OrderId": 32, "OrderStatus": "Invoiced"})  # invoiced in between: locked

    first = report_shipped(erp, wms, None, OrderOptions())

    assert first.updated == 2
    [failure] = first.failures
    assert (failure.key, failure.field) == ("32", "OrderStatus") and "Invoiced" in failure.message
    assert saves(erp_admin) == ["31,32,33"], "one SaveInvoices for the run's three orders"
    held = erp_orders(erp_admin)
    assert {i: held[i]["OrderStatus"] for i in (31, 32, 33)} == {31: "OrderState_Sent", 32: "Invoiced",
                                                                33: "OrderState_Sent"}
    assert "TRACK-31" in held[31]["InvoiceText"] and "TRACK-33" in held[33]["InvoiceText"]

    again = report_shipped(erp, wms, first.cursor, OrderOptions())  # read again in the overlap
    assert again.updated == 0 and [f.key for f in again.failures] == ["32"]
    assert saves(erp_admin) == ["31,32,33", "32"], "the sent ones are not written again"


class FailsAfterReading:
    """The ERP client, with 24SevenOffice failing every call once the run has read the orders it reports."""

    def __init__(self, erp: ErpClient, erp_admin: Admin) -> None:
        self._erp, self._admin = erp, erp_admin

    def orders(self, order_ids, statuses=None):
        found = self._erp.orders(order_ids, statuses)
        self._admin.post("faults", {"error_rate": 1.0})
        return found

    def __getattr__(self, name: str):
        return getattr(self._erp, name)


def test_a_failed_call_for_a_batch_fails_its_orders_once_and_does_not_stop_the_run(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, pushed: None) -> None:
    for number in (31, 32, 33):
        wms_admin.post(f"orders/{number}/status", {"OrderStatusNumber": 450, "WayBill": f"TRACK-{number}"})

    first = report_shipped(FailsAfterReading(erp, erp_admin), wms, None, OrderOptions())  # no BatchAborted

    assert sorted(f.key for f in first.failures) == ["31", "32", "33"]
    assert all(f.retryable for f in first.failures), "the call failed, not the orders: each is retried"
    erp_admin.post("faults", {})
    again = report_shipped(erp, wms, None, OrderOptions())
    assert again.updated == 3 and again.failures == []
    held = erp_orders(erp_admin)
    assert {held[i]["OrderStatus"] for i in (31, 32, 33)} == {"OrderState_Sent"}
