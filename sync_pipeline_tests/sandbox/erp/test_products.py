"""ProductService: return properties, searches, DateChanged and SetStockQuantity."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from zeep.exceptions import Fault

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.erp.support import ErpClient, FakeClock

WIDGET = {"Id": 1, "No": "SKU-1", "Name": "Kaffekjele i støpejern", "EAN1": "7041234000018", "Weight": "1.250",
          "Stock": "12", "Price": "199.00", "StockControlled": True}


def test_only_the_requested_properties_come_back(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("products", WIDGET)
    [product] = erp.products_by("Id", "No", "Stock")
    assert (product.Id, product.No, product.Stock) == (1, "SKU-1", Decimal("12"))
    assert product.Name is None and product.EAN1 is None and product.Weight is None and product.DateChanged is None


def test_all_fields_round_trip_with_their_types(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("products", WIDGET)
    [product] = erp.products_by(*WIDGET, "DateChanged")
    assert product.Name == "Kaffekjele i støpejern"
    assert product.Weight == Decimal("1.250") and product.Price == Decimal("199.00")
    assert product.StockControlled is True
    assert product.DateChanged.tzinfo is not None


@pytest.mark.parametrize("properties, message", [
    ([], "returnProperties must be specified"),
    (["Id", "Colour"], "Unknown property 'Colour'"),
])
def test_return_properties_are_mandatory_and_checked(erp: ErpClient, properties, message):
    with pytest.raises(Fault, match=message):
        erp.products_by(*properties)


def test_search_by_id_number_ean_name_and_id_list(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("products", [WIDGET, {"Id": 2, "No": "SKU-2", "Name": "Ullpledd", "EAN1": "7041234000025"},
                                {"Id": 3, "No": "SKU-3", "Name": "Støpejernsgryte"}])

    def ids(**search):
        return [p.Id for p in erp.products_by("Id", **search)]

    assert ids() == [1, 2, 3]
    assert ids(Id=2) == [2]
    assert ids(No="SKU-3") == [3]
    assert ids(No="SKU") == []  # the article number must match exactly
    assert ids(EAN1="7041234000025") == [2]
    assert ids(Name="STØPEJERN") == [1, 3]
    assert ids(ProductIds={"int": [3, 1, 99]}) == [1, 3]
    assert ids(Id=-2147483648) == [1, 2, 3]  # the schema's "not set" value filters nothing


def test_date_changed_moves_on_every_change(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("products", WIDGET)
    [before] = erp.products_by("DateChanged")
    erp_admin.post("products", {"Id": 1, "Price": "249.00"})
    [after_upsert] = erp.products_by("DateChanged", "Price", "Name")
    assert after_upsert.DateChanged > before.DateChanged
    assert after_upsert.Price == Decimal("249.00") and after_upsert.Name == WIDGET["Name"]  # an upsert merges
    assert erp.products.SetStockQuantity(productId=1, stockQuantity=Decimal("3")) is True
    [after_stock] = erp.products_by("DateChanged", "Stock")
    assert after_stock.DateChanged > after_upsert.DateChanged and after_stock.Stock == Decimal("3")


def test_date_changed_search_is_at_or_after_the_time_rounded_to_the_second(clocked_server: SandboxServer,
                                                                          clock: FakeClock):
    admin = Admin(clocked_server.url)
    client = ErpClient(clocked_server.url)
    client.login()
    admin.post("products", {"Id": 1, "No": "SKU-1"})  # changed at 12:00:00.400
    clock.advance(milliseconds=300)
    admin.post("products", {"Id": 2, "No": "SKU-2"})  # changed at 12:00:00.700
    clock.advance(seconds=2)
    admin.post("products", {"Id": 3, "No": "SKU-3"})  # changed at 12:00:02.700

    def changed_since(moment: datetime) -> list[int]:
        return [p.Id for p in client.products_by("Id", DateChanged=moment)]

    noon = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert changed_since(noon.replace(microsecond=400_000)) == [1, 2, 3]  # rounds down to 12:00:00
    # 12:00:00.600 rounds up to 12:00:01: the product changed at .700 is missed, as in production.
    assert changed_since(noon.replace(microsecond=600_000)) == [3]
    assert changed_since(noon.replace(second=2, microsecond=400_000)) == [3]
    # Even the very time a product changed can miss it: a cursor must step back a second.
    assert changed_since(noon.replace(second=2, microsecond=700_000)) == []


def test_set_stock_quantity_sets_stock_and_tells_about_unknown_products(erp: ErpClient, erp_server: SandboxServer,
                                                                       erp_admin: Admin):
    erp_admin.post("products", WIDGET)
    assert erp.products.SetStockQuantity(productId=1, stockQuantity=Decimal("7.5")) is True
    assert erp.products.SetStockQuantity(productId=404, stockQuantity=Decimal("1")) is False
    assert erp.products.SetStockQuantity(productId=1, stockQuantity=Decimal("-2")) is True  # oversold
    [product] = erp.products_by("Stock")
    assert product.Stock == Decimal("-2")
    keys = [(c["operation"], c["key"]) for c in erp_server.calls.snapshot()["log"]]
    assert ("SetStockQuantity", "1") in keys and ("SetStockQuantity", "404") in keys
