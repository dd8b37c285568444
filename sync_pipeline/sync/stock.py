"""Process 4, stock balances: WMS stock -> ERP product stock, only where the two differ."""

from __future__ import annotations

from sync_pipeline.stock.diff import compare
from sync_pipeline.stock.frames import erp_frame, wms_frame
from sync_pipeline.stock.snapshot import StockSnapshot
from sync_pipeline.stock.writes import planned_writes
from sync_pipeline.sync.report import SyncReport


def sync_stock(erp, wms, basis: str = "physical") -> tuple[SyncReport, StockSnapshot]:
    """Compare every WMS balance with its ERP product and write only the differing ones.

    Products marked as not stock-controlled in the ERP keep no stock there and are left out.
    """
    report = SyncReport("stock")
    products = [p for p in erp.products_changed_since(None) if p.StockControlled is not False]
    comparison = compare(wms_frame(wms.inventory(), basis), erp_frame(products))
    for write in planned_writes(comparison):
        error = erp.set_stock_quantity(write.product_id, write.quantity)
        if error is None:
            report.updated += 1
        else:
            report.fail(error)
    report.unchanged = comparison.unchanged
    return report, StockSnapshot.from_comparison(comparison, basis=basis)
