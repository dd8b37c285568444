"""Reading products and writing stock."""

from __future__ import annotations

import time
from datetime import timedelta, timezone
from decimal import Decimal

import pytest

from sync_pipeline.erp import PRODUCT_RETURN_PROPERTIES, ErpClient
from sync_pipeline.erp.client import MAX_IDS_PER_CALL, PRODUCT_LISTING_PROPERTIES

from sync_pipeline_tests.erp.conftest import Sent, texts


def test_products_carry_decimals_exactly_and_missing_values_as_none(erp_client, erp_admin):
    erp_admin.post("products", [
        {"Id": 1, "No": "SKU-1001", "Name": "Pledd", "EAN1": "7041234000018", "Weight": "0.125",
         "Price": "1234.50", "InPrice": "0.10", "Stock": "17.5", "StockControlled": True, "SupplierId": 8},
        {"Id": 2, "No": "SKU-1002", "Name": "Uten vekt"},
    ])

    first, second = erp_client.products([1, 2])

    assert (first.Weight, first.Price, first.InPrice, first.Stock) == (
        Decimal("0.125"), Decimal("1234.50"), Decimal("0.10"), Decimal("17.5"))
    assert all(isinstance(v, Decimal) for v in (first.Weight, first.Price, first.InPrice, first.Stock))
    assert first.StockControlled is True and first.SupplierId == 8 and first.EAN1 == "7041234000018"
    assert (second.Weight, second.Stock, second.SupplierId, second.StockControlled) == (None, None, None, None)
    assert first.DateChanged.tzinfo is not None and first.DateChanged.utcoffset() == timedelta(0)


def test_products_by_id_returns_only_those(erp_client, erp_admin):
    erp_admin.post("products", [{"Id": i, "No": f"SKU-{1000 + i}"} for i in range(1, 6)])
    assert sorted(p.Id for p in erp_client.products([2, 4, 4])) == [2, 4]
    assert erp_client.products([]) == []


def test_changed_since_includes_a_product_changed_exactly_then_and_not_older_ones(erp_server, erp_admin,
                                                                                   erp_connection):
    erp_admin.post("products", [{"Id": 1, "No": "SKU-OLD"}])
    time.sleep(1.7)  # more than the one-second step back plus the service's rounding (half a second)
    erp_admin.post("products", [{"Id": 2, "No": "SKU-NEW"}])
    sent = Sent()
    with ErpClient(erp_connection, plugins=[sent]) as client:
        changed_at = client.products([2])[0].DateChanged
        oslo = changed_at.astimezone(timezone(timedelta(hours=2)))  # any zone: the client converts to UTC

        assert [p.No for p in client.products_changed_since(changed_at)] == ["SKU-NEW"]
        assert [p.No for p in client.products_changed_since(oslo)] == ["SKU-NEW"]
        assert {p.No for p in client.products_changed_since(None)} == {"SKU-OLD", "SKU-NEW"}

    date_changed = [texts(body, "DateChanged") for body in sent.of("GetProducts")]
    expected = (changed_at - timedelta(seconds=1)).isoformat().replace("+00:00", "Z")
    assert date_changed[1] == [expected] and date_changed[2] == [expected]


def test_products_ask_for_exactly_the_mapped_properties(erp_server, erp_connection):
    sent = Sent()
    with ErpClient(erp_connection, plugins=[sent]) as client:
        client.products_changed_since(None)
    (body,) = sent.of("GetProducts")
    assert texts(body, "string") == list(PRODUCT_RETURN_PROPERTIES)
    assert set(PRODUCT_RETURN_PROPERTIES) == {"Id", "No", "Name", "Description", "EAN1", "Weight", "Stock",
                                              "StockControlled", "SupplierId", "StatusId", "DateChanged",
                                              "Price", "InPrice"}


def test_set_stock_quantity_writes_the_exact_decimal(erp_client, erp_admin):
    erp_admin.post("products", [{"Id": 5, "No": "SKU-1005", "Stock": "3"}])

    assert erp_client.set_stock_quantity(5, Decimal("12.75")) is None

    assert erp_client.products([5])[0].Stock == Decimal("12.75")
    assert [p["Stock"] for p in erp_admin.get("products")] == ["12.75"]


def test_set_stock_quantity_refused_is_a_record_error(erp_client, erp_admin):
    error = erp_client.set_stock_quantity(404, Decimal("1"))
    assert error is not None and error.key == "404" and error.field == "Stock" and not error.retryable


def test_set_stock_quantity_never_sends_floats_or_sentinels(erp_client, erp_admin):
    with pytest.raises(TypeError):
        erp_client.set_stock_quantity(5, 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        erp_client.set_stock_quantity(5, Decimal("-79228162514264337593543950335"))
    assert "SetStockQuantity" not in erp_admin.get("calls")["counts"]


def test_large_stock_quantities_are_sent_in_plain_notation(erp_server, erp_admin, erp_connection):
    erp_admin.post("products", [{"Id": 5, "No": "SKU-1005"}])
    sent = Sent()
    with ErpClient(erp_connection, plugins=[sent]) as client:
        assert client.set_stock_quantity(5, Decimal("1E+3")) is None
    (body,) = sent.of("SetStockQuantity")
    assert texts(body, "stockQuantity") == ["1000"]
    assert [p["Stock"] for p in erp_admin.get("products")] == ["1000"]


def test_the_whole_catalogue_is_listed_and_then_read_a_page_at_a_time(erp_server, erp_admin, erp_connection):
    count = 2 * MAX_IDS_PER_CALL + 150
    erp_admin.post("products", [{"Id": i, "No": f"SKU-{i}", "Name": f"Vare {i}", "Price": f"{i}.50"}
                                for i in range(1, count + 1)])
    sent = Sent()
    with ErpClient(erp_connection, plugins=[sent]) as client:
        read = client.product_pages(None)
        (listing,) = sent.of("GetProducts")
        assert texts(listing, "string") == ["Id", "No", "DateChanged"] == list(PRODUCT_LISTING_PROPERTIES)

        pages = list(read.pages)
        whole = client.products_changed_since(None)

    assert [len(page) for page in pages] == [MAX_IDS_PER_CALL, MAX_IDS_PER_CALL, 150]
    assert sorted((p.model_dump() for page in pages for p in page), key=lambda p: p["Id"]) == \
        [p.model_dump() for p in sorted(whole, key=lambda p: p.Id)]
    assert read.listed_up_to == max(p.DateChanged for p in whole)
    by_id = sent.of("GetProducts")[1:4]
    assert all(texts(body, "string") == list(PRODUCT_RETURN_PROPERTIES) for body in by_id)
    assert [len(texts(body, "int")) for body in by_id] == [MAX_IDS_PER_CALL, MAX_IDS_PER_CALL, 150]


def test_a_delta_of_the_catalogue_is_one_read_and_one_page(erp_server, erp_admin, erp_connection):
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1"}, {"Id": 2, "No": "SKU-2"}])
    sent = Sent()
    with ErpClient(erp_connection, plugins=[sent]) as client:
        since = client.products([2])[0].DateChanged
        read = client.product_pages(since)
        pages = list(read.pages)
    assert len(pages) == 1 and {p.No for p in pages[0]} >= {"SKU-2"}
    assert read.listed_up_to is None
    assert len(sent.of("GetProducts")) == 2  # the one by id above, and the delta
