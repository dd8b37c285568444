"""Article registry: 24SevenOffice products -> Ongoing WMS articles."""

import dagster as dg

from sync_pipeline.assets.reporting import (failed_records_check, last_cursor, no_failed_records_spec,
                                            report_metadata)
from sync_pipeline.mapping.variants import VariantRule
from sync_pipeline.resources import ErpResource, WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.articles import sync_articles

OWNERS = ["team:integrations"]


@dg.asset(
    group_name="articles",
    kinds={"soap", "24sevenoffice", "ongoing"},
    owners=OWNERS,
    check_specs=[no_failed_records_spec("wms_articles")],
    pool="ongoing_writes",
    description=(
        "Articles in the warehouse, kept equal to the products in 24SevenOffice. Each run sends the "
        "products changed since the last run (number, name, description, barcode, weight, ERP id) "
        "to Ongoing WMS. A product the warehouse refuses is listed with its number and reason; "
        "the others go through."
    ),
)
def wms_articles(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource):
    settings = load_settings()
    variants = VariantRule(settings.sync_variant_separator) if settings.sync_variations else None
    report = sync_articles(erp.client(), wms.client(), last_cursor(context),
                           with_suppliers=settings.sync_suppliers, extra=settings.extra_fields_for(),
                           variants=variants)
    yield dg.MaterializeResult(metadata=report_metadata(report))
    yield failed_records_check(report, context.asset_key)
