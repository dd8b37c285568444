"""Process 2, sales orders: ERP orders in the pull status -> WMS orders (shipped ones back: sync/shipped.py).

Orders are pushed with CreateOrUpdate under their ERP order number, so pushing one again (a retry
after a timeout, an overlapping run) updates the same WMS order and never creates a second one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from sync_pipeline.erp.client import id_chunks
from sync_pipeline.erp.models import service_text
from sync_pipeline.ledger import Kind, Stage, State
from sync_pipeline.mapping import ExtraField, map_order, needs_company, order_key
from sync_pipeline.mapping.order import DeliveryNames, left_out_rows
from sync_pipeline.soap.errors import RecordError, SyncError
from sync_pipeline.sync.cursor import Cursor, CursorBuilder, Window, in_window, unseen
from sync_pipeline.sync.customs import CustomsCheck
from sync_pipeline.sync.gate import Gate, admit_records, fetch_due_retries, no_gate, version_of
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.writer import Outcome, Progress, RecordWriter
from sync_pipeline.wms.back_to_back import Finished
from sync_pipeline.wms.held import order_holding
from sync_pipeline.wms.write_calls import order_write

if TYPE_CHECKING:
    from sync_pipeline.erp.models import Company, InvoiceOrder
    from sync_pipeline.processes.protocols import Erp, Wms, WriteQueue
    from sync_pipeline.wms.models import WmsOrder

    # What an order's write is submitted with: the order, its WMS payload, its WMS status before.
    PushToken = tuple[InvoiceOrder, dict[str, Any], int | None]

FIRST_LOCKED_STATUS = 300  # from Released on, the warehouse refuses changes to an order
# A failure at these stages retries the push: before the warehouse ever took the order, or an update of one
# it holds (its run's cursor moved past it, so only the retry brings the change there). From shipped on,
# a failure is the shipped report's (sync/shipped.py).
PUSH_STAGES = (State.PENDING.value, State.ERROR.value, State.SENT.value)
FIRST_BATCH = 50  # orders read before the first write: enough to keep the writes going while the rest is read
WRITES_QUEUED = 32  # writes waiting for the WMS at most: about as many as are written while a batch is read
ROWS_LEFT_OUT = "rows_left_out"  # report detail: order -> its rows without a product, not sent as lines
FREIGHT_AS_DELIVERY = "way_of_delivery_from_freight_row"  # report detail: order -> the freight text used


@dataclass(frozen=True)
class OrderOptions:
    pull_status: str = "Confirmed"
    imported_status: str | None = None  # ERP status to set once the WMS has the order; None = off
    wms_sent_status: int = 450
    shipped_status: str = "OrderState_Sent"
    customs_area: frozenset[str] = frozenset()  # SYNC_CUSTOMS_AREA: export orders wait for customs data (sync/customs.py)
    # A row without a product whose text matches (case-insensitive regular expression) is a freight
    # row: its text becomes the way of delivery of an order without one. None = off.
    freight_row_pattern: str | None = None
    way_of_delivery_names: DeliveryNames = "erp"  # whose names ways of delivery keep: the ERP's or the warehouse's

    def freight_rows(self) -> re.Pattern[str] | None:
        return re.compile(self.freight_row_pattern, re.IGNORECASE) if self.freight_row_pattern else None


def push_orders(erp: Erp, wms: Wms, cursor: Cursor | None, options: OrderOptions, *, gate: Gate | None = None,
                extra: Sequence[ExtraField] = (), window: Window | None = None) -> SyncReport:
    """Push every order in the pull status changed since the cursor, or due for a retry.

    window (start, end): only the orders whose DateChanged is in [start, end) (one day's resync).

    Ledger key: the ERP order id. An order the WMS already holds in exactly this version is not
    pushed again; one the warehouse has started working on (status 300 on) is left alone. The
    orders are read in batches, a small one first, so the first writes go out while the rest is read.
    """
    gate = gate or no_gate(Kind.ORDER)
    cursor = cursor or Cursor()
    report = SyncReport("orders")
    pusher = _Pusher(erp, wms, options, gate, report, CursorBuilder(cursor), extra)
    pull = (options.pull_status,)
    recent = erp.orders_in_one_read(cursor.moment, pull)  # a run soon after the last: one request
    if recent is not None:
        changed = [o.OrderId for o in recent if o.OrderId is not None]
        batches: Iterable[tuple[list[InvoiceOrder], dict[str, WmsOrder] | None]] = [(recent, None)]
    else:
        changed = erp.order_ids_changed_since(cursor.moment)
        batches = _with_warehouse_copies(erp, wms, changed, pull)
    retry_ids = fetch_due_retries(gate, changed, str, list, PUSH_STAGES)  # their ids: read below, in batches
    with wms.back_to_back(window=WRITES_QUEUED) as writes:
        for batch, copies in batches:
            fresh, seen = unseen(in_window(batch, window), cursor, order_key)
            report.unchanged += seen
            pusher.push(fresh, writes, copies)
        for batch in erp.order_batches(retry_ids, pull):
            pusher.push(in_window(batch, window), writes)
        pusher.finish(writes.drain())
    report.cursor = pusher.progress.build()
    return report


def push_orders_by_id(erp: Erp, wms: Wms, ids: Sequence[int], options: OrderOptions, *, gate: Gate | None = None,
                      extra: Sequence[ExtraField] = ()) -> SyncReport:
    """Push these ERP orders now, whatever the cursor says: an operator's re-drive or resync of one order.

    Only orders in the pull status go; another is reported as failed with its status. The report
    has no cursor: the delta cursor does not move.
    """
    gate = gate or no_gate(Kind.ORDER)
    report = SyncReport("orders")
    orders = erp.orders(list(ids)) if ids else []
    found = {o.OrderId for o in orders}
    for missing in (i for i in ids if i not in found):
        report.fail(RecordError(key=str(missing), message="not found in 24SevenOffice"))
    pull = service_text(options.pull_status)
    for order in orders:
        if order.APIException is None and service_text(order.OrderStatus) != pull:
            report.fail(RecordError(key=order_key(order), field="OrderStatus",
                                    message=f"is {service_text(order.OrderStatus)}, not {pull}: not pushed"))
    pusher = _Pusher(erp, wms, options, gate, report, CursorBuilder(None), extra)
    with wms.back_to_back() as writes:
        pusher.push([o for o in orders if o.APIException is not None or service_text(o.OrderStatus) == pull], writes)
        pusher.finish(writes.drain())
    return report


class _Pusher:
    """Pushes batches of orders through one chain of back-to-back writes, recording each end."""

    def __init__(self, erp: Erp, wms: Wms, options: OrderOptions, gate: Gate, report: SyncReport, progress: CursorBuilder,
                 extra: Sequence[ExtraField]):
        self.erp, self.wms, self.options, self.extra = erp, wms, options, extra
        self.gate, self.progress = gate, progress
        self.writer = RecordWriter(gate, report)
        self.customs = CustomsCheck(erp, wms, options.customs_area)
        self.freight_rows = options.freight_rows()
        self.delivery_names = options.way_of_delivery_names

    def push(self, orders: list[InvoiceOrder], writes: WriteQueue, copies: dict[str, WmsOrder] | None = None) -> None:
        """Push the orders the gate admits, oldest change first; the ends that come in meanwhile are recorded.

        copies: the warehouse's copies of these orders, read already (else they are read here).
        """
        orders = admit_records(self.gate, orders, order_key, self.writer.report, self.progress)
        companies = _contact_fallbacks(self.erp, orders)
        existing = copies if copies is not None else _existing_orders(self.wms, [o.OrderId for o in orders])
        self.customs.read(orders)
        for order in orders:
            held = existing.get(order_key(order))
            wms_status = held.OrderStatusNumber if held is not None else None
            payload = _to_push(self.writer, order, held, companies.get(order.CustomerId), self.extra,
                               self.freight_rows, self.delivery_names)
            if not isinstance(payload, Outcome) and self.customs.holds(self.writer, order, payload):
                payload = Outcome.FAILED  # an export order waits for customs data; the ledger's retry re-checks it
            if isinstance(payload, Outcome):
                self._moved_past(order, _imported(self.erp, self.writer, order, payload, self.options))
            else:
                _note_rows_left_out(self.writer.report, order, payload)
                writes.submit((order, payload, wms_status), order_write(payload))
            self.finish(writes.finished())

    def finish(self, ends: Iterable[Finished[PushToken]]) -> None:
        for end in ends:
            self._moved_past(end.token[0], _pushed(self.erp, self.wms, self.writer, end, self.options))

    def _moved_past(self, order: InvoiceOrder, outcome: Outcome) -> None:
        if outcome is Outcome.FAILED:
            self.progress.passed(order.DateChanged)
        else:
            self.progress.handled(order_key(order), order.DateChanged)


def _to_push(writer: RecordWriter, order: InvoiceOrder, held: WmsOrder | None, company: Company | None,
             extra: Sequence[ExtraField], freight_rows: re.Pattern[str] | None = None,
             delivery_names: DeliveryNames = "erp") -> dict[str, Any] | Outcome:
    """The WMS order to push, or the outcome of an order that is not pushed (failed or unchanged).

    held: the order as the warehouse has it (None: it has not)."""
    key, version = order_key(order), version_of(order.DateChanged)
    if order.APIException is not None:
        writer.fail(key, RecordError(key=key, message=order.APIException.Message or "error from 24SevenOffice"),
                    version=version)
        return Outcome.FAILED
    if held is not None and held.OrderStatusNumber >= FIRST_LOCKED_STATUS:
        writer.report.unchanged += 1  # the warehouse is already working on it: nothing may change now
        return Outcome.LOCKED
    payload = map_order(order, company=company, extra=extra, freight_rows=freight_rows,
                        delivery_names=delivery_names)
    if isinstance(payload, RecordError):
        writer.fail(key, payload, version=version)
        return Outcome.FAILED
    return payload if writer.needs_write(key, payload, order_holding(payload, held)) else Outcome.UNCHANGED


def _note_rows_left_out(report: SyncReport, order: InvoiceOrder, payload: dict[str, Any]) -> None:
    """List in the report the rows of an order being sent that are not lines (and a freight text used)."""
    key = order_key(order)
    left_out = left_out_rows(order)
    if left_out:
        report.details.setdefault(ROWS_LEFT_OUT, {})[key] = left_out
    way = payload["OrderInfo"].get("WayOfDelivery")
    if way and not (order.DeliveryMethod and order.DeliveryMethod.Description):
        report.details.setdefault(FREIGHT_AS_DELIVERY, {})[key] = way


def _pushed(erp: Erp, wms: Wms, writer: RecordWriter, end: Finished[PushToken], options: OrderOptions) -> Outcome:
    """Record a pushed order's end; a failure worth repeating is repeated first."""
    order, payload, wms_status = end.token
    key = order_key(order)
    result, error = end.result, end.error
    if error is not None and error.retryable:
        try:
            result, error = wms.repeat_write(end.call, error), None
        except SyncError as exc:
            result, error = None, exc
    if result is not None and not result.success and _locked_now(wms, key):
        # The warehouse started on it after the status was read: left alone, as if read so (the
        # shipped report takes it from here), rather than dead-lettered for a refusal that cannot pass.
        writer.report.unchanged += 1
        return Outcome.LOCKED
    outcome = writer.record(key, key, payload, result, error, version=version_of(order.DateChanged),
                            wms_id=lambda written: written.order_id,  # stage times in the same transaction
                            progress=Progress(if_written={Stage.CONFIRMED: order.DateChanged},
                                              written=Stage.CREATED_IN_WMS))
    if outcome is Outcome.WRITTEN:
        if wms_status is None:
            writer.report.created += 1
        else:
            writer.report.updated += 1
    return _imported(erp, writer, order, outcome, options)


def _imported(erp: Erp, writer: RecordWriter, order: InvoiceOrder, outcome: Outcome, options: OrderOptions) -> Outcome:
    """Set the imported status of an order the WMS holds (if that option is on)."""
    # An order without an OrderId never maps to a WMS order, so it never gets here as written or unchanged.
    if outcome in (Outcome.WRITTEN, Outcome.UNCHANGED) and options.imported_status and order.OrderId is not None:
        # Still in the pull status means the imported status has not been set yet (or failed last time).
        error = erp.set_order_status(order.OrderId, options.imported_status)
        if error is not None:
            writer.report.fail(error)
    return outcome


def _locked_now(wms: Wms, number: str) -> bool:
    """Whether the warehouse holds this order at a status that refuses changes (read again, now)."""
    return any(o.OrderStatusNumber >= FIRST_LOCKED_STATUS for o in wms.orders(order_numbers=[number]))


def _with_warehouse_copies(erp: Erp, wms: Wms, ids: Sequence[int], pull: Sequence[str],
                           ) -> Iterator[tuple[list[InvoiceOrder], dict[str, WmsOrder] | None]]:
    """The orders by id, a batch at a time (a small one first), each with the warehouse's copies of them.

    Both reads need only the ids, so the WMS is asked on a thread of its own while the ERP reads the
    batch: the first write waits for one round trip less. Each client is still used by one thread at
    a time: the caller does not use the WMS client while a batch is being read.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wms-copies") as reads:
        for chunk in id_chunks(ids, FIRST_BATCH):
            copies = reads.submit(_existing_orders, wms, chunk)
            orders = erp.orders(chunk, pull)
            yield orders, copies.result()


def _existing_orders(wms: Wms, order_ids: Iterable[int | None]) -> dict[str, WmsOrder]:
    """The orders the warehouse already has, as it shows them, by order number (the ERP order id)."""
    numbers = sorted({str(i) for i in order_ids if i is not None})
    if not numbers:
        return {}
    return {o.GoodsOwnerOrderNumber: o for o in wms.orders(order_numbers=numbers)
            if o.GoodsOwnerOrderNumber is not None}


def _contact_fallbacks(erp: Erp, orders: list[InvoiceOrder]) -> dict[int | None, Company]:
    """The customers' companies, fetched once per batch, for orders without phone or e-mail."""
    ids = sorted({o.CustomerId for o in orders if o.CustomerId and needs_company(o)})
    return {c.Id: c for c in erp.companies(ids)} if ids else {}
