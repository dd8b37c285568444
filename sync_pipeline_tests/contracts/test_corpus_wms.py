"""The Ongoing WMS client reads every generated reply (corpus.py) with the values it holds, on both paths.

Replies come over HTTP from a server answering by SOAPAction and are read by WmsClient's own methods
(a paging read gets the reply, then an empty page): once as the client is (stock pages by the fast
reader, which leaves what it does not know to zeep) and once with zeep decoding every reply. The
records must carry what the reply holds for their fields, zeep's plain values must hold every element
of the reply, the elements no description has must be skipped and noted by the same names and counts
on both paths, and what is not a reply of the operation must fail the call alike on both paths.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from zeep.helpers import serialize_object

from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.soap.fast_reply import Unusual
from sync_pipeline.wms import WmsClient, WmsConnection, payloads
from sync_pipeline.wms.models import (
    InventoryLine,
    OrderConsignee,
    OrderInvoiceAddress,
    OrderStatus,
    PickedLine,
    TrackingInfo,
    WmsOrder,
    WriteResult,
)
from sync_pipeline.wms.write_calls import article_write, order_write
from sync_pipeline_tests.contracts.corpus import (
    ONGOING_OPERATIONS,
    Operation,
    Reply,
    drawn_reply,
    keeping_records,
    non_replies,
    replies,
)
from sync_pipeline_tests.contracts.corpus_checks import (
    non_reply_problems,
    zeep_result_problems,
)
from sync_pipeline_tests.contracts.corpus_server import (
    Answer,
    RoutedServer,
    routed_server,
)
from sync_pipeline_tests.contracts.corpus_values import DrawingPicker
from sync_pipeline_tests.contracts.real import ONGOING_2017, ONGOING_2024
from sync_pipeline_tests.soap.reading import reading_of
from sync_pipeline_tests.wms.samples import article, order
from sync_pipeline_tests.wms.status_calls import order_statuses, status_write, update_order_status

OPERATIONS = [Operation(name, path) for path in (ONGOING_2024, ONGOING_2017) for name in ONGOING_OPERATIONS]
FAST, ZEEP = "fast path", "zeep's path"
QUICK = RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002, max_quarantine_wait=0.01)
WRITES = {"ProcessArticle": article_write(article("SKU-1001")), "ProcessOrder": order_write(order("1042", ("SKU-1", 2))),
          "UpdateOrder": status_write("1042", 450, "PK123456789NO")}


# -- what each record should be, from what the reply holds ------------------------------------------

def _decimal(value: Any) -> Decimal:
    return Decimal(0) if value is None else value


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.year <= 1:  # 0001-01-01: .NET's "no date"
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _items(array: Mapping[str, Any] | None, item: str) -> list[Mapping[str, Any]]:
    return [entry for entry in (array or {}).get(item, []) if entry]


def inventory_line(line: Mapping[str, Any]) -> InventoryLine:
    """InventoryLine's fields from an InventoryLine element: NumberOfItems is NumberOfItemsDecimal."""
    article_class = line.get("Article") or {}
    return InventoryLine(ArticleSystemId=article_class.get("SystemId"), ArticleNumber=article_class.get("ArticleNumber"),
                         ProductCode=article_class.get("ProductCode"), ArticleName=article_class.get("Name"),
                         Description=article_class.get("Description"), BarCode=article_class.get("BarCode"),
                         Weight=article_class.get("Weight"), MainSupplierNumber=article_class.get("MainSupplierNumber"),
                         MainSupplierName=article_class.get("MainSupplierName"),
                         StatisticsNumber=article_class.get("StatisticsNumber"),
                         CountryOfOriginCode=article_class.get("CountryOfOriginCode"), Price=article_class.get("Price"),
                         NumberOfItems=_decimal(line.get("NumberOfItemsDecimal")),
                         NumberOfBookedItems=_decimal(line.get("NumberOfBookedItemsDecimal")),
                         SellableNumberOfItems=_decimal(line.get("SellableNumberOfItems")))


def _address(model: type, held: Mapping[str, Any] | None) -> Any:
    return model(**{name: held.get(name) for name in model.model_fields}) if held else None


