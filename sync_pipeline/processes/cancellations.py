"""Cancellations both ways: ERP-cancelled orders leave the warehouse, warehouse-cancelled ones are marked
in 24SevenOffice (sync/cancellations.py).

Part of the sales-order process for operators (group "orders", SYNC_ORDERS), with a switch of its own
(SYNC_CANCELLATIONS); a process of its own because it reads both systems' changes and writes to both.
"""

from __future__ import annotations

from sync_pipeline.ledger import Kind
from sync_pipeline.processes.model import AssetDeclaration, CursorPolicy, Step, SyncProcess
from sync_pipeline.processes.selection import ByKeys, Delta, Everything, Selection, ids_of
from sync_pipeline.sync.cancellations import carry_cancellations, carry_cancellations_by_id
from sync_pipeline.sync.report import SyncReport


def run(step: Step, selection: Selection) -> SyncReport:
    orders, options = step.config.orders, step.config.cancellations
    if isinstance(selection, ByKeys):
        return carry_cancellations_by_id(step.erp, step.wms, ids_of(selection), orders, options, gate=step.gate)
    cursor = None if isinstance(selection, Everything) else step.cursor
    report = carry_cancellations(step.erp, step.wms, cursor, orders, options, gate=step.gate)
    if isinstance(selection, Everything):
        report.cursor = None  # an operator's full read is not a delta position
    return report


CANCELLATIONS = SyncProcess(
    name="cancellations",
    kind=Kind.CANCELLATION,
    record_key="the ERP order id (the warehouse's GoodsOwnerOrderNumber)",
    source=("24SevenOffice orders the ledger has in the warehouse, changed (GetOrderSyncList, GetInvoices); "
            "Ongoing WMS orders at status 1000 or more (GetOrdersByQuery)"),
    target=("Ongoing WMS orders (ProcessOrder, OrderOperation Remove); 24SevenOffice order status "
            "(SaveInvoices, OrderStatus)"),
    mapper=None,  # the writes are a removal and the configured status
    run=run,
    selections=(Delta, Everything, ByKeys),
    switches=("sync_orders", "sync_cancellations"),
    cursor=CursorPolicy("cancellations"),
    asset=AssetDeclaration(
        key="order_cancellations",
        group="orders",
        deps=("wms_orders",),
        description=(
            "Cancellations both ways. An order the warehouse holds whose 24SevenOffice order went to a cancel "
            "status (default Offer, Draft, Inactive) or was deleted is cancelled in the warehouse (ProcessOrder "
            "Remove) before picking starts (status below 300); after that it is left alone and reported once: "
            "too late to cancel, ship or intercept. An order the warehouse cancelled (status 1000 on) that "
            "24SevenOffice still has as Confirmed gets the configured status (default Inactive) and is "
            "reported once."
        ),
    ),
)
