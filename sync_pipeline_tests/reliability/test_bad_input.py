"""The bad-input corpus, record by record: one bad record among good ones, through the real processes.

Each case seeds the ERP sandbox with good records plus one bad record, runs the process (the plain
sync function over real clients and real HTTP), and checks both halves of the promise: the good
records arrived, and the bad one either gave a per-record error naming the record and the field,
or was handled safely (what arrived in the WMS is stated exactly).

Records go in through the ERP sandbox's admin API. What that API refuses, because the real
service would never store it (over-long fields, its "not set" sentinel values, rows without a
RowId), is then written into the sandbox's own store, so the pipeline reads it over SOAP as a
real ERP might send it if it ever held it. Reply-level cases (malformed XML, DTDs, oversized
replies) are in test_bad_input_replies.py.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from sync_pipeline.erp import ErpClient
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sync.articles import sync_articles
from sync_pipeline.sync.orders import OrderOptions, push_orders
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.stock import sync_stock
from sync_pipeline.sync.suppliers import sync_suppliers
from sync_pipeline.wms import WmsClient
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sync.conftest import erp, wms, wms_articles, wms_orders, wms_suppliers  # noqa: F401 (fixtures)

INT_NOT_SET = -2147483648
DECIMAL_NOT_SET = "-79228162514264337593543950335"
DATETIME_NOT_SET = "0001-01-01T00:00:00+00:00"
DROP = object()  # in a raw patch: remove the field from the stored record

BAD = 50  # the bad record's Id / OrderId
GOOD_PRODUCTS = [
    {"Id": 1, "No": "GOOD-1", "Name": "Kaffe", "Stock": "5"},
    {"Id": 2, "No": "GOOD-2", "Name": "Te", "Stock": "3"},
    {"Id": 3, "No": "GOOD-3", "Name": "Kakao", "Stock": "7"},
]
GOOD_NUMBERS = {"GOOD-1", "GOOD-2", "GOOD-3"}
CUSTOMER = {"Id": 201, "Name": "Kunde AS", "Type": "Business",
            "PhoneNumbers": {"Mobile": {"Value": "+47 900 00 001"}},
            "EmailAddresses": {"Invoice": {"Value": "faktura@kunde.example"}}}
DELIVERY = {"Street": "Storgata 1", "PostalCode": "0155", "PostalArea": "Oslo", "Country": "NO"}


@dataclass(frozen=True)
class Case:
    """One bad record and what must become of it.

    record: the record as the admin API takes it. raw: fields then written into the stored record
    directly (DROP removes one). fails: (record key, field, words of the message) of the one
    per-record error expected. arrives: fields the WMS must hold for the record (handled safely);
    absent: fields it must not hold.
    """

    record: dict[str, Any]
    raw: dict[str, Any] = field(default_factory=dict)
    fails: tuple[str, str, str] | None = None
    arrives: dict[str, Any] = field(default_factory=dict)
    absent: tuple[str, ...] = ()


def case(name: str, record: dict[str, Any], **expected: Any):
    return pytest.param(Case(record, **expected), id=name)


def seed(erp_server: SandboxServer, erp_admin: Admin, route: str, records: list[dict[str, Any]],
         raw: dict[int, dict[str, Any]] | None = None) -> None:
    """Records in through the admin API, then raw patches straight into the sandbox's store."""
    erp_admin.post(route, records)
    repository = getattr(erp_server.system, route)
    for key, changes in (raw or {}).items():
        document = repository.get(key)
        for name, value in changes.items():
            if value is DROP:
                document.pop(name, None)
            else:
                document[name] = value
        repository.store.put(repository.kind, key, document)


def assert_one_failure(report: SyncReport, expected: tuple[str, str, str]) -> None:
    key, field_name, words = expected
    assert len(report.failures) == 1, f"expected one failure, got {report.failures}"
    (failure,) = report.failures
    assert (failure.key, failure.field) == (key, field_name), failure
    assert words.lower() in failure.message.lower(), failure.message


def assert_holds(stored: dict[str, Any], case_: Case) -> None:
    for name, value in case_.arrives.items():
        assert stored.get(name) == value, f"{name}: {stored.get(name)!r} != {value!r}"
    for name in case_.absent:
        assert name not in stored, f"{name} was sent: {stored[name]!r}"


# -- articles: ERP products -> WMS articles -------------------------------------------------------

def product(**fields: Any) -> dict[str, Any]:
    return {"Id": BAD, "No": "BAD-50", "Name": "Vare", **fields}