def wms_order(held: Mapping[str, Any]) -> WmsOrder:
    info, consignee = held.get("OrderInfo") or {}, held.get("Consignee") or {}
    return WmsOrder(
        OrderId=info.get("OrderId"), GoodsOwnerOrderNumber=info.get("GoodsOwnerOrderNumber"),
        ReferenceNumber=info.get("ReferenceNumber"), OrderStatusNumber=info.get("OrderStatusNumber"),
        OrderStatusText=info.get("OrderStatusText"), ShippedTime=_utc(info.get("ShippedTime")),
        WayBill=info.get("WayBill") or None, DeliveryDate=_utc(info.get("DeliveryDate")),
        Consignee=_address(OrderConsignee, consignee), InvoiceAddress=_address(OrderInvoiceAddress,
                                                                               consignee.get("InvoiceAddress")),
        Lines=[PickedLine(OrderLineSystemId=line.get("OrderLineSystemId"),
                          ExternalOrderLineCode=line.get("ExternalOrderLineCode"),
                          ArticleSystemId=(line.get("Article") or {}).get("SystemId"),
                          ArticleNumber=(line.get("Article") or {}).get("ArticleNumber"),
                          ProductCode=(line.get("Article") or {}).get("ProductCode"),
                          OrderedNumberOfItems=_decimal(line.get("OrderedNumberOfItems")),
                          PickedNumberOfItems=_decimal(line.get("PickedNumberOfItems")))
               for line in _items(held.get("PickedOrderLines"), "PickedOrderLine")],
        Tracking=[TrackingInfo(Waybill=info.get("Waybill"), TrackingUrl=info.get("TrackingUrl"),
                               Created=_utc(info.get("Created")), IsReturn=bool(info.get("IsReturn")))
                  for info in _items(held.get("Tracking"), "OrderTrackingInfo")],
        Carrier=_first_text((held.get("Transporter") or {}).get(name) for name in ("TransporterName", "Name", "Code"))
        or _first_text(info.get(name) for name in ("WayOfDeliveryTypeName", "WayOfDelivery", "WayOfDeliveryTypeCode")))


def _first_text(values: Any) -> str | None:
    """The first value with text: the booked transporter's names, else the order's way of delivery."""
    return next((value.strip() for value in values if isinstance(value, str) and value.strip()), None)


def order_status(held: Mapping[str, Any]) -> OrderStatus:
    return OrderStatus(OrderStatusId=held.get("OrderStatusId"), OrderStatusName=held.get("OrderStatusName"))


def write_result(operation: str, key: str, held: Mapping[str, Any] | None) -> WriteResult:
    """FileResultClass (ProcessArticle, ProcessOrder) or UpdateOrderResult as the client reports it."""
    if held is None:
        return WriteResult(success=False, key=key, message="the service returned no result")
    message = held.get("Message") if operation == "UpdateOrder" else held.get("ErrorMessage") or held.get("Message")
    return WriteResult(success=bool(held.get("Success")), key=key, message=message or None,
                       order_id=held.get("OrderId") or None,
                       article_def_id=None if operation == "UpdateOrder" else held.get("ArticleDefId") or None)


RECORDS_OF: dict[str, Callable[[Mapping[str, Any]], Any]] = {"GetInventoryByQuery": inventory_line,
                                                               "GetOrdersByQuery": wms_order}


def once_by(key: Callable[[Any], int], records: list[Any]) -> list[Any]:
    """Each record once by its id, the first one kept (as the paging walk yields them)."""
    return list({key(record): record for record in reversed(records)}.values())[::-1]


# -- reading ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server() -> Iterator[RoutedServer]:
    yield from routed_server()


@pytest.fixture
def make_client(server: RoutedServer) -> Callable[[str], WmsClient]:
    server.answers.clear()  # the server lives for the module; answers of earlier tests are gone

    def make(path: str) -> WmsClient:
        client = WmsClient(WmsConnection(base_url=server.url + "/sandbox", goods_owner_code="DEMO", username="demo",
                                         password="demo-password", timeout=5, retry=QUICK))
        if path == ZEEP:
            client._inventory_replies = None
        return client

    return make


def empty_page(operation: Operation) -> bytes:
    """The operation's reply without records (the last page of every read)."""
    wrapper = {"GetInventoryByQuery": "absent InventoryLines", "GetOrdersByQuery": "absent Orders"}[operation.name]
    return next(reply.envelope for reply in replies(operation) if reply.label == wrapper)


READS: dict[str, Callable[[WmsClient], Any]] = {
    "GetInventoryByQuery": lambda client: list(client.inventory()),
    "GetOrdersByQuery": lambda client: list(client.orders()),
    "GetOrderStatuses": lambda client: order_statuses(client),
    "ProcessArticle": lambda client: client.process_article(article("SKU-1001")),
    "ProcessOrder": lambda client: client.process_order(order("1042", ("SKU-1", 2))),
    "UpdateOrder": lambda client: update_order_status(client, "1042", 450, "PK123456789NO"),
}


