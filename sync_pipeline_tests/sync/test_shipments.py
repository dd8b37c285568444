"""Order life, shipped side, over both sandboxes (real HTTP): the warehouse's parcels and carrier appended
to the ERP order's tracking field once and the merchant's text kept, picked quantities as the rows'
QuantityDelivered / QuantityRest, a short pick listed, and a returned order (800) not taken for a shipment."""

from __future__ import annotations

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.sync.shipment import ShipmentOptions
from sync_pipeline.sync.shipped import SHIPMENTS, SHORT_SHIPMENTS, report_shipped, report_shipped_by_id
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.settings_environment import clear_settings, load, problems
from sync_pipeline_tests.sync.conftest import calls, erp_orders

PRODUCTS = [{"Id": 1, "No": "A-1", "Name": "Kaffe", "Stock": "50", "StockControlled": True},
            {"Id": 2, "No": "B-2", "Name": "Te", "Stock": "50", "StockControlled": True}]
MERCHANT_TEXT = "Takk for handelen! Bytterett 30 dager."


def order(order_id: int, *rows: tuple[int, int, str], text: str | None = MERCHANT_TEXT) -> dict:
    return {"OrderId": order_id, "OrderStatus": "Confirmed", "CustomerId": 1, "CustomerDeliveryPhone": "+47 1",
            "InvoiceEmailAddress": "a@example.no", "InvoiceText": text,
            "InvoiceRows": [{"ProductId": p, "RowId": r, "Quantity": q} for p, r, q in rows]}


