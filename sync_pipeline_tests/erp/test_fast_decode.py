"""The fast decoder for large reads gives exactly the records zeep's decoding and the models give.

Every comparison is deep: values, their types, Decimal exponents, time zones, enum members and which
fields pydantic marks as set. Replies come from the sandbox over HTTP, are written by hand for the
odd cases (sentinels, nil, unicode, unusual shapes) and generated at random in bulk; hostile ones
(DTD, entity expansion) are refused as zeep refuses them.
"""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Iterator

import pytest
import zeep
from lxml import etree
from pydantic import BaseModel, ValidationError
from zeep.exceptions import DTDForbidden, EntitiesForbidden, Fault, TransportError, XMLParseError
from zeep.helpers import serialize_object
from zeep.loader import parse_xml

from sync_pipeline.erp import ErpClient
from sync_pipeline.erp.fast_decode import FastReader, ReplyDecoder, Unusual
from sync_pipeline.erp.models import Company, InvoiceOrder, Product
from sync_pipeline.erp.services import ErpService
from sync_pipeline.soap.client import build_client
from sync_pipeline.soap.errors import QuarantineError, RetryableError, TerminalError, classify

from sync_pipeline_tests.canned_server import Canned, canned_server
from sync_pipeline_tests.reply_mutations import ACTIONS, mutated

NS = "http://24sevenOffice.com/webservices"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = object()  # renders <Field xsi:nil="true"/>

PRODUCT_ORDER = ["SupplierId", "Id", "Name", "Stock", "StatusId", "InPrice", "Description", "EAN1", "Price", "No",
                 "DateChanged", "APIException", "Weight", "StockControlled"]
ORDER_ORDER = ["OrderId", "CustomerId", "CustomerName", "CustomerDeliveryName", "CustomerDeliveryPhone", "Addresses",
               "OrderStatus", "DateChanged", "IncludeVAT", "YourReference", "InvoiceTitle", "ExternalStatus",
               "InvoiceEmailAddress", "InvoiceRows", "APIException", "DeliveryDate", "ReferenceNumber",
               "DeliveryMethod"]
ROW_ORDER = ["ProductId", "RowId", "Price", "Name", "Quantity", "QuantityDelivered", "ProductNo"]
COMPANY_ORDER = ["APIException", "Id", "Name", "Addresses", "PhoneNumbers", "EmailAddresses", "Type", "DateChanged"]

OPERATIONS = {
    "GetProducts": (ErpService.PRODUCT, Product),
    "GetInvoices": (ErpService.INVOICE, InvoiceOrder),
    "GetCompanies": (ErpService.COMPANY, Company),
}


# -- building replies ---------------------------------------------------------------------------

def element(name: str, value: Any, order: list[str] | None = None) -> str:
    """<name>value</name>; a dict becomes child elements (in `order` if given), a list repeats them."""
    if value is NIL:
        return f'<{name} xsi:nil="true"/>'
    if value is None or value == "":
        return f"<{name}/>"
    if isinstance(value, dict):
        names = order or list(value)
        return f"<{name}>" + "".join(element(key, value[key]) for key in names if key in value) + f"</{name}>"
    if isinstance(value, list):
        return f"<{name}>" + "".join(item for item in value) + f"</{name}>"
    return f"<{name}>{value}</{name}>"


def product(**fields: Any) -> str:
    return element("Product", fields, PRODUCT_ORDER)


def envelope(operation: str, items: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}" xmlns:xsi="{XSI}">'
            f'<soap:Body><{operation}Response xmlns="{NS}"><{operation}Result>{items}</{operation}Result>'
            f"</{operation}Response></soap:Body></soap:Envelope>").encode()


# -- comparing ----------------------------------------------------------------------------------

def deep(value: Any) -> Any:
    """Everything that distinguishes two values: types, Decimal exponents, zones, fields set."""
    if isinstance(value, BaseModel):
        return (type(value).__name__, sorted(value.model_fields_set),
                {name: deep(item) for name, item in value.__dict__.items()},
                value.__pydantic_extra__, value.__pydantic_private__)
    if isinstance(value, list):
        return [deep(item) for item in value]
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    if isinstance(value, datetime):
        return ("datetime", value.isoformat(), value.tzinfo)
    if isinstance(value, Enum):
        return (type(value).__name__, value.value)
    return (type(value).__name__, value)


