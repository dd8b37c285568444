"""Reading orders (sync list, GetInvoices in chunks) and changing their status."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from sync_pipeline.erp import INVOICE_RETURN_PROPERTIES, ROW_RETURN_PROPERTIES, ErpClient, OrderStatus

from sync_pipeline_tests.erp.conftest import Sent, calls, texts

LONG_AGO = datetime(2020, 1, 1, tzinfo=timezone.utc)


def _order(order_id: int, status: str = "Confirmed", **fields):
    return {"OrderId": order_id, "CustomerId": 1, "OrderStatus": status, **fields}


@pytest.fixture
def catalogue(erp_admin):
    erp_admin.post("companies", [{"Id": 1, "Name": "Fjellstue AS", "Type": "Business"}])
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1001", "Name": "Pledd", "Price": "149.00"},
                                {"Id": 2, "No": "SKU-1002", "Name": "Kjele", "Price": "199.00"}])


def test_confirmed_orders_changed_since_come_with_rows_addresses_and_delivery(erp_client, erp_admin, catalogue):
    erp_admin.post("orders", [
        _order(7, ReferenceNumber="WEB-7", YourReference="Kari", CustomerDeliveryName="Kari Nordmann",
               CustomerDeliveryPhone="+47 900 00 000", InvoiceEmailAddress="kari@example.com",
               DeliveryDate="2024-06-01T00:00:00+00:00", DeliveryMethod={"Id": 3, "Description": "Posten"},
               Addresses={"Delivery": {"Street": "Storgata 1", "PostalCode": "0155", "City": "Oslo",
                                       "Country": "NO", "Name": "Kari Nordmann"}},
               InvoiceRows=[{"ProductId": 1, "RowId": 1, "Quantity": "2"},
                            {"ProductId": 2, "RowId": 2, "Quantity": "1.5"}]),
        _order(8, "Offer"),
        _order(9, "Invoiced"),
    ])

    (order,) = erp_client.orders_changed_since(LONG_AGO)

    assert order.OrderId == 7 and order.OrderStatus is OrderStatus.CONFIRMED
    assert (order.ReferenceNumber, order.YourReference, order.CustomerName) == ("WEB-7", "Kari", "Fjellstue AS")
    assert (order.CustomerDeliveryName, order.CustomerDeliveryPhone, order.InvoiceEmailAddress) == (
        "Kari Nordmann", "+47 900 00 000", "kari@example.com")
    assert order.DeliveryDate == datetime(2024, 6, 1, tzinfo=timezone.utc)
    assert (order.DeliveryMethod.Id, order.DeliveryMethod.Description) == (3, "Posten")
    assert order.Addresses.Delivery.Street == "Storgata 1" and order.Addresses.Delivery.PostalCode == "0155"
    assert [(r.RowId, r.ProductNo, r.Quantity, r.Price) for r in order.InvoiceRows] == [
        (1, "SKU-1001", Decimal("2"), Decimal("149.00")), (2, "SKU-1002", Decimal("1.5"), Decimal("199.00"))]
    assert order.APIException is None


def test_statuses_can_be_chosen_and_an_order_without_rows_has_an_empty_list(erp_client, erp_admin, catalogue):
    erp_admin.post("orders", [_order(1, "Confirmed"), _order(2, "Pack"), _order(3, "Offer")])

    picked = erp_client.orders_changed_since(LONG_AGO, statuses=("Confirmed", OrderStatus.PACK))
    assert sorted(o.OrderId for o in picked) == [1, 2]
    assert all(o.InvoiceRows == [] for o in picked)
    assert sorted(o.OrderId for o in erp_client.orders_changed_since(LONG_AGO, statuses=None)) == [1, 2, 3]
    with pytest.raises(ValueError, match="OrderState_Sent"):
        erp_client.orders_changed_since(LONG_AGO, statuses=("Sent",))


def test_order_ids_changed_since_steps_back_a_second(erp_client, erp_admin, catalogue):
    erp_admin.post("orders", [_order(1)])
    changed = erp_client.orders([1])[0].DateChanged
    assert erp_client.order_ids_changed_since(changed) == [1]
    assert erp_client.order_ids_changed_since(changed + timedelta(seconds=2)) == []
    assert erp_client.order_ids_changed_since(None) == [1]
    with pytest.raises(ValueError, match="timezone-aware"):
        erp_client.order_ids_changed_since(changed.replace(tzinfo=None))


def test_many_orders_are_read_in_chunks_of_at_most_1000(erp_client, erp_admin, catalogue):
    erp_admin.post("orders", [_order(i) for i in range(1, 1501)])

    orders = erp_client.orders_changed_since(LONG_AGO)

    assert sorted(o.OrderId for o in orders) == list(range(1, 1501))
    reads = calls(erp_admin, "GetInvoices")
    assert len(reads) == 2 and all(entry["outcome"] == "ok" for entry in reads)


def test_orders_ask_for_every_mapped_property(erp_server, erp_admin, erp_connection, catalogue):
    erp_admin.post("orders", [_order(1)])
    sent = Sent()
    with ErpClient(erp_connection, plugins=[sent]) as client:
        client.orders_changed_since(LONG_AGO)
    (body,) = sent.of("GetInvoices")
    invoice_props = body.find("{*}invoiceReturnProperties")
    row_props = body.find("{*}rowReturnProperties")
    assert texts(invoice_props, "string") == list(INVOICE_RETURN_PROPERTIES)
    assert texts(row_props, "string") == list(ROW_RETURN_PROPERTIES)
    assert texts(body, "OrderSlipStateType") == ["Confirmed"]
    assert texts(body, "int") == ["1"]


def test_set_order_status_sent_changes_only_the_status(erp_client, erp_admin, catalogue):
    erp_admin.post("orders", [_order(7, IncludeVAT=False, ReferenceNumber="WEB-7",
                                     InvoiceRows=[{"ProductId": 1, "RowId": 1, "Quantity": "2"}])])

    assert erp_client.set_order_status(7, OrderStatus.SENT) is None
    assert erp_client.set_order_status(7, "OrderState_Sent") is None

    (stored,) = erp_admin.get("orders")
    assert stored["OrderStatus"] == "OrderState_Sent"
    assert stored["IncludeVAT"] is False and stored["ReferenceNumber"] == "WEB-7"
    assert [row["Quantity"] for row in stored["InvoiceRows"]] == ["2"]


def test_plain_sent_is_refused_before_anything_is_sent(erp_client, erp_admin, catalogue):
    erp_admin.post("orders", [_order(7)])
    with pytest.raises(ValueError, match="OrderState_Sent"):
        erp_client.set_order_status(7, "Sent")
    assert "SaveInvoices" not in erp_admin.get("calls")["counts"]
    assert erp_admin.get("orders")[0]["OrderStatus"] == "Confirmed"


def test_an_invoiced_order_cannot_be_changed_and_says_so_as_a_record_error(erp_client, erp_admin, catalogue):
    erp_admin.post("orders", [_order(9, "Invoiced")])

    error = erp_client.set_order_status(9, OrderStatus.SENT)

    assert error is not None and error.key == "9" and error.field == "OrderStatus"
    assert "Invoiced orders cannot be changed" in error.message
    assert erp_admin.get("orders")[0]["OrderStatus"] == "Invoiced"


