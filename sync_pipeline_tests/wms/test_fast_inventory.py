"""The fast read of WMS stock pages gives exactly the InventoryLine records, and errors, zeep's path gives.

zeep's path is what WmsClient.inventory() did before: zeep decodes the reply, `inventory_lines(
serialize_object(result, dict))` makes the records. Records are compared deeply (values, types,
Decimal exponents, fields set), failures by the exception's type and message. Replies come from the
WMS sandbox over HTTP, are written by hand for the odd cases (nil, unknown or misplaced elements,
values zeep reads its own way) or mutated at random, and come from a canned HTTP server for faults
and failed transports, read by two clients: one as it is and one without the fast path.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest
import zeep
from lxml import etree
from zeep.helpers import serialize_object
from zeep.loader import parse_xml

from sync_pipeline.soap.client import build_client
from sync_pipeline.soap.fast_reply import Unusual
from sync_pipeline.wms import InventoryLine, WmsClient
from sync_pipeline.wms.client import WSDL_PATH
from sync_pipeline.wms.fast_inventory import InventoryReplies
from sync_pipeline.wms.models import INVENTORY_LINE_ELEMENTS
from sync_pipeline_tests.canned_server import Canned, canned_server
from sync_pipeline_tests.reply_mutations import mutated
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.wms.samples import article, order

NS = "http://ongoingsystems.se/WSI"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NIL = object()  # renders <Field xsi:nil="true"/>
OMIT = object()  # leaves the element out

# An ordinary line as the sandbox (and Ongoing) renders it, in the service description's order.
ARTICLE = {
    "SystemId": "1", "Name": "Pledd", "ArticleNumber": "SKU-1", "ProductCode": "P-1", "BarCode": OMIT,
    "Description": OMIT, "MainSupplierName": OMIT, "MainSupplierNumber": OMIT, "IsStockArticle": "true",
    "VatPercent": NIL, "Length": "0.30", "Width": NIL, "Height": NIL, "Price": "149.00", "CustomerPrice": NIL,
    "PurchasePrice": "60.5", "Weight": "0.125", "NetWeight": NIL, "Volume": NIL, "QuantityPerPallet": NIL,
    "QuantityPerPackage": NIL, "ExternalNumberOfItems": NIL, "ProcessArticleTime": "2026-11-26T06:15:09.934335Z",
    "FreeDecimal1": NIL, "FreeDecimal2": NIL, "ArticleKind": "Stock", "StockLimit": NIL,
    "DefaultPickingLocationMaxNumberOfItems": NIL, "MaxStackNumberOfLevels": NIL, "FreeDecimal3": NIL,
    "IsSerialNumberArticle": NIL, "MinReOrderQuantity": NIL, "DefaultLocationStockLimit": NIL,
    "FreeBoolean1": "false", "FreeBoolean2": "false", "FreeBoolean3": "false", "SubQuantityPerItem": NIL,
}
LINE = {
    "NumberOfBookedItems": "2", "NumberOfItems": "7", "NumberOfLockedItems": "0", "LastInDate": NIL,
    "ToReceiveNumberOfItems": "0", "LockedForSaleNumberOfItems": "0", "NumberOfItemsDecimal": "7.500",
    "NumberOfBookedItemsDecimal": "2", "PickedToBeCollectedNumberOfItems": "0",
    "ReceivedToBeFinishedNumberOfItems": "0", "TotalStockValuationPrice": "453.75", "SellableNumberOfItems": "5.500",
    "PickedToBeReportedNumberOfItems": "0", "ReturnedToBeReportedNumberOfItems": "0",
    "ReceivedToBeReportedNumberOfItems": "0",
}


# -- building replies ---------------------------------------------------------------------------

def element(name: str, value: Any) -> str:
    if value is OMIT:
        return ""
    if value is NIL:
        return f'<{name} xsi:nil="true"/>'
    if value is None or value == "":
        return f"<{name}/>"
    return f"<{name}>{value}</{name}>"


def fields(values: Mapping[str, Any], changes: Mapping[str, Any]) -> str:
    return "".join(element(name, value) for name, value in {**values, **changes}.items())


def line(article_changes: Mapping[str, Any] | None = None, **changes: Any) -> str:
    """An InventoryLine: ARTICLE and LINE with changes (NIL, OMIT, text, or raw XML via `Article=`)."""
    article_xml = changes.pop("Article", None)
    if article_xml is None:
        article_xml = f"<Article>{fields(ARTICLE, article_changes or {})}</Article>"
    elif article_xml is OMIT:
        article_xml = ""
    return f"<InventoryLine>{article_xml}{fields(LINE, changes)}</InventoryLine>"


def envelope(*lines: str, result: str | None = None) -> bytes:
    if result is None:
        result = f"<InventoryLines>{''.join(lines)}</InventoryLines><GoodsOwnerId>1</GoodsOwnerId>"
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}" xmlns:xsi="{XSI}">'
            f'<soap:Body><GetInventoryByQueryResponse xmlns="{NS}"><GetInventoryByQueryResult>{result}'
            "</GetInventoryByQueryResult></GetInventoryByQueryResponse></soap:Body></soap:Envelope>").encode()


# -- comparing ----------------------------------------------------------------------------------

def deep(lines: list[InventoryLine]) -> list[Any]:
    """Everything that tells two records apart: values, their types, Decimal exponents, fields set."""
    return [(type(record).__name__, sorted(record.model_fields_set),
             {name: (type(value).__name__, str(value)) for name, value in record.__dict__.items()})
            for record in lines]


def outcome(decode: Callable[[], list[InventoryLine]]) -> Any:
    try:
        return deep(decode())
    except Exception as error:  # noqa: BLE001 - comparing failures is the point
        return type(error).__name__, str(error)


@pytest.fixture(scope="module")
def replies() -> InventoryReplies:
    client, proxy = build_client(WSDL_PATH, "http://127.0.0.1:9/unused", timeout=5)
    return InventoryReplies(client, proxy._binding)


def document(replies: InventoryReplies, content: bytes) -> etree._Element:
    return parse_xml(content, replies.client.transport, settings=replies.client.settings)


def by_zeep(replies: InventoryReplies, content: bytes, notes: dict[str, int] | None = None) -> list[InventoryLine]:
    """zeep's path: TolerantReading, zeep decodes the reply, inventory_lines(serialize_object(...)) makes
    the records (the skipped elements counted into `notes`)."""
    return replies.by_zeep_values(replies.zeep_values(document(replies, content), {} if notes is None else notes))


def assert_fast_and_identical(replies: InventoryReplies, content: bytes,
                              notes: dict[str, int] | None = None) -> list[InventoryLine]:
    """Both paths give the same records and note the same skipped elements (`notes`, if given)."""
    fast_notes: dict[str, int] = {}
    zeep_notes: dict[str, int] = {}
    fast = replies.fast_records(document(replies, content), fast_notes)  # Unusual if it left the reply to zeep
    expected = by_zeep(replies, content, zeep_notes)
    assert fast == expected and deep(fast) == deep(expected)
    assert fast_notes == zeep_notes
    if notes is not None:
        assert fast_notes == notes
    assert deep(replies.content(content)) == deep(expected)
    return fast


def assert_left_to_zeep(replies: InventoryReplies, content: bytes) -> Any:
    """The fast path declines the reply, and the reader ends exactly as zeep's path ends."""
    with pytest.raises(Unusual):
        replies.fast_records(document(replies, content))
    expected = outcome(lambda: by_zeep(replies, content))
    assert outcome(lambda: replies.content(content)) == expected
    return expected


