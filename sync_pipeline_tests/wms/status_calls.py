"""WMS calls only tests make: the warehouse's order statuses, and setting an order's status (UpdateOrder).

The pipeline never sets a status in the warehouse (the warehouse ships) nor lists its statuses; tests use
them to exercise the client's read and write paths (retries, faults, logging, the real service description)
with small calls, so they go through the client's own _read and _write.
"""

from __future__ import annotations

from typing import Any

from zeep.helpers import serialize_object

from sync_pipeline.wms import WmsClient
from sync_pipeline.wms.models import OrderStatus, WriteResult, order_statuses_of
from sync_pipeline.wms.write_calls import WriteCall


def order_status_update(order_number: str, status: int, waybill: str | None = None) -> dict[str, Any]:
    """An UpdateOrder setting the status (and the waybill) of the order with this number."""
    if not order_number:
        raise ValueError("order_number is required")
    update: dict[str, Any] = {
        "OrderUpdateIdentification": {
            "OrderIdentificationType": "GoodsOwnerOrderNumber",
            "GoodsOwnerOrderNumber": order_number,
            "OrderId": None,
        },
        "UpdateOrderStatus": {"OrderStatus": int(status)},
    }
    if waybill:
        update["UpdateOrderWaybill"] = {"Waybill": waybill}
    return update


def status_write(order_number: str, status: int, waybill: str | None = None) -> WriteCall:
    """Set the status (and waybill) of the order with this goods owner order number."""
    update = order_status_update(order_number, status, waybill)
    return WriteCall("UpdateOrder", {"updateOrder": update}, order_number, WriteResult.from_update_order_result)


def update_order_status(client: WmsClient, order_number: str, status: int, waybill: str | None = None) -> WriteResult:
    return client._write(status_write(order_number, status, waybill))


def order_statuses(client: WmsClient) -> list[OrderStatus]:
    """The warehouse's own order statuses."""
    return order_statuses_of(serialize_object(client._read("GetOrderStatuses"), dict))