NFC_NUMBER = unicodedata.normalize("NFC", "GOOD-Å")
NFD_NUMBER = unicodedata.normalize("NFD", "GOOD-Å")
ZALGO = "Z\u0351\u0307\u0316a\u0352\u0315l\u0308\u0324g\u0303\u0330o"
EMOJI = "Kaffe \u2615 \U0001F1F3\U0001F1F4 \U0001F469\u200D\U0001F469\u200D\U0001F467"
RTL = "\u0642\u0647\u0648\u0629 \u05E7\u05E4\u05D4 \u202Eevil.exe"

ARTICLE_CASES = [
    # missing and over-long fields
    case("No-missing", product(No=None), fails=("Product Id 50", "No", "missing")),
    case("No-blank", product(No="   "), fails=("Product Id 50", "No", "missing")),
    case("No-101-characters", product(), raw={"No": "N" * 101}, fails=("N" * 101, "No", "101 characters")),
    case("No-100-characters", product(No="N" * 100), arrives={"ArticleNumber": "N" * 100}),
    case("Name-126-characters", product(), raw={"Name": "n" * 126}, fails=("BAD-50", "Name", "126 characters")),
    case("Name-over-WMS-limit", product(Name="n" * 101), fails=("BAD-50", "ArticleName", "100")),
    case("Name-at-WMS-limit", product(Name="n" * 100), arrives={"ArticleName": "n" * 100}),
    case("Name-missing", product(Name=None), absent=("ArticleName",)),
    case("Description-501-characters", product(), raw={"Description": "d" * 501},
         fails=("BAD-50", "Description", "501 characters")),
    case("EAN1-51-characters", product(), raw={"EAN1": "7" * 51}, fails=("BAD-50", "EAN1", "51 characters")),
    # sentinels and odd numbers
    case("Id-not-set", product(), raw={"Id": INT_NOT_SET}, fails=("BAD-50", "Id", "missing")),
    case("Weight-not-set", product(), raw={"Weight": DECIMAL_NOT_SET}, absent=("Weight",)),
    case("SupplierId-not-set", product(), raw={"SupplierId": INT_NOT_SET}, arrives={"ArticleNumber": "BAD-50"}),
    case("Weight-negative", product(Weight="-1.5"), fails=("BAD-50", "Weight", "negative")),
    case("Weight-fractional", product(Weight="0.0001"), arrives={"Weight": "0.0001"}),
    # unicode
    case("Name-emoji", product(Name=EMOJI), arrives={"ArticleName": EMOJI}),
    case("Name-right-to-left", product(Name=RTL), arrives={"ArticleName": RTL}),
    case("Name-combining-marks", product(Name=ZALGO), arrives={"ArticleName": ZALGO}),
    case("No-emoji", product(No="BAD-\u2615"), arrives={"ArticleNumber": "BAD-\u2615"}),
    # the same number in NFD beside the good one in NFC: two articles, neither normalised
    case("No-NFD-beside-NFC", product(No=NFD_NUMBER), arrives={"ArticleNumber": NFD_NUMBER}),
    # control characters: removed from free text, refused in identifiers
    case("Name-NUL", product(Name="Kaffe\x00filter"), arrives={"ArticleName": "Kaffefilter"}),
    case("Name-ESC", product(Name="\x1b[31mRed\x1b[0m"), arrives={"ArticleName": "[31mRed[0m"}),
    case("Name-vertical-tab", product(Name="A\x0bB"), arrives={"ArticleName": "AB"}),
    case("Name-DEL", product(Name="A\x7fB"), arrives={"ArticleName": "AB"}),
    case("Description-NUL-and-newline", product(Description="Fyll\x00: dun\nSkall"),
         arrives={"ArticleDescription": "Fyll: dun\nSkall"}),
    case("EAN1-ESC", product(EAN1="\x1b7041234001017"), arrives={"BarCode": "7041234001017"}),
    case("No-NUL", product(No="BAD\x00-50"), fails=("Product Id 50", "No", "control characters")),
    case("No-ESC", product(No="BAD\x1b-50"), fails=("Product Id 50", "No", "control characters")),
    case("No-vertical-tab", product(No="BAD\x0b-50"), fails=("Product Id 50", "No", "control characters")),
    case("No-tab", product(No="BAD\t50"), fails=("Product Id 50", "No", "control characters")),
    case("No-newline", product(No="BAD\n50"), fails=("Product Id 50", "No", "control characters")),
]


