"""One UTC day of orders or stock, re-run from the UI: daily-partitioned assets beside the delta ones.

The delta assets (wms_orders, stock_snapshot) stay unpartitioned and keep their cursors; these
assets never read or move those cursors. See docs/operations-partitions.md.
"""

from datetime import datetime, timezone

import dagster as dg

from sync_pipeline.assets.orders import order_options
from sync_pipeline.assets.reporting import failed_records_check, no_failed_records_spec, report_metadata
from sync_pipeline.resources import ErpResource, WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.orders import push_orders
from sync_pipeline.sync.stock import sync_stock

OWNERS = ["team:integrations"]
RESYNC_START = "2026-01-01"

# One partition per UTC day; end_offset=1 adds today's (still running) day, so "today" can be re-run.
daily = dg.DailyPartitionsDefinition(start_date=RESYNC_START, timezone="UTC", end_offset=1)


class ErpWithinWindow:
    """The ERP client, with orders_changed_since limited to orders whose DateChanged is in [start, end)."""

    def __init__(self, erp, start: datetime, end: datetime):
        self._erp, self.start, self.end = erp, start, end

    def orders_changed_since(self, since, statuses=None):
        return [o for o in self._erp.orders_changed_since(since, statuses=statuses)
                if o.DateChanged is not None and self.start <= o.DateChanged < self.end]

    def __getattr__(self, name):
        return getattr(self._erp, name)


def _utc(moment: datetime) -> datetime:
    return datetime.fromtimestamp(moment.timestamp(), tz=timezone.utc)


@dg.asset(
    group_name="orders",
    partitions_def=daily,
    kinds={"soap", "24sevenoffice", "ongoing"},
    owners=OWNERS,
    check_specs=[no_failed_records_spec("orders_resync")],
    pool="ongoing_writes",
    description=(
        "One UTC day of sales orders pushed again: every 24SevenOffice order in the pull status whose "
        "last change (DateChanged) falls on the partition's day goes to the warehouse once more with "
        "CreateOrUpdate, so re-running a day never duplicates an order; orders the warehouse is already "
        "working on are left alone. Does not touch the cursor of wms_orders."
    ),
)
def orders_resync(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource):
    window = context.partition_time_window
    start, end = _utc(window.start), _utc(window.end)
    report = push_orders(ErpWithinWindow(erp.client(), start, end), wms.client(), Cursor(moment=start),
                         order_options(), extra=load_settings().extra_fields_for())
    metadata = report_metadata(report)
    metadata.pop("cursor", None)  # a day's resync is not a delta position
    metadata["window"] = dg.MetadataValue.text(f"{start.isoformat()} to {end.isoformat()} (UTC, end excluded)")
    yield dg.MaterializeResult(metadata=metadata)
    yield failed_records_check(report, context.asset_key)


@dg.asset(
    group_name="stock",
    partitions_def=daily,
    kinds={"pandas", "24sevenoffice", "ongoing"},
    owners=OWNERS,
    check_specs=[no_failed_records_spec("stock_resync")],
    description=(
        "The day's stock reconciliation: both systems' balances compared and the warehouse's figure "
        "written to 24SevenOffice where they differ, kept as that UTC day's snapshot. Stock has no "
        "history, so re-running a day compares the balances of now and records them under that day "
        "(the metadata says when); re-running the failed day after an outage is the catch-up."
    ),
)
def stock_resync(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource):
    report, snapshot = sync_stock(erp.client(), wms.client(), basis=load_settings().sync_stock_basis)
    metadata = report_metadata(report)
    metadata["snapshot"] = dg.MetadataValue.md(snapshot.to_markdown())
    metadata["day"] = dg.MetadataValue.text(context.partition_key)
    metadata["compared_at"] = dg.MetadataValue.text(datetime.now(timezone.utc).isoformat(timespec="seconds"))
    yield dg.MaterializeResult(metadata=metadata)
    yield failed_records_check(report, context.asset_key)