def build_decoders() -> dict[str, ReplyDecoder]:
    """A reply decoder of each operation the fast path reads (no service behind it)."""
    found = {}
    for operation, (service, model) in OPERATIONS.items():
        client, proxy = build_client(service.wsdl, "http://127.0.0.1:9/unused", timeout=5)
        found[operation] = ReplyDecoder(client, proxy._binding, operation, model, model.__name__)
    return found


@pytest.fixture(scope="module")
def decoders() -> dict[str, ReplyDecoder]:
    return build_decoders()


def document(decoder: ReplyDecoder, content: bytes) -> etree._Element:
    return parse_xml(content, decoder.client.transport, settings=decoder.client.settings)


def reference(decoder: ReplyDecoder, content: bytes, notes: dict[str, int] | None = None) -> list:
    """zeep's path: TolerantReading, zeep's decoding, then model_validate (skipped elements into `notes`)."""
    return decoder.by_zeep_values(decoder.zeep_values(document(decoder, content), {} if notes is None else notes))


def assert_fast_and_identical(decoder: ReplyDecoder, content: bytes, notes: dict[str, int] | None = None) -> list:
    """Both paths give the same records and note the same skipped elements (`notes`, if given)."""
    fast_notes: dict[str, int] = {}
    zeep_notes: dict[str, int] = {}
    fast = decoder.fast_records(document(decoder, content), fast_notes)  # raises Unusual if it left it to zeep
    expected = reference(decoder, content, zeep_notes)
    assert fast == expected
    assert deep(fast) == deep(expected)
    assert fast_notes == zeep_notes
    if notes is not None:
        assert fast_notes == notes
    assert decoder.content(content) == expected
    return fast


# -- replies from the sandbox -------------------------------------------------------------------

class Replies(zeep.Plugin):
    """Keeps every reply envelope the client receives, by operation."""

    def __init__(self) -> None:
        self.envelopes: list[tuple[str, bytes]] = []

    def ingress(self, envelope: etree._Element, http_headers: dict, operation: Any):
        self.envelopes.append((operation.name, etree.tostring(envelope)))
        return envelope, http_headers

    def last(self, operation: str) -> bytes:
        return [content for name, content in self.envelopes if name == operation][-1]


def test_sandbox_replies_decode_to_the_records_zeep_gives(erp_admin, erp_connection, real_contracts, decoders):
    erp_admin.post("demo")
    erp_admin.post("products", [
        {"Id": 101, "No": "SKU-Ø-101", "Name": "Sovepose dun −10 °C «ekstra» & mer 🏔", "Description": "<ikke tag>",
         "EAN1": "7041234000018", "Weight": "0.125", "Price": "1234.50", "InPrice": "0.10", "Stock": "17.500",
         "StockControlled": False, "SupplierId": 8, "StatusId": 2},
        {"Id": 102, "No": "SKU-102"},
    ])
    replies = Replies()
    with ErpClient(erp_connection, plugins=[real_contracts, replies]) as client:
        products = client.products_changed_since(None)
        orders = client.orders_changed_since(None, statuses=None)
        companies = client.companies_changed_since(None)

    for operation, records in (("GetProducts", products), ("GetInvoices", orders), ("GetCompanies", companies)):
        fast = assert_fast_and_identical(decoders[operation], replies.last(operation))
        assert deep(records) == deep(fast)  # the client's own records came by the fast path
    assert len(products) == 26 and len(orders) == 10 and len(companies) == 9
    assert any(order.InvoiceRows for order in orders) and any(c.PhoneNumbers for c in companies)
    special = next(p for p in products if p.Id == 101)
    assert special.Name == "Sovepose dun −10 °C «ekstra» & mer 🏔" and str(special.Stock) == "17.500"
    assert special.StockControlled is False
    assert {"GetProducts", "GetInvoices", "GetCompanies"} <= set(real_contracts.validated)  # plugins still run


# -- hand-written replies -----------------------------------------------------------------------