@pytest.mark.parametrize("bad", ARTICLE_CASES)
def test_article(bad: Case, erp: ErpClient, wms: WmsClient, erp_server: SandboxServer, erp_admin: Admin,
                 wms_admin: Admin) -> None:
    good = [*GOOD_PRODUCTS, {"Id": 4, "No": NFC_NUMBER, "Name": "Åpen"}]
    seed(erp_server, erp_admin, "products", [*good, bad.record], {BAD: bad.raw})

    report = sync_articles(erp, wms, None)

    articles = wms_articles(wms_admin)
    assert GOOD_NUMBERS | {NFC_NUMBER} <= set(articles), "the rest of the batch went through"
    if bad.fails:
        assert_one_failure(report, bad.fails)
        assert len(articles) == 4, "the refused product is not in the WMS"
    else:
        assert report.failures == []
        (stored,) = [a for a in articles.values() if a["ProductCode"] == str(BAD)]
        assert_holds(stored, bad)


# -- suppliers: ERP companies of type Supplier -> WMS suppliers ------------------------------------

def supplier(**fields: Any) -> dict[str, Any]:
    return {"Id": BAD, "Name": "Leverandør AS", "Type": "Supplier", **fields}


SUPPLIER_CASES = [
    case("Name-NUL-and-ESC", supplier(Name="Lever\x00andør\x1b AS"), arrives={"SupplierName": "Leverandør AS"}),
    case("Name-emoji-and-right-to-left", supplier(Name=RTL + " \U0001F69A"),
         arrives={"SupplierName": RTL + " \U0001F69A"}),
    case("Addresses-missing", supplier(), arrives={"Address": {}}),  # the sandbox keeps an empty one
    case("Name-missing", supplier(Name=None), absent=("SupplierName",)),
    case("Id-not-set", supplier(), raw={"Id": INT_NOT_SET}, fails=("Company (no Id)", "Id", "missing")),
]


@pytest.mark.parametrize("bad", SUPPLIER_CASES)
def test_supplier(bad: Case, erp: ErpClient, wms: WmsClient, erp_server: SandboxServer, erp_admin: Admin,
                  wms_admin: Admin) -> None:
    good = {"Id": 60, "Name": "God Leverandør", "Type": "Supplier", "Addresses": {"Post": DELIVERY}}
    seed(erp_server, erp_admin, "companies", [good, bad.record], {BAD: bad.raw})
    seed(erp_server, erp_admin, "products", [{**GOOD_PRODUCTS[0], "SupplierId": 60},
                                             {**GOOD_PRODUCTS[1], "SupplierId": BAD}])

    report = sync_suppliers(erp, wms, None)

    suppliers = wms_suppliers(wms_admin)
    assert "60" in suppliers, "the rest of the batch went through"
    if bad.fails:
        assert_one_failure(report, bad.fails)
        assert set(suppliers) == {"60"}
    else:
        assert report.failures == []
        assert_holds(suppliers[str(BAD)], bad)


# -- sales orders: confirmed ERP orders -> WMS orders ------------------------------------------------

def invoice_order(order_id: int = BAD, **fields: Any) -> dict[str, Any]:
    return {"OrderId": order_id, "OrderStatus": "Confirmed", "CustomerId": 201,
            "DeliveryDate": "2031-01-15T00:00:00+00:00", "Addresses": {"Delivery": DELIVERY},
            "InvoiceRows": [{"ProductId": 1, "RowId": 1, "Quantity": "2"},
                            {"ProductId": 2, "RowId": 2, "Quantity": "1"}], **fields}


def rows(*entries: tuple[Any, Any, Any]) -> list[dict[str, Any]]:
    """Invoice rows from (ProductId, RowId, Quantity); None leaves the field out."""
    return [{name: value for name, value in zip(("ProductId", "RowId", "Quantity"), entry) if value is not None}
            for entry in entries]


TODAY = datetime.now(timezone.utc).date().isoformat()


def delivered(order: dict[str, Any]) -> dict[str, Any]:
    """The WMS order flattened for the checks: customer fields, delivery date, and (number, quantity) lines."""
    return {**order["Customer"], "DeliveryDate": order["OrderInfo"].get("DeliveryDate", "")[:10],
            "WayOfDeliveryType": order["OrderInfo"].get("WayOfDeliveryType"),
            "Lines": [(line["ArticleNumber"], Decimal(str(line["NumberOfItems"]))) for line in order["Lines"]]}