# -- replies from the sandbox -------------------------------------------------------------------

class Replies(zeep.Plugin):
    """Keeps every GetInventoryByQuery reply envelope the client receives (ingress plugins still run)."""

    def __init__(self) -> None:
        self.envelopes: list[bytes] = []

    def ingress(self, envelope: etree._Element, http_headers: dict, operation: Any):
        if operation.name == "GetInventoryByQuery":
            self.envelopes.append(etree.tostring(envelope))
        return envelope, http_headers


def test_sandbox_pages_decode_to_the_records_zeep_gives(make_client: Callable[..., WmsClient], wms_admin: Admin,
                                                        replies: InventoryReplies) -> None:
    writer = make_client()
    names = {"SKU-1001": "Sovepose «ekstra» & <dun> −10 °C 🏔",
             "SKU-1002": "Ullpledd Fjellrype ÆØÅ \"x\" 'y'",
             "SKU-1003": "  mellomrom  ", "SKU-1004": "Kaffe &amp; te"}
    for number in [f"SKU-{1000 + i}" for i in range(1, 12)]:
        extra = {"ProductCode": f"P-{number}", "Price": "149.50", "Weight": "0.125"} if number < "SKU-1006" else {}
        assert writer.process_article(article(number, ArticleName=names.get(number, f"Artikel {number}"),
                                              **extra)).success
    wms_admin.post("stock", [{"ArticleNumber": "SKU-1001", "NumberOfItems": "7.5"},
                             {"ArticleNumber": "SKU-1002", "NumberOfItems": "3"},
                             {"ArticleNumber": "SKU-1005", "NumberOfItems": "0.000"},
                             {"ArticleNumber": "SKU-1009", "NumberOfItems": "12"}])  # the rest: no stock
    assert writer.process_order(order("20001", ("SKU-1002", 5), ("SKU-1003", 1))).success  # sellable below 0

    captured = Replies()
    client = make_client(plugins=(captured,), page_size=3)
    taken = []  # for each page: whether the fast path read it
    read = client._inventory_replies.read

    def spy(response: Any) -> Any:
        decoded = read(response)
        taken.append(decoded.records is not None)
        return decoded

    client._inventory_replies.read = spy
    lines = list(client.inventory())

    without_fast_path = make_client(page_size=3)
    without_fast_path._inventory_replies = None
    assert deep(lines) == deep(list(without_fast_path.inventory()))
    with_lines = [etree.fromstring(content).find(f".//{{{NS}}}InventoryLine") is not None
                  for content in captured.envelopes]
    assert taken == with_lines and with_lines.count(True) >= 4  # every page with lines read the fast way
    for content, has_lines in zip(captured.envelopes, with_lines):
        if has_lines:
            assert_fast_and_identical(replies, content)
        else:  # the empty last page: zeep reads it
            assert assert_left_to_zeep(replies, content) == []

    by_number = {record.ArticleNumber: record for record in lines}
    assert len(lines) == 11 and by_number["SKU-1001"].ArticleName == names["SKU-1001"]
    assert by_number["SKU-1004"].ArticleName == "Kaffe &amp; te" and by_number["SKU-1003"].ProductCode == "P-SKU-1003"
    assert str(by_number["SKU-1002"].SellableNumberOfItems) == "-2" and by_number["SKU-1002"].NumberOfBookedItems == 5
    assert str(by_number["SKU-1005"].NumberOfItems) == "0.000" and by_number["SKU-1007"].NumberOfItems == 0
    assert by_number["SKU-1007"].ProductCode is None