def test_sentinels_become_none_as_the_models_make_them(decoders):
    content = envelope("GetProducts", product(
        SupplierId="-2147483648", Id="7", Name="00000000-0000-0000-0000-000000000000",
        Stock="-79228162514264337593543950335", StatusId="-2147483648",
        InPrice="-79228162514264337593543950335.0", DateChanged="0001-01-01T00:00:00", Weight="0.000"))
    (record,) = assert_fast_and_identical(decoders["GetProducts"], content)
    assert (record.SupplierId, record.Name, record.Stock, record.StatusId, record.InPrice, record.DateChanged) == (
        None, None, None, None, None, None)
    assert record.Id == 7 and str(record.Weight) == "0.000"


@pytest.mark.parametrize("text", ["1.50", "0.000", "-0", "1E+2", "12345678901234567890.123456789", " 7.5 ",
                                  "1_000", "+3", ".5"])
def test_decimals_keep_their_exact_digits(decoders, text):
    (record,) = assert_fast_and_identical(decoders["GetProducts"], envelope("GetProducts", product(Id="1", Stock=text)))
    assert record.Stock == Decimal(text.strip())


@pytest.mark.parametrize("text", ["2024-03-01T10:00:00", "2024-03-01T10:00:00Z", "2024-03-01T10:00:00+02:00",
                                  "2024-03-01T10:00:00.5", "2024-03-01T10:00:00.1234567Z",
                                  "2024-03-01T23:30:00-05:30", "0001-01-01T00:00:00+01:00",
                                  "0001-01-01T00:00:00.001", "2024-03-01", "2024-03-01 10:00:00", " 2024-03-01T10:00:00 "])
def test_datetimes_are_the_same_moment_in_utc(decoders, text):
    decoder = decoders["GetProducts"]
    content = envelope("GetProducts", product(Id="1", DateChanged=text))
    fast = decoder.content(content)
    assert deep(fast) == deep(reference(decoder, content))
    moment = fast[0].DateChanged
    assert moment is None or moment.utcoffset().total_seconds() == 0


def test_unicode_escapes_cdata_and_empty_elements(decoders):
    content = envelope("GetProducts", "".join([
        product(Id="1", Name="Ullpledd Fjellrype ÆØÅ 𝄞 😀", Description="a &amp; b &lt;c&gt; &#169;",
                EAN1="<![CDATA[70<41>&]]>", No="SKU-1"),
        product(Id="2", Name="", Description=None, APIException=""),
        "<Product/>",  # an empty item: zeep gives None and the client drops it
        product(Id="3", StockControlled="true", APIException={"Type": "Exception", "Message": "Ugyldig «vare»",
                                                              "StackTrace": "at X.Y()"}),
    ]))
    first, second, third = assert_fast_and_identical(decoders["GetProducts"], content)
    assert first.Name == "Ullpledd Fjellrype ÆØÅ 𝄞 😀" and first.Description == "a & b <c> ©"
    assert first.EAN1 == "70<41>&"
    assert (second.Name, second.Description, second.APIException) == (None, None, None)
    assert third.APIException.Type == "Exception" and third.APIException.Message == "Ugyldig «vare»"


@pytest.mark.parametrize("text", ["true", "false", "1", "0", " true ", "yes"])
def test_booleans(decoders, text):
    decoder = decoders["GetProducts"]
    content = envelope("GetProducts", product(Id="1", StockControlled=text))
    assert deep(decoder.content(content)) == deep(reference(decoder, content))


def test_nil_elements_are_left_to_zeep_element_by_element(decoders):
    content = envelope("GetProducts", "".join([
        product(Id="1", StockControlled=NIL, APIException=NIL, Name="Pledd"),
        '<Product xsi:nil="true"/>',  # zeep gives a record with every field None
        product(Id="3", Price="9.90"),
    ]))
    first, nil_product, third = assert_fast_and_identical(decoders["GetProducts"], content)
    assert first.StockControlled is None and first.APIException is not None and first.Name == "Pledd"
    assert nil_product.Id is None and third.Price == Decimal("9.90")


