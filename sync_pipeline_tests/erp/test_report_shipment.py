"""ErpClient.report_shipment over the ERP sandbox: one SaveInvoices sets the status, the text field and the
delivered rows (by RowId, the rows' products and the other rows kept), and a save whose answer was lost is
read back, not sent again."""

from __future__ import annotations

from decimal import Decimal

from sync_pipeline.erp import ErpClient
from sync_pipeline.erp.models import OrderShipment, OrderStatus, RowDelivery
from sync_pipeline_tests.erp.conftest import calls, connection_for
from sync_pipeline_tests.erp.test_faults import RATE, _seed_failing_first_call_only

ORDER = {"OrderId": 7, "OrderStatus": "Confirmed", "CustomerId": 1, "InvoiceText": "Betales innen 14 dager.",
         "InvoiceRows": [{"RowId": 1, "ProductId": 1, "Quantity": "3"}, {"RowId": 2, "Name": "Frakt", "Price": "99"},
                         {"RowId": 3, "ProductId": 2, "Quantity": "2"}]}
SHIPMENT = OrderShipment(status=OrderStatus.SENT, texts={"InvoiceText": "Betales innen 14 dager.\nTracking: WB-1"},
                         rows=(RowDelivery(RowId=1, QuantityDelivered=Decimal(3), QuantityRest=Decimal(0)),
                               RowDelivery(RowId=3, QuantityDelivered=Decimal(1), QuantityRest=Decimal(1))))


def saved_rows(erp_admin) -> list[tuple]:
    (order,) = erp_admin.get("orders")
    return [(r["RowId"], r.get("ProductNo") or r.get("Name"), r.get("QuantityDelivered"), r.get("QuantityRest"))
            for r in order["InvoiceRows"]]


def test_one_save_sets_status_text_and_delivered_rows_and_keeps_the_rest(erp_server, erp_admin):
    erp_admin.post("products", [{"Id": 1, "No": "A-1"}, {"Id": 2, "No": "B-2"}])
    erp_admin.post("orders", ORDER)
    with ErpClient(connection_for(erp_server.url)) as client:
        assert client.report_shipment(7, SHIPMENT) is None
        refused = client.report_shipment(7, OrderShipment(status=OrderStatus.SENT, rows=(
            RowDelivery(RowId=9, QuantityDelivered=Decimal(1), QuantityRest=Decimal(0)),)))

    (order,) = erp_admin.get("orders")
    assert (order["OrderStatus"], order["InvoiceText"]) == ("OrderState_Sent", SHIPMENT.texts["InvoiceText"])
    assert saved_rows(erp_admin) == [(1, "A-1", "3", "0"), (2, "Frakt", None, None), (3, "B-2", "1", "1")]
    assert refused is not None and refused.key == "7" and "RowId 9" in refused.message


def test_a_save_whose_answer_was_lost_is_read_back_not_sent_again(erp_server, erp_admin):
    erp_admin.post("products", [{"Id": 1, "No": "A-1"}, {"Id": 2, "No": "B-2"}])
    erp_admin.post("orders", ORDER)
    with ErpClient(connection_for(erp_server.url, timeout=0.5)) as client:
        client.session.login()
        erp_admin.post("faults", {"malformed_rate": RATE, "seed": _seed_failing_first_call_only()})
        assert client.report_shipment(7, SHIPMENT) is None

    [saved] = calls(erp_admin, "SaveInvoices")
    assert saved["outcome"].startswith("injected: malformed"), "done, its answer cut"
    assert [c["outcome"] for c in calls(erp_admin, "GetInvoices")] == ["ok"], "read back once"
    assert saved_rows(erp_admin)[2] == (3, "B-2", "1", "1")
