"""One reply's bytes read as the clients read them, on each path, with the elements each path skipped.

For the tolerant-reading tests and the generated reply corpus. `reading_of(operation)` gives a
`Reading` for every operation whose replies the clients read; each has a zeep client of the
project's own description (as the clients build it: TolerantReading last among its plugins):

    reading = reading_of("GetInvoices")
    records, notes = reading.by_zeep(content)   # TolerantReading, zeep's decoding, the client's records
    records, notes = reading.fast(content)      # the fast pass alone: Unusual when it leaves the reply
                                                # to zeep; NoFastPath for operations without one
    values, notes = reading.zeep_values(content)  # zeep's plain values (serialize_object) after tidying
    records, notes = reading.as_client(content, status=200)  # an HTTP reply as the client reads it:
                                                # the fast path, else TolerantReading and zeep

`notes` is {"<ParentTypeName>.<localname>": count} of the elements skipped; errors are raised as each
path raises them (`classify(error, operation)` sorts them as the clients do). The records are those
the clients make: ERP models, InventoryLine, WmsOrder, WriteResult (key "key"); for SaveInvoices the
saved orders as InvoiceOrder records (the client itself keeps the first refusal: erp.client.save_refusal).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from lxml import etree
from zeep.helpers import serialize_object
from zeep.loader import parse_xml

from sync_pipeline.erp.fast_decode import ReplyDecoder, validated_records
from sync_pipeline.erp.models import Company, InvoiceOrder, Product
from sync_pipeline.erp.services import ErpService
from sync_pipeline.soap.client import build_client
from sync_pipeline.soap.fast_reply import ReplyReader
from sync_pipeline.soap.tolerant import tolerant_plugin
from sync_pipeline.soap.unknown import Notes, UnknownElements
from sync_pipeline.soap.values import unwrap_array
from sync_pipeline.wms.client import WSDL_PATH
from sync_pipeline.wms.fast_inventory import InventoryReplies
from sync_pipeline.wms.models import WriteResult, inventory_lines, order_statuses_of, orders_of

Records = Callable[[Any], list[Any]]
KEY = "key"  # the record key WriteResults are made with


class NoFastPath(Exception):
    """The clients read this operation's replies by zeep's path only."""


class Reading:
    """How the clients read the replies of one operation."""

    def __init__(self, operation: str, wsdl: Path, records: Records,
                 fast_reader: Callable[[Any, Any], ReplyReader] | None = None):
        self.operation_name = operation
        self.client, proxy = build_client(wsdl, "http://127.0.0.1:9/unused", timeout=5)
        self.binding = proxy._binding
        self.operation = self.binding.get(operation)
        self.tolerant = tolerant_plugin(self.client)
        self.records = records
        self.reader = fast_reader(self.client, self.binding) if fast_reader is not None else None

    def document(self, content: bytes) -> etree._Element:
        return parse_xml(content, self.client.transport, settings=self.client.settings)

    def zeep_values(self, content: bytes) -> tuple[Any, Notes]:
        """zeep's path: the client's ingress plugins (TolerantReading last), faults, zeep's decoding."""
        notes: Notes = {}
        document = self.document(content)
        for plugin in self.client.plugins:
            if plugin is self.tolerant:
                plugin.tidy(document, self.operation, notes)
            else:
                document, _ = plugin.ingress(document, {}, self.operation) or (document, {})
        if document.find("soap-env:Body/soap-env:Fault", namespaces=self.binding.nsmap) is not None:
            self.binding.process_error(document, self.operation)
        return serialize_object(self.operation.process_reply(document), dict), notes

    def by_zeep(self, content: bytes) -> tuple[list[Any], Notes]:
        values, notes = self.zeep_values(content)
        return self.records(values), notes

    def fast(self, content: bytes) -> tuple[list[Any], Notes]:
        """The fast pass alone (after the other ingress plugins, as the client runs it)."""
        if self.reader is None:
            raise NoFastPath(self.operation_name)
        document = self.document(content)
        for plugin in self.client.plugins:
            if plugin is not self.tolerant:
                document, _ = plugin.ingress(document, {}, self.operation) or (document, {})
        notes: Notes = {}
        return self.reader.fast_records(document, notes), notes

    def as_client(self, content: bytes, status: int = 200, content_type: str = "text/xml; charset=utf-8",
                  fast: bool = True) -> tuple[list[Any], Notes]:
        """An HTTP reply read as the client reads it; the notes are what its collector counted.

        fast=False: as a client without a fast path would (zeep's reply processing, then the records).
        """
        self.tolerant.collector = collector = UnknownElements()
        response = requests.Response()
        response.status_code, response._content, response.encoding = status, content, "utf-8"
        response.headers["Content-Type"] = content_type
        if self.reader is not None and fast:
            return self.reader.reply(response), collector.snapshot()
        values = serialize_object(self.binding.process_reply(self.client, self.operation, response), dict)
        return self.records(values), collector.snapshot()