def test_orders_with_rows_addresses_and_enums(decoders):
    row = lambda **fields: element("InvoiceRow", fields, ROW_ORDER)  # noqa: E731
    orders = "".join([
        element("InvoiceOrder", {
            "OrderId": "7", "CustomerId": "3", "CustomerName": "Kari Nordmann", "OrderStatus": "Confirmed",
            "Addresses": {"Delivery": {"Street": "Storgata 1", "City": "Oslo"}},
            "DateChanged": "2024-05-01T08:00:00.123Z", "IncludeVAT": NIL, "ExternalStatus": "-2147483648",
            "InvoiceRows": [row(ProductId="1", RowId="1", Quantity="2", Price="149.00", ProductNo="SKU-1001"),
                            row(ProductId="2", RowId="2", Quantity="1.5", QuantityDelivered="0"),
                            "<InvoiceRow/>"],
            "DeliveryDate": "2024-06-01T00:00:00", "DeliveryMethod": {"Id": "3", "Description": "Posten"},
        }, ORDER_ORDER),
        element("InvoiceOrder", {"OrderId": "8", "OrderStatus": "OrderState_Sent", "IncludeVAT": "true",
                                 "InvoiceRows": ""}, ORDER_ORDER),
        element("InvoiceOrder", {"OrderId": "9", "OrderStatus": "Offer", "IncludeVAT": "false"}, ORDER_ORDER),
    ])
    first, sent, offer = assert_fast_and_identical(decoders["GetInvoices"], envelope("GetInvoices", orders))
    assert [r.RowId for r in first.InvoiceRows] == [1, 2] and first.ExternalStatus is None
    assert first.Addresses.Delivery.City == "Oslo" and first.DeliveryMethod.Description == "Posten"
    assert sent.OrderStatus.value == "OrderState_Sent" and sent.InvoiceRows == [] and offer.InvoiceRows == []
    assert first.InvoiceRows is not sent.InvoiceRows  # every record has a list of its own


def test_companies_with_nested_phones_and_emails(decoders):
    content = envelope("GetCompanies", element("Company", {
        "Id": "8", "Name": "Ull &amp; Co AS",
        "PhoneNumbers": {"Mobile": "", "Work": {"Description": "Sentral", "Value": "+47 55 00 00 00"}},
        "EmailAddresses": {"Invoice": {"Name": "Faktura", "Value": "faktura@ull.example"}},
        "Type": "Supplier", "DateChanged": "2024-05-01T08:00:00",
    }, COMPANY_ORDER))
    (company,) = assert_fast_and_identical(decoders["GetCompanies"], content)
    assert company.PhoneNumbers.Work.Value == "+47 55 00 00 00" and company.PhoneNumbers.Mobile is None
    assert company.Name == "Ull & Co AS" and company.Type.value == "Supplier"


def test_unknown_elements_are_skipped_and_known_ones_read_in_any_order(decoders):
    content = envelope("GetProducts", "<Colour>red</Colour>" + "".join([
        "<Product><Name>x</Name><Colour>red</Colour><Id>1</Id><Colour>blue</Colour></Product>",
        '<Product><Size xmlns="urn:other">L</Size><No>SKU-2</No><Id xmlns="urn:other">9</Id><Id>2</Id></Product>',
    ]))
    first, second = assert_fast_and_identical(decoders["GetProducts"], content, {
        "ArrayOfProduct.Colour": 1, "Product.Colour": 2, "Product.Size": 1, "Product.Id": 1})
    assert (first.Id, first.Name, second.Id, second.No) == (1, "x", 2, "SKU-2")
    assert first.model_extra == {} and "Colour" not in first.model_fields_set


