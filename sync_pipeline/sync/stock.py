"""Process 4, stock balances: WMS stock -> ERP product stock, only where the two differ.

Two guards keep a write from doing harm:
- lost update: just before writing, the ERP's balances are read again; a product whose ERP stock
  is no longer what the comparison saw was changed in between and is left for the next cycle;
- orders in flight: an article on an order that is between the systems (not yet in the WMS, or
  shipped there but not yet reported to the ERP) is held, so its stock does not flap.

sync_stock_changes is the cycle fed by Ongoing's change feed: only the articles with unreported
stock changes are compared, and their changes are marked reported only once the comparison has
concluded for them (equal, or the ERP write recorded). A run that dies before marking reads the same
changes again next time; an article held, changed in the ERP meanwhile or failing keeps its changes
unreported, so it is compared again too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from sync_pipeline.ledger import Kind, State
from sync_pipeline.soap.errors import RecordError, SyncError
from sync_pipeline.stock.diff import StockComparison, compare
from sync_pipeline.stock.frames import Basis, erp_frame, wms_frame
from sync_pipeline.stock.history import StockFrames
from sync_pipeline.stock.snapshot import StockSnapshot
from sync_pipeline.stock.writes import StockWrite, planned_writes
from sync_pipeline.sync.gate import Gate, no_gate
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.writer import Outcome, RecordWriter

if TYPE_CHECKING:
    from sync_pipeline.erp.models import Product
    from sync_pipeline.ledger import Ledger
    from sync_pipeline.processes.protocols import Erp, Wms

IN_FLIGHT_ORDER_STATES = (State.PENDING, State.ERROR, State.SHIPPED)


def sync_stock(erp: Erp, wms: Wms, basis: Basis = "physical", *, gate: Gate | None = None,
               held_products: Iterable[int] = (), product_ids: Sequence[int] | None = None,
               ) -> tuple[SyncReport, StockSnapshot]:
    """Compare every WMS balance with its ERP product and write only the differing ones.

    Products marked as not stock-controlled in the ERP keep no stock there and are left out.
    Ledger key: the ERP product id. product_ids: compare only these products (an operator's re-drive).
    """
    gate = gate or no_gate(Kind.STOCK)
    report = SyncReport("stock")
    read = erp.products(list(product_ids)) if product_ids is not None else erp.products_changed_since(None)
    products = [p for p in read if p.StockControlled is not False]
    if product_ids is None:
        inventory = wms.inventory()
    else:
        numbers = sorted({p.No for p in products if p.No})
        inventory = wms.inventory(article_numbers=numbers) if numbers else []
    wms, erp_stock = wms_frame(inventory, basis), erp_frame(products)
    comparison = compare(wms, erp_stock)
    report.unchanged = comparison.unchanged
    _report_unusable(comparison, report)
    planned = planned_writes(comparison)
    _settle_earlier_failures(gate, products, comparison, planned, report)
    writes = _not_held(planned, set(held_products), report)
    writes = _still_as_compared(erp, writes, report)
    admission = gate.admit({str(w.product_id): None for w in writes})
    report.note_admission(admission)
    allowed = set(admission.keys)
    writer = RecordWriter(gate, report)
    for write in writes:
        if str(write.product_id) not in allowed:
            continue
        outcome = writer.write(str(write.product_id), write.article_number, {"Stock": str(write.quantity)},
                               lambda: erp.set_stock_quantity(write.product_id, write.quantity),
                               check_unchanged=False)
        if outcome is Outcome.WRITTEN:
            report.updated += 1
    return report, StockSnapshot.from_comparison(comparison, basis=basis,
                                                 frames=StockFrames(wms, erp_stock, comparison))


def sync_stock_changes(erp: Erp, wms: Wms, basis: Basis = "physical", *, gate: Gate | None = None,
                       held_products: Iterable[int] = ()) -> tuple[SyncReport, StockSnapshot]:
    """Compare the articles in the WMS change feed only; mark their changes reported once concluded."""
    changes = wms.inventory_changes()
    product_ids = sorted({int(c.ProductCode) for c in changes if c.ProductCode and c.ProductCode.isdigit()})
    report, snapshot = sync_stock(erp, wms, basis, gate=gate, held_products=held_products, product_ids=product_ids)
    unsettled = _unsettled_keys(report)
    settled = [c for c in changes if not ({c.ArticleNumber, c.ProductCode} & unsettled)]
    reported, left = 0, []
    for change in settled:
        try:
            for inventory_id in change.InventoryIds:
                wms.set_inventory_changes_to_reported(change.ArticleSystemId, inventory_id)
            reported += 1
        except SyncError as error:  # left unreported: the next cycle compares the article again
            left.append(f"{change.ArticleNumber}: {error}")
    report.details["stock_changes_read"] = len(changes)
    report.details["stock_changes_reported"] = reported
    if left:
        report.details["stock_changes_left_unreported"] = left
    return report, snapshot


def _unsettled_keys(report: SyncReport) -> set[str | None]:
    """Product ids and article numbers the comparison did not conclude on: failed, held, skipped."""
    keys: set[str | None] = {failure.key for failure in report.failures}
    for name, value in report.details.items():
        if name != "earlier_failures_settled" and isinstance(value, list):
            keys |= {str(entry) for entry in value}
    return keys


def in_flight_products(erp: Erp, ledger: Ledger | None) -> set[int]:
    """Products on orders between the systems: pushed but failed, or shipped but not yet reported."""
    if ledger is None:
        return set()
    order_ids = [int(k) for k in ledger.keys_in_states(Kind.ORDER, IN_FLIGHT_ORDER_STATES) if k.isdigit()]
    if not order_ids:
        return set()
    return {row.ProductId for order in erp.orders(order_ids) for row in order.InvoiceRows if row.ProductId}


def _report_unusable(comparison: StockComparison, report: SyncReport) -> None:
    """Articles left alone because a side's record is unreadable or repeated: one error each, naming the field."""
    for row in comparison.invalid.itertuples(index=False):
        key = row.article_number or "(no article number)"
        report.fail(RecordError(key=key, field=_unreadable_field(row.side, row.error),
                                message=f"{'Ongoing WMS' if row.side == 'wms' else '24SevenOffice'}: {row.error}; "
                                        "its stock is not written"))
    for row in comparison.duplicates.itertuples(index=False):
        report.fail(RecordError(key=row.article_number, field="No" if row.erp_count > 1 else "ArticleNumber",
                                message=f"the article number appears more than once (24SevenOffice {row.erp_count}, "
                                        f"Ongoing WMS {row.wms_count} times); its stock is not written"))


def _unreadable_field(side: str, error: str) -> str:
    if "article number" in error:
        return "ArticleNumber" if side == "wms" else "No"
    if side == "wms":
        return "NumberOfItems"
    return "Id" if "Id" in error else "Stock"


def _settle_earlier_failures(gate: Gate, products: list[Product], comparison: StockComparison, planned: list[StockWrite],
                             report: SyncReport) -> None:
    """Clear the ledger failures of products whose balances agree now.

    Stock is compared in full on every cycle, so a failed write is not retried by itself: the next
    comparison either plans it again or finds the balances equal (the write landed and only its
    reply was lost, or the stock moved there since). In the second case the failure is moot, and
    left in the ledger it would stay "failing" for operators to chase.
    """
    if gate.ledger is None or gate.run is None:
        return
    failing = set(gate.ledger.failing(Kind.STOCK))
    if not failing:
        return
    ids_by_number = {p.No: str(p.Id) for p in products}
    unsettled = {str(w.product_id) for w in planned} | {str(i) for i in comparison.only_in_erp["product_id"]}
    unsettled |= {ids_by_number[n] for n in (*comparison.duplicates["article_number"],
                                             *comparison.invalid["article_number"]) if n in ids_by_number}
    agreeing = (failing & {str(p.Id) for p in products}) - unsettled
    settled = sorted(gate.run.claim(Kind.STOCK, agreeing)) if agreeing else []
    for key in settled:
        gate.succeeded(key)
    if settled:
        report.details["earlier_failures_settled"] = settled


def _not_held(writes: list[StockWrite], held: set[int], report: SyncReport) -> list[StockWrite]:
    kept = [w for w in writes if w.product_id not in held]
    if len(kept) < len(writes):
        report.details["held_for_orders_in_flight"] = [w.article_number for w in writes if w.product_id in held]
    return kept


def _still_as_compared(erp: Erp, writes: list[StockWrite], report: SyncReport) -> list[StockWrite]:
    if not writes:
        return writes
    now = {p.Id: p.Stock for p in erp.products([w.product_id for w in writes])}
    kept = [w for w in writes if now.get(w.product_id) == w.expected_erp_quantity]
    if len(kept) < len(writes):
        report.details["changed_in_erp_meanwhile"] = [w.article_number for w in writes if w not in kept]
    return kept
