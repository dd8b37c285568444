"""Re-drive from the UI: one record sent again through its process, nothing else touched.

Jobs → redrive_record → Launchpad, config {kind: article|order|supplier|stock, key: ...}. The
record's failure in the ledger is cleared (no longer dead-lettered, attempts from 0), then that
record alone goes through its process with resend on (written even if the ledger thinks the
target has it). Cursors do not move; no other record is read for writing or written.
"""

from typing import Literal

import dagster as dg
from pydantic import Field

from sync_pipeline.assets.articles import variant_rule
from sync_pipeline.assets.orders import order_options
from sync_pipeline.assets.reporting import failures_markdown
from sync_pipeline.assets.runner import RecordingGate
from sync_pipeline.assets.stock import compare_stock
from sync_pipeline.assets.suppliers import suppliers_process
from sync_pipeline.ledger import Kind, LedgerEntry
from sync_pipeline.resources import ErpResource, LedgerResource, WmsResource
from sync_pipeline.settings import load_settings
from sync_pipeline.sync.articles import sync_articles_by_id
from sync_pipeline.sync.orders import LAST_SHIPPED_STATUS, push_orders_by_id, report_shipped_by_id
from sync_pipeline.sync.report import SyncReport


class RedriveConfig(dg.Config):
    kind: Literal["article", "order", "supplier", "stock"] = Field(
        description="article, order, supplier or stock")
    key: str = Field(description="article or stock: the article number (ERP product No) or the ERP product id; "
                                 "order: the ERP order number (OrderId); supplier: the ERP company id")


class RedriveRefused(dg.Failure):
    """The key names no record (said before anything is touched)."""


class _OnlyThisRecord(RecordingGate):
    """The run's gate, without the retries due for other records."""

    def due_retries(self, states=None) -> list[str]:
        return []


class _OneProduct:
    """The ERP client, its full product list narrowed to one product (for the stock comparison)."""

    def __init__(self, erp, product_id: int):
        self._erp, self._id = erp, product_id

    def products_changed_since(self, since):  # the stock comparison reads all products (since=None)
        return self._erp.products([self._id])

    def __getattr__(self, name):
        return getattr(self._erp, name)


class _OneArticle:
    """The WMS client, its inventory narrowed to one article number."""

    def __init__(self, wms, number: str):
        self._wms, self._number = wms, number

    def inventory(self, article_numbers=None, changed_since=None):
        return self._wms.inventory(article_numbers=[self._number], changed_since=changed_since)

    def __getattr__(self, name):
        return getattr(self._wms, name)


class _OneCompany:
    """The ERP client, its changed companies narrowed to one company."""

    def __init__(self, erp, company_id: int):
        self._erp, self._id = erp, company_id

    def companies_changed_since(self, since):
        return self._erp.companies([self._id])

    def __getattr__(self, name):
        return getattr(self._erp, name)


def find_product(erp, key: str):
    """The ERP product whose number (No) is `key`, else whose id is `key`; None if there is none."""
    products = erp.products_changed_since(None)
    by_number = [p for p in products if p.No == key]
    if by_number:
        return by_number[0]
    if key.isdigit():
        return next((p for p in products if p.Id == int(key)), None)
    return None


def _whole_number(config: RedriveConfig) -> int:
    if not config.key.strip().isdigit():
        raise RedriveRefused(f"{config.kind} key {config.key!r}: give the ERP {config.kind} id, a whole number")
    return int(config.key.strip())


def _entry_text(entry: LedgerEntry | None) -> str:
    if entry is None:
        return "not in the ledger"
    text = f"{entry.state}, {entry.attempts} failed attempt(s)"
    if entry.dead:
        text += ", dead-lettered"
    if entry.last_error:
        text += f": {entry.last_error}"
    return text