def expected(reply: Reply) -> Any:
    """What the client's read gives for the reply (an exception class where the record cannot be made)."""
    name, records = reply.operation.name, [record for record in reply.records if record]
    if name == "GetInventoryByQuery":
        return once_by(lambda line: line.ArticleSystemId, [inventory_line(record) for record in records])
    if name == "GetOrdersByQuery":
        return once_by(lambda order: order.OrderId, [wms_order(record) for record in records])
    if name == "GetOrderStatuses":
        return [order_status(record) for record in records]
    return write_result(name, WRITES[name].key, reply.result)


def outcome(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except Exception as error:  # noqa: BLE001 - comparing failures is the point
        return error


def read_reply(server: RoutedServer, client: WmsClient, reply: Reply) -> tuple[Any, dict[str, int]]:
    """The client's read of `reply` (or what it raised), and the unknown elements it noted."""
    name = reply.operation.name
    if name in ("GetInventoryByQuery", "GetOrdersByQuery"):
        server.answer(name, reply.envelope, empty_page(reply.operation))
    else:
        server.answer(name, reply.envelope)
    before = client.unknown_elements.snapshot()
    result = outcome(lambda: READS[name](client))
    after = client.unknown_elements.snapshot()
    return result, {key: count - before.get(key, 0) for key, count in after.items() if count != before.get(key, 0)}


# The element that identifies each record; a record without it cannot be one of the client's records.
KEYS = {"GetInventoryByQuery": ("Article", "SystemId"), "GetOrdersByQuery": ("OrderInfo", "OrderId"),
        "GetOrderStatuses": ("OrderStatusId",)}


def keyed(operation: Operation, record: Any) -> bool:
    value = record
    for name in KEYS.get(operation.name, ()):
        value = value.get(name) if isinstance(value, Mapping) else None
    return value is not None


def without_unkeyed(reply: Reply) -> Reply:
    kept = [index for index, record in enumerate(reply.records) if keyed(reply.operation, record)]
    if len(kept) == len(reply.records):
        return reply
    return keeping_records(reply, kept, "the records with an id")


# Only stock pages have a fast path; zeep reads every other reply.
PATHS = [(operation, path) for operation in OPERATIONS
         for path in ([FAST, ZEEP] if operation.name == "GetInventoryByQuery" else [ZEEP])]


@pytest.mark.parametrize("operation, path", PATHS, ids=lambda value: str(value))
def test_records_carry_what_the_reply_holds(server: RoutedServer, make_client: Callable[[str], WmsClient],
                                            operation: Operation, path: str) -> None:
    client = make_client(path)
    problems: list[str] = []
    for reply in map(without_unkeyed, replies(operation)):
        result, notes = read_reply(server, client, reply)
        if isinstance(result, Exception) and len(reply.records) > 1:
            for index in range(len(reply.records)):  # which records the client could not read
                single = keeping_records(reply, [index], f"record {index}")
                alone, _ = read_reply(server, client, single)
                if isinstance(alone, Exception):
                    problems.append(f"{single}: raised {type(alone).__name__}: {alone}")
            continue
        if isinstance(result, Exception):
            problems.append(f"{reply}: raised {type(result).__name__}: {result}")
        elif result != expected(reply):
            problems.append(f"{reply}: read {result!r}, the reply holds {expected(reply)!r}")
        if notes != reply.unknown:
            problems.append(f"{reply}: noted {notes}, the reply has {reply.unknown}")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op.name in KEYS and op.description == ONGOING_2024],
                         ids=str)
