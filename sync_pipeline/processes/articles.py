"""Article registry: 24SevenOffice products -> Ongoing WMS articles (sync/articles.py does the work)."""

from __future__ import annotations

from collections.abc import Sequence

from sync_pipeline.ledger import Kind
from sync_pipeline.mapping import map_article
from sync_pipeline.processes.model import AssetDeclaration, CursorPolicy, Step, SyncProcess
from sync_pipeline.processes.protocols import Erp
from sync_pipeline.processes.selection import ByKeys, Delta, Everything, Selection, Window, ids_of
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.articles import sync_articles, sync_articles_by_id
from sync_pipeline.sync.report import SyncReport


def run(step: Step, selection: Selection) -> SyncReport:
    config = step.config
    if isinstance(selection, ByKeys):
        return sync_articles_by_id(step.erp, step.wms, ids_of(selection), gate=step.gate,
                                   with_suppliers=config.sync_suppliers, extra=config.extra, variants=config.variants)
    window = (selection.start, selection.end) if isinstance(selection, Window) else None
    report = sync_articles(step.erp, step.wms, Cursor(moment=window[0]) if window else step.cursor, gate=step.gate,
                           with_suppliers=config.sync_suppliers, extra=config.extra, variants=config.variants,
                           window=window)
    if window is not None:
        report.cursor = None  # a range's read is not a delta position
    return report


def product_ids_named(erp: Erp, names: Sequence[str]) -> tuple[list[str], list[str]]:
    """The ERP product ids of these article numbers (a name that is no number but an id is taken as the id)."""
    products = erp.products_changed_since(None)
    by_number = {p.No: p.Id for p in products if p.No}
    ids = {str(p.Id) for p in products}
    keys, unknown = [], []
    for name in names:
        if name in by_number:
            keys.append(str(by_number[name]))
        elif name in ids:
            keys.append(name)
        else:
            unknown.append(name)
    return keys, unknown


ARTICLES = SyncProcess(
    name="articles",
    kind=Kind.ARTICLE,
    record_key="the ERP product id (the article number names it for operators)",
    source="24SevenOffice products (GetProducts)",
    target="Ongoing WMS articles (ProcessArticle, CreateOrUpdate by ArticleNumber)",
    mapper=map_article,
    run=run,
    selections=(Delta, Everything, ByKeys, Window),
    named=product_ids_named,
    switches=("sync_articles",),
    cursor=CursorPolicy("articles"),
    asset=AssetDeclaration(
        key="wms_articles",
        group="articles",
        description=(
            "Articles in the warehouse, kept equal to the products in 24SevenOffice. Each run sends the "
            "products changed since the last run (number, name, description, barcode, weight, ERP id) "
            "to Ongoing WMS; a product the warehouse already holds unchanged is not sent again. A product "
            "the warehouse refuses is listed with its number and reason; the others go through."
        ),
    ),
)