# -- hand-written replies -----------------------------------------------------------------------

def test_an_ordinary_reply_takes_the_fast_path(replies):
    content = envelope(line(), line({"SystemId": "2", "ArticleNumber": "SKU-2", "ProductCode": OMIT, "Name": ""},
                                    NumberOfItemsDecimal="0", SellableNumberOfItems="-3.25"))
    first, second = assert_fast_and_identical(replies, content)
    assert (first.ArticleSystemId, first.ArticleNumber, first.ProductCode, first.ArticleName) == (
        1, "SKU-1", "P-1", "Pledd")
    assert [str(first.NumberOfItems), str(first.NumberOfBookedItems), str(first.SellableNumberOfItems)] == [
        "7.500", "2", "5.500"]
    assert (second.ProductCode, second.ArticleName, str(second.SellableNumberOfItems)) == (None, None, "-3.25")


def test_nil_simple_elements_are_read_as_zeep_reads_them(replies):
    content = envelope(
        line({"Name": NIL, "ProductCode": NIL, "BarCode": NIL, "IsStockArticle": NIL, "ArticleKind": NIL},
             NumberOfItemsDecimal=NIL, NumberOfBookedItemsDecimal=NIL, SellableNumberOfItems=NIL, NumberOfItems=NIL),
        line({"SystemId": "2", **{name: NIL for name, value in ARTICLE.items()
                                  if value is not OMIT and name != "SystemId"}},
             **{name: NIL for name in LINE}))
    first, second = assert_fast_and_identical(replies, content)
    assert (first.ArticleName, first.ProductCode, first.NumberOfItems, first.SellableNumberOfItems) == (
        None, None, Decimal(0), Decimal(0))
    assert second.ArticleSystemId == 2 and second.ArticleNumber is None


