"""The JSON admin API: upserts with clear refusals of bad input, state, reset and the demo data."""

from __future__ import annotations

import pytest
import requests

from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.erp.support import ErpClient


@pytest.mark.parametrize("route, payload, message", [
    ("products", {"Id": 5, "Nme": "x"}, "products[0] (Id 5), field Nme: unknown field"),
    ("products", [{"Id": 1}, {"Id": 2, "Stock": "many"}],
     "products[1] (Id 2), field Stock: 'many' is not a decimal"),
    ("products", {"Id": "5"}, "products[0] (Id 5), field Id: expected an integer, got string '5'"),
    ("products", {"Id": 1, "Name": "x" * 126},
     "products[0] (Id 1), field Name: 126 characters, the service allows at most 125"),
    ("products", {"Id": 1, "StockControlled": "yes"}, "field StockControlled: expected true or false"),
    ("products", {"Id": -2147483648}, "is the service's 'not set' value"),
    ("orders", {"OrderId": 7, "OrderStatus": "Shipped"},
     "orders[0] (OrderId 7), field OrderStatus: 'Shipped' is not one of"),
    ("orders", {"OrderId": 7, "InvoiceRows": [{"ProductId": 1, "Quantity": "two"}]},
     "orders[0] (OrderId 7), field InvoiceRows[0].Quantity: 'two' is not a decimal number"),
    ("orders", {"OrderId": 7, "InvoiceRows": {"InvoiceRow": []}}, "field InvoiceRows: expected a list of InvoiceRow"),
    ("orders", {"OrderId": 7, "DeliveryDate": "tomorrow"}, "field DeliveryDate: 'tomorrow' is not an ISO 8601"),
    ("orders", {"OrderId": 7, "Addresses": {"Delivery": {"Zip": "0155"}}}, "field Addresses.Delivery.Zip: unknown field"),
    ("companies", {"Id": 3, "Type": "Customer"}, "companies[0] (Id 3), field Type: 'Customer' is not one of"),
    ("companies", {"Id": 3, "PhoneNumbers": {"Mobile": "+47 912"}},
     "field PhoneNumbers.Mobile: expected a PhoneNumber object"),
    ("companies", "Kari", "expected a JSON object or a list of objects"),
    ("companies", [42], "companies[0]: expected a Company object, got number 42"),
])
def test_bad_input_is_refused_naming_record_and_field(erp_admin: Admin, route, payload, message):
    reply = erp_admin.post(route, payload, expect=400)
    assert message in reply["error"]


def test_a_batch_with_one_bad_record_saves_nothing(erp_admin: Admin):
    erp_admin.post("products", [{"Id": 1, "No": "SKU-1"}, {"Id": 2, "Colour": "red"}], expect=400)
    assert erp_admin.get("state")["products"] == []


def test_unknown_routes_are_404(erp_server: SandboxServer):
    reply = requests.get(erp_server.url + "/_sandbox/invoices", timeout=5)
    assert reply.status_code == 404 and "GET/POST orders" in reply.json()["error"]


def test_upsert_merges_fields_null_clears_one_and_missing_ids_are_assigned(erp_admin: Admin):
    [created] = erp_admin.post("products", {"Id": 1, "No": "SKU-1", "Name": "Termos", "Price": 249.5})
    assert created["Price"] == "249.5" and "DateChanged" in created
    [changed] = erp_admin.post("products", {"Id": 1, "Name": None, "Stock": "4", "DateChanged": "2001-01-01T00:00:00"})
    assert changed["No"] == "SKU-1" and changed["Stock"] == "4" and "Name" not in changed
    assert changed["DateChanged"] > created["DateChanged"]  # set by the sandbox, not the caller
    [assigned] = erp_admin.post("products", {"No": "SKU-2"})
    assert assigned["Id"] == 2
    assert [p["No"] for p in erp_admin.get("products")] == ["SKU-1", "SKU-2"]


