"""ErpClient.report_shipments over the ERP sandbox: several orders' shipments in one SaveInvoices, each
order answered on its own (a refused one named with its field, the others saved), and a batch whose
answer was lost read back, not sent again."""

from __future__ import annotations

from decimal import Decimal

from sync_pipeline.erp import ErpClient
from sync_pipeline.erp.models import OrderShipment, OrderStatus, RowDelivery
from sync_pipeline_tests.erp.conftest import calls, connection_for
from sync_pipeline_tests.erp.test_faults import RATE, _seed_failing_first_call_only


def order(order_id: int, status: str = "Confirmed") -> dict:
    return {"OrderId": order_id, "OrderStatus": status, "CustomerId": 1,
            "InvoiceRows": [{"RowId": 1, "ProductId": 1, "Quantity": "2"}]}


def shipped(waybill: str) -> OrderShipment:
    return OrderShipment(status=OrderStatus.SENT, texts={"InvoiceText": f"Tracking: {waybill}"},
                         rows=(RowDelivery(RowId=1, QuantityDelivered=Decimal(2), QuantityRest=Decimal(0)),))


def orders_by_id(erp_admin) -> dict[int, dict]:
    return {o["OrderId"]: o for o in erp_admin.get("orders")}


def test_one_save_for_several_orders_and_a_refused_one_does_not_stop_the_others(erp_server, erp_admin):
    erp_admin.post("products", [{"Id": 1, "No": "A-1"}])
    erp_admin.post("orders", [order(7), order(8, status="Invoiced"), order(9)])
    with ErpClient(connection_for(erp_server.url)) as client:
        outcome = client.report_shipments({7: shipped("WB-7"), 8: shipped("WB-8"), 9: shipped("WB-9")})

    assert outcome[7] is None and outcome[9] is None
    refused = outcome[8]
    assert refused is not None and (refused.key, refused.field) == ("8", "OrderStatus")
    assert "Invoiced orders cannot be changed" in refused.message
    [save] = calls(erp_admin, "SaveInvoices")
    assert save["key"] == "7,8,9", "the three orders went in one call"
    saved = orders_by_id(erp_admin)
    for order_id in (7, 9):
        assert saved[order_id]["OrderStatus"] == "OrderState_Sent"
        assert saved[order_id]["InvoiceText"] == f"Tracking: WB-{order_id}"
        assert saved[order_id]["InvoiceRows"][0]["QuantityDelivered"] == "2"
    assert saved[8]["OrderStatus"] == "Invoiced" and not saved[8].get("InvoiceText")


def test_a_batch_whose_answer_was_lost_is_read_back_not_sent_again(erp_server, erp_admin):
    erp_admin.post("products", [{"Id": 1, "No": "A-1"}])
    erp_admin.post("orders", [order(7), order(9)])
    with ErpClient(connection_for(erp_server.url, timeout=0.5)) as client:
        client.session.login()
        erp_admin.post("faults", {"malformed_rate": RATE, "seed": _seed_failing_first_call_only()})
        assert client.report_shipments({7: shipped("WB-7"), 9: shipped("WB-9")}) == {7: None, 9: None}

    [save] = calls(erp_admin, "SaveInvoices")
    assert save["outcome"].startswith("injected: malformed"), "done, its answer cut"
    [read] = calls(erp_admin, "GetInvoices")
    assert (read["outcome"], read["key"]) == ("ok", "7,9"), "both read back in one call, neither sent again"
    assert all(o["InvoiceText"] == f"Tracking: WB-{i}" for i, o in orders_by_id(erp_admin).items())
