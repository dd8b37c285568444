"""Large replies read record by record as their elements end (ReplyDecoder.streamed_records, PF7).

The streamed pass must give exactly what the whole document's fast pass gives (records and noted
unknown elements), and leave to the whole document's path (None) every reply that pass leaves to
zeep, so that reply ends as it always ended. The records it builds share what is equal among them.
"""

from __future__ import annotations

import pickle
import random
from decimal import Decimal
from typing import Any, Iterator

import pytest

from sync_pipeline.erp.fast_decode import FastReader, ReplyDecoder, Unusual
from sync_pipeline.erp.models import Product
from sync_pipeline.erp.services import ErpService
from sync_pipeline.soap.client import build_client
from sync_pipeline.soap.unknown import UnknownElements

from sync_pipeline_tests.canned_server import Canned, canned_server
from sync_pipeline_tests.erp.test_fast_decode import (
    COMPANY_ORDER,
    ORDER_ORDER,
    ROW_ORDER,
    WEIRD_TEXTS,
    build_decoders,
    deep,
    document,
    element,
    envelope,
    product,
    reference,
)
from sync_pipeline_tests.reply_mutations import ACTIONS, mutated


@pytest.fixture(scope="module")
def decoders() -> dict[str, ReplyDecoder]:
    return build_decoders()


def streamed(decoder: ReplyDecoder, content: bytes) -> tuple[Any, dict[str, int]]:
    """The streamed pass's records (None: left to the whole document) and what it noted."""
    assert decoder.tolerant is not None
    decoder.tolerant.collector = collector = UnknownElements(logs=False)
    return decoder.streamed_records(content), collector.snapshot()


def whole(decoder: ReplyDecoder, content: bytes) -> tuple[Any, dict[str, int]]:
    """The whole document's fast pass (None: it left the reply to zeep) and what it noted."""
    notes: dict[str, int] = {}
    try:
        return decoder.fast_records(document(decoder, content), notes), notes
    except Unusual:
        return None, {}
    except Exception:  # noqa: BLE001 - not XML, DTDs: zeep's parser refuses it before any pass
        return None, {}


BASES = {
    "GetProducts": lambda n: product(SupplierId="7", Id=str(n), Name="Pledd ø", Stock="5.0", StatusId="1",
                                     InPrice="1.25", Description="d", EAN1="704", Price="9.90", No=f"SKU-{n}",
                                     DateChanged="2024-01-02T03:04:05Z", APIException={"Type": "T", "Message": "M"},
                                     Weight="0.5", StockControlled="true"),
    "GetInvoices": lambda n: element("InvoiceOrder", {
        "OrderId": str(n), "CustomerId": "3", "CustomerName": "Kari", "Addresses": {
            "Post": {"Street": "Boks 2"}, "Delivery": {"Street": "Gate 1", "City": "Oslo"}},
        "OrderStatus": "Confirmed", "DateChanged": "2024-01-02T03:04:05", "IncludeVAT": "true",
        "ExternalStatus": "4", "InvoiceRows": [
            element("InvoiceRow", {"ProductId": str(r), "RowId": str(r), "Price": "10.50", "Name": "Rad",
                                   "Quantity": "2", "ProductNo": f"SKU-{r}"}, ROW_ORDER) for r in (1, 2)],
        "DeliveryDate": "2024-02-01T00:00:00", "DeliveryMethod": {"Id": "3", "Description": "Posten"}}, ORDER_ORDER),
    "GetCompanies": lambda n: element("Company", {
        "Id": str(n), "Name": "AS", "Addresses": {"Post": {"Street": "Gate 1"}},
        "PhoneNumbers": {"Mobile": {"Value": "+47 1"}}, "EmailAddresses": {"Primary": {"Value": "a@b.c"}},
        "Type": "Supplier", "DateChanged": "2024-01-02T03:04:05"}, COMPANY_ORDER),
}


