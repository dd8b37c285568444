"""Every request the client can send matches the vendor's real service descriptions."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sync_pipeline.erp import OrderStatus


def test_every_operation_the_client_uses_validates_against_the_real_wsdl(erp_client, erp_admin, real_contracts):
    erp_admin.post("companies", [{"Id": 1, "Name": "Kunde AS", "Type": "Business"}])
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1001"}])
    erp_admin.post("orders", [{"OrderId": 1, "CustomerId": 1, "OrderStatus": "Confirmed",
                               "InvoiceRows": [{"ProductId": 1, "Quantity": "1"}]}])
    since = datetime(2020, 1, 1, tzinfo=timezone.utc)

    erp_client.products_changed_since(since)
    erp_client.products_changed_since(None)
    erp_client.products([1])
    assert [p.Id for page in erp_client.product_pages(None).pages for p in page] == [1]
    assert erp_client.set_stock_quantity(1, Decimal("2.5")) is None
    erp_client.orders_changed_since(since)
    erp_client.orders([1], statuses=None)
    assert erp_client.set_order_status(1, OrderStatus.SENT) is None
    erp_client.companies_changed_since(None)
    erp_client.companies([1])
    assert erp_client.has_session() is True

    assert set(real_contracts.validated) == {
        "Login", "HasSession", "GetProducts", "SetStockQuantity", "GetOrderSyncList", "GetInvoices",
        "SaveInvoices", "GetCompanies",
    }
    assert len(real_contracts.validated) == sum(erp_admin.get("calls")["counts"].values())