@pytest.fixture
def pushed(erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    """ERP orders 61 (3 of A-1 in row 1, 2 of B-2 in row 2) and 62 in the warehouse, with stock to pick."""
    erp_admin.post("products", PRODUCTS)
    assert sync_articles(erp, wms, None).created == 2
    wms_admin.post("stock", [{"ArticleNumber": "A-1", "NumberOfItems": 20}, {"ArticleNumber": "B-2", "NumberOfItems": 20}])
    erp_admin.post("orders", [order(61, (1, 1, "3"), (2, 2, "2")), order(62, (1, 1, "1"))])
    assert push_orders(erp, wms, None, OrderOptions()).created == 2


def rows(erp_admin: Admin, order_id: int) -> dict[int, tuple[int | None, str | None, str | None]]:
    return {row["RowId"]: (row.get("ProductId"), row.get("QuantityDelivered"), row.get("QuantityRest"))
            for row in erp_orders(erp_admin)[order_id]["InvoiceRows"]}


def test_parcels_carrier_and_picked_quantities_reach_the_erp_order_once(erp: ErpClient, wms: WmsClient,
                                                                        erp_admin: Admin, wms_admin: Admin,
                                                                        pushed) -> None:
    wms_admin.post("orders/61/status", {"OrderStatusNumber": 450, "WayBill": "WB-1", "Parcels": ["WB-2"],
                                        "Transporter": {"Code": "PN", "Name": "PostNord"}, "Picked": {"2": 1}})

    first = report_shipped(erp, wms, None, OrderOptions())

    saved = erp_orders(erp_admin)[61]
    assert saved["OrderStatus"] == "OrderState_Sent"
    assert saved["InvoiceText"] == f"{MERCHANT_TEXT}\nTracking: WB-1, WB-2 (PostNord)"
    assert rows(erp_admin, 61) == {1: (1, "3", "0"), 2: (2, "1", "1")}, "products kept, delivered and rest set"
    assert first.updated == 1 and first.failures == []
    assert first.details[SHIPMENTS]["61"] == {"waybills": ["WB-1", "WB-2"], "carrier": "PostNord",
                                              "field": "InvoiceText", "appended": "Tracking: WB-1, WB-2 (PostNord)",
                                              "rows_delivered": 2}
    assert first.details[SHORT_SHIPMENTS] == {"61": [{"row": "2", "article": "B-2", "ordered": "2", "picked": "1",
                                                      "short": "1"}]}
    assert erp_orders(erp_admin)[62]["OrderStatus"] == "Confirmed", "not shipped yet"

    again = [report_shipped(erp, wms, first.cursor, OrderOptions()), report_shipped(erp, wms, None, OrderOptions())]

    assert [(r.updated, r.unchanged) for r in again] == [(0, 1), (0, 1)]
    assert all(SHORT_SHIPMENTS not in r.details for r in again), "the shortfall is listed by the run that wrote it"
    assert calls(erp_admin, "SaveInvoices") == 1
    assert erp_orders(erp_admin)[61]["InvoiceText"] == f"{MERCHANT_TEXT}\nTracking: WB-1, WB-2 (PostNord)"


def test_a_later_parcel_is_appended_and_the_merchants_own_text_is_kept(erp: ErpClient, wms: WmsClient,
                                                                       erp_admin: Admin, wms_admin: Admin,
                                                                       pushed) -> None:
    wms_admin.post("orders/62/status", {"OrderStatusNumber": 450, "WayBill": "WB-10"})
    report_shipped(erp, wms, None, OrderOptions())
    edited = f"{MERCHANT_TEXT}\nTracking: WB-10\nRing før levering."
    erp_admin.post("orders", [{"OrderId": 62, "InvoiceText": edited}])  # the merchant edits the text
    wms_admin.post("orders/62/status", {"OrderStatusNumber": 500, "Parcels": ["WB-1"]})  # a second parcel

    later = report_shipped(erp, wms, None, OrderOptions())

    assert erp_orders(erp_admin)[62]["InvoiceText"] == f"{edited}\nTracking: WB-1"
    assert later.details[SHIPMENTS]["62"]["appended"] == "Tracking: WB-1", "WB-1 is not in WB-10"
    assert report_shipped(erp, wms, None, OrderOptions()).updated == 0


def test_the_merchant_chooses_the_field_or_neither(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                   wms_admin: Admin, pushed) -> None:
    wms_admin.post("orders/61/status", {"OrderStatusNumber": 450, "WayBill": "WB-1"})
    wms_admin.post("orders/62/status", {"OrderStatusNumber": 450, "WayBill": "WB-2"})

    report_shipped_by_id(erp, wms, [61], OrderOptions(),
                         shipment=ShipmentOptions(tracking_field="DeliveryAlternative", report_delivered=False))
    report_shipped_by_id(erp, wms, [62], OrderOptions(), shipment=ShipmentOptions(tracking_field=None))

    saved = erp_orders(erp_admin)
    assert (saved[61]["InvoiceText"], saved[61]["DeliveryAlternative"]) == (MERCHANT_TEXT, "Tracking: WB-1")
    assert rows(erp_admin, 61) == {1: (1, None, None), 2: (2, None, None)}
    assert (saved[62]["InvoiceText"], saved[62].get("DeliveryAlternative")) == (MERCHANT_TEXT, None)
    assert rows(erp_admin, 62) == {1: (1, "1", "0")}
    assert saved[61]["OrderStatus"] == saved[62]["OrderStatus"] == "OrderState_Sent"


def test_a_returned_order_is_not_a_shipment(erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin,
                                            pushed) -> None:
    wms_admin.post("orders/61/status", {"OrderStatusNumber": 800})  # came back to the warehouse
    wms_admin.post("orders/62/status", {"OrderStatusNumber": 450})

    report = report_shipped(erp, wms, None, OrderOptions())
    by_id = report_shipped_by_id(erp, wms, [61], OrderOptions())

    assert {o: erp_orders(erp_admin)[o]["OrderStatus"] for o in (61, 62)} == {61: "Confirmed", 62: "OrderState_Sent"}
    assert report.updated == 1
    assert [(f.key, f.field) for f in by_id.failures] == [("61", "OrderStatusNumber")]
    assert "status 800" in by_id.failures[0].message


def test_settings_choose_the_tracking_field_and_delivered_quantities(monkeypatch, tmp_path) -> None:
    clear_settings(monkeypatch, tmp_path)
    default = ProcessConfig.from_settings(load(monkeypatch)).shipment
    assert default == ShipmentOptions(tracking_field="InvoiceText", report_delivered=True)
    chosen = ProcessConfig.from_settings(load(monkeypatch, SYNC_TRACKING_FIELD="deliveryalternative",
                                              SYNC_REPORT_DELIVERED="off")).shipment
    assert chosen == ShipmentOptions(tracking_field="DeliveryAlternative", report_delivered=False)
    assert load(monkeypatch, SYNC_TRACKING_FIELD="off").sync_tracking_field is None
    [wrong] = problems(monkeypatch, SYNC_TRACKING_FIELD="Notes")
    assert "SYNC_TRACKING_FIELD" in wrong and "InvoiceText" in wrong and "Notes" in wrong
    [returned] = problems(monkeypatch, SYNC_TRACKING_FIELD="InvoiceText", SYNC_WMS_SENT_STATUS="800")
    assert "SYNC_WMS_SENT_STATUS" in returned and "800" in returned

