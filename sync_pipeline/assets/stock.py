"""Stock balances: Ongoing WMS stock -> 24SevenOffice product stock, where they differ."""

import dagster as dg

from sync_pipeline.assets.reporting import failed_records_check, no_failed_records_spec, report_metadata
from sync_pipeline.resources import ErpResource, WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.stock import sync_stock

OWNERS = ["team:integrations"]


@dg.asset(
    group_name="stock",
    kinds={"pandas", "24sevenoffice", "ongoing"},
    owners=OWNERS,
    deps=["wms_orders"],
    check_specs=[no_failed_records_spec("stock_snapshot")],
    description=(
        "A snapshot of stock in both systems and their difference. The warehouse's figure (physical "
        "by default, sellable as an option) is written to 24SevenOffice only for the articles whose "
        "balances differ; the snapshot shows what was written, when and why."
    ),
)
def stock_snapshot(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource):
    report, snapshot = sync_stock(erp.client(), wms.client(), basis=load_settings().sync_stock_basis)
    metadata = report_metadata(report)
    metadata["snapshot"] = dg.MetadataValue.md(snapshot.to_markdown())
    metadata["differences"] = dg.MetadataValue.int(snapshot.counts.get("changed", report.updated + report.failed))
    yield dg.MaterializeResult(metadata=metadata)
    yield failed_records_check(report, context.asset_key)
