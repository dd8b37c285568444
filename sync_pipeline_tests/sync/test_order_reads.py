"""What a push run costs 24SevenOffice: a run soon after the last reads its changed orders in one
GetInvoices by ChangedAfter; the first run (no cursor) lists the ids first. Counted by the sandbox."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sync_pipeline.erp import ErpClient
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import wms_orders


def order(order_id: int, status: str = "Confirmed") -> dict[str, Any]:
    return {"OrderId": order_id, "OrderStatus": status, "CustomerId": 1, "CustomerDeliveryPhone": "+47 1",
            "InvoiceEmailAddress": "a@example.no", "InvoiceRows": [{"ProductId": 1, "RowId": 1, "Quantity": "1"}]}


def erp_reads(erp_admin: Admin) -> Counter[str]:
    log = erp_admin.get("calls")["log"]
    erp_admin.post("calls/reset", {})
    return Counter(c["operation"] for c in log if c["operation"] in ("GetOrderSyncList", "GetInvoices"))


def test_a_push_run_after_the_last_reads_its_orders_in_one_request(erp: ErpClient, wms: WmsClient,
                                                                     erp_admin: Admin, wms_admin: Admin) -> None:
    erp_admin.post("products", [{"Id": 1, "No": "A-1", "Name": "Vare"}])
    assert sync_articles(erp, wms, None).created == 1
    erp_admin.post("orders", [order(41), order(42, status="Offer")])
    erp_reads(erp_admin)

    first = push_orders(erp, wms, None, OrderOptions())
    assert first.created == 1
    assert erp_reads(erp_admin) == Counter({"GetOrderSyncList": 1, "GetInvoices": 1}), "no cursor: the long way"

    erp_admin.post("orders", [order(43), {"OrderId": 42, "OrderStatus": "Confirmed"}])
    second = push_orders(erp, wms, first.cursor, OrderOptions())
    assert (second.created, second.failed) == (2, 0)
    assert erp_reads(erp_admin) == Counter({"GetInvoices": 1})
    assert {"41", "42", "43"} <= set(wms_orders(wms_admin))

    third = push_orders(erp, wms, second.cursor, OrderOptions())
    assert (third.created, third.updated) == (0, 0), "read again in the overlap, not pushed twice"


def test_the_warehouse_is_asked_for_its_copies_while_the_erp_reads_the_orders(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    # Both reads need only the ids: the first write waits for one round trip, not two. With the ERP
    # answering after 1.5 s, the WMS is asked while GetInvoices is on its way, not after its reply.
    erp_admin.post("products", [{"Id": 1, "No": "A-1", "Name": "Vare"}])
    assert sync_articles(erp, wms, None).created == 1
    erp_admin.post("orders", [order(51), order(52)])
    for admin in (erp_admin, wms_admin):
        admin.post("calls/reset", {})
    erp_admin.post("faults", {"latency_ms": 1500})
    try:
        report = push_orders(erp, wms, None, OrderOptions())
    finally:
        erp_admin.post("faults", {})
    assert (report.created, report.failed) == (2, 0)

    def answered(admin: Admin, operation: str) -> datetime:
        (time,) = [c["time"] for c in admin.get("calls")["log"] if c["operation"] == operation]
        return datetime.fromisoformat(time)

    apart = answered(wms_admin, "GetOrdersByQuery") - answered(erp_admin, "GetInvoices")
    assert abs(apart) < timedelta(seconds=0.75), f"the WMS was asked {apart} after the ERP's read, not beside it"
