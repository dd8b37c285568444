"""Process 1, article registry: ERP products changed since the cursor -> WMS articles.

Ledger key: the ERP product id (stable when a product's number changes); the article number names
the record for operators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from sync_pipeline.ledger import Kind
from sync_pipeline.mapping import ExtraField, article_key, map_article, map_supplier
from sync_pipeline.mapping.variants import VariantCatalogue, VariantRule
from sync_pipeline.soap.errors import RecordError, SyncError
from sync_pipeline.sync.cursor import Cursor, CursorBuilder, Window, in_window, unseen
from sync_pipeline.sync.gate import Gate, admit_records, fetch_due_retries, no_gate, version_of
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.writer import Outcome, RecordWriter
from sync_pipeline.wms.back_to_back import Finished
from sync_pipeline.wms.held import article_holding
from sync_pipeline.wms.write_calls import article_write

if TYPE_CHECKING:
    from sync_pipeline.erp.models import Product
    from sync_pipeline.processes.protocols import Erp, Wms
    from sync_pipeline.wms.models import InventoryLine

    # What an article's write is submitted with: the product, the article, whether the warehouse held it.
    ArticleToken = tuple[Product, dict[str, Any], bool]

WRITES_QUEUED = 32  # article writes waiting for the WMS at most (as orders: sync/orders.py)
FIRST_BATCH = 50  # products whose articles are read and written first: the first write leaves early
BATCH = 1000  # then the warehouse's articles are read this many at a time (one inventory page)
CLAIMED_AT_ONCE = BATCH  # products claimed in the ledger at a time (see _admitted_batches)


def sync_articles(erp: Erp, wms: Wms, cursor: Cursor | None, *, gate: Gate | None = None, with_suppliers: bool = False,
                  extra: Sequence[ExtraField] = (), variants: VariantRule | None = None,
                  window: Window | None = None) -> SyncReport:
    """Push every product changed since the cursor, or due for a retry, as a CreateOrUpdate of its article.

    With the supplier registry on, each article carries its main supplier (the WMS takes suppliers
    only inside an article), looked up once per batch from the products' SupplierId.
    With `variants` (SYNC_VARIATIONS on), variants are named under their base (mapping/variants.py),
    and the variants of a changed base are sent again. window: only the products changed in it (the
    cursor then only says where to start reading). An empty cursor reads the catalogue in pages
    (Erp.product_pages): writing starts after the first, and the cursor stops where the listing did.
    """
    gate = gate or no_gate(Kind.ARTICLE)
    cursor = cursor or Cursor()
    report = SyncReport("articles")
    progress = CursorBuilder(cursor)
    read = erp.product_pages(cursor.moment)
    progress.held(read.listed_up_to)
    pages = _fresh_pages(read.pages, cursor, window, report, gate, erp)
    report.cursor = _push_products(erp, wms, pages, gate, report, progress, with_suppliers, extra, variants)
    return report


def _fresh_pages(pages: Iterable[list[Product]], cursor: Cursor, window: Window | None, report: SyncReport,
                 gate: Gate, erp: Erp) -> Iterator[list[Product]]:
    """The pages' products the cursor has not handled (in the window, if any), then those due a retry
    that are not among them."""
    taken: list[str] = []
    for page in pages:
        fresh, unchanged = unseen(in_window(page, window), cursor, article_key)
        report.unchanged += unchanged
        taken.extend(str(p.Id) for p in fresh)
        yield fresh
    yield fetch_due_retries(gate, taken, str, erp.products)


def sync_articles_by_id(erp: Erp, wms: Wms, ids: Sequence[int], *, gate: Gate | None = None, with_suppliers: bool = False,
                        extra: Sequence[ExtraField] = (), variants: VariantRule | None = None) -> SyncReport:
    """Push these products (ERP ids) now, whatever the cursor says: an operator's re-drive of one article.

    The report has no cursor: the delta cursor does not move. An id the ERP does not know is a failure.
    """
    gate = gate or no_gate(Kind.ARTICLE)
    report = SyncReport("articles")
    products = erp.products(list(ids)) if ids else []
    found = {p.Id for p in products}
    for missing in (i for i in ids if i not in found):
        report.fail(RecordError(key=f"Product Id {missing}", message="not found in 24SevenOffice"))
    _push_products(erp, wms, [products], gate, report, CursorBuilder(None), with_suppliers, extra, variants)
    return report


def _push_products(erp: Erp, wms: Wms, pages: Iterable[list[Product]], gate: Gate, report: SyncReport,
                   progress: CursorBuilder, with_suppliers: bool, extra: Sequence[ExtraField],
                   variants: VariantRule | None) -> Cursor:
    """Write the products' articles back to back, as orders go (wms/back_to_back.py): each end is recorded,
    and the next page's products, the next batch's suppliers and warehouse articles read, while the
    writes before are on the wire."""
    catalogue = None
    if variants:  # variants are named from the whole catalogue, and a changed base sends its variants again
        products = [product for page in pages for product in page]
        catalogue = variants.catalogue(erp.products_changed_since(None)) if products else None
        pages = [catalogue.with_variants_of_changed(products) if catalogue else products]
    pusher = _ArticlePusher(wms, RecordWriter(gate, report), progress)
    with wms.back_to_back(window=WRITES_QUEUED) as writes:
        for batch in _admitted_batches(gate, pages, report, progress):
            suppliers = _suppliers_by_id(erp, batch, extra) if with_suppliers else {}
            existing = held_articles(wms, batch)
            for product in batch:
                supplier = suppliers.get(product.SupplierId) if product.SupplierId is not None else None
                article = _article_to_push(pusher.writer, product, supplier, existing, extra, catalogue)
                if isinstance(article, Outcome):
                    pusher.moved_past(product, article)
                else:
                    writes.submit((product, article, article["ArticleNumber"] in existing), article_write(article))
                pusher.finish(writes.finished())
        pusher.finish(writes.drain())
    return progress.build()


def _admitted_batches(gate: Gate, pages: Iterable[list[Product]], report: SyncReport,
                      progress: CursorBuilder) -> Iterator[list[Product]]:
    """The products this run may write, in batches: FIRST_BATCH first, so the first write leaves soon; then up
    to BATCH each.

    They are claimed CLAIMED_AT_ONCE at a time, not per batch: a claim costs the ledger three transactions
    whatever its size, and claiming a whole initial load before its first write would leave the write slot
    idle meanwhile (100,000 articles take 10-30 s to claim). Each later claim is taken while the writes
    before it are on the wire.
    """
    first = FIRST_BATCH
    for products in pages:
        for start in range(0, len(products), CLAIMED_AT_ONCE):
            admitted = admit_records(gate, products[start:start + CLAIMED_AT_ONCE], lambda p: str(p.Id), report,
                                     progress)
            yield from (admitted[i:i + size] for i, size in _spans(len(admitted), first))
            first = BATCH


def _spans(length: int, first: int) -> Iterator[tuple[int, int]]:
    start, size = 0, first
    while start < length:
        yield start, size
        start, size = start + size, BATCH


def _article_to_push(writer: RecordWriter, product: Product, supplier: dict[str, Any] | None,
                     existing: dict[str, InventoryLine], extra: Sequence[ExtraField],
                     catalogue: VariantCatalogue | None) -> dict[str, Any] | Outcome:
    """The article to write, or the outcome of a product that is not written (failed or unchanged)."""
    key, version = str(product.Id), version_of(product.DateChanged)
    article = map_article(product, extra=extra)
    if isinstance(article, RecordError):
        writer.fail(key, article, version=version)
        return Outcome.FAILED
    if catalogue is not None:
        article = catalogue.article(product, article)
    if supplier is not None:
        article["MainSupplier"] = supplier
    holding = article_holding(article, existing.get(article["ArticleNumber"]))
    return article if writer.needs_write(key, article, holding) else Outcome.UNCHANGED


class _ArticlePusher:
    """Records the ends of article writes and moves the cursor past each product."""

    def __init__(self, wms: Wms, writer: RecordWriter, progress: CursorBuilder):
        self.wms, self.writer, self.progress = wms, writer, progress

    def finish(self, ends: Iterable[Finished[ArticleToken]]) -> None:
        for end in ends:
            self.moved_past(end.token[0], self._written(end))

    def moved_past(self, product: Product, outcome: Outcome) -> None:
        if outcome is Outcome.FAILED:
            self.progress.passed(product.DateChanged)
        else:
            self.progress.handled(article_key(product), product.DateChanged)

    def _written(self, end: Finished[ArticleToken]) -> Outcome:
        """Record one write's end; a failure worth repeating is repeated first (the writes behind it go on)."""
        product, article, held = end.token
        result, error = end.result, end.error
        if error is not None and error.retryable:
            try:
                result, error = self.wms.repeat_write(end.call, error), None
            except SyncError as exc:
                result, error = None, exc
        outcome = self.writer.record(str(product.Id), article["ArticleNumber"], article, result, error,
                                     version=version_of(product.DateChanged),
                                     wms_id=lambda written: written.article_def_id)
        if outcome is Outcome.WRITTEN:
            if held:
                self.writer.report.updated += 1
            else:
                self.writer.report.created += 1
        return outcome


def held_articles(wms: Wms, products: Iterable[Product]) -> dict[str, InventoryLine]:
    """The warehouse's articles of these products, as it shows them, by article number."""
    numbers = sorted({p.No for p in products if p.No})
    if not numbers:
        return {}
    return {line.ArticleNumber: line for line in wms.inventory(article_numbers=numbers)
            if line.ArticleNumber is not None}


def _suppliers_by_id(erp: Erp, products: Iterable[Product], extra: Sequence[ExtraField]) -> dict[int, dict[str, Any]]:
    ids = sorted({p.SupplierId for p in products if p.SupplierId})
    if not ids:
        return {}
    mapped: dict[int, dict[str, Any]] = {}
    for company in erp.companies(ids):
        supplier = map_supplier(company, extra=extra)
        if company.Id is not None and not isinstance(supplier, RecordError):
            mapped[company.Id] = supplier
    return mapped
