"""Returns read back: Ongoing WMS return orders of our orders, shown per order and row (sync/returns.py).

A process although it writes nothing: it reads the warehouse's changes since a cursor kept in the
ledger like the others (GoodsReturnedFromDate), is switched on and off like them (SYNC_RETURNS), runs
in every cycle (sync_all), can be narrowed to named orders from the launchpad, and its asset's
materializations are where an operator reads the returns. Its stock comes back through the stock process.
"""

from __future__ import annotations

from sync_pipeline.ledger import Kind
from sync_pipeline.processes.model import AssetDeclaration, CursorPolicy, Step, SyncProcess
from sync_pipeline.processes.selection import ByKeys, Delta, Everything, Selection, ids_of
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.returns import read_returns, read_returns_of


def run(step: Step, selection: Selection) -> SyncReport:
    if isinstance(selection, ByKeys):
        return read_returns_of(step.erp, step.wms, ids_of(selection), gate=step.gate)
    return read_returns(step.erp, step.wms, step.cursor, gate=step.gate)


RETURNS = SyncProcess(
    name="returns",
    kind=Kind.ORDER,
    record_key="the ERP order id",
    source="Ongoing WMS return orders (GetReturnOrdersByQuery) and 24SevenOffice orders (GetInvoices)",
    target="nothing: the returns are shown in the materialization; their stock comes back through the stock process",
    mapper=None,
    run=run,
    selections=(Delta, Everything, ByKeys),
    switches=("sync_orders", "sync_returns"),
    cursor=CursorPolicy("returns"),
    asset=AssetDeclaration(
        key="wms_returns",
        group="orders",
        deps=("erp_shipped_orders",),
        pool=None,
        description=(
            "Returns: the warehouse's return orders of 24SevenOffice orders, per order and row (article, "
            "picked, announced and returned quantities, cause, return status, when the goods came in). Reads "
            "only; the returned items reach the ERP's stock through stock_snapshot. An order at WMS status "
            "800 (Returned) is a return, not a shipment."
        ),
    ),
)
