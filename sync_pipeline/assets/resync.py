"""One UTC day of orders or stock, re-run from the UI: daily-partitioned assets beside the delta ones.

The delta assets (wms_orders, stock_snapshot) stay unpartitioned and keep their cursors; these
assets never read or move those cursors. See docs/operations-partitions.md.
"""

from datetime import datetime, timezone

import dagster as dg

from sync_pipeline.assets.orders import order_options
from sync_pipeline.assets.reporting import OWNERS, SOAP_KINDS, no_failed_records_spec
from sync_pipeline.assets.runner import materialize, run_process
from sync_pipeline.assets.stock import STOCK_KINDS, stock_cycle
from sync_pipeline.ledger import Kind
from sync_pipeline.resources import ErpResource, LedgerResource, WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.orders import push_orders
RESYNC_START = "2026-01-01"

# One partition per UTC day; end_offset=1 adds today's (still running) day, so "today" can be re-run.
daily = dg.DailyPartitionsDefinition(start_date=RESYNC_START, timezone="UTC", end_offset=1)


class ErpWithinWindow:
    """The ERP client, with the orders push_orders reads limited to those whose DateChanged is in [start, end)."""

    def __init__(self, erp, start: datetime, end: datetime):
        self._erp, self.start, self.end = erp, start, end

    def order_batches(self, order_ids, statuses=None, **options):
        for batch in self._erp.order_batches(order_ids, statuses, **options):
            yield [o for o in batch if o.DateChanged is not None and self.start <= o.DateChanged < self.end]

    def __getattr__(self, name):
        return getattr(self._erp, name)


def _utc(moment: datetime) -> datetime:
    return datetime.fromtimestamp(moment.timestamp(), tz=timezone.utc)


@dg.asset(
    group_name="orders",
    partitions_def=daily,
    kinds=SOAP_KINDS,
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
def orders_resync(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource, ledger: LedgerResource):
    window = context.partition_time_window
    start, end = _utc(window.start), _utc(window.end)
    extra = load_settings().extra_fields_for()
    report = run_process(context, ledger, Kind.ORDER, lambda gate, _cursor: push_orders(
        ErpWithinWindow(erp.client(), start, end), wms.client(), Cursor(moment=start), order_options(),
        gate=gate, extra=extra), resend=True)
    report.cursor = None  # a day's resync is not a delta position
    yield from materialize(context, report, {
        "window": dg.MetadataValue.text(f"{start.isoformat()} to {end.isoformat()} (UTC, end excluded)")})


@dg.asset(
    group_name="stock",
    partitions_def=daily,
    kinds=STOCK_KINDS,
    owners=OWNERS,
    check_specs=[no_failed_records_spec("stock_resync")],
    description=(
        "The day's stock reconciliation: both systems' balances compared and the warehouse's figure "
        "written to 24SevenOffice where they differ, kept as that UTC day's snapshot. Stock has no "
        "history, so re-running a day compares the balances of now and records them under that day "
        "(the metadata says when); re-running the failed day after an outage is the catch-up."
    ),
)
def stock_resync(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource, ledger: LedgerResource):
    yield from stock_cycle(context, erp, wms, ledger, day=dg.MetadataValue.text(context.partition_key),
                           compared_at=dg.MetadataValue.text(datetime.now(timezone.utc).isoformat(timespec="seconds")))
