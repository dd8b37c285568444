"""The Ongoing WMS side of the pipeline: connection settings, client, models and payloads."""

from sync_pipeline.wms.client import WmsClient
from sync_pipeline.wms.connection import WmsConnection
from sync_pipeline.wms.models import (
    InventoryLine,
    OrderAddress,
    OrderConsignee,
    OrderInvoiceAddress,
    OrderStatus,
    PickedLine,
    TrackingInfo,
    WmsOrder,
    WriteResult,
)

__all__ = [
    "InventoryLine",
    "OrderAddress",
    "OrderConsignee",
    "OrderInvoiceAddress",
    "OrderStatus",
    "PickedLine",
    "TrackingInfo",
    "WmsClient",
    "WmsConnection",
    "WmsOrder",
    "WriteResult",
]