def _write_results(values: Any) -> list[WriteResult]:
    return [WriteResult.from_file_result(KEY, values)]


_READINGS: dict[str, Callable[[], Reading]] = {
    "GetProducts": lambda: Reading("GetProducts", ErpService.PRODUCT.wsdl,
                                   lambda values: validated_records(Product, values, "Product"),
                                   lambda client, binding: ReplyDecoder(client, binding, "GetProducts", Product,
                                                                        "Product")),
    "GetInvoices": lambda: Reading("GetInvoices", ErpService.INVOICE.wsdl,
                                   lambda values: validated_records(InvoiceOrder, values, "InvoiceOrder"),
                                   lambda client, binding: ReplyDecoder(client, binding, "GetInvoices",
                                                                        InvoiceOrder, "InvoiceOrder")),
    "GetCompanies": lambda: Reading("GetCompanies", ErpService.COMPANY.wsdl,
                                    lambda values: validated_records(Company, values, "Company"),
                                    lambda client, binding: ReplyDecoder(client, binding, "GetCompanies", Company,
                                                                         "Company")),
    "SaveInvoices": lambda: Reading("SaveInvoices", ErpService.INVOICE.wsdl,
                                    lambda values: validated_records(InvoiceOrder, values, "InvoiceOrder")),
    "GetOrderSyncList": lambda: Reading("GetOrderSyncList", ErpService.INVOICE.wsdl,
                                        lambda values: unwrap_array(values, "int")),
    "SetStockQuantity": lambda: Reading("SetStockQuantity", ErpService.PRODUCT.wsdl, lambda values: [values]),
    "Login": lambda: Reading("Login", ErpService.AUTHENTICATE.wsdl, lambda values: [values]),
    "HasSession": lambda: Reading("HasSession", ErpService.AUTHENTICATE.wsdl, lambda values: [values]),
    "GetInventoryByQuery": lambda: Reading("GetInventoryByQuery", WSDL_PATH, inventory_lines, InventoryReplies),
    "GetOrdersByQuery": lambda: Reading("GetOrdersByQuery", WSDL_PATH, orders_of),
    "GetOrderStatuses": lambda: Reading("GetOrderStatuses", WSDL_PATH, order_statuses_of),
    "ProcessOrder": lambda: Reading("ProcessOrder", WSDL_PATH, _write_results),
    "ProcessArticle": lambda: Reading("ProcessArticle", WSDL_PATH, _write_results),
    "UpdateOrder": lambda: Reading("UpdateOrder", WSDL_PATH,
                                   lambda values: [WriteResult.from_update_order_result(KEY, values)]),
}
OPERATIONS = tuple(_READINGS)


@functools.lru_cache(maxsize=None)
def reading_of(operation: str) -> Reading:
    """The Reading of one operation (one client per operation, built once)."""
    return _READINGS[operation]()
