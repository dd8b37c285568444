"""Every field of every seed map arrives in the WMS: the sync functions over real HTTP, read back.

Values are read back through the WMS client (GetInventoryByQuery / GetOrdersByQuery) where its
models expose them, and from the sandbox's GET /_sandbox/state for the rest (the client's models do
not carry an article's barcode, description and weight, an order's SalesCode, OrderRemark and way of
delivery, or suppliers).
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sync_pipeline.erp import ErpClient
from sync_pipeline.mapping import MAPS
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.sync.suppliers import sync_suppliers
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import calls, wms_articles, wms_orders, wms_suppliers

FULL_PRODUCT = {"Id": 101, "No": "ÆØÅ-ü/101", "Name": "Sovepose dun −10 °C «Ægir»",
                "Description": "Fyll: 800 g gåsedun\nSkall: ripstop ✓", "EAN1": "7041234001017", "Weight": "1.250"}
EMPTY_PRODUCT = {"Id": 102, "No": "TOM-102", "Name": "", "Description": "   ", "EAN1": "", "Weight": "0"}
BARE_PRODUCT = {"Id": 103, "No": "BAR-103"}

DELIVERY = {"Street": "Järnvägsgatan 7", "PostalCode": "831 34", "PostalArea": "Östersund",
            "City": "Östersunds kommun", "Country": "se", "State": "Jämtland", "Name": "not mapped"}
INVOICE = {"Street": "Box 12 – Økonomi", "PostalCode": "0155", "PostalArea": "Oslo", "City": "Oslo kommune",
           "Country": "no", "State": "Østlandet", "Name": "not mapped either"}
FULL_ORDER = {
    "OrderId": 501, "OrderStatus": "Confirmed", "CustomerId": 41, "CustomerName": "Åsa Lindström AB",
    "CustomerDeliveryName": "Åsa Lindström", "CustomerDeliveryPhone": "+46 70 123 45 67",
    "InvoiceEmailAddress": "åsa@exempel.se", "DeliveryDate": "2031-05-17T00:00:00+00:00",
    "ReferenceNumber": "WEB-ÆØÅ-1", "YourReference": "Björn Ekström", "InvoiceTitle": "Leveranse – «hast»",
    "DeliveryMethod": {"Id": 7, "Description": "Posten – Pakke i postkassen"},
    "Addresses": {"Delivery": DELIVERY, "Invoice": INVOICE},
    "InvoiceRows": [{"ProductId": 101, "RowId": 10, "Quantity": "2"},
                    {"ProductId": 103, "RowId": 20, "Quantity": "1.5"}],
}
# Phone blank and e-mail missing on the order: both come from the customer's company.
FALLBACK_ORDER = {"OrderId": 502, "OrderStatus": "Confirmed", "CustomerId": 42, "CustomerDeliveryPhone": "  ",
                  "DeliveryDate": "2031-05-18T00:00:00+00:00",
                  "InvoiceRows": [{"ProductId": 102, "RowId": 1, "Quantity": "1"}]}
FALLBACK_COMPANY = {"Id": 42, "Name": "Kari Nordmann", "Type": "Consumer",
                    "PhoneNumbers": {"Fax": {"Value": "+47 00 00 00 00"}, "Mobile": {"Value": "+47 912 34 567"},
                                     "Work": {"Value": "+47 22 33 44 55"}},
                    "EmailAddresses": {"Home": {"Value": "kari@hjemme.example.no"},
                                       "Primary": {"Value": "kåri@example.no"}}}
# Only what the WMS requires; blank texts; no company to fall back on; no delivery date.
BARE_ORDER = {"OrderId": 503, "OrderStatus": "Confirmed", "CustomerId": 43, "ReferenceNumber": "",
              "YourReference": " ", "InvoiceTitle": "", "CustomerDeliveryName": "",
              "InvoiceRows": [{"ProductId": 103, "RowId": 5, "Quantity": "3"}]}


def test_the_article_map_covers_the_six_seed_fields() -> None:
    rows = {(row.target, row.source) for row in MAPS["article"].rows}
    assert rows == {("ProductCode", "Id"), ("ArticleNumber", "No"), ("ArticleName", "Name"),
                    ("ArticleDescription", "Description"), ("BarCode", "EAN1"), ("Weight", "Weight")}


def test_every_article_field_arrives(erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    erp_admin.post("products", [FULL_PRODUCT, EMPTY_PRODUCT, BARE_PRODUCT])

    report = sync_articles(erp, wms, None)

    assert (report.created, report.failures) == (3, [])
    read_back = wms.inventory(article_numbers=["ÆØÅ-ü/101", "TOM-102", "BAR-103"])
    assert {line.ArticleNumber: (line.ProductCode, line.ArticleName) for line in read_back} == {
        "ÆØÅ-ü/101": ("101", "Sovepose dun −10 °C «Ægir»"),
        "TOM-102": ("102", None),
        "BAR-103": ("103", None),
    }
    stored = wms_articles(wms_admin)
    full = stored["ÆØÅ-ü/101"]
    assert (full["BarCode"], full["ArticleDescription"], Decimal(full["Weight"])) == (
        "7041234001017", "Fyll: 800 g gåsedun\nSkall: ripstop ✓", Decimal("1.250"))
    optional = {"ArticleName", "ArticleDescription", "BarCode", "Weight"}
    assert optional & set(stored["TOM-102"]) == {"Weight"}, "blank texts are left out, not sent empty"
    assert Decimal(stored["TOM-102"]["Weight"]) == 0, "a zero weight is a value, not a missing one"
    assert optional & set(stored["BAR-103"]) == set()


def test_every_order_field_arrives(erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    erp_admin.post("products", [FULL_PRODUCT, EMPTY_PRODUCT, BARE_PRODUCT])
    erp_admin.post("orders", [FULL_ORDER])
    assert sync_articles(erp, wms, None).failures == []

    report = push_orders(erp, wms, None, OrderOptions())

    assert (report.created, report.failures) == (1, [])
    assert calls(erp_admin, "GetCompanies") == 0, "phone and e-mail on the order: no company lookup"
    [order] = wms.orders(order_numbers=["501"])
    assert (order.GoodsOwnerOrderNumber, order.ReferenceNumber, order.DeliveryDate) == (
        "501", "WEB-ÆØÅ-1", datetime(2031, 5, 17, tzinfo=timezone.utc))
    consignee = order.Consignee.model_dump()
    assert consignee == {
        "CustomerNumber": "41", "Name": "Åsa Lindström", "Address": "Järnvägsgatan 7", "PostCode": "831 34",
        "City": "Östersund", "CountryCode": "SE", "CountryStateCode": "Jämtland",
        "MobilePhone": "+46 70 123 45 67", "TelePhone": "+46 70 123 45 67", "Email": "åsa@exempel.se"}
    assert order.InvoiceAddress.model_dump() == {
        "Name": "Åsa Lindström AB", "Address": "Box 12 – Økonomi", "PostCode": "0155", "City": "Oslo",
        "CountryCode": "NO", "CountryStateCode": "Østlandet", "TelePhone": None, "MobilePhone": None, "Email": None}
    assert [(line.ExternalOrderLineCode, line.ProductCode, line.ArticleNumber, line.OrderedNumberOfItems)
            for line in order.Lines] == [("10", "101", "ÆØÅ-ü/101", Decimal("2")),
                                         ("20", "103", "BAR-103", Decimal("1.5"))]
    info = wms_orders(wms_admin)["501"]["OrderInfo"]
    assert (info["SalesCode"], info["OrderRemark"], info["WayOfDelivery"], info["WayOfDeliveryType"]) == (
        "Björn Ekström", "Leveranse – «hast»", "Posten – Pakke i postkassen",
        {"Code": "7", "Name": "Posten – Pakke i postkassen"})


def test_phone_and_email_fall_back_to_the_customer_company(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                          wms_admin: Admin) -> None:
    erp_admin.post("products", [EMPTY_PRODUCT])
    erp_admin.post("companies", [FALLBACK_COMPANY])
    erp_admin.post("orders", [FALLBACK_ORDER])
    assert sync_articles(erp, wms, None).failures == []

    report = push_orders(erp, wms, None, OrderOptions())

    assert (report.created, report.failures) == (1, [])
    [order] = wms.orders(order_numbers=["502"])
    contact = (order.Consignee.MobilePhone, order.Consignee.TelePhone, order.Consignee.Email)
    # MobilePhone: Mobile first; TelePhone: Primary, then Work; Email: Invoice, then Primary. Never the fax.
    assert contact == ("+47 912 34 567", "+47 22 33 44 55", "kåri@example.no")


def test_empty_and_missing_order_fields_are_left_out(erp: ErpClient, wms: WmsClient, erp_admin: Admin,
                                                     wms_admin: Admin) -> None:
    erp_admin.post("products", [BARE_PRODUCT])
    erp_admin.post("orders", [BARE_ORDER])
    assert sync_articles(erp, wms, None).failures == []
    before = datetime.now(timezone.utc).date()

    report = push_orders(erp, wms, None, OrderOptions())

    after = datetime.now(timezone.utc).date()
    assert (report.created, report.failures) == (1, [])
    [order] = wms.orders(order_numbers=["503"])
    assert order.DeliveryDate.time() == datetime.min.time()
    assert order.DeliveryDate.date() in {before, after}, "no delivery date: today (UTC), the WMS needs one"
    assert order.InvoiceAddress is None
    assert order.Consignee.model_dump(exclude_none=True) == {"CustomerNumber": "43"}
    stored = wms_orders(wms_admin)["503"]
    assert set(stored["OrderInfo"]) == {"DeliveryDate"}
    assert [(line["ExternalOrderLineCode"], line["ArticleNumber"], Decimal(line["NumberOfItems"]))
            for line in stored["Lines"]] == [("5", "BAR-103", Decimal(3))]


SUPPLIER = {"Id": 61, "Name": "Norsk Ullvare AS – Ålesund", "Type": "Supplier",
            "Addresses": {"Post": {"Street": "Fabrikkvegen 3", "PostalCode": "6002", "PostalArea": "not mapped",
                                   "City": "Ålesund", "Country": "no", "State": "Møre"}}}
BARE_SUPPLIER = {"Id": 62, "Name": "", "Type": "Supplier", "Addresses": {"Post": {"Street": " "}}}


def test_every_supplier_field_arrives(erp: ErpClient, wms: WmsClient, erp_admin: Admin, wms_admin: Admin) -> None:
    erp_admin.post("companies", [SUPPLIER, BARE_SUPPLIER])
    erp_admin.post("products", [{**FULL_PRODUCT, "SupplierId": 61}, {**BARE_PRODUCT, "SupplierId": 62}])

    report = sync_suppliers(erp, wms, None)

    assert (report.updated, report.failures) == (2, [])
    suppliers = wms_suppliers(wms_admin)
    assert suppliers["61"]["SupplierName"] == "Norsk Ullvare AS – Ålesund"
    assert {k: v for k, v in suppliers["61"]["Address"].items() if k in {"Address", "PostCode", "City",
                                                                          "CountryCode"}} == {
        "Address": "Fabrikkvegen 3", "PostCode": "6002", "City": "Ålesund", "CountryCode": "NO"}
    assert "SupplierName" not in suppliers["62"]
    assert {"Address", "PostCode", "City", "CountryCode"} & set(suppliers["62"]["Address"]) == set()
    articles = wms_articles(wms_admin)
    assert (articles["ÆØÅ-ü/101"]["MainSupplierNumber"], articles["BAR-103"]["MainSupplierNumber"]) == ("61", "62")