def test_a_page_with_a_record_without_its_id_still_gives_the_other_records(
        server: RoutedServer, make_client: Callable[[str], WmsClient], operation: Operation) -> None:
    client = make_client(FAST)
    problems = []
    for reply in replies(operation):
        if reply.records and not all(keyed(operation, record) for record in reply.records):
            result, _ = read_reply(server, client, reply)
            if result != expected(without_unkeyed(reply)):
                problems.append(f"{reply}: {result!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op.name in RECORDS_OF], ids=str)
def test_every_record_of_a_reply_is_read_with_what_it_holds(operation: Operation) -> None:
    """Each record of a batched reply carries its own variant (nil lines, absent addresses, ...); the paging
    walk keeps one record per id, so the records are read here as one page is, every one compared."""
    problems = []
    for reply in map(without_unkeyed, replies(operation)):
        held = [RECORDS_OF[operation.name](record) for record in reply.records if record]
        for fast in (True, False) if operation.name == "GetInventoryByQuery" else (False,):
            records, _ = reading_of(operation.name).as_client(reply.envelope, fast=fast)
            problems += [f"{reply} record {index} ({'fast' if fast else 'zeep'}): read {read!r}, holds {meant!r}"
                         for index, (read, meant) in enumerate(zip(records, held, strict=True)) if read != meant]
    assert not problems, "\n".join(problems[:10])


# No shrinking: shrinking a large drawn reply outlasts pytest-timeout, whose Failed inside an example
# hypothesis takes for a failure that then passes on replay (a FlakyFailure hiding the real one).
DRAWN = settings(derandomize=True, database=None, deadline=None, max_examples=15,
                 phases=(Phase.explicit, Phase.generate),
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


@pytest.mark.parametrize("name", ["GetInventoryByQuery", "GetOrdersByQuery"])
@DRAWN
@given(data=st.data())
def test_drawn_replies_are_read_alike_on_both_paths(name: str, data: st.DataObject) -> None:
    """Replies drawn by hypothesis: elements present or not, nil, in any order, unknown ones added."""
    reply = drawn_reply(Operation(name, ONGOING_2024), DrawingPicker(data.draw))
    assume(all(keyed(reply.operation, record) for record in reply.records))  # see the test above
    expected = [RECORDS_OF[name](record) for record in reply.records]
    for fast in (True, False) if name == "GetInventoryByQuery" else (False,):
        records, notes = reading_of(name).as_client(reply.envelope, fast=fast)
        assert records == expected, fast
        assert notes == reply.unknown, fast


def test_the_fast_reader_reads_stock_pages_itself() -> None:
    """Stock pages with elements in any order, unknown, absent or nil ones are read by the fast pass."""
    left_to_zeep = []
    for reply in map(without_unkeyed, replies(Operation("GetInventoryByQuery", ONGOING_2024))):
        try:
            reading_of("GetInventoryByQuery").fast(reply.envelope)
        except Unusual:
            left_to_zeep.append(reply.label)
    # by design zeep's: pages without lines (absent, nil or empty) and unknown elements in the wrappers
    allowed = ("absent GetInventoryByQueryResult", "absent InventoryLines", "nil InventoryLines", "unknown")
    assert not [label for label in left_to_zeep if not label.startswith(allowed) or label == "unknown inside records"
                ], left_to_zeep


# -- zeep's values: every element of every reply -------------------------------------------------------

def zeep_arguments(client: WmsClient, name: str) -> dict[str, Any]:
    reads = {
        "GetInventoryByQuery": {"GetInventoryQuery": payloads.inventory_query(max_articles=100,
                                                                                article_system_id_from=0)},
        "GetOrdersByQuery": {"query": payloads.order_filters(max_orders=100, order_id_from=0)},
        "GetOrderStatuses": {},
    }
    return {**client._credentials(), **(reads[name] if name in reads else WRITES[name].arguments)}


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_zeeps_values_hold_every_element_of_the_reply(server: RoutedServer, make_client: Callable[[str], WmsClient],
                                                      operation: Operation) -> None:
    client = make_client(ZEEP)
    problems: list[str] = []
    for reply in replies(operation):
        server.answer(operation.name, reply.envelope)
        read = outcome(lambda: serialize_object(getattr(client._service, operation.name)(
            **zeep_arguments(client, operation.name)), dict))
        if isinstance(read, Exception):
            problems.append(f"{reply}: raised {type(read).__name__}: {read}")
        else:
            problems += [f"{reply}: {problem}" for problem in zeep_result_problems(read, reply.result)]
    assert not problems, "\n".join(problems[:30])


# -- what is not a reply of the operation -------------------------------------------------------------

@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op.description == ONGOING_2024], ids=str)
def test_what_is_not_a_reply_fails_the_call_alike_on_both_paths(server: RoutedServer,
                                                                 make_client: Callable[[str], WmsClient],
                                                                 operation: Operation) -> None:
    problems = []
    for non_reply in non_replies(operation):
        endings = []
        for path in (FAST, ZEEP):
            server.answer(operation.name, Answer(non_reply.body, non_reply.status, non_reply.content_type))
            endings.append(outcome(functools.partial(READS[operation.name], make_client(path))))
        problems += non_reply_problems(non_reply.label, operation.name, endings[0])
        if (type(endings[0]), str(endings[0])) != (type(endings[1]), str(endings[1])):
            problems.append(f"{non_reply}: {endings[0]!r} on the fast path, {endings[1]!r} on zeep's")
    assert not problems, "\n".join(problems)