def test_unmodelled_elements_with_a_value_are_kept_as_extras(decoders):
    content = envelope("GetInvoices", element("InvoiceOrder", {
        "OrderId": "7", "IncludeVAT": "true", "InvoiceRows": [
            '<InvoiceRow><RowId>1</RowId><VatRate>25</VatRate><DiscountRate>-79228162514264337593543950335'
            "</DiscountRate></InvoiceRow>"],
    }, ORDER_ORDER).replace("<OrderId>7</OrderId>", "<OrderId>7</OrderId><PaymentTime>14</PaymentTime>"
                            "<InvoiceText>Takk</InvoiceText><OCR>4711</OCR><CustomerReferenceNo/><Currency><Symbol>NOK</Symbol>"
                            "<Colour>x</Colour><Rate>-79228162514264337593543950335</Rate></Currency>"))
    # inside an extra too, unknown elements are skipped and known ones read in any order
    (order,) = assert_fast_and_identical(decoders["GetInvoices"], content, {"Currency.Colour": 1})
    assert list(order.model_extra.items()) == [("PaymentTime", 14), ("IncludeVAT", True), ("OCR", "4711"),
                                               ("Currency", {"Symbol": "NOK"})]  # in the schema's order
    assert order.PaymentTime == 14 and order.OCR == "4711" and not hasattr(order, "CustomerReferenceNo")
    assert order.InvoiceText == "Takk"  # modelled: the shipped process appends tracking to it
    assert order.InvoiceRows[0].model_extra == {"VatRate": Decimal("25")}  # the "not set" DiscountRate is left out


@pytest.mark.parametrize("items", [
    "<Product><Id>1</Id><Id>2</Id></Product>",                  # repeated
    '<Product><Id xmlns="">1</Id></Product>',                   # unqualified
    "",                                                         # an empty result
    product(Id="abc"),                                          # zeep logs it and gives None
    product(Id="1", Price="NaN"),                               # the model refuses it
])
def test_unusual_replies_go_through_zeep_and_end_as_zeep_ends(decoders, items):
    decoder = decoders["GetProducts"]
    content = envelope("GetProducts", items)
    with pytest.raises(Unusual):
        decoder.fast_records(document(decoder, content))
    try:
        expected: Any = deep(reference(decoder, content))
    except (XMLParseError, ValidationError) as error:
        expected = type(error)
    try:
        got: Any = deep(decoder.content(content))
    except (XMLParseError, ValidationError) as error:
        got = type(error)
    assert got == expected


def test_a_missing_required_element_is_refused_where_zeep_refuses_it(decoders):
    decoder = decoders["GetInvoices"]
    # zeep takes a missing required element (IncludeVAT) at the end of a record...
    at_end = envelope("GetInvoices", element("InvoiceOrder", {"OrderId": "9", "OrderStatus": "Offer"}, ORDER_ORDER))
    assert_fast_and_identical(decoder, at_end)
    # ...and refuses it when a later element follows
    followed = envelope("GetInvoices", element("InvoiceOrder", {"OrderId": "9", "InvoiceTitle": "x"}, ORDER_ORDER))
    with pytest.raises(Unusual):
        decoder.fast_records(document(decoder, followed))
    with pytest.raises(XMLParseError, match="IncludeVAT"):
        decoder.content(followed)


def test_an_unknown_enum_value_fails_validation_as_before(decoders):
    decoder = decoders["GetCompanies"]
    content = envelope("GetCompanies", element("Company", {"Id": "1", "Type": "Partner"}, COMPANY_ORDER))
    with pytest.raises(ValidationError):
        reference(decoder, content)
    with pytest.raises(ValidationError):
        decoder.content(content)


def test_a_generated_large_reply(decoders):
    rng = random.Random(6)
    names = ["Pledd", "Kaffekjele i støpejern", "Votter «ull»", "Bålpanne 🔥", "Lue &amp; skjerf", "x"]

    def random_product(number: int) -> str:
        fields = {
            "SupplierId": rng.choice(["7", "8", "-2147483648"]), "Id": str(number), "Name": rng.choice(names),
            "Stock": rng.choice(["0", "5", "12.500", "-3", "-79228162514264337593543950335"]),
            "InPrice": f"{rng.randrange(0, 10**6) / 100}", "Description": rng.choice(["", "Lang tekst " * 3]),
            "EAN1": f"70{number:011d}", "Price": f"{rng.randrange(0, 10**7)}.{rng.randrange(0, 100):02d}",
            "No": f"SKU-{number:06d}",
            "DateChanged": rng.choice(["2024-01-02T03:04:05.678Z", "2024-01-02T03:04:05", "0001-01-01T00:00:00"]),
            "Weight": rng.choice(["0.125", "1", "-79228162514264337593543950335"]),
            "StockControlled": rng.choice(["true", "false"]),
        }
        return product(**{name: value for name, value in fields.items() if rng.random() < 0.85})

    content = envelope("GetProducts", "".join(random_product(number) for number in range(1, 3001)))
    records = assert_fast_and_identical(decoders["GetProducts"], content)
    assert len(records) == 3000

    with_nils = content.replace(b"<StockControlled>false</StockControlled>", b'<StockControlled xsi:nil="true"/>')
    assert with_nils != content
    assert_fast_and_identical(decoders["GetProducts"], with_nils)