@pytest.mark.parametrize("text", ["7.50", "0.000", "-0", "-2.5", "1E+2", "12345678901234567890.123456789",
                                  " 7.5 ", "\t7.5\n", "+3", ".5", "1_000"])
def test_decimals_keep_their_exact_digits(replies, text):
    (record,) = assert_fast_and_identical(replies, envelope(line({"Price": text}, NumberOfItemsDecimal=text)))
    assert str(record.NumberOfItems) == str(Decimal(text.strip()))


@pytest.mark.parametrize("content, notes", [
    (envelope(line({"Colour": "red"})), {"ArticleClass.Colour": 1}),
    (envelope(line(Colour="red"), line({"SystemId": "2"}, Colour="blue")), {"InventoryLine.Colour": 2}),
    (envelope(line().replace("<Name>Pledd</Name><ArticleNumber>SKU-1</ArticleNumber>",
                             "<ArticleNumber>SKU-1</ArticleNumber><Name>Pledd</Name>")), {}),
    (envelope(line().replace("<Name>", '<Name xmlns="urn:other">')), {"ArticleClass.Name": 1}),  # another namespace
    (envelope(result=f"<GoodsOwnerId>1</GoodsOwnerId><InventoryLines>{line()}</InventoryLines>"), {}),
    (envelope(result=f"<InventoryLines><Page>1</Page>{line()}</InventoryLines><GoodsOwnerId>1</GoodsOwnerId>"
                     "<Warehouse>W</Warehouse>"), {"ArrayOfInventoryLine.Page": 1, "InventoryResult.Warehouse": 1}),
    (envelope(line({"DangerousGoods": "<UNNumber>1</UNNumber><Code>x</Code>", "StatisticsNumber": "6301"},
                   AllocatedNumberOfItems="2")), {"DangerousGoods.Code": 1}),
])
def test_unknown_and_reordered_elements_are_read_on_both_paths(replies, content, notes):
    record = assert_fast_and_identical(replies, content, notes)[0]
    expected = by_zeep(replies, envelope(line()))[0]
    name = None if "urn:other" in content.decode() else expected.ArticleName
    customs = {"StatisticsNumber": "6301"} if "<StatisticsNumber>6301<" in content.decode() else {}  # read out of place too
    assert record.model_dump() == {**expected.model_dump(), "ArticleName": name, **customs}


@pytest.mark.parametrize("hs_code, origin", [("6301.40", "se"), (NIL, NIL), ("", ""), (OMIT, "NO")])
def test_the_customs_elements_are_read_on_both_paths(replies, hs_code, origin):
    """HS code, country of origin and the article's value (Price): what the customs hold checks (sync/customs.py)."""
    customs = element("StatisticsNumber", hs_code) + element("CountryOfOriginCode", origin)
    (record,) = assert_fast_and_identical(replies, envelope(line().replace("<IsStockArticle>",
                                                                           customs + "<IsStockArticle>")))
    assert record.Price == Decimal("149.00")
    if hs_code == "6301.40":
        assert (record.StatisticsNumber, record.CountryOfOriginCode) == ("6301.40", "se")
    if hs_code is NIL or hs_code is OMIT:
        assert record.StatisticsNumber is None


