"""Shipped orders reported back: orders the WMS shipped -> "Sent" in 24SevenOffice (sync/shipped.py).

Part of the sales-order process for operators (group "orders", SYNC_ORDERS), with a switch of its
own (SYNC_REPORT_SHIPPED); a process object of its own because it reads and writes the other way.
"""

from __future__ import annotations

from typing import Any

from sync_pipeline.ledger import Kind
from sync_pipeline.processes.model import AssetDeclaration, CursorPolicy, ReportCheck, Step, SyncProcess
from sync_pipeline.processes.selection import ByKeys, Delta, Everything, Selection, ids_of
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.shipped import SHORT_SHIPMENTS, report_shipped, report_shipped_by_id


def run(step: Step, selection: Selection) -> SyncReport:
    options, shipment = step.config.orders, step.config.shipment
    if isinstance(selection, ByKeys):
        return report_shipped_by_id(step.erp, step.wms, ids_of(selection), options, gate=step.gate,
                                    shipment=shipment)
    return report_shipped(step.erp, step.wms, step.cursor, options, gate=step.gate, shipment=shipment)


def short_rows(order: str, rows: Any) -> str:
    """`order 7: row 2 (SKU-1002) 1 of 3 picked, 2 short`: one short-shipped order as an alert quotes it."""
    parts = []
    for row in rows:
        article = f" ({row['article']})" if row.get("article") else ""
        parts.append(f"row {row['row']}{article} {row['picked']} of {row['ordered']} picked, {row['short']} short")
    return f"order {order}: " + "; ".join(parts)


NO_SHORT_SHIPMENTS = ReportCheck(
    name="no_short_shipments", detail=SHORT_SHIPMENTS, listed="order(s) shipped short", reason=short_rows,
    description="Fails (warning) when an order reported Sent in this run was picked short: its rows' shortfall "
                "is in the run's metadata (short_shipments). Each order is listed by the one run that reported it.")

SHIPPED = SyncProcess(
    name="shipped",
    kind=Kind.ORDER,
    record_key="the ERP order id",
    source="Ongoing WMS orders from the sent status up to 799 (GetOrdersByQuery): parcels, carrier, picked lines",
    target="24SevenOffice orders (SaveInvoices: OrderStatus, the tracking field, rows' QuantityDelivered/QuantityRest)",
    mapper=None,  # the write is planned by sync/shipment.py from both orders as read
    run=run,
    selections=(Delta, Everything, ByKeys),
    switches=("sync_orders", "sync_report_shipped"),
    cursor=CursorPolicy("shipped"),
    asset=AssetDeclaration(
        key="erp_shipped_orders",
        group="orders",
        deps=("wms_orders",),
        pool=None,
        checks=(NO_SHORT_SHIPMENTS,),
        description=(
            "Shipped orders reported back: when the warehouse has sent an order (status number 450 or "
            "the configured one up to 799, matched by number; 800 Returned is not a shipment), its "
            "24SevenOffice order gets status Sent (OrderState_Sent), its waybills and carrier appended to "
            "the tracking field (SYNC_TRACKING_FIELD) and each row's delivered quantity, exactly once. "
            "Rows shipped short are listed in `short_shipments` and fail the check no_short_shipments."
        ),
    ),
)
