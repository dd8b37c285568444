"""Replies are read as the real services send them, alike on the fast paths and on zeep's path.

For each operation the clients read: an element no description defines, at any level, is skipped
and noted by "<ParentTypeName>.<localname>" with the same count on every path; known elements in
another order read right; an APIException anywhere inside a 24SevenOffice record is that record's
refusal; what is not a reply of the operation at all is still refused with a clear error. The
replies are sample.REPLIES, altered in place; "every path" is zeep's path (TolerantReading, zeep's
decoding), the client's path (the fast pass, else the same), and the fast pass alone where there is one.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from lxml import etree
from pydantic import BaseModel
from zeep import xsd
from zeep.xsd import ComplexType

from sync_pipeline.erp.client import save_refusal
from sync_pipeline.soap.errors import RetryableError, TerminalError, classify
from sync_pipeline.soap.fast_reply import Unusual
from sync_pipeline.soap.tolerant import TolerantReading
from sync_pipeline.soap.unknown import UnknownElements
from sync_pipeline_tests.soap.reading import Reading, reading_of
from sync_pipeline_tests.soap.samples import ERP, OTHER_OPERATION, REPLIES, envelope, fault

OPERATIONS = tuple(REPLIES)
ERP_RECORDS = ("GetProducts", "GetInvoices", "GetCompanies", "SaveInvoices")
LEVELS = {  # the parents an unknown element is tried in, by the name notes give them
    "GetProducts": {"GetProductsResponse", "ArrayOfProduct", "Product"},
    "GetInvoices": {"GetInvoicesResponse", "ArrayOfInvoiceOrder", "InvoiceOrder", "Addresses", "Address",
                    "ArrayOfInvoiceRow", "InvoiceRow", "DeliveryMethod"},
    "GetCompanies": {"GetCompaniesResponse", "ArrayOfCompany", "Company", "Addresses", "Address", "PhoneNumbers",
                     "PhoneNumber", "EmailAddresses", "EmailAddress"},
    "SaveInvoices": {"SaveInvoicesResponse", "ArrayOfInvoiceOrder", "InvoiceOrder", "Addresses", "Address",
                     "ArrayOfInvoiceRow", "InvoiceRow"},
    "GetInventoryByQuery": {"GetInventoryByQueryResponse", "InventoryResult", "ArrayOfInventoryLine",
                            "InventoryLine", "ArticleClass"},
    "GetOrdersByQuery": {"GetOrdersByQueryResponse", "GetOrdersResult", "ArrayOfOrder", "Order", "Consignee",
                         "ConsigneeInvoiceAddress", "OrderInfoType", "ArrayOfPickedOrderLine", "PickedOrderLine",
                         "ArticleClass", "ArrayOfOrderTrackingInfo", "OrderTrackingInfo"},
    "ProcessOrder": {"ProcessOrderResponse", "FileResultClass"},
}


def deep(value: Any) -> Any:
    """Everything that tells two records apart: types, Decimal exponents, zones, fields set, extras."""
    if isinstance(value, BaseModel):
        return (type(value).__name__, sorted(value.model_fields_set),
                {name: deep(item) for name, item in value.__dict__.items()}, deep(value.__pydantic_extra__))
    if isinstance(value, dict):
        return {key: deep(item) for key, item in value.items()}
    if isinstance(value, list):
        return [deep(item) for item in value]
    if isinstance(value, (Decimal, datetime)):
        return type(value).__name__, str(value), getattr(value, "tzinfo", None)
    if isinstance(value, Enum):
        return type(value).__name__, value.value
    return type(value).__name__, value


def read(operation: str, content: bytes) -> tuple[list[Any], dict[str, int], bool]:
    """The records and notes every path gives (asserted equal), and whether the fast pass took the reply."""
    reading = reading_of(operation)
    records, notes = reading.by_zeep(content)
    client_records, client_notes = reading.as_client(content)
    assert deep(client_records) == deep(records) and client_notes == notes
    if reading.reader is None:
        return records, notes, False
    try:
        fast_records, fast_notes = reading.fast(content)
    except Unusual:
        return records, notes, False
    assert deep(fast_records) == deep(records) and fast_notes == notes
    return records, notes, True


Path = tuple[int, ...]  # child indexes from the envelope down


def complex_elements(reading: Reading, content: bytes) -> Iterator[tuple[Path, str]]:
    """(path, the name notes give it) of each element of the reply that has element children."""
    root = etree.fromstring(content)
    response = root[0][0]
    body = reading.operation.output.body

    def walk(node: etree._Element, element: Any, path: Path) -> Iterator[tuple[Path, str]]:
        xsd_type = element.type
        label = xsd_type.qname.localname if xsd_type.is_global else element.qname.localname
        if len(node):
            yield path, label
        by_tag = {child.qname.text: child for _, child in xsd_type.elements}
        for index, child in enumerate(node):
            if isinstance(by_tag[child.tag].type, ComplexType):
                yield from walk(child, by_tag[child.tag], (*path, index))

    yield from walk(response, body, (0, 0))


def altered(content: bytes, change, *paths: Path) -> bytes:
    """The reply with `change` made to the element at each path (paths into the reply as it was)."""
    root = etree.fromstring(content)
    nodes = []
    for path in paths:
        node = root
        for index in path:
            node = node[index]
        nodes.append(node)
    for node in nodes:
        change(node)
    return etree.tostring(root)


def add_unknown(node: etree._Element, name: str = "Unknown", position: int = 0) -> None:
    extra = etree.Element(f"{{{etree.QName(node).namespace}}}{name}")
    extra.text = "secret"
    node.insert(position, extra)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_unknown_element_at_each_level_is_skipped_and_noted(operation):
    reading, base = reading_of(operation), REPLIES[operation]
    expected, _, _ = read(operation, base)
    levels = list(complex_elements(reading, base))
    assert {label for _, label in levels} == LEVELS[operation]
    fast_passes = 0
    for path, label in levels:
        records, notes, fast = read(operation, altered(base, add_unknown, path))
        assert deep(records) == deep(expected) and notes == {f"{label}.Unknown": 1}, path
        fast_passes += fast
    if reading.reader is not None:  # all but the one in the response wrapper, which zeep's path reads
        assert fast_passes == len(levels) - 1

    everywhere = altered(base, lambda node: (add_unknown(node), add_unknown(node, position=len(node))),
                         *(path for path, _ in levels))
    records, notes, _ = read(operation, everywhere)
    assert deep(records) == deep(expected)
    assert notes == {f"{label}.Unknown": 2 * [other for _, other in levels].count(label) for _, label in levels}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_known_elements_in_another_order_read_right(operation):
    base = REPLIES[operation]
    expected, _, _ = read(operation, base)

    def reverse_records(node: etree._Element) -> None:
        for child in node.iter():
            tags = [grandchild.tag for grandchild in child]
            if len(set(tags)) == len(tags) > 1:  # a record, not an array: its items keep their order
                for grandchild in reversed(list(child)):
                    child.append(grandchild)

    records, notes, fast = read(operation, altered(base, reverse_records, ()))
    assert deep(records) == deep(expected) and notes == {}
    assert fast == (reading_of(operation).reader is not None)


API_EXCEPTION = ("<APIException xmlns='http://24sevenOffice.com/webservices'><Type>Exception</Type>"
                 "<Message>Ugyldig «ordre»</Message><StackTrace>at X.Y()</StackTrace></APIException>")


@pytest.mark.parametrize("operation, inside", [
    ("GetProducts", None), ("GetInvoices", None), ("GetInvoices", "InvoiceRow"), ("GetInvoices", "Delivery"),
    ("GetInvoices", "DeliveryMethod"), ("GetCompanies", None), ("GetCompanies", "Post"), ("GetCompanies", "Work"),
    ("SaveInvoices", None), ("SaveInvoices", "InvoiceRow"), ("SaveInvoices", "Delivery"),
])
def test_an_api_exception_anywhere_in_a_record_is_that_records_refusal(operation, inside):
    """At the record's end (where no sequence puts it) or inside one of its nested records."""
    base = REPLIES[operation]

    def misplace(result: etree._Element) -> None:
        record = result[0]
        target = record if inside is None else next(node for node in record.iter() if
                                                    etree.QName(node).localname == inside)
        target.insert(len(target) if inside is None else 0, etree.fromstring(API_EXCEPTION))

    content = altered(base, misplace, (0, 0, 0))
    records, notes, _ = read(operation, content)
    assert notes == {}
    first, *others = records
    assert (first.APIException.Type, first.APIException.Message) == ("Exception", "Ugyldig «ordre»")
    assert not hasattr(first.APIException, "StackTrace") and all(other.APIException is None for other in others)
    expected, _, _ = read(operation, base)
    assert deep(first.model_copy(update={"APIException": None})) == deep(expected[0])
    if operation == "SaveInvoices":
        values, _ = reading_of(operation).zeep_values(content)
        refusal = save_refusal(values, "7", "OrderStatus")
        assert (refusal.key, refusal.field, refusal.message) == ("7", "OrderStatus", "Exception: Ugyldig «ordre»")


