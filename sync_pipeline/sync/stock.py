"""Process 4, stock balances: WMS stock -> ERP product stock, only where the two differ.

Two guards keep a write from doing harm:
- lost update: just before writing, the ERP's balances are read again; a product whose ERP stock
  is no longer what the comparison saw was changed in between and is left for the next cycle;
- orders in flight: an article on an order that is between the systems (not yet in the WMS, or
  shipped there but not yet reported to the ERP) is held, so its stock does not flap.

sync_stock_changes is the delta cycle of SYNC_STOCK_CHANGE_FEED: it reads only the articles whose stock
information changed in the warehouse since its cursor (GetInventoryByQuery with StockInfoChangedFrom: every
kind of stock change, picks and receipts included) and compares those. The next cursor is the moment the
read began, less the clock-skew margin, and is saved only once the run returns, i.e. once every
comparison concluded: a run that dies anywhere reads again from the old cursor.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from sync_pipeline.ledger import Kind, State
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.stock.diff import StockComparison, compare
from sync_pipeline.stock.frames import Basis, erp_frame, wms_frame
from sync_pipeline.stock.history import StockFrames
from sync_pipeline.stock.snapshot import StockSnapshot
from sync_pipeline.stock.writes import StockWrite, planned_writes
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.gate import Gate, no_gate
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.writer import Outcome, RecordWriter

if TYPE_CHECKING:
    from sync_pipeline.erp.models import Product
    from sync_pipeline.ledger import Ledger
    from sync_pipeline.processes.protocols import Erp, Wms
    from sync_pipeline.wms.models import InventoryLine

IN_FLIGHT_ORDER_STATES = (State.PENDING, State.ERROR, State.SHIPPED)
CLOCK_SKEW = timedelta(minutes=1)  # as the other cursors on the warehouse's clock (sync/shipped.py, sync/returns.py)
# Ongoing refuses a StockInfoChangedFrom more than 24 hours back; a cursor older than this is replaced
# by a full comparison, which starts a new one.
FEED_REACH = timedelta(hours=23)
# Report details (the asset's metadata) of a change-feed cycle.
CHANGES_READ = "stock_changes_read"  # articles the warehouse says changed since the cursor
CHANGES_FROM = "stock_changes_from"  # the cursor the read started from
COMPARED_AGAIN = "stock_compared_again"  # products left unconcluded by the last cycle, compared again
LEFT_FOR_NEXT_CYCLE = "stock_left_for_next_cycle"  # products this cycle did not conclude on
FULL_COMPARISON = "stock_changes_full_comparison"  # why this feed cycle compared everything


def sync_stock(erp: Erp, wms: Wms, basis: Basis = "physical", *, gate: Gate | None = None,
               held_products: Iterable[int] = (), product_ids: Sequence[int] | None = None,
               ) -> tuple[SyncReport, StockSnapshot]:
    """Compare every WMS balance with its ERP product and write only the differing ones.

    Products marked as not stock-controlled in the ERP keep no stock there and are left out.
    Ledger key: the ERP product id. product_ids: compare only these products (an operator's re-drive).
    """
    if product_ids is None:
        products = _stock_controlled(erp.products_changed_since(None))
        inventory: Iterable[InventoryLine] = wms.inventory()
    else:
        products = _stock_controlled(erp.products(list(product_ids)))
        inventory = _inventory_of(wms, products, [])
    return _compare_and_write(erp, products, inventory, basis, gate or no_gate(Kind.STOCK), held_products)


def sync_stock_changes(erp: Erp, wms: Wms, cursor: Cursor | None, basis: Basis = "physical", *,
                       gate: Gate | None = None, held_products: Iterable[int] = (),
                       now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                       ) -> tuple[SyncReport, StockSnapshot]:
    """Compare the articles whose stock changed in the warehouse since `cursor`, and the ones the last
    cycle left unconcluded; the report's cursor is where the next cycle reads from.

    The cursor's `again` holds the product ids left unconcluded (held for an order in flight, changed in
    the ERP meanwhile, failed, claimed by another run): they changed before the new moment, so the feed
    would not give them again. Without a cursor, or with one too old for the service, everything is
    compared (as the first cycle after switching the feed on does). now: this machine's clock.
    """
    started = now()
    carried = {int(key) for key in (cursor.again if cursor else ()) if key.isdigit()}
    moment = cursor.moment if cursor else None
    if moment is None or moment < started - FEED_REACH:
        products = _stock_controlled(erp.products_changed_since(None))
        report, snapshot = _compare_and_write(erp, products, wms.inventory(), basis, gate or no_gate(Kind.STOCK),
                                              held_products)
        report.details[FULL_COMPARISON] = ("no cursor yet" if moment is None
                                           else f"the cursor ({moment.isoformat()}) is older than the service reaches")
    else:
        changed = list(wms.inventory(changed_since=moment))
        ids = sorted({int(line.ProductCode) for line in changed if line.ProductCode and line.ProductCode.isdigit()}
                     | carried)
        products = _stock_controlled(erp.products(ids)) if ids else []
        report, snapshot = _compare_and_write(erp, products, _inventory_of(wms, products, changed), basis,
                                              gate or no_gate(Kind.STOCK), held_products)
        report.details[CHANGES_READ] = len(changed)
        report.details[CHANGES_FROM] = moment.isoformat()
        if carried:
            report.details[COMPARED_AGAIN] = len(carried)
    left = _unconcluded(report, products)
    if left:
        report.details[LEFT_FOR_NEXT_CYCLE] = len(left)
    report.cursor = Cursor(moment=started - CLOCK_SKEW, again=tuple(str(i) for i in sorted(left)))
    return report, snapshot


def _stock_controlled(products: Iterable[Product]) -> list[Product]:
    return [p for p in products if p.StockControlled is not False]


def _inventory_of(wms: Wms, products: list[Product], read: list[InventoryLine]) -> list[InventoryLine]:
    """The warehouse's lines of these products: those already `read`, the others read by article number."""
    numbers = {p.No for p in products if p.No}
    have = [line for line in read if line.ArticleNumber in numbers]
    missing = sorted(numbers - {line.ArticleNumber for line in have})
    return have + (list(wms.inventory(article_numbers=missing)) if missing else [])


def _compare_and_write(erp: Erp, products: list[Product], inventory: Iterable[InventoryLine], basis: Basis,
                       gate: Gate, held_products: Iterable[int]) -> tuple[SyncReport, StockSnapshot]:
    report = SyncReport("stock")
    wms_stock, erp_stock = wms_frame(inventory, basis), erp_frame(products)
    comparison = compare(wms_stock, erp_stock)
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
                                                 frames=StockFrames(wms_stock, erp_stock, comparison))


def _unconcluded(report: SyncReport, products: list[Product]) -> set[int]:
    """The products this comparison did not conclude on: failed, held, changed meanwhile, claimed elsewhere.

    Dead-lettered ones are not among them: an operator re-drives those (failed_records).
    """
    keys: set[str | None] = {failure.key for failure in report.failures}
    for name, value in report.details.items():
        if name not in ("earlier_failures_settled", "dead") and isinstance(value, list):
            keys |= {str(entry) for entry in value}
    return {p.Id for p in products if p.Id is not None and (str(p.Id) in keys or (p.No and p.No in keys))}


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