@dg.op(
    name="redrive_one_record",
    pool="ongoing_writes",
    description="Sends one record again through its process (clearing its dead letter), touching nothing else.",
)
def redrive_record_op(context: dg.OpExecutionContext, config: RedriveConfig, erp: ErpResource, wms: WmsResource,
                      ledger: LedgerResource) -> dg.Output:
    settings = load_settings()
    store = ledger.ledger(home=context.instance.root_directory)
    erp_client, wms_client = erp.client(), wms.client()
    key = config.key.strip()
    if config.kind in ("article", "stock"):
        product = find_product(erp_client, key)
        if product is None:
            raise RedriveRefused(f"{config.kind} {key!r}: no product with that number or id in 24SevenOffice")
        if config.kind == "stock" and not product.No:
            raise RedriveRefused(f"stock {key!r}: product {product.Id} has no number, so no warehouse article")
        kind, ledger_key, label = Kind(config.kind), str(product.Id), f"{product.No} (product {product.Id})"
    else:
        number = _whole_number(config)
        kind, ledger_key, label = Kind(config.kind), str(number), str(number)

    before = store.get(kind, ledger_key)
    redriven = store.redrive(kind, ledger_key)
    with store.run(context.run.run_id) as claims:
        gate = _OnlyThisRecord(store, claims, kind, resend=True)
        if config.kind == "article":
            asset = "wms_articles"
            report = sync_articles_by_id(erp_client, wms_client, [product.Id], gate=gate,
                                         with_suppliers=settings.sync_suppliers, extra=settings.extra_fields_for(),
                                         variants=variant_rule(settings))
        elif config.kind == "stock":
            asset = "stock_snapshot"
            report, _ = compare_stock(settings, _OneProduct(erp_client, product.Id),
                                      _OneArticle(wms_client, product.No), gate)
        elif config.kind == "supplier":
            asset = "wms_suppliers"
            report = suppliers_process(settings, _OneCompany(erp_client, number), wms_client)(gate, None)
            report.cursor = None
        else:
            asset, report = _redrive_order(erp_client, wms_client, number, gate, settings)
    after = store.get(kind, ledger_key)

    outcome = _outcome(report)
    metadata = {
        "record": dg.MetadataValue.text(f"{kind} {label}"),
        "outcome": dg.MetadataValue.text(outcome),
        "was_failing": dg.MetadataValue.bool(redriven),
        "ledger_before": dg.MetadataValue.text(_entry_text(before)),
        "ledger_after": dg.MetadataValue.text(_entry_text(after)),
        **{name: dg.MetadataValue.int(value) for name, value in report.counts().items()},
        "failures": dg.MetadataValue.md(failures_markdown(report)),
    }
    context.log_event(dg.AssetObservation(asset_key=asset, metadata={"redriven": metadata["record"],
                                                                     "outcome": metadata["outcome"],
                                                                     "run": dg.MetadataValue.text(context.run_id)}))
    context.log.info(f"re-drive of {kind} {label}: {outcome}")
    if report.failures:
        raise dg.Failure(description=f"re-drive of {kind} {label} failed: "
                                     + "; ".join(f"{e.key}: {e.message}" for e in report.failures),
                         metadata=metadata)
    return dg.Output(None, metadata=metadata)


def _redrive_order(erp, wms, number: int, gate, settings) -> tuple[str, SyncReport]:
    """Shipped in the WMS: report it to the ERP; otherwise push it to the WMS."""
    options = order_options()
    current = next(iter(wms.orders(order_numbers=[str(number)])), None)
    shipped = current is not None and options.wms_sent_status <= current.OrderStatusNumber <= LAST_SHIPPED_STATUS
    if shipped and settings.sync_report_shipped:
        return "erp_shipped_orders", report_shipped_by_id(erp, wms, [number], options, gate=gate)
    return "wms_orders", push_orders_by_id(erp, wms, [number], options, gate=gate, extra=settings.extra_fields_for())


def _outcome(report: SyncReport) -> str:
    if report.failures:
        return "failed: " + "; ".join(e.message for e in report.failures)
    if report.created:
        return "created"
    if report.updated:
        return "written"
    return "nothing to write: the target already has it"


@dg.job(name="redrive_record", description="Re-drive one record: config {kind: article|order|supplier|stock, key}. "
                                           "Clears its dead letter and sends it again; nothing else is touched.")
def redrive_record_job():
    redrive_record_op()