@pytest.mark.parametrize("inside, skipped, kept", [(None, "InvoiceOrder", "Andre «ordre»"),  # its first own
                                                   ("InvoiceRow", "InvoiceRow", "Ugyldig «ordre»"),
                                                   ("Delivery", "Address", "Ugyldig «ordre»")])
def test_a_record_keeps_its_own_api_exception_and_skips_any_other(inside, skipped, kept):
    def two(result: etree._Element) -> None:
        record = result[0]
        target = record if inside is None else next(node for node in record.iter()
                                                    if etree.QName(node).localname == inside)
        target.insert(0, etree.fromstring(API_EXCEPTION.replace("Ugyldig", "Andre")))
        record.append(etree.fromstring(API_EXCEPTION))

    records, notes, _ = read("SaveInvoices", altered(REPLIES["SaveInvoices"], two, (0, 0, 0)))
    assert records[0].APIException.Message == kept and notes == {f"{skipped}.APIException": 1}


def test_an_api_exception_where_no_record_has_one_is_an_unknown_element():
    exception = API_EXCEPTION.replace("24sevenOffice.com/webservices", "ongoingsystems.se/WSI")
    content = altered(REPLIES["GetOrdersByQuery"], lambda order: order.insert(0, etree.fromstring(exception)),
                      (0, 0, 0, 0, 0))
    records, notes, _ = read("GetOrdersByQuery", content)
    assert notes == {"Order.APIException": 1} and len(records) == 1