ORDER_CASES = [
    # no customer, no address, no delivery date
    case("CustomerId-missing", invoice_order(CustomerId=None), fails=("50", "CustomerId", "missing")),
    case("CustomerId-not-set", invoice_order(), raw={"CustomerId": INT_NOT_SET}, fails=("50", "CustomerId", "missing")),
    case("Customer-unknown-no-phone-no-mail", invoice_order(CustomerId=999),
         arrives={"CustomerNumber": "999"}, absent=("MobilePhone", "TelePhone", "Email")),
    case("Addresses-missing", invoice_order(Addresses=None), arrives={"CustomerNumber": "201"},
         absent=("Address", "PostCode", "City", "CountryCode")),
    case("Delivery-address-empty", invoice_order(Addresses={"Delivery": {}, "Invoice": DELIVERY}),
         absent=("Address", "PostCode", "City", "CountryCode")),
    case("DeliveryDate-missing", invoice_order(DeliveryDate=None), arrives={"DeliveryDate": TODAY}),
    case("DeliveryDate-not-set", invoice_order(), raw={"DeliveryDate": DATETIME_NOT_SET},
         arrives={"DeliveryDate": TODAY}),
    # null or empty where rows were expected
    case("InvoiceRows-missing", invoice_order(InvoiceRows=None), fails=("50", "InvoiceRows", "empty")),
    case("InvoiceRows-empty", invoice_order(InvoiceRows=[]), fails=("50", "InvoiceRows", "empty")),
    # quantities
    case("Quantity-zero", invoice_order(InvoiceRows=rows((1, 1, "0"))),
         fails=("50", "InvoiceRows[0].Quantity", "above zero")),
    case("Quantity-negative", invoice_order(InvoiceRows=rows((1, 1, "1"), (2, 2, "-3"))),
         fails=("50", "InvoiceRows[1].Quantity", "above zero")),
    case("Quantity-fractional", invoice_order(InvoiceRows=rows((1, 1, "1.5"))),
         arrives={"Lines": [("GOOD-1", Decimal("1.5"))]}),
    case("Quantity-tiny", invoice_order(InvoiceRows=rows((1, 1, "0.001"))),
         arrives={"Lines": [("GOOD-1", Decimal("0.001"))]}),
    case("Quantity-missing", invoice_order(InvoiceRows=rows((1, 1, None))),
         fails=("50", "InvoiceRows[0].Quantity", "missing")),
    case("Quantity-not-set", invoice_order(), raw={"InvoiceRows": rows((1, 1, DECIMAL_NOT_SET))},
         fails=("50", "InvoiceRows[0].Quantity", "missing")),
    # products and row ids
    # a row without a product (freight, a fee) is no line: an order of such rows only has nothing to pick
    case("ProductId-missing", invoice_order(InvoiceRows=rows((None, 1, "1"))),
         fails=("50", "InvoiceRows", "nothing to pick")),
    case("ProductId-not-set", invoice_order(), raw={"InvoiceRows": rows((INT_NOT_SET, 1, "1"))},
         fails=("50", "InvoiceRows", "nothing to pick")),
    case("ProductId-unknown", invoice_order(InvoiceRows=rows((1, 1, "1"), (999, 2, "1"))),
         fails=("50", "CustomerOrderLines[1].ProductCode", "999")),
    case("RowId-duplicate", invoice_order(InvoiceRows=rows((1, 7, "1"), (2, 7, "1"))),
         fails=("50", "InvoiceRows[1].RowId", "same")),
    case("RowId-missing", invoice_order(), raw={"InvoiceRows": rows((1, None, "1"))},
         fails=("50", "InvoiceRows[0].RowId", "missing")),
    case("RowId-not-set", invoice_order(), raw={"InvoiceRows": rows((1, INT_NOT_SET, "1"))},
         fails=("50", "InvoiceRows[0].RowId", "missing")),
    # contact details: phone and e-mail fall back on the customer company, which may have none
    case("PhoneNumbers-missing", invoice_order(CustomerId=202), arrives={"CustomerNumber": "202"},
         absent=("MobilePhone", "TelePhone", "Email")),
    case("PhoneNumbers-without-values", invoice_order(CustomerId=203), absent=("MobilePhone", "TelePhone")),
    # text
    case("Names-with-control-characters",
         invoice_order(CustomerDeliveryName="Åsa\x00 Lind\x1bström\x0b", Addresses={"Delivery": {
             **DELIVERY, "Street": "Storgata\x00 1\nBygg B"}}),
         arrives={"Name": "Åsa Lindström", "Address": "Storgata 1\nBygg B"}),
    case("Names-emoji-and-right-to-left",
         invoice_order(CustomerDeliveryName=EMOJI, Addresses={"Delivery": {**DELIVERY, "Street": RTL}}),
         arrives={"Name": EMOJI, "Address": RTL}),
    case("DeliveryMethod-Id-not-set", invoice_order(DeliveryMethod={"Id": 7, "Description": "Posten"}),
         raw={"DeliveryMethod": {"Id": INT_NOT_SET, "Description": "Posten"}},
         arrives={"WayOfDeliveryType": {"Name": "Posten"}}),
]
CUSTOMERS = [CUSTOMER, {"Id": 202, "Name": "Uten Telefon", "Type": "Consumer"},
             {"Id": 203, "Name": "Tomme Numre", "Type": "Consumer", "PhoneNumbers": {"Mobile": {}, "Work": {}}}]


