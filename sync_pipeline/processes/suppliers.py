"""Supplier registry: 24SevenOffice supplier companies -> Ongoing WMS suppliers (sync/suppliers.py).

The warehouse takes a supplier only inside an article, so this process needs the article process
on: Settings refuses SYNC_SUPPLIERS=on with SYNC_ARTICLES=off at start (docs/operations.md).
"""

from __future__ import annotations

from sync_pipeline.ledger import Kind
from sync_pipeline.mapping import map_supplier
from sync_pipeline.processes.model import AssetDeclaration, CursorPolicy, Step, SyncProcess
from sync_pipeline.processes.selection import ByKeys, Delta, Everything, Selection, Window, ids_of
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.suppliers import sync_suppliers, sync_suppliers_by_id


def run(step: Step, selection: Selection) -> SyncReport:
    config = step.config
    if isinstance(selection, ByKeys):
        return sync_suppliers_by_id(step.erp, step.wms, ids_of(selection), gate=step.gate,
                                    extra=config.extra, variants=config.variants)
    window = (selection.start, selection.end) if isinstance(selection, Window) else None
    report = sync_suppliers(step.erp, step.wms, Cursor(moment=window[0]) if window else step.cursor, gate=step.gate,
                            extra=config.extra, variants=config.variants, window=window)
    if window is not None:
        report.cursor = None  # a range's read is not a delta position
    return report


SUPPLIERS = SyncProcess(
    name="suppliers",
    kind=Kind.SUPPLIER,
    record_key="the ERP company id",
    source="24SevenOffice companies of type Supplier (GetCompanies)",
    target="Ongoing WMS suppliers, as the MainSupplier of the articles naming them (ProcessArticle)",
    mapper=map_supplier,
    run=run,
    selections=(Delta, Everything, ByKeys, Window),
    switches=("sync_suppliers",),
    cursor=CursorPolicy("suppliers"),
    asset=AssetDeclaration(
        key="wms_suppliers",
        group="suppliers",
        # After the articles: both write articles to the goods owner, so never side by side (Celery workers
        # would run independent steps at once) and a supplier's articles exist first.
        deps=("wms_articles",),
        description=(
            "Suppliers in the warehouse, from the 24SevenOffice companies of type Supplier (number, name, "
            "postal address). The warehouse takes a supplier only as the main supplier of an article, so "
            "a changed supplier is sent with the articles that name it. Off by default (SYNC_SUPPLIERS)."
        ),
    ),
)
