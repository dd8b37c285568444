"""Each switch of the sync functions over real HTTP: import status, shipped -> Sent once, stock basis
and differing-only writes, failing records that do not stop the others, and the supplier process."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.settings import Settings
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.sync.shipped import report_shipped
from sync_pipeline.sync.stock import sync_stock
from sync_pipeline.sync.suppliers import sync_suppliers
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import (calls, erp_orders, erp_stock, wms_articles, wms_orders,
                                               wms_suppliers)

PRODUCTS = [{"Id": 1, "No": "A-1", "Name": "Kaffe", "Stock": "5", "StockControlled": True},
            {"Id": 2, "No": "B-2", "Name": "Te", "Stock": "7", "StockControlled": True},
            {"Id": 3, "No": "C-3", "Name": "Kakao", "Stock": "0", "StockControlled": True},
            {"Id": 4, "No": "D-4", "Name": "Sukker", "Stock": "3", "StockControlled": True}]


def order(order_id: int, *rows: tuple[int, int, str], status: str = "Confirmed") -> dict:
    return {"OrderId": order_id, "OrderStatus": status, "CustomerId": 1, "CustomerDeliveryPhone": "+47 1",
            "InvoiceEmailAddress": "a@example.no",
            "InvoiceRows": [{"ProductId": p, "RowId": r, "Quantity": q} for p, r, q in rows]}


@pytest.fixture
def catalogue(erp: ErpClient, wms: WmsClient, erp_admin: Admin) -> None:
    erp_admin.post("products", PRODUCTS)
    assert sync_articles(erp, wms, None).created == len(PRODUCTS)


def statuses(erp_admin: Admin) -> dict[int, str]:
    return {order_id: o["OrderStatus"] for order_id, o in erp_orders(erp_admin).items()}


# -- import status ----------------------------------------------------------------------------------


def test_import_status_is_off_by_default(erp: ErpClient, wms: WmsClient, erp_admin: Admin, catalogue) -> None:
    assert Settings.model_fields["sync_imported_erp_status"].default is None
    assert OrderOptions().imported_status is None
    erp_admin.post("orders", [order(11, (1, 1, "1")), order(12, (2, 1, "2"))])

    report = push_orders(erp, wms, None, OrderOptions())

    assert report.created == 2
    assert statuses(erp_admin) == {11: "Confirmed", 12: "Confirmed"}
    assert calls(erp_admin, "SaveInvoices") == 0


def test_import_status_is_set_once_the_wms_has_the_order(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                         wms_admin: Admin, catalogue) -> None:
    erp_admin.post("orders", [order(11, (1, 1, "1")), order(12, (2, 1, "2")), order(13, (999, 1, "1")),
                              order(14, (3, 1, "1"), status="Offer")])
    options = OrderOptions(imported_status="Pack")

    first = push_orders(erp, wms, None, options)

    assert (first.created, [f.key for f in first.failures]) == (2, ["13"])
    assert set(wms_orders(wms_admin)) == {"11", "12"}
    assert statuses(erp_admin) == {11: "Pack", 12: "Pack", 13: "Confirmed", 14: "Offer"}
    assert calls(erp_admin, "SaveInvoices") == 2
    wms_admin.post("calls/reset")
    again = push_orders(erp, wms, first.cursor, options)
    assert (again.created, again.updated) == (0, 0)
    pushed = {c["key"] for c in wms_admin.get("calls")["log"] if c["operation"] == "ProcessOrder"}
    assert not pushed & {"11", "12"}, "an order in the import status is no longer pulled"


# -- shipped -> Sent ----------------------------------------------------------------------------------


def test_shipped_orders_become_sent_exactly_once(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                 wms_admin: Admin, catalogue) -> None:
    erp_admin.post("orders", [order(21, (1, 1, "1")), order(22, (2, 1, "1")), order(23, (3, 1, "1"))])
    assert push_orders(erp, wms, None, OrderOptions()).created == 3
    wms_admin.post("orders/21/status", {"OrderStatusNumber": 450, "WayBill": "TRACK-21"})
    wms_admin.post("orders/22/status", {"OrderStatusNumber": 400})  # picked, not sent yet
    wms_admin.post("orders/23/status", {"OrderStatusNumber": 500})  # collected: past sent
    options = OrderOptions()

    reports = [report_shipped(erp, wms, None, options)]
    for _ in range(3):
        reports.append(report_shipped(erp, wms, reports[-1].cursor, options))
    reports.append(report_shipped(erp, wms, None, options))  # a full re-read, as after a lost cursor

    assert [r.updated for r in reports] == [2, 0, 0, 0, 0]
    assert all(r.failures == [] for r in reports)
    saves = [c["key"] for c in erp_admin.get("calls")["log"] if c["operation"] == "SaveInvoices"]
    assert saves == ["21,23"], "both shipped orders in one SaveInvoices, each written once"
    assert statuses(erp_admin) == {21: "OrderState_Sent", 22: "Confirmed", 23: "OrderState_Sent"}


def test_the_sent_status_is_matched_by_number(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                              wms_admin: Admin, catalogue) -> None:
    erp_admin.post("orders", [order(31, (1, 1, "1")), order(32, (2, 1, "1"))])
    assert push_orders(erp, wms, None, OrderOptions()).created == 2
    wms_admin.post("orders/31/status", {"OrderStatusNumber": 450})
    wms_admin.post("orders/32/status", {"OrderStatusNumber": 500})

    report = report_shipped(erp, wms, None, OrderOptions(wms_sent_status=500, shipped_status="Invoiced"))

    assert report.updated == 1
    assert statuses(erp_admin) == {31: "Confirmed", 32: "Invoiced"}


# -- stock ------------------------------------------------------------------------------------------


def test_stock_is_written_only_for_differing_articles(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                      wms_admin: Admin, catalogue) -> None:
    wms_admin.post("stock", [{"ArticleNumber": n, "NumberOfItems": q}
                             for n, q in (("A-1", 5), ("B-2", 9), ("C-3", 4), ("D-4", 3))])

    report, snapshot = sync_stock(erp, wms, basis="physical")

    assert (report.updated, report.unchanged, report.failures) == (2, 2, [])
    assert calls(erp_admin, "SetStockQuantity") == 2
    assert erp_stock(erp_admin) == {"A-1": 5, "B-2": 9, "C-3": 4, "D-4": 3}
    sync_stock(erp, wms, basis="physical")
    assert calls(erp_admin, "SetStockQuantity") == 2, "equal balances are not written again"


def test_sellable_stock_basis_leaves_out_booked_items(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                      wms_admin: Admin, catalogue) -> None:
    wms_admin.post("stock", [{"ArticleNumber": n, "NumberOfItems": q}
                             for n, q in (("A-1", 5), ("B-2", 9), ("C-3", 0), ("D-4", 3))])
    erp_admin.post("orders", [order(41, (2, 1, "3"))])
    assert push_orders(erp, wms, None, OrderOptions()).created == 1  # an open order books 3 of B-2
    [line] = wms.inventory(article_numbers=["B-2"])
    assert (line.NumberOfItems, line.SellableNumberOfItems) == (9, 6)

    sellable, _ = sync_stock(erp, wms, basis="sellable")
    assert (sellable.updated, calls(erp_admin, "SetStockQuantity")) == (1, 1)
    assert erp_stock(erp_admin) == {"A-1": 5, "B-2": 6, "C-3": 0, "D-4": 3}

    physical, _ = sync_stock(erp, wms, basis="physical")
    assert (physical.updated, calls(erp_admin, "SetStockQuantity")) == (1, 2)
    assert erp_stock(erp_admin)["B-2"] == 9


# -- failing records ----------------------------------------------------------------------------------


def test_a_failing_article_does_not_stop_the_others(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                    wms_admin: Admin) -> None:
    erp_admin.post("products", [*PRODUCTS[:2],
                                {"Id": 8, "No": "LONG-WMS", "Name": "x" * 101},  # the WMS takes 100
                                {"Id": 9, "No": "TAB\tERP", "Name": "Tab in the number"},
                                *PRODUCTS[2:]])

    report = sync_articles(erp, wms, None)

    assert report.created == 4
    failures = {f.key: f for f in report.failures}
    assert set(failures) == {"LONG-WMS", "Product Id 9"}
    assert "ArticleName" in failures["LONG-WMS"].message and "100" in failures["LONG-WMS"].message
    assert failures["Product Id 9"].field == "No" and "control characters" in failures["Product Id 9"].message
    assert set(wms_articles(wms_admin)) == {"A-1", "B-2", "C-3", "D-4"}
    assert calls(wms_admin, "ProcessArticle") == 5, "the one the mapping refused is never sent"


def test_a_failing_order_does_not_stop_the_others(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                  wms_admin: Admin, catalogue) -> None:
    erp_admin.post("orders", [order(51, (999, 1, "1")),  # no such article in the WMS
                              order(52, (1, 1, "1"), (2, 2, "0")),  # quantity 0
                              order(53),  # no rows
                              order(54, (1, 1, "2"), (4, 2, "1"))])

    report = push_orders(erp, wms, None, OrderOptions())

    assert report.created == 1
    failures = {f.key: f for f in report.failures}
    assert set(failures) == {"51", "52", "53"}
    assert "999" in failures["51"].message
    assert failures["52"].field == "InvoiceRows[1].Quantity" and "RowId 2" in failures["52"].message
    assert failures["53"].field == "InvoiceRows"
    assert set(wms_orders(wms_admin)) == {"54"}


class ShipsAfterReading:
    """The WMS client, with the warehouse starting on an order just after the pusher read its status."""

    def __init__(self, wms: WmsClient, start_work) -> None:
        self._wms, self._start_work = wms, start_work

    def orders(self, **filters):
        found = list(self._wms.orders(**filters))
        if self._start_work is not None:
            self._start_work()
            self._start_work = None
        return iter(found)

    def __getattr__(self, name: str):
        return getattr(self._wms, name)


def test_an_order_the_warehouse_starts_on_meanwhile_is_left_alone_not_dead_lettered(
        erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin, catalogue) -> None:
    erp_admin.post("orders", [order(61, (1, 1, "1")), order(62, (2, 1, "1"))])
    first = push_orders(erp, wms, None, OrderOptions())
    assert first.created == 2
    erp_admin.post("orders", [order(61, (1, 1, "3")), order(62, (2, 1, "2"))])  # changed in the ERP
    racing = ShipsAfterReading(wms, lambda: wms_admin.post("orders/61/status", {"OrderStatusNumber": 450}))

    report = push_orders(erp, racing, first.cursor, OrderOptions())

    assert report.failures == [], "a refusal the warehouse's own progress explains is no failure"
    assert (report.updated, report.unchanged) == (1, 1)
    stored = wms_orders(wms_admin)
    assert stored["61"]["OrderStatusNumber"] == 450
    assert [Decimal(str(line["NumberOfItems"])) for line in stored["61"]["Lines"]] == [1], "not changed"
    assert report_shipped(erp, wms, None, OrderOptions()).updated == 1, "the shipped report takes it from here"


# -- suppliers ----------------------------------------------------------------------------------------


def test_suppliers_reach_the_wms_inside_articles(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                 wms_admin: Admin) -> None:
    erp_admin.post("companies", [{"Id": 71, "Name": "Ullvare AS", "Type": "Supplier"},
                                 {"Id": 72, "Name": "Uten varer AS", "Type": "Supplier"},
                                 {"Id": 73, "Name": "Kunde AS", "Type": "Business"}])
    erp_admin.post("products", [{**PRODUCTS[0], "SupplierId": 71}, {**PRODUCTS[1], "SupplierId": 71},
                                {**PRODUCTS[2], "SupplierId": 73}])

    report = sync_suppliers(erp, wms, None)

    assert (report.updated, report.failures) == (1, [])
    assert report.details["waiting_for_an_article"] == ["72"]
    assert set(wms_suppliers(wms_admin)) == {"71"}, "a customer company is not a supplier"
    articles = wms_articles(wms_admin)
    assert {n: a.get("MainSupplierNumber") for n, a in articles.items()} == {"A-1": "71", "B-2": "71"}

    erp_admin.post("products", [{**PRODUCTS[3], "SupplierId": 72}])
    assert sync_articles(erp, wms, None, with_suppliers=True).failures == []
    assert wms_suppliers(wms_admin)["72"]["SupplierName"] == "Uten varer AS", "the waiting one goes with its article"
    assert wms_articles(wms_admin)["D-4"]["MainSupplierNumber"] == "72"


def test_articles_carry_no_supplier_with_the_supplier_registry_off(erp: ErpClient, wms: WmsClient,
                                                                  erp_admin: Admin, wms_admin: Admin) -> None:
    erp_admin.post("companies", [{"Id": 71, "Name": "Ullvare AS", "Type": "Supplier"}])
    erp_admin.post("products", [{**PRODUCTS[0], "SupplierId": 71}])

    assert sync_articles(erp, wms, None).created == 1

    assert wms_suppliers(wms_admin) == {}
    assert "MainSupplierNumber" not in wms_articles(wms_admin)["A-1"]
    assert calls(erp_admin, "GetCompanies") == 0