# -- over HTTP: failures and hostile replies end as zeep's path ends -----------------------------

@pytest.fixture
def canned() -> Iterator[Canned]:
    yield from canned_server("/ProductService.asmx")


def _outcome(call) -> Any:
    """What a call gives: its records, or the class and message of the error classify() makes of it."""
    try:
        return deep(call())
    except Exception as exc:  # noqa: BLE001 - comparing failures is the point
        error = classify(exc, "GetProducts")
        return type(exc), type(error), str(error)


def _both_paths(canned: Canned) -> tuple[Any, Any]:
    _, proxy = build_client(ErpService.PRODUCT.wsdl, canned.url, timeout=5)
    arguments = {"searchParams": {"Id": 1}, "returnProperties": {"string": ["Id"]}}
    fast = FastReader(proxy, "GetProducts", Product, "Product")
    assert fast.decoder is not None
    by_zeep = lambda: fast.decoder.by_zeep_values(serialize_object(proxy.GetProducts(**arguments), dict))  # noqa: E731
    return _outcome(lambda: fast(**arguments)), _outcome(by_zeep)


FAULT = (f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode>'
         "<faultstring>{message}</faultstring></soap:Fault></soap:Body></soap:Envelope>")
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


@pytest.mark.parametrize("status, body, expected", [
    (200, envelope("GetProducts", product(Id="1", No="SKU-1")), None),
    (500, FAULT.format(message="Limit exceeded. Request is blocked. Quarantine ends at 2030-01-01T00:00:00").encode(),
     QuarantineError),
    (200, FAULT.format(message="Invalid product").encode(), TerminalError),
    (200, envelope("GetProducts", product(Id="1"))[:120], RetryableError),
    (502, b"", RetryableError),
    (404, b"<html>not here</html>", TerminalError),
    (200, b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">' + envelope("GetProducts", "").split(b"?>", 1)[1],
     TerminalError),
    (200, BILLION_LAUGHS + envelope("GetProducts", product(Name="&lol3;")).split(b"?>", 1)[1], TerminalError),
    (200, b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
          + envelope("GetProducts", product(Name="&secret;")).split(b"?>", 1)[1], TerminalError),
])
def test_failures_and_hostile_replies_end_as_on_zeeps_path(canned, status, body, expected):
    canned.status, canned.body = status, body
    fast, by_zeep = _both_paths(canned)
    assert fast == by_zeep
    if expected is None:
        (record,) = fast
        assert record[2]["No"] == ("str", "SKU-1") and record[2]["Id"] == ("int", 1)
    else:
        assert fast[1] is expected, fast


def test_dtds_and_entities_are_refused_before_anything_is_read(decoders):
    decoder = decoders["GetProducts"]
    with pytest.raises(DTDForbidden):
        decoder.content(BILLION_LAUGHS + envelope("GetProducts", product(Name="&lol3;")).split(b"?>", 1)[1])
    internal = envelope("GetProducts", product(Name="&e;")).split(b"?>", 1)[1]
    with pytest.raises((DTDForbidden, EntitiesForbidden)):
        decoder.content(b'<!DOCTYPE soap:Envelope [<!ENTITY e "expanded">]>' + internal)