@pytest.mark.parametrize("bad", ORDER_CASES)
def test_order(bad: Case, erp: ErpClient, wms: WmsClient, erp_server: SandboxServer, erp_admin: Admin,
               wms_admin: Admin) -> None:
    seed(erp_server, erp_admin, "companies", CUSTOMERS)
    seed(erp_server, erp_admin, "products", GOOD_PRODUCTS)
    assert sync_articles(erp, wms, None).failures == []
    good = [invoice_order(101), invoice_order(102, InvoiceRows=rows((3, 1, "4")))]
    seed(erp_server, erp_admin, "orders", [*good, bad.record], {BAD: bad.raw})

    report = push_orders(erp, wms, None, OrderOptions())

    orders = wms_orders(wms_admin)
    assert {"101", "102"} <= set(orders), "the rest of the batch went through"
    if bad.fails:
        assert_one_failure(report, bad.fails)
        assert set(orders) == {"101", "102"}
    else:
        assert report.failures == []
        assert_holds(delivered(orders[str(BAD)]), bad)


# -- stock: WMS balances -> ERP product stock --------------------------------------------------------

@dataclass(frozen=True)
class StockCase:
    """The bad product's ERP record, its WMS stock, and the ERP stock expected afterwards (or a failure)."""

    product: dict[str, Any]
    wms_stock: str | None
    raw: dict[str, Any] = field(default_factory=dict)
    erp_stock: str | None = None
    fails: tuple[str, str, str] | None = None
    twin: bool = False  # a second ERP product with the same number, added after the articles exist


def stock_case(name: str, product_fields: dict[str, Any], wms_stock: str | None, **expected: Any):
    return pytest.param(StockCase({"Id": BAD, "No": "BAD-50", **product_fields}, wms_stock, **expected), id=name)


STOCK_CASES = [
    stock_case("WMS-fractional", {"Stock": "1"}, "2.5", erp_stock="2.5"),
    stock_case("WMS-zero", {"Stock": "4"}, "0", erp_stock="0"),
    stock_case("ERP-negative", {"Stock": "-4"}, "2", erp_stock="2"),
    stock_case("ERP-fractional-equal", {"Stock": "1.250"}, "1.25", erp_stock="1.250"),
    stock_case("ERP-Stock-not-set", {"Stock": "3"}, "6", raw={"Stock": DECIMAL_NOT_SET}, erp_stock="6"),
    stock_case("ERP-not-stock-controlled", {"Stock": "3", "StockControlled": False}, "9", erp_stock="3"),
    stock_case("WMS-more-than-6-decimals", {"Stock": "3"}, "1.0000001", erp_stock="3",
               fails=("BAD-50", "NumberOfItems", "decimal places")),
    stock_case("ERP-number-twice", {"Stock": "3"}, "5", erp_stock="3", twin=True,
               fails=("BAD-50", "No", "more than once")),
]


@pytest.mark.parametrize("bad", STOCK_CASES)
def test_stock(bad: StockCase, erp: ErpClient, wms: WmsClient, erp_server: SandboxServer, erp_admin: Admin,
               wms_admin: Admin) -> None:
    seed(erp_server, erp_admin, "products", [*GOOD_PRODUCTS, bad.product], {BAD: bad.raw})
    sync_articles(erp, wms, None)
    if bad.twin:
        seed(erp_server, erp_admin, "products", [{"Id": BAD + 1, "No": "BAD-50", "Stock": "3"}])
    wms_admin.post("stock", [{"ArticleNumber": "GOOD-1", "NumberOfItems": 6},
                             {"ArticleNumber": "GOOD-2", "NumberOfItems": 3},
                             {"ArticleNumber": "BAD-50", "NumberOfItems": bad.wms_stock}])

    report, _ = sync_stock(erp, wms)

    stock = {p["Id"]: p.get("Stock") for p in erp_admin.get("products")}
    assert (Decimal(stock[1]), Decimal(stock[2])) == (Decimal(6), Decimal(3)), "the rest of the batch went through"
    assert stock[BAD] is not None and Decimal(stock[BAD]) == Decimal(bad.erp_stock)
    if bad.fails:
        assert_one_failure(report, bad.fails)
    else:
        assert report.failures == []
