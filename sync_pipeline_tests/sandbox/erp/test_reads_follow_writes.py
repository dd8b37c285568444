"""Reads answer from the store's kept views: every write, by any route, shows in the next read."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.erp.support import ErpClient


def test_product_reads_see_every_write_route(erp_server: SandboxServer, erp: ErpClient, erp_admin: Admin) -> None:
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1", "Name": "Tent", "Stock": "1"},
                                {"Id": 2, "No": "SKU-2", "Name": "Stove", "Stock": "2"}])
    assert [(p.Id, p.Stock) for p in erp.products_by("Id", "Stock")] == [(1, 1), (2, 2)]

    assert erp.products.SetStockQuantity(productId=2, stockQuantity=Decimal("7")) is True
    erp_admin.post("products", {"Id": 3, "No": "SKU-3", "Name": "Lamp", "Stock": "3"})
    erp_admin.post("products/date_changed", [{"Id": 1, "DateChanged": "2020-01-01T00:00:00+00:00"}])
    system = erp_server.system
    patched = system.products.get(1)
    patched["Name"] = "Patched"
    system.store.put("product", 1, patched)  # straight into the store, as the bad-input tests do

    found = erp.products_by("Id", "Name", "Stock", "DateChanged")
    assert [(p.Id, p.Name, p.Stock) for p in found] == [(1, "Patched", 1), (2, "Stove", 7), (3, "Lamp", 3)]
    assert found[0].DateChanged == datetime(2020, 1, 1, tzinfo=timezone.utc)

    erp_admin.post("reset")
    erp.login()
    assert erp.products_by("Id") == []
    erp_admin.post("demo")
    assert len(erp.products_by("Id")) == 24


def test_order_reads_see_saved_changes(demo: ErpClient) -> None:
    [before] = demo.invoices_by(["OrderId", "OrderStatus"], OrderIds={"int": [1]})

    [saved] = demo.invoices.SaveInvoices(invoices={"InvoiceOrder": [
        {"OrderId": 1, "IncludeVAT": None, "OrderStatus": "OrderState_Sent"}]})

    assert saved.APIException is None and before.OrderStatus != "OrderState_Sent"
    [after] = demo.invoices_by(["OrderId", "OrderStatus"], OrderIds={"int": [1]})
    assert after.OrderStatus == "OrderState_Sent"
    # The service compares whole seconds (a time is rounded to the nearest one): ask from the second begun.
    assert 1 in demo.invoices.GetOrderSyncList(syncParams={"ChangedAfter": saved.DateChanged.replace(microsecond=0),
                                                           "RegisteredAfter": datetime(1, 1, 1)})


def test_documents_handed_out_in_process_cannot_change_what_is_stored(erp_server: SandboxServer, erp: ErpClient,
                                                                     erp_admin: Admin) -> None:
    erp_admin.post("products", {"Id": 1, "No": "SKU-1", "Name": "Tent"})
    erp.products_by("Id")  # the store keeps the decoded documents from now on
    products = erp_server.system.products

    products.all()[0]["Name"] = "Changed"
    products.get(1)["Name"] = "Changed"
    with pytest.raises(TypeError):
        products.current()[0]["Name"] = "Changed"

    assert [p.Name for p in erp.products_by("Name")] == ["Tent"]
