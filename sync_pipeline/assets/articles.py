"""Article registry: 24SevenOffice products -> Ongoing WMS articles."""

import dagster as dg

from sync_pipeline.assets.reporting import OWNERS, SOAP_KINDS, no_failed_records_spec
from sync_pipeline.assets.runner import Process, materialize, run_process
from sync_pipeline.ledger import Kind
from sync_pipeline.mapping.variants import VariantRule
from sync_pipeline.resources import ErpResource, LedgerResource, WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.articles import sync_articles


def variant_rule(settings) -> VariantRule | None:
    return VariantRule(settings.sync_variant_separator, settings.sync_variant_parts) if settings.sync_variations else None


def articles_process(settings, erp, wms) -> Process:
    """The articles sync as this asset runs it (the dry run runs the same, on its recording clients)."""
    return lambda gate, cursor: sync_articles(erp, wms, cursor, gate=gate, with_suppliers=settings.sync_suppliers,
                                              extra=settings.extra_fields_for(), variants=variant_rule(settings))


@dg.asset(
    group_name="articles",
    kinds=SOAP_KINDS,
    owners=OWNERS,
    check_specs=[no_failed_records_spec("wms_articles")],
    pool="ongoing_writes",
    description=(
        "Articles in the warehouse, kept equal to the products in 24SevenOffice. Each run sends the "
        "products changed since the last run (number, name, description, barcode, weight, ERP id) "
        "to Ongoing WMS; a product the warehouse already holds unchanged is not sent again. A product "
        "the warehouse refuses is listed with its number and reason; the others go through."
    ),
)
def wms_articles(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource, ledger: LedgerResource):
    report = run_process(context, ledger, Kind.ARTICLE, articles_process(load_settings(), erp.client(), wms.client()),
                         cursor_name="articles")
    yield from materialize(context, report)
