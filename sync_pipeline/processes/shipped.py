"""Shipped orders reported back: orders the WMS shipped -> "Sent" in 24SevenOffice (sync/shipped.py).

Part of the sales-order process for operators (group "orders", SYNC_ORDERS), with a switch of its
own (SYNC_REPORT_SHIPPED); a process object of its own because it reads and writes the other way.
"""

from __future__ import annotations

from sync_pipeline.ledger import Kind
from sync_pipeline.processes.model import AssetDeclaration, CursorPolicy, Step, SyncProcess
from sync_pipeline.processes.selection import ByKeys, Delta, Everything, Selection, ids_of
from sync_pipeline.sync.shipped import report_shipped, report_shipped_by_id
from sync_pipeline.sync.report import SyncReport


def run(step: Step, selection: Selection) -> SyncReport:
    options = step.config.orders
    if isinstance(selection, ByKeys):
        return report_shipped_by_id(step.erp, step.wms, ids_of(selection), options, gate=step.gate)
    return report_shipped(step.erp, step.wms, step.cursor, options, gate=step.gate)


SHIPPED = SyncProcess(
    name="shipped",
    kind=Kind.ORDER,
    record_key="the ERP order id",
    source="Ongoing WMS orders at the sent status or later (GetOrdersByQuery)",
    target="24SevenOffice order status (SaveInvoices, OrderStatus)",
    mapper=None,  # the write is the configured shipped status
    run=run,
    selections=(Delta, Everything, ByKeys),
    switches=("sync_orders", "sync_report_shipped"),
    cursor=CursorPolicy("shipped"),
    asset=AssetDeclaration(
        key="erp_shipped_orders",
        group="orders",
        deps=("wms_orders",),
        pool=None,
        description=(
            "Shipped orders reported back: when the warehouse has sent an order (status number 450 or "
            "the configured one, matched by number), its 24SevenOffice order gets status Sent "
            "(OrderState_Sent), exactly once."
        ),
    ),
)
