"""Stock balances: Ongoing WMS stock -> 24SevenOffice product stock, where they differ."""

import dagster as dg

from sync_pipeline.assets.history import stock_drift_metadata
from sync_pipeline.assets.reporting import OWNERS, no_failed_records_spec
from sync_pipeline.assets.runner import materialize, run_process
from sync_pipeline.ledger import Kind
from sync_pipeline.resources import ErpResource, LedgerResource, WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline.stock.snapshot import StockSnapshot
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.stock import in_flight_products, sync_stock

STOCK_KINDS = {"pandas", "24sevenoffice", "ongoing"}


def compare_stock(settings, erp, wms, gate) -> tuple[SyncReport, StockSnapshot]:
    """The stock comparison and its writes, as stock_snapshot runs it (and the dry run)."""
    return sync_stock(erp, wms, basis=settings.sync_stock_basis, gate=gate,
                      held_products=in_flight_products(erp, gate.ledger))


def stock_cycle(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource, ledger: LedgerResource,
                **metadata: object):
    """One comparison and its writes, materialized with the snapshot (shared by the daily resync)."""
    snapshots = []

    def process(gate, _cursor):
        report, snapshot = compare_stock(load_settings(), erp.client(), wms.client(), gate)
        snapshots.append(snapshot)
        return report

    report = run_process(context, ledger, Kind.STOCK, process)
    snapshot = snapshots[0]
    yield from materialize(context, report, {
        "snapshot": dg.MetadataValue.md(snapshot.to_markdown()),
        "differences": dg.MetadataValue.int(snapshot.counts.get("changed", 0)),
        **stock_drift_metadata(context, snapshot),
        **metadata,
    })


@dg.asset(
    group_name="stock",
    kinds=STOCK_KINDS,
    owners=OWNERS,
    deps=["wms_orders"],
    check_specs=[no_failed_records_spec("stock_snapshot")],
    description=(
        "A snapshot of stock in both systems and their difference. The warehouse's figure (physical "
        "by default, sellable as an option) is written to 24SevenOffice only for the articles whose "
        "balances differ, and only if the ERP still shows what was compared; articles on orders "
        "between the systems are held. The snapshot shows what was written, when and why."
    ),
)
def stock_snapshot(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource, ledger: LedgerResource):
    yield from stock_cycle(context, erp, wms, ledger)
