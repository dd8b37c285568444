"""InvoiceService: the order sync list, reading orders, and changing their status with SaveInvoices."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Iterator

import pytest
from zeep.exceptions import Fault

from sync_pipeline.sandbox.erp import ErpSandbox
from sync_pipeline.sandbox.server import SandboxServer
from sync_pipeline.sandbox.store import Store
from sync_pipeline.soap.errors import RetryableError, classify
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.erp.support import ErpClient, FakeClock

NOT_SET = datetime(1, 1, 1)


def order(order_id: int, status: str = "Confirmed", **fields) -> dict:
    return {"OrderId": order_id, "OrderStatus": status, "CustomerId": 3,
            "Addresses": {"Delivery": {"Street": "Storgata 1", "PostalCode": "0155", "City": "Oslo"}},
            "InvoiceRows": [{"ProductId": 1, "RowId": 1, "Quantity": 2}], **fields}


def saved(client: ErpClient, *orders: dict) -> list:
    return client.invoices.SaveInvoices(invoices={"InvoiceOrder": [{"IncludeVAT": None, **o} for o in orders]})


def test_order_sync_list_names_orders_changed_or_registered_since(clocked_server: SandboxServer, clock: FakeClock):
    admin, client = Admin(clocked_server.url), ErpClient(clocked_server.url)
    client.login()
    admin.post("orders", [order(1), order(2)])  # registered and changed at 12:00:00.4
    clock.advance(seconds=30)
    admin.post("orders", order(3))  # registered at 12:00:30.4
    admin.post("orders", {"OrderId": 1, "ExternalStatus": 5})  # changed at 12:00:30.4

    def sync_list(**params) -> list[int]:
        return client.invoices.GetOrderSyncList(syncParams={"RegisteredAfter": NOT_SET, **params}) or []

    in_between = datetime(2025, 3, 1, 12, 0, 15, tzinfo=timezone.utc)
    assert sync_list(ChangedAfter=in_between) == [1, 3]
    assert sync_list(RegisteredAfter=in_between) == [3]
    assert sync_list() == [1, 2, 3]
    assert sync_list(ChangedAfter=datetime(2025, 3, 1, 12, 0, 31, tzinfo=timezone.utc)) == []


def test_search_by_state_customer_external_status_and_change_time(clocked_server: SandboxServer,
                                                                    clock: FakeClock):
    admin, client = Admin(clocked_server.url), ErpClient(clocked_server.url)
    client.login()
    admin.post("orders", [order(1), order(2, "Offer"), order(3, CustomerId=4, ExternalStatus=2)])
    clock.advance(seconds=40)
    admin.post("orders", order(4, "Invoiced"))

    def ids(**search) -> list[int]:
        return [o.OrderId for o in client.invoices_by(["OrderId"], **search)]

    assert ids() == [1, 2, 3, 4]
    assert ids(OrderStates={"OrderSlipStateType": ["Confirmed", "Invoiced"]}) == [1, 3, 4]
    assert ids(CustomerIds={"int": [4]}) == [3]
    assert ids(ExternalStatus={"int": [2]}) == [3]
    assert ids(OrderIds={"int": [4, 2, 77]}) == [2, 4]
    assert ids(ChangedAfter=datetime(2025, 3, 1, 12, 0, 30, tzinfo=timezone.utc)) == [4]
    assert ids(OrderIds={"int": [1, 2]}, OrderStates={"OrderSlipStateType": ["Offer"]}) == [2]


def test_more_than_1000_order_ids_are_refused(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("orders", order(1))
    assert [o.OrderId for o in erp.invoices_by(["OrderId"], OrderIds={"int": list(range(1, 1001))})] == [1]
    with pytest.raises(Fault, match="Too many OrderIds: 1001 given, at most 1000"):
        erp.invoices_by(["OrderId"], OrderIds={"int": list(range(1, 1002))})


def test_only_requested_order_and_row_properties_come_back(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("orders", order(1, DeliveryMethod={"Id": 2, "Description": "PostNord"}, IncludeVAT=False,
                                   YourReference="Åse"))
    [found] = erp.invoices_by(["OrderId", "Addresses", "InvoiceRows"], ["ProductId", "Quantity"])
    assert found.OrderId == 1 and found.Addresses.Delivery.City == "Oslo"
    assert found.IncludeVAT is False  # required by the schema: always there
    assert found.OrderStatus is None and found.DeliveryMethod is None and found.YourReference is None
    [row] = found.InvoiceRows.InvoiceRow
    assert (row.ProductId, row.Quantity, row.RowId) == (1, Decimal("2"), None)
    [without_rows] = erp.invoices_by(["DeliveryMethod", "YourReference"])
    assert without_rows.InvoiceRows is None and without_rows.DeliveryMethod.Description == "PostNord"
    assert without_rows.YourReference == "Åse"


@pytest.mark.parametrize("properties, rows, message", [
    ([], [], "invoiceReturnProperties must be specified"),
    (["OrderId", "InvoiceRows"], [], "rowReturnProperties must be specified"),
    (["OrderId", "Rows"], ["RowId"], "Unknown property 'Rows'"),
])
def test_return_properties_are_mandatory_and_checked(erp: ErpClient, properties, rows, message):
    with pytest.raises(Fault, match=message):
        erp.invoices_by(properties, rows)


def test_rows_take_number_name_and_price_from_their_product(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("products", {"Id": 1, "No": "SKU-1", "Name": "Ullpledd", "Price": "499.00"})
    erp_admin.post("orders", order(1))
    [found] = erp.invoices_by(["InvoiceRows"], ["ProductNo", "Name", "Price"])
    row = found.InvoiceRows.InvoiceRow[0]
    assert (row.ProductNo, row.Name, row.Price) == ("SKU-1", "Ullpledd", Decimal("499.00"))


def test_an_invoiced_order_is_refused_while_the_rest_of_the_batch_is_saved(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("orders", [order(1), order(2, "Invoiced"), order(3)])
    [before] = erp.invoices_by(["DateChanged"], OrderIds={"int": [1]})
    results = saved(erp, {"OrderId": 1, "OrderStatus": "OrderState_Sent"},
                    {"OrderId": 2, "OrderStatus": "OrderState_Sent"},
                    {"OrderId": 3, "OrderStatus": "OrderState_Sent", "ExternalStatus": 450})
    assert [r.OrderId for r in results] == [1, 2, 3]
    assert results[0].APIException is None and results[0].OrderStatus == "OrderState_Sent"
    assert (results[1].APIException.Type, results[1].APIException.Message) == (
        "Exception", "Invoiced orders cannot be changed")
    states = {o.OrderId: (o.OrderStatus, o.ExternalStatus) for o in erp.invoices_by(["OrderStatus", "OrderId",
                                                                                     "ExternalStatus"])}
    assert states == {1: ("OrderState_Sent", None), 2: ("Invoiced", None), 3: ("OrderState_Sent", 450)}
    [after] = erp.invoices_by(["DateChanged", "Addresses"], OrderIds={"int": [1]})
    assert after.DateChanged > before.DateChanged
    assert after.Addresses.Delivery.Street == "Storgata 1"  # fields not sent are kept


def test_unknown_order_ids_and_bad_values_are_refused_per_order(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("orders", order(1))
    results = saved(erp, {"OrderId": 99, "OrderStatus": "OrderState_Sent"}, {"OrderId": 1, "YourReference": "Ola"})
    assert "Order 99 does not exist" in results[0].APIException.Message
    assert results[1].APIException is None and results[1].YourReference == "Ola"
    # A status outside the enumeration (which a schema-checking client cannot even send):
    reply = erp.post_raw("invoices", "<SaveInvoices xmlns='http://24sevenOffice.com/webservices'><invoices>"
                         "<InvoiceOrder><OrderId>1</OrderId><OrderStatus>Shipped</OrderStatus>"
                         "<IncludeVAT xsi:nil='true' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'/>"
                         "</InvoiceOrder></invoices></SaveInvoices>")
    assert reply.status_code == 200
    assert b"OrderStatus: 'Shipped' is not one of" in reply.content
    [stored] = erp.invoices_by(["OrderStatus", "YourReference"])
    assert (stored.OrderStatus, stored.YourReference) == ("Confirmed", "Ola")


def test_save_without_order_id_creates_an_order(erp: ErpClient):
    [created] = saved(erp, {"CustomerId": 3, "InvoiceRows": {"InvoiceRow": [{"ProductId": 1, "Quantity": 1}]}})
    assert created.APIException is None and created.OrderId > 0 and created.OrderStatus == "Offer"
    assert erp.invoices.GetOrderSyncList(syncParams={"RegisteredAfter": datetime(2000, 1, 1)}) == [created.OrderId]
    [refused] = saved(erp, {"YourReference": "no customer"})
    assert refused.APIException.Message == "CustomerId is required to create an order"


def test_the_call_log_names_the_orders_handled(erp: ErpClient, erp_server: SandboxServer, erp_admin: Admin):
    erp_admin.post("orders", [order(1), order(2)])
    saved(erp, {"OrderId": 2, "OrderStatus": "OrderState_Sent"})
    erp.invoices_by(["OrderId"], OrderIds={"int": [1, 2]})
    log = [(c["operation"], c["key"]) for c in erp_server.calls.snapshot()["log"]]
    assert ("SaveInvoices", "2") in log and ("GetInvoices", "1,2") in log


@pytest.fixture
def narrow_server() -> Iterator[SandboxServer]:
    server = SandboxServer(ErpSandbox(Store(), wide_query_limit=2)).start()
    yield server
    server.stop()


def test_a_search_wider_than_the_service_manages_times_out(narrow_server: SandboxServer):
    Admin(narrow_server.url).post("orders", [order(1), order(2), order(3)])
    client = ErpClient(narrow_server.url)
    client.login()
    with pytest.raises(Fault, match="Timeout") as raised:
        client.invoices_by(["OrderId"], ChangedAfter=datetime(2000, 1, 1))
    assert isinstance(classify(raised.value, "GetInvoices"), RetryableError)
    ids = client.invoices.GetOrderSyncList(syncParams={"ChangedAfter": datetime(2000, 1, 1),
                                                       "RegisteredAfter": NOT_SET})
    assert [o.OrderId for o in client.invoices_by(["OrderId"], OrderIds={"int": ids})] == [1, 2, 3]