def _ending(read_reply) -> Any:
    try:
        return deep(read_reply()[0])
    except Exception as exc:  # noqa: BLE001 - comparing failures is the point
        error = classify(exc, "Op")
        return type(error), str(error)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("case", ["another operation", "html", "cut", "fault", "no body"])
def test_what_is_not_a_reply_of_the_operation_is_refused_with_a_clear_error(operation, case):
    reply, status, content_type = REPLIES[operation], 200, "text/xml; charset=utf-8"
    error, message = {
        "another operation": (TerminalError, f"not a reply of {operation}"),
        "html": (RetryableError, "malformed reply"),
        "cut": (RetryableError, "malformed reply"), "fault": (TerminalError, "Invalid goods owner"),
        "no body": (TerminalError, "no SOAP Body"),
    }[case]
    if case == "another operation":
        reply = REPLIES[OTHER_OPERATION[operation]]
    elif case == "html":
        reply, content_type = b"<html><body><h1>Bad gateway</h1></body></html>", "text/html"
    elif case == "cut":
        reply = reply[:len(reply) // 2]
    elif case == "fault":
        reply, status = fault("Server was unable to process request. Invalid goods owner."), 500
    else:
        reply = reply.split(b"<soap:Body>")[0] + b"</soap:Envelope>"
    reading = reading_of(operation)
    ending = _ending(lambda: reading.as_client(reply, status, content_type))
    assert ending == _ending(lambda: reading.as_client(reply, status, content_type, fast=False))
    assert ending[0] is error and message in ending[1], ending


def test_a_company_password_in_a_reply_is_never_kept_on_either_path() -> None:
    reply = envelope(ERP, "GetCompanies", "<Company><Id>7</Id><Name>Leverandør AS</Name><Username>api</Username>"
                     "<Password>hunter2-secret</Password></Company>")
    reading = reading_of("GetCompanies")
    for records, _ in (reading.by_zeep(reply), reading.fast(reply)):
        (company,) = records
        assert company.Id == 7 and company.model_extra == {"Username": "api"}
        assert "hunter2-secret" not in repr(company)


def test_each_type_is_tidied_by_its_own_shape_even_after_others_were_freed() -> None:
    """Shapes are cached by type: a new type at a freed type's address must not find the old shape."""
    plugin = TolerantReading(schema=None, collector=UnknownElements())
    record = xsd.Element("{urn:test}Record", xsd.String())  # every type below is labelled "Record"
    for number in range(50):
        field_name = f"{{urn:test}}Field{number}"
        transient = xsd.ComplexType(xsd.Sequence([xsd.Element(field_name, xsd.String())]))
        assert plugin.shape(transient, record).find(field_name) is not None, number
        del transient
        gc.collect()  # zeep's types hold cycles: freed here, so the next type may take the same id
