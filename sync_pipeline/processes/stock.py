"""Stock balances: Ongoing WMS stock -> 24SevenOffice product stock, where they differ (sync/stock.py).

A delta cycle compares only the articles whose stock changed in the warehouse since the feed's cursor
(kept in the ledger as "stock_changes") when SYNC_STOCK_CHANGE_FEED is on and the basis is physical stock
(whether bookings, which move sellable stock, move Ongoing's stock-info change time is not documented);
otherwise, and always for everything, a day's window and named products, stock is compared in full.
The daily stock_resync is the full sweep, so the cursor has none of its own.
"""

from __future__ import annotations

from sync_pipeline.ledger import Kind
from sync_pipeline.processes.articles import product_ids_named
from sync_pipeline.processes.model import AssetDeclaration, CursorPolicy, Step, SyncProcess
from sync_pipeline.processes.selection import ByKeys, Delta, Everything, Selection, Window, ids_of
from sync_pipeline.sync.report import SyncReport

STOCK_KINDS = frozenset({"pandas", "24sevenoffice", "ongoing"})
SNAPSHOT = "snapshot"  # Step.outputs: the StockSnapshot of the comparison


def run(step: Step, selection: Selection) -> SyncReport:
    # pandas and the stock comparison: loaded by the runs that compare stock, not by every run's code load
    from sync_pipeline.sync.stock import in_flight_products, sync_stock, sync_stock_changes

    held = in_flight_products(step.erp, step.gate.ledger)
    if isinstance(selection, Delta) and step.config.stock_change_feed and step.config.stock_basis == "physical":
        report, snapshot = sync_stock_changes(step.erp, step.wms, step.cursor, basis=step.config.stock_basis,
                                              gate=step.gate, held_products=held)
    else:
        only = ids_of(selection) if isinstance(selection, ByKeys) else None
        report, snapshot = sync_stock(step.erp, step.wms, basis=step.config.stock_basis, gate=step.gate,
                                      held_products=held, product_ids=only)
    step.outputs[SNAPSHOT] = snapshot
    return report


STOCK = SyncProcess(
    name="stock",
    kind=Kind.STOCK,
    record_key="the ERP product id",
    source=("Ongoing WMS stock (GetInventoryByQuery; on a delta with the change feed on, only the articles whose "
            "stock changed since its cursor, StockInfoChangedFrom) and 24SevenOffice products (GetProducts)"),
    target="24SevenOffice product stock (SetStockQuantity), only where the balances differ",
    mapper=None,  # whole frames are compared (stock/diff.py), in run, not record by record
    run=run,
    selections=(Delta, Everything, ByKeys, Window),
    named=product_ids_named,
    switches=("sync_stock",),
    cursor=CursorPolicy("stock_changes", sweep_every=None),
    asset=AssetDeclaration(
        key="stock_snapshot",
        group="stock",
        deps=("wms_orders",),
        kinds=STOCK_KINDS,
        pool=None,
        description=(
            "A snapshot of stock in both systems and their difference. The warehouse's figure (physical "
            "by default, sellable as an option) is written to 24SevenOffice only for the articles whose "
            "balances differ, and only if the ERP still shows what was compared; articles on orders "
            "between the systems are held. The snapshot shows what was written, when and why."
        ),
    ),
    resync=AssetDeclaration(
        key="stock_resync",
        group="stock",
        kinds=STOCK_KINDS,
        pool=None,
        description=(
            "The day's stock reconciliation: both systems' balances compared and the warehouse's figure "
            "written to 24SevenOffice where they differ, kept as that UTC day's snapshot. Stock has no "
            "history, so re-running a day compares the balances of now and records them under that day "
            "(the metadata says when); re-running the failed day after an outage is the catch-up."
        ),
    ),
)
