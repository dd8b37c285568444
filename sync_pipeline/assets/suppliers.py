"""Supplier registry: 24SevenOffice supplier companies -> Ongoing WMS suppliers."""

import dagster as dg

from sync_pipeline.assets.reporting import (failed_records_check, last_cursor, no_failed_records_spec,
                                            report_metadata)
from sync_pipeline.mapping.variants import VariantRule
from sync_pipeline.resources import ErpResource, WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.suppliers import sync_suppliers

OWNERS = ["team:integrations"]


@dg.asset(
    group_name="suppliers",
    kinds={"soap", "24sevenoffice", "ongoing"},
    owners=OWNERS,
    check_specs=[no_failed_records_spec("wms_suppliers")],
    pool="ongoing_writes",
    description=(
        "Suppliers in the warehouse, from the 24SevenOffice companies of type Supplier (number, name, "
        "postal address). The warehouse takes a supplier only as the main supplier of an article, so "
        "a changed supplier is sent with the articles that name it. Off by default (SYNC_SUPPLIERS)."
    ),
)
def wms_suppliers(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource):
    settings = load_settings()
    variants = VariantRule(settings.sync_variant_separator) if settings.sync_variations else None
    report = sync_suppliers(erp.client(), wms.client(), last_cursor(context),
                            extra=settings.extra_fields_for(), variants=variants)
    yield dg.MaterializeResult(metadata=report_metadata(report))
    yield failed_records_check(report, context.asset_key)
