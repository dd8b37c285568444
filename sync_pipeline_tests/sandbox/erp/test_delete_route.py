"""The admin route that deletes records, as a user deleting an order in 24SevenOffice."""

from __future__ import annotations

from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.sandbox.erp.support import ErpClient


def test_a_deleted_order_is_neither_listed_nor_returned(erp: ErpClient, erp_admin: Admin):
    erp_admin.post("orders", [{"OrderId": 7, "OrderStatus": "Confirmed"}, {"OrderId": 8, "OrderStatus": "Offer"}])

    assert erp_admin.post("orders/delete", [{"OrderId": 7}]) == {"deleted": [7]}

    assert [o["OrderId"] for o in erp_admin.get("orders")] == [8]
    assert [o.OrderId for o in erp.invoices_by(["OrderId"], OrderIds={"int": [7, 8]})] == [8]
    listed = erp.invoices.GetOrderSyncList(syncParams={"ChangedAfter": "2000-01-01T00:00:00",
                                                        "RegisteredAfter": "2000-01-01T00:00:00"})
    assert list(listed) == [8]


def test_bad_deletes_name_the_record_and_delete_nothing(erp_admin: Admin):
    erp_admin.post("orders", [{"OrderId": 7, "OrderStatus": "Confirmed"}])

    assert "orders[1] (OrderId 9): no such record" in erp_admin.post(
        "orders/delete", [{"OrderId": 7}, {"OrderId": 9}], expect=404)["error"]
    assert 'orders[0]: expected exactly {"OrderId": ...}' in erp_admin.post(
        "orders/delete", {"OrderId": 7, "OrderStatus": "Offer"}, expect=400)["error"]
    assert [o["OrderId"] for o in erp_admin.get("orders")] == [7]