def test_orders_get_registration_defaults_and_row_ids(erp_admin: Admin):
    erp_admin.post("companies", {"Id": 3, "Name": "Åsa Lindström", "Type": "Consumer"})
    [created] = erp_admin.post("orders", {"OrderId": 7, "CustomerId": 3,
                                          "InvoiceRows": [{"ProductId": 1, "Quantity": 2}, {"ProductId": 2}]})
    assert created["OrderStatus"] == "Offer" and created["IncludeVAT"] is True
    assert created["CustomerName"] == "Åsa Lindström"
    assert [row["RowId"] for row in created["InvoiceRows"]] == [1, 2]
    assert not any(name.startswith("_") for name in created)


def test_state_lists_everything_and_reset_empties_it(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("products", {"Id": 1, "No": "SKU-1"})
    erp_admin.post("orders", {"OrderId": 7, "OrderStatus": "Confirmed", "CustomerId": 3})
    erp_admin.post("companies", {"Id": 3, "Type": "Supplier", "PhoneNumbers": {"Mobile": {"Value": "+47 1"}}})
    state = erp_admin.get("state")
    assert set(state) == {"products", "orders", "companies", "sessions", "logins"}
    assert [p["No"] for p in state["products"]] == ["SKU-1"]
    assert state["orders"][0]["OrderStatus"] == "Confirmed"
    assert state["companies"][0]["PhoneNumbers"] == {"Mobile": {"Value": "+47 1"}}
    assert state["sessions"] == 1
    erp_admin.post("reset")
    assert erp_admin.get("state") == {"products": [], "orders": [], "companies": [], "sessions": 0, "logins": 0}


def test_demo_data(demo: ErpClient, demo_server: SandboxServer):
    products = demo.products_by("Id", "No", "EAN1", "Weight", "Stock", "Name")
    assert [p.Id for p in products] == list(range(1, 25))
    assert [p.No for p in products] == [f"SKU-{1000 + i}" for i in range(1, 25)]
    assert all(len(p.EAN1) == 13 and p.EAN1.isdigit() for p in products)
    assert all(p.Weight > 0 and p.Stock == 5 * p.Id for p in products)
    assert any(set(p.Name) & set("æøåÆØÅäöÄÖ") for p in products)

    companies = demo.companies.GetCompanies(searchParams={}, returnProperties={"string": [
        "Id", "Type", "Addresses", "PhoneNumbers", "EmailAddresses"]})
    types = [c.Type for c in companies]
    assert types.count("Supplier") == 3 and sum(t in ("Business", "Consumer") for t in types) == 6
    assert all(c.Addresses.Post.Street for c in companies if c.Type == "Supplier")

    orders = demo.invoices_by(["OrderId", "OrderStatus", "CustomerId", "Addresses", "DeliveryMethod",
                               "CustomerDeliveryPhone", "InvoiceEmailAddress", "InvoiceRows"],
                              ["ProductId", "ProductNo", "Quantity"])
    statuses = [o.OrderStatus for o in orders]
    assert len(orders) == 10 and statuses.count("Confirmed") >= 7
    assert {"Offer", "Invoiced"} <= set(statuses)
    assert all(o.Addresses.Delivery.Street and o.Addresses.Invoice.Street and o.DeliveryMethod.Description
               for o in orders)
    assert all(row.ProductNo == f"SKU-{1000 + row.ProductId}" for o in orders for row in o.InvoiceRows.InvoiceRow)
    # Orders without their own phone or e-mail: the company has them (the fallback has work to do).
    by_id = {c.Id: c for c in companies}
    without_contact = [o for o in orders if not o.CustomerDeliveryPhone and not o.InvoiceEmailAddress]
    assert without_contact
    assert all(by_id[o.CustomerId].PhoneNumbers and by_id[o.CustomerId].EmailAddresses for o in without_contact)


def test_demo_seeding_is_idempotent_and_reachable_over_the_admin_api(erp_admin: Admin):
    assert erp_admin.post("demo") == {"products": 24, "orders": 10, "companies": 9}
    assert erp_admin.post("demo") == {"products": 24, "orders": 10, "companies": 9}
    state = erp_admin.get("state")
    assert (len(state["products"]), len(state["orders"]), len(state["companies"])) == (24, 10, 9)
