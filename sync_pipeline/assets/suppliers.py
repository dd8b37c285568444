"""Supplier registry: 24SevenOffice supplier companies -> Ongoing WMS suppliers."""

import dagster as dg

from sync_pipeline.assets.articles import variant_rule
from sync_pipeline.assets.reporting import OWNERS, SOAP_KINDS, no_failed_records_spec
from sync_pipeline.assets.runner import Process, materialize, run_process
from sync_pipeline.ledger import Kind
from sync_pipeline.resources import ErpResource, LedgerResource, WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.suppliers import sync_suppliers


def suppliers_process(settings, erp, wms) -> Process:
    """The suppliers sync as this asset runs it (and the dry run)."""
    return lambda gate, cursor: sync_suppliers(erp, wms, cursor, gate=gate, extra=settings.extra_fields_for(),
                                               variants=variant_rule(settings))


@dg.asset(
    group_name="suppliers",
    kinds=SOAP_KINDS,
    owners=OWNERS,
    check_specs=[no_failed_records_spec("wms_suppliers")],
    pool="ongoing_writes",
    description=(
        "Suppliers in the warehouse, from the 24SevenOffice companies of type Supplier (number, name, "
        "postal address). The warehouse takes a supplier only as the main supplier of an article, so "
        "a changed supplier is sent with the articles that name it. Off by default (SYNC_SUPPLIERS)."
    ),
)
def wms_suppliers(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource, ledger: LedgerResource):
    report = run_process(context, ledger, Kind.SUPPLIER,
                         suppliers_process(load_settings(), erp.client(), wms.client()), cursor_name="suppliers")
    yield from materialize(context, report)
