"""Sales orders: confirmed 24SevenOffice orders -> Ongoing WMS orders (sync/orders.py push_orders)."""

from __future__ import annotations

from sync_pipeline.ledger import Kind
from sync_pipeline.mapping import map_order
from sync_pipeline.processes.model import AssetDeclaration, CursorPolicy, Step, SyncProcess
from sync_pipeline.processes.selection import ByKeys, Delta, Everything, Selection, Window, ids_of
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.orders import push_orders, push_orders_by_id
from sync_pipeline.sync.report import SyncReport


def run(step: Step, selection: Selection) -> SyncReport:
    options, extra = step.config.orders, step.config.extra
    if isinstance(selection, ByKeys):
        return push_orders_by_id(step.erp, step.wms, ids_of(selection), options, gate=step.gate, extra=extra)
    if isinstance(selection, Window):
        report = push_orders(step.erp, step.wms, Cursor(moment=selection.start), options, gate=step.gate,
                             extra=extra, window=(selection.start, selection.end))
        report.cursor = None  # a day's resync is not a delta position
        return report
    return push_orders(step.erp, step.wms, step.cursor, options, gate=step.gate, extra=extra)


ORDERS = SyncProcess(
    name="orders",
    kind=Kind.ORDER,
    record_key="the ERP order id (the warehouse's GoodsOwnerOrderNumber)",
    source="24SevenOffice orders in the pull status (GetOrderSyncList, GetInvoices)",
    target="Ongoing WMS orders (ProcessOrder, CreateOrUpdate by GoodsOwnerOrderNumber)",
    mapper=map_order,
    run=run,
    selections=(Delta, Everything, ByKeys, Window),
    switches=("sync_orders",),
    cursor=CursorPolicy("orders"),
    asset=AssetDeclaration(
        key="wms_orders",
        group="orders",
        deps=("wms_articles",),
        description=(
            "Sales orders in the warehouse: every 24SevenOffice order in the pull status (default Confirmed) "
            "changed since the last run, with its delivery customer, invoice address and lines. Pushed "
            "with CreateOrUpdate under the ERP order number, so a retry never makes a second order."
        ),
    ),
    resync=AssetDeclaration(
        key="orders_resync",
        group="orders",
        description=(
            "One UTC day of sales orders pushed again: every 24SevenOffice order in the pull status whose "
            "last change (DateChanged) falls on the partition's day goes to the warehouse once more with "
            "CreateOrUpdate, so re-running a day never duplicates an order; orders the warehouse is already "
            "working on are left alone. Does not touch the cursor of wms_orders."
        ),
    ),
)
