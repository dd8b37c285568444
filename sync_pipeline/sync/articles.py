"""Process 1, article registry: ERP products changed since the cursor -> WMS articles."""

from __future__ import annotations

from typing import Iterable, Sequence

from sync_pipeline.mapping import ExtraField, article_key, map_article, map_supplier
from sync_pipeline.mapping.variants import VariantCatalogue, VariantRule
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.cursor import Cursor, CursorBuilder, unseen
from sync_pipeline.sync.report import SyncReport


def sync_articles(erp, wms, cursor: Cursor | None, *, with_suppliers: bool = False,
                  extra: Sequence[ExtraField] = (), variants: VariantRule | None = None) -> SyncReport:
    """Push every product changed since the cursor as a CreateOrUpdate of its WMS article.

    With the supplier registry on, each article carries its main supplier (the WMS takes suppliers
    only inside an article), looked up once per batch from the products' SupplierId.
    With `variants` (SYNC_VARIATIONS on), variants are named under their base (mapping/variants.py),
    and the variants of a changed base are sent again.
    """
    cursor = cursor or Cursor()
    report = SyncReport("articles")
    progress = CursorBuilder(cursor)
    products, report.unchanged = unseen(erp.products_changed_since(cursor.moment), cursor, article_key)
    catalogue = variants.catalogue(erp.products_changed_since(None)) if variants and products else None
    if catalogue is not None:
        products = catalogue.with_variants_of_changed(products)
    suppliers = _suppliers_by_id(erp, products, extra) if with_suppliers else {}
    existing = _existing_articles(wms, products)
    for product in products:
        if _push_article(wms, product, suppliers.get(product.SupplierId), existing, extra, report, catalogue):
            progress.handled(article_key(product), product.DateChanged)
        else:
            progress.passed(product.DateChanged)
    report.cursor = progress.build()
    return report


def _push_article(wms, product, supplier: dict | None, existing: set[str], extra, report: SyncReport,
                  catalogue: VariantCatalogue | None = None) -> bool:
    article = map_article(product, extra=extra)
    if isinstance(article, RecordError):
        report.fail(article)
        return False
    if catalogue is not None:
        article = catalogue.article(product, article)
    if supplier is not None:
        article["MainSupplier"] = supplier
    result = wms.process_article(article)
    if not result.success:
        report.fail(RecordError(key=article["ArticleNumber"], message=result.message or "refused"))
        return False
    if article["ArticleNumber"] in existing:
        report.updated += 1
    else:
        report.created += 1
    return True


def _existing_articles(wms, products: Iterable) -> set[str]:
    numbers = sorted({p.No for p in products if p.No})
    if not numbers:
        return set()
    return {line.ArticleNumber for line in wms.inventory(article_numbers=numbers)}


def _suppliers_by_id(erp, products: Iterable, extra: Sequence[ExtraField]) -> dict[int, dict]:
    ids = sorted({p.SupplierId for p in products if p.SupplierId})
    if not ids:
        return {}
    mapped = {}
    for company in erp.companies(ids):
        supplier = map_supplier(company, extra=extra)
        if not isinstance(supplier, RecordError):
            mapped[company.Id] = supplier
    return mapped
