"""Sales orders: confirmed 24SevenOffice orders -> Ongoing WMS; shipped orders -> "Sent" in the ERP."""

import dagster as dg

from sync_pipeline.assets.reporting import OWNERS, SOAP_KINDS, no_failed_records_spec
from sync_pipeline.assets.runner import Process, materialize, run_process
from sync_pipeline.ledger import Kind
from sync_pipeline.resources import ErpResource, LedgerResource, WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.orders import OrderOptions, push_orders, report_shipped


def order_options() -> OrderOptions:
    settings = load_settings()
    return OrderOptions(pull_status=settings.sync_order_status, imported_status=settings.sync_imported_erp_status,
                        wms_sent_status=settings.sync_wms_sent_status,
                        shipped_status=settings.sync_shipped_erp_status)


def push_process(settings, erp, wms) -> Process:
    """The order push as wms_orders runs it (and the dry run)."""
    options, extra = order_options(), settings.extra_fields_for()
    return lambda gate, cursor: push_orders(erp, wms, cursor, options, gate=gate, extra=extra)


def shipped_process(erp, wms) -> Process:
    """The shipped report as erp_shipped_orders runs it (and the dry run)."""
    options = order_options()
    return lambda gate, cursor: report_shipped(erp, wms, cursor, options, gate=gate)


@dg.asset(
    group_name="orders",
    kinds=SOAP_KINDS,
    owners=OWNERS,
    deps=["wms_articles"],
    check_specs=[no_failed_records_spec("wms_orders")],
    pool="ongoing_writes",
    description=(
        "Sales orders in the warehouse: every 24SevenOffice order in the pull status (default Confirmed) "
        "changed since the last run, with its delivery customer, invoice address and lines. Pushed "
        "with CreateOrUpdate under the ERP order number, so a retry never makes a second order."
    ),
)
def wms_orders(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource, ledger: LedgerResource):
    report = run_process(context, ledger, Kind.ORDER, push_process(load_settings(), erp.client(), wms.client()),
                         cursor_name="orders")
    yield from materialize(context, report)


@dg.asset(
    group_name="orders",
    kinds=SOAP_KINDS,
    owners=OWNERS,
    deps=["wms_orders"],
    check_specs=[no_failed_records_spec("erp_shipped_orders")],
    description=(
        "Shipped orders reported back: when the warehouse has sent an order (status number 450 or "
        "the configured one, matched by number), its 24SevenOffice order gets status Sent "
        "(OrderState_Sent), exactly once."
    ),
)
def erp_shipped_orders(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource,
                       ledger: LedgerResource):
    report = run_process(context, ledger, Kind.ORDER, shipped_process(erp.client(), wms.client()),
                         cursor_name="shipped")
    yield from materialize(context, report)