@pytest.mark.parametrize("content, zeeps_ending", [
    (envelope(line().replace("<Name>Pledd</Name>", "<Name>Pledd</Name><Name>Pute</Name>")), "XMLParseError"),
    (envelope(line().replace("<NumberOfItems>7</NumberOfItems>", "")), "XMLParseError"),  # required one missing
    (envelope(line().replace("<Name>", '<Name xmlns="">')), "records"),    # unqualified: zeep matches the name
    (envelope(line({"Price": "n/a"})), "InvalidOperation"),       # a decimal that is not one: zeep raises
    (envelope(line(NumberOfItemsDecimal="12,5")), "InvalidOperation"),
    (envelope(line(SellableNumberOfItems="NaN")), "ValidationError"),                     # the model refuses it
    (envelope(line(NumberOfItems="7.5")), "records"),              # an int zeep cannot read: logged, None
    (envelope(line(LastInDate="yesterday")), "records"),           # a date-time zeep cannot read: logged, None
    (envelope(line(LastInDate="2024-02-30T00:00:00")), "records"),
    (envelope(line({"ProcessArticleTime": "2024-03-01"})), "records"),
    (envelope(line().replace("<Price>", '<Price xsi:type="xsd:string" xmlns:xsd="http://www.w3.org/2001/XMLSchema">')),
     "records"),
    (envelope(line().replace("<Name>", '<Name note="x">')), "records"),
    (envelope(line({"VatPercent": "25"}).replace("<VatPercent>", '<VatPercent xsi:nil="false">')), "records"),
    (envelope(result="<InventoryLines/><GoodsOwnerId>1</GoodsOwnerId>"), "records"),     # an empty page
    (envelope(result="<GoodsOwnerId>1</GoodsOwnerId>"), "records"),
    (envelope(line().replace("<Article>", "<Article><?pi x?>")), "ValueError"),         # zeep trips on it
])
def test_unusual_replies_go_through_zeep_and_end_as_zeep_ends(replies, content, zeeps_ending):
    ending = assert_left_to_zeep(replies, content)
    assert (ending[0] if isinstance(ending, tuple) else "records") == zeeps_ending, ending


@pytest.mark.parametrize("unkeyed", [
    line({"SystemId": "x"}),                                         # zeep cannot read it: logged, None
    line({"SystemId": NIL}), line(Article='<Article xsi:nil="true"/>'),  # zeep: a record of Nones
    line(Article="<Article/>"), line(Article=OMIT), '<InventoryLine xsi:nil="true"/>', "<InventoryLine/>",
])
def test_a_line_without_its_article_id_is_skipped_and_the_page_read(replies, unkeyed):
    content = envelope(line(), unkeyed, line({"SystemId": "2"}))
    expected = outcome(lambda: by_zeep(replies, content))
    assert outcome(lambda: replies.content(content)) == expected
    assert [fields[2]["ArticleSystemId"] for fields in expected] == [("int", "1"), ("int", "2")]


@pytest.mark.parametrize("content", [
    envelope(line(ReceivedToBeReportedNumberOfItems=OMIT)),
    envelope(result=f"<InventoryLines>{line()}</InventoryLines>"),  # GoodsOwnerId
])
def test_a_required_element_missing_at_the_end_is_read_as_zeep_reads_it(replies, content):
    assert_fast_and_identical(replies, content, {})


def test_an_empty_line_is_dropped_as_on_zeeps_path(replies):
    assert_fast_and_identical(replies, envelope(line(), "<InventoryLine/>", line({"SystemId": "2"})))


def test_a_simple_value_is_its_text_alone_as_zeep_reads_it(replies):
    content = envelope(line({"Name": "Pl<!-- removed by the parser -->edd"}),
                       line({"SystemId": "2", "Name": "Pl<?pi x?>edd", "ProductCode": "<![CDATA[P<&>]]>"}))
    first, second = assert_fast_and_identical(replies, content)
    assert (first.ArticleName, second.ArticleName, second.ProductCode) == ("Pledd", "Pl", "P<&>")