def test_a_fault_keeps_zeeps_error_type(canned):
    canned.status, canned.body = 500, FAULT.format(message="Something broke").encode()
    _, proxy = build_client(ErpService.PRODUCT.wsdl, canned.url, timeout=5)
    with pytest.raises(Fault, match="Something broke"):
        FastReader(proxy, "GetProducts", Product, "Product")(searchParams={"Id": 1},
                                                             returnProperties={"string": ["Id"]})
    canned.status, canned.body = 500, b""
    with pytest.raises(TransportError):
        FastReader(proxy, "GetProducts", Product, "Product")(searchParams={"Id": 1},
                                                             returnProperties={"string": ["Id"]})


# -- mutations: whatever a reply looks like, the fast path ends as zeep's path ends -------------

WEIRD_TEXTS = ["", " ", "abc", "NaN", "1e5", "-0", "0001-01-01T00:00:00", "true", "1", "2024-02-30T00:00:00",
               "2024-02-03T04:05:06.7+01:00", "٣", "1_0", "+5", "9" * 25, "-2147483648", "Confirmed", "Partner",
               "00000000-0000-0000-0000-000000000000", "\t7.5\n"]




def _ending(decode) -> Any:
    try:
        return deep(decode())
    except Exception as error:  # noqa: BLE001 - comparing failures is the point
        return type(error).__name__


@pytest.mark.parametrize("operation", ["GetProducts", "GetInvoices", "GetCompanies"])
def test_random_mutations_end_the_same_on_both_paths(decoders, operation):
    decoder = decoders[operation]
    row = lambda n: element("InvoiceRow", {"ProductId": str(n), "RowId": str(n), "Price": "10.50",  # noqa: E731
                                           "Name": "Rad", "Quantity": "2", "ProductNo": f"SKU-{n}"}, ROW_ORDER)
    base = envelope(operation, "".join({
        "GetProducts": lambda n: product(SupplierId="7", Id=str(n), Name="Pledd ø", Stock="5.0", StatusId="1",
                                         InPrice="1.25", Description="d", EAN1="704", Price="9.90", No=f"SKU-{n}",
                                         DateChanged="2024-01-02T03:04:05Z",
                                         APIException={"Type": "T", "Message": "M"}, Weight="0.5",
                                         StockControlled="true"),
        "GetInvoices": lambda n: element("InvoiceOrder", {
            "OrderId": str(n), "CustomerId": "3", "CustomerName": "Kari", "Addresses": {
                "Post": {"Street": "Boks 2"}, "Delivery": {"Street": "Gate 1", "City": "Oslo"}},
            "OrderStatus": "Confirmed", "DateChanged": "2024-01-02T03:04:05", "IncludeVAT": "true",
            "ExternalStatus": "4", "InvoiceRows": [row(1), row(2)], "DeliveryDate": "2024-02-01T00:00:00",
            "DeliveryMethod": {"Id": "3", "Description": "Posten"}}, ORDER_ORDER),
        "GetCompanies": lambda n: element("Company", {
            "Id": str(n), "Name": "AS", "Addresses": {"Post": {"Street": "Gate 1"}},
            "PhoneNumbers": {"Mobile": {"Value": "+47 1"}, "Work": {"Description": "W", "Value": "+47 2"}},
            "EmailAddresses": {"Primary": {"Value": "a@b.c"}}, "Type": "Supplier",
            "DateChanged": "2024-01-02T03:04:05"}, COMPANY_ORDER),
    }[operation](n) for n in (1, 2)))
    assert_fast_and_identical(decoder, base)
    rng = random.Random(operation)
    took_fast_path = noted = 0
    for _ in range(200):
        content = base
        for _ in range(rng.randint(1, 3)):
            content = mutated(content, rng, WEIRD_TEXTS, (*ACTIONS, "exception"))
        zeep_notes: dict[str, int] = {}
        expected = _ending(lambda: reference(decoder, content, zeep_notes))
        assert _ending(lambda: decoder.content(content)) == expected, content
        fast_notes: dict[str, int] = {}
        try:
            fast = decoder.fast_records(document(decoder, content), fast_notes)
        except Unusual:
            assert fast_notes == {}  # an abandoned pass notes nothing
            continue
        took_fast_path += 1
        noted += bool(fast_notes)
        assert deep(fast) == expected, content
        assert fast_notes == zeep_notes, content
    assert took_fast_path > 30 and noted > 10  # the mutations did not all end on zeep's path
