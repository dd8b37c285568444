"""Process 3, supplier registry: ERP companies of type Supplier -> WMS suppliers.

Ongoing's WSI has no ProcessSupplier: a supplier is created or updated only as the MainSupplier of
an article. So a changed supplier is pushed by re-sending each article whose ERP product names it
(SupplierId). A supplier no product references cannot reach the WMS yet; it is counted as waiting
and goes out with its first article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from sync_pipeline.erp.models import service_text
from sync_pipeline.ledger import Kind
from sync_pipeline.mapping import ExtraField, map_article, map_supplier, supplier_key
from sync_pipeline.mapping.variants import VariantCatalogue, VariantRule
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.articles import held_articles
from sync_pipeline.sync.cursor import Cursor, CursorBuilder, Window, in_window, unseen
from sync_pipeline.sync.gate import Gate, admit_records, fetch_due_retries, no_gate, version_of
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.writer import Outcome, RecordWriter
from sync_pipeline.wms.held import Holding, supplier_holding

if TYPE_CHECKING:
    from sync_pipeline.erp.models import Company, Product
    from sync_pipeline.processes.protocols import Erp, Wms

SUPPLIER_TYPE = "Supplier"


def sync_suppliers(erp: Erp, wms: Wms, cursor: Cursor | None, *, gate: Gate | None = None,
                   extra: Sequence[ExtraField] = (), variants: VariantRule | None = None,
                   window: Window | None = None) -> SyncReport:
    """`variants`: as for sync_articles, so that re-sent variant articles keep their names; `window` too.

    Ledger key: the ERP company id; a supplier the warehouse holds unchanged is not sent again.
    """
    cursor = cursor or Cursor()
    return _sync_companies(erp, wms, in_window(erp.companies_changed_since(cursor.moment), window), cursor, gate,
                           extra, variants)


def sync_suppliers_by_id(erp: Erp, wms: Wms, ids: Sequence[int], *, gate: Gate | None = None,
                         extra: Sequence[ExtraField] = (), variants: VariantRule | None = None) -> SyncReport:
    """Push these suppliers (ERP company ids) now, whatever the cursor says: an operator's re-drive.

    The report has no cursor: the delta cursor does not move.
    """
    report = _sync_companies(erp, wms, erp.companies(list(ids)) if ids else [], Cursor(), gate, extra, variants)
    report.cursor = None
    return report


def _sync_companies(erp: Erp, wms: Wms, read: list[Company], cursor: Cursor, gate: Gate | None, extra: Sequence[ExtraField],
                    variants: VariantRule | None) -> SyncReport:
    gate = gate or no_gate(Kind.SUPPLIER)
    report = SyncReport("suppliers")
    progress = CursorBuilder(cursor)
    companies = [c for c in read if service_text(c.Type) == SUPPLIER_TYPE]
    changed, report.unchanged = unseen(companies, cursor, supplier_key)
    changed += fetch_due_retries(gate, changed, supplier_key, erp.companies)
    changed = admit_records(gate, changed, supplier_key, report, progress)
    writer = RecordWriter(gate, report)
    outcomes: dict[int | None, Outcome] = {}
    suppliers: dict[int | None, tuple[dict[str, Any], str | None]] = {}
    for company in changed:
        supplier = map_supplier(company, extra=extra)
        if isinstance(supplier, RecordError):
            writer.fail(supplier_key(company), supplier, version=version_of(company.DateChanged))
            outcomes[company.Id] = Outcome.FAILED
        else:
            suppliers[company.Id] = (supplier, version_of(company.DateChanged))
    carriers, catalogue = _carriers(erp, suppliers, variants) if suppliers else ({}, None)
    held = held_articles(wms, [p for products in carriers.values() for p in products])
    waiting = []
    for company_id, (supplier, version) in suppliers.items():
        products = carriers.get(company_id, []) if company_id is not None else []
        if not products:
            waiting.append(supplier["SupplierNumber"])  # goes out with its first article
            outcomes[company_id] = Outcome.UNCHANGED
            continue
        shown = [held[p.No] for p in products if p.No in held]
        holding = supplier_holding(supplier, shown) if len(shown) == len(products) else Holding.ABSENT
        outcomes[company_id] = writer.write(
            str(company_id), f"supplier {supplier['SupplierNumber']}", supplier,
            lambda: _push_with_articles(wms, supplier, products, extra, report, catalogue), version=version,
            holding=holding)
        if outcomes[company_id] is Outcome.WRITTEN:
            report.updated += 1
    for company in changed:
        if outcomes[company.Id] is Outcome.FAILED:
            progress.passed(company.DateChanged)
        else:
            progress.handled(supplier_key(company), company.DateChanged)
    report.cursor = progress.build()
    report.details["waiting_for_an_article"] = waiting
    return report


def _carriers(erp: Erp, suppliers: Mapping[int | None, object],
              variants: VariantRule | None) -> tuple[dict[int, list[Product]], VariantCatalogue | None]:
    """The products naming each supplier (the articles that can carry it into the WMS), and the variant
    catalogue that names those articles."""
    products = erp.products_changed_since(None)
    carriers: dict[int, list[Product]] = {}
    for product in products:
        if product.SupplierId is not None and product.SupplierId in suppliers:
            carriers.setdefault(product.SupplierId, []).append(product)
    return carriers, variants.catalogue(products) if variants else None


def _push_with_articles(wms: Wms, supplier: dict[str, Any], products: list[Product], extra: Sequence[ExtraField],
                        report: SyncReport, catalogue: VariantCatalogue | None = None) -> RecordError | None:
    """Send the supplier inside each of its articles; it reached the WMS if one was accepted."""
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
    if pushed:
        return None
    return RecordError(key=f"supplier {supplier['SupplierNumber']}", message="no article carrying it was accepted")