def test_from_reply_reads_only_the_elements_the_fast_path_reads(replies):
    """INVENTORY_LINE_ELEMENTS is what InventoryLine.from_reply reads of zeep's values, no more."""
    values = serialize_object(replies.operation.process_reply(document(replies, envelope(line()))), dict)
    (zeeps_line,) = values["InventoryLines"]["InventoryLine"]
    read: set[tuple[str, ...]] = set()

    class Recording(dict):
        def __init__(self, data: Mapping[str, Any], path: tuple[str, ...] = ()):
            super().__init__(data)
            self.path = path

        def __getitem__(self, key: str) -> Any:
            return self.get(key)

        def get(self, key: str, default: Any = None) -> Any:
            read.add(self.path + (key,))
            value = super().get(key, default)
            return Recording(value, self.path + (key,)) if isinstance(value, dict) else value

    InventoryLine.from_reply(Recording(zeeps_line))

    def paths(wanted: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
        found = set()
        for name, inner in wanted.items():
            found.add(prefix + (name,))
            if inner is not None:
                found |= paths(inner, prefix + (name,))
        return found

    assert read == paths(INVENTORY_LINE_ELEMENTS)


WEIRD_TEXTS = ["", " ", "abc", "NaN", "1e5", "-0", "0001-01-01T00:00:00", "true", "1", "2024-02-30T00:00:00",
               "2024-02-03T04:05:06.7+01:00", "٣", "1_0", "+5", "9" * 30, "-2147483648", "Stock", "\t7.5\n", "Ø"]


# "text" twice: most elements of a line are simple values.
MUTATIONS = ("drop", "swap", "repeat", "text", "text", "nil", "attribute", "namespace", "empty", "unknown", "shuffle")


def test_random_mutations_end_the_same_on_both_paths(replies):
    base = envelope(line(), line({"SystemId": "2", "Name": "Pute ø", "ProductCode": OMIT}, SellableNumberOfItems="-1"))
    assert_fast_and_identical(replies, base)
    rng = random.Random("inventory")
    took_fast_path = noted = 0
    for _ in range(300):
        content = base
        for _ in range(rng.randint(1, 3)):
            content = mutated(content, rng, WEIRD_TEXTS, MUTATIONS)
        zeep_notes: dict[str, int] = {}
        expected = outcome(lambda: by_zeep(replies, content, zeep_notes))
        assert outcome(lambda: replies.content(content)) == expected, content
        fast_notes: dict[str, int] = {}
        try:
            fast = replies.fast_records(document(replies, content), fast_notes)
        except Unusual:
            assert fast_notes == {}  # an abandoned pass notes nothing
            continue
        took_fast_path += 1
        noted += bool(fast_notes)
        assert deep(fast) == expected, content
        assert fast_notes == zeep_notes, content
    assert took_fast_path > 50 and noted > 10  # the mutations did not all end on zeep's path


# -- over HTTP: the client's errors are those of zeep's path ------------------------------------

@pytest.fixture
def canned() -> Iterator[Canned]:
    yield from canned_server("/sandbox/service.asmx")


FAULT = (f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode>'
         "<faultstring>{message}</faultstring></soap:Fault></soap:Body></soap:Envelope>")


@pytest.mark.parametrize("status, body, ending", [
    (200, envelope(line(), line({"SystemId": "2"})), "records"),
    (500, FAULT.format(message="Server was unable to process request. Invalid goods owner.").encode(),
     "TerminalError"),
    (500, FAULT.format(message="Wrong username, password or goodsownercode").encode(), "AuthenticationError"),
    (200, FAULT.format(message="Something broke").encode(), "TerminalError"),
    (200, envelope(line())[:300], "RetryableError"),                          # a garbled reply
    (502, b"", "RetryableError"),
    (404, b"<html>not here</html>", "TerminalError"),
    (200, envelope(result="<InventoryLines/><GoodsOwnerId>1</GoodsOwnerId>"), "records"),
    (200, envelope(line({"Price": "n/a"})), "InvalidOperation"),              # zeep's error, as zeep raises it
    (200, envelope(line(Article=OMIT)), "records"),                           # a line without its id: skipped
    (200, envelope(line(SellableNumberOfItems="NaN")), "ValidationError"),
])
def test_the_client_ends_as_on_zeeps_path(canned, make_connection, status, body, ending):
    canned.status, canned.body = status, body
    connection = make_connection(base_url=canned.url)
    fast, plain = WmsClient(connection), WmsClient(connection)
    plain._inventory_replies = None  # the client as it was: zeep decodes every reply
    assert fast._inventory_replies is not None

    def read(client: WmsClient) -> tuple[Any, int]:
        """The records, or the error's type, message and cause; and how many requests were sent."""
        canned.requests = 0
        try:
            result: Any = deep(list(client.inventory()))
        except Exception as error:  # noqa: BLE001 - comparing failures is the point
            result = type(error).__name__, str(error), type(error.__cause__).__name__
        return result, canned.requests

    got = read(fast)
    assert got == read(plain)
    assert (got[0][0] if isinstance(got[0], tuple) else "records") == ending, got