@pytest.mark.parametrize("operation", ["GetProducts", "GetInvoices", "GetCompanies"])
def test_streamed_pass_gives_what_the_whole_documents_pass_gives(decoders, operation):
    decoder = decoders[operation]
    base = envelope(operation, "".join(BASES[operation](n) for n in (1, 2, 3)))
    rng = random.Random(f"streamed {operation}")
    took = noted = 0
    for _ in range(200):
        content = base
        for _ in range(rng.randint(1, 3)):
            content = mutated(content, rng, WEIRD_TEXTS, (*ACTIONS, "exception"))
        expected, expected_notes = whole(decoder, content)
        got, got_notes = streamed(decoder, content)
        if expected is None:
            assert got is None and got_notes == {}, content  # left to the whole document, noting nothing
            continue
        assert got is not None, content
        took += 1
        noted += bool(got_notes)
        assert deep(got) == deep(expected), content
        assert got_notes == expected_notes, content
    assert took > 30 and noted > 10  # the mutations did not all end on the whole document's path


@pytest.mark.parametrize("content", [
    envelope("GetProducts", ""),  # an empty result
    envelope("GetProducts", product(Id="1")).replace(b"<soap:Body>", b"<soap:Header/><soap:Body>"),
    envelope("GetProducts", product(Id="1")).replace(b"</soap:Body>", b"</soap:Body><soap:Body/>"),
    envelope("GetProducts", product(Id="1") + "<?pi x?>"),
    envelope("GetProducts", product(Id="1")).replace(b"<GetProductsResult>", b'<GetProductsResult a="1">'),
    envelope("GetProducts", product(Id="1"))[:-30],  # cut short
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "expanded">]>'
    + envelope("GetProducts", product(Name="&e;")).split(b"?>", 1)[1],
])
def test_envelopes_the_streamed_pass_does_not_take_are_left_to_the_whole_document(decoders, content):
    assert streamed(decoders["GetProducts"], content) == (None, {})


@pytest.fixture
def canned() -> Iterator[Canned]:
    yield from canned_server("/ProductService.asmx")


def test_a_large_reply_over_http_gives_zeeps_records_and_reports_unknown_elements(canned):
    items = "".join(product(Id=str(n), No=f"SKU-{n}", Name=f"Vare {n}", Price=f"{n % 7}.50", Weight="0.250",
                            Stock="1.0" if n % 2 else "1.00", DateChanged="2024-01-02T03:04:05Z",
                            StockControlled="true").replace("</Product>", "<Colour>red</Colour></Product>")
                    for n in range(1, 3001))
    canned.body = envelope("GetProducts", items)
    client, proxy = build_client(ErpService.PRODUCT.wsdl, canned.url, timeout=30)
    reader = FastReader(proxy, "GetProducts", Product, "Product")
    assert reader.decoder is not None and reader.decoder.tolerant is not None
    assert reader.decoder.streamed_records(canned.body) is not None  # this reply is read as a stream
    reader.decoder.tolerant.collector = collector = UnknownElements(logs=False)
    records = reader(searchParams={"Id": 1}, returnProperties={"string": ["Id"]})

    assert deep(records) == deep(reference(reader.decoder, canned.body))
    assert collector.snapshot() == {"Product.Colour": 3000}
    assert [str(p.Stock) for p in records[:2]] == ["1.0", "1.00"]  # equal values keep their own digits
    assert records[0].Weight is records[1].Weight  # one object for a value the reply repeats


def test_records_sharing_their_parts_stay_independent(decoders):
    content = envelope("GetProducts", product(Id="1", Name="A", Price="2.50") + product(Id="2", Name="B", Price="2.50"))
    first, second = decoders["GetProducts"].streamed_records(content)
    fields_set = set(second.model_fields_set)
    changed = first.model_copy(update={"Name": "C", "Colour": "red"})
    assert (changed.Name, changed.model_extra) == ("C", {"Colour": "red"})
    assert first.model_fields_set == second.model_fields_set == fields_set and "Colour" not in fields_set
    assert first.model_extra == second.model_extra == {}
    assert pickle.loads(pickle.dumps(second)) == second
    assert first.Price == Decimal("2.50") and Product.model_validate(first.model_dump()) == first
