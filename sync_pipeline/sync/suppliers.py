"""Process 3, supplier registry: ERP companies of type Supplier -> WMS suppliers.

Ongoing's WSI has no ProcessSupplier: a supplier is created or updated only as the MainSupplier of
an article. So a changed supplier is pushed by re-sending each article whose ERP product names it
(SupplierId). A supplier no product references cannot reach the WMS yet; it is counted as waiting
and goes out with its first article.
"""

from __future__ import annotations

from typing import Sequence

from sync_pipeline.mapping import ExtraField, map_article, map_supplier, supplier_key
from sync_pipeline.mapping.variants import VariantCatalogue, VariantRule
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.cursor import Cursor, CursorBuilder, unseen
from sync_pipeline.sync.report import SyncReport

SUPPLIER_TYPE = "Supplier"


def sync_suppliers(erp, wms, cursor: Cursor | None, *, extra: Sequence[ExtraField] = (),
                   variants: VariantRule | None = None) -> SyncReport:
    """`variants`: as for sync_articles, so that re-sent variant articles keep their names."""
    cursor = cursor or Cursor()
    report = SyncReport("suppliers")
    progress = CursorBuilder(cursor)
    companies = [c for c in erp.companies_changed_since(cursor.moment) if _type_name(c.Type) == SUPPLIER_TYPE]
    changed, report.unchanged = unseen(companies, cursor, supplier_key)
    suppliers: dict[int, dict] = {}
    for company in changed:
        supplier = map_supplier(company, extra=extra)
        if isinstance(supplier, RecordError):
            report.fail(supplier)
            progress.passed(company.DateChanged)
        else:
            suppliers[company.Id] = supplier
            progress.handled(supplier_key(company), company.DateChanged)
    report.cursor = progress.build()
    if not suppliers:
        return report
    carriers: dict[int, list] = {}
    catalogue_products = erp.products_changed_since(None)
    catalogue = variants.catalogue(catalogue_products) if variants else None
    for product in catalogue_products:
        if product.SupplierId in suppliers:
            carriers.setdefault(product.SupplierId, []).append(product)
    waiting = []
    for company_id, supplier in suppliers.items():
        products = carriers.get(company_id, [])
        if not products:
            waiting.append(supplier["SupplierNumber"])
            continue
        if _push_with_articles(wms, supplier, products, extra, report, catalogue):
            report.updated += 1
    report.details["waiting_for_an_article"] = waiting
    return report


def _push_with_articles(wms, supplier: dict, products: list, extra, report: SyncReport,
                        catalogue: VariantCatalogue | None = None) -> bool:
    pushed = False
    for product in products:
        article = map_article(product, extra=extra)
        if isinstance(article, RecordError):
            report.fail(article)
            continue
        if catalogue is not None:
            article = catalogue.article(product, article)
        result = wms.process_article({**article, "MainSupplier": supplier})
        if result.success:
            pushed = True
        else:
            report.fail(RecordError(key=f"supplier {supplier['SupplierNumber']} via {article['ArticleNumber']}",
                                    message=result.message or "refused"))
    return pushed


def _type_name(value) -> str:
    return getattr(value, "value", value) or ""
