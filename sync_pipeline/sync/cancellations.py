"""Cancellations both ways, decided by what each system holds now, remembered by the ledger.

- ERP -> WMS: an order the ledger has as pushed (orders in state "sent": in the warehouse, not shipped)
  whose 24SevenOffice status is now a cancel status (default Offer, Draft, Inactive), or that
  24SevenOffice no longer has (deleted), is cancelled in the warehouse (ProcessOrder with OrderOperation
  Remove) while the warehouse has not started on it (status below 300, sync/orders.py). From 300 on it is
  left alone and reported once: "too late to cancel: ship or intercept".
- WMS -> ERP: an order the warehouse cancelled (status 1000 and up) that 24SevenOffice still has in the
  pull (or imported) status gets the configured status (default Inactive; off: left as it is) and is
  reported once.

Ledger kind "cancellation", keyed by the ERP order id: "settled" once the order is cancelled on both sides
(or there was nothing left to cancel); a too-late order is dead-lettered at once, so later cycles skip it
until its ERP order changes again or an operator re-drives it. Both sides read from one cursor: this
machine's time at the run's start, less a minute for clock skew (read twice is harmless: each decision is
taken from the systems as read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Iterable, Sequence

from sync_pipeline.erp.models import service_text
from sync_pipeline.ledger import Kind, State
from sync_pipeline.soap.errors import RecordError, SyncError
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.gate import Gate, no_gate, version_of
from sync_pipeline.sync.orders import FIRST_LOCKED_STATUS, OrderOptions
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.writer import Outcome, RecordWriter
from sync_pipeline.wms.held import Holding

if TYPE_CHECKING:
    from sync_pipeline.erp.models import InvoiceOrder
    from sync_pipeline.processes.protocols import Erp, Wms
    from sync_pipeline.wms.models import WmsOrder

FIRST_CANCELLED_STATUS = 1000  # Cancelled, and a warehouse's own cancel statuses above (800 is Returned: shipped)
CLOCK_SKEW = timedelta(minutes=1)
TOO_LATE = "too late to cancel: ship or intercept"
DELETED = "deleted"
REMOVED = "removed_from_warehouse"  # report detail: order -> why
MARKED = "cancelled_by_warehouse"  # report detail: order -> what the ERP order got


@dataclass(frozen=True)
class CancelOptions:
    cancel_statuses: tuple[str, ...] = ("Offer", "Draft", "Inactive")  # ERP statuses that cancel (deleted always does)
    cancelled_status: str | None = "Inactive"  # set in the ERP when the warehouse cancelled; None = off


def carry_cancellations(erp: Erp, wms: Wms, cursor: Cursor | None, orders: OrderOptions, options: CancelOptions, *,
                        gate: Gate | None = None) -> SyncReport:
    """Both directions for what changed since the cursor; None: every open order and every cancelled one."""
    gate = gate or no_gate(Kind.CANCELLATION)
    started = datetime.now(timezone.utc)
    report = SyncReport("cancellations", cursor=Cursor(moment=started - CLOCK_SKEW))
    since = cursor.moment if cursor is not None else None
    pushed = _pushed(gate)
    settled = set(_keys(gate, Kind.CANCELLATION, State.SETTLED))
    if since is None:
        ids = [int(key) for key in sorted(pushed or (), key=int) if key not in settled]
    else:
        ids = [i for i in erp.order_ids_changed_since(since) if pushed is None or str(i) in pushed]
    due = [key for key in gate.due_retries() if key.isdigit()]
    ids += [int(key) for key in due if int(key) not in ids]
    taken = _cancel_in_wms(erp, wms, ids, options, gate, report)
    cancelled = {o.GoodsOwnerOrderNumber: o for o in wms.orders(status_from=FIRST_CANCELLED_STATUS, changed_since=since)
                 if o.GoodsOwnerOrderNumber not in settled}
    retried = [key for key in due if key not in taken and key not in cancelled]
    cancelled.update({o.GoodsOwnerOrderNumber: o for o in _held(wms, retried).values()
                      if o.OrderStatusNumber >= FIRST_CANCELLED_STATUS})
    _mark_in_erp(erp, [o for number, o in cancelled.items() if number not in taken], orders, options, gate, report)
    return report


def carry_cancellations_by_id(erp: Erp, wms: Wms, ids: Sequence[int], orders: OrderOptions, options: CancelOptions,
                              *, gate: Gate | None = None) -> SyncReport:
    """These orders now, whatever the cursor and the ledger remember: an operator's re-drive of one order.

    An order with nothing to cancel either way (the ERP has it live, the warehouse has not cancelled it)
    is settled: its earlier failure (a too-late cancellation since shipped or re-confirmed) is cleared.
    """
    gate = gate or no_gate(Kind.CANCELLATION)
    report = SyncReport("cancellations")
    taken = _cancel_in_wms(erp, wms, list(ids), options, gate, report)
    rest = [str(i) for i in ids if str(i) not in taken]
    held = _held(wms, rest)
    cancelled = [o for o in held.values() if o.OrderStatusNumber >= FIRST_CANCELLED_STATUS]
    _mark_in_erp(erp, cancelled, orders, options, gate, report)
    writer = RecordWriter(gate, report)
    for number in rest:
        if number not in {o.GoodsOwnerOrderNumber for o in cancelled}:
            _settled(writer, number, None)
    return report


def _cancel_in_wms(erp: Erp, wms: Wms, ids: list[int], options: CancelOptions, gate: Gate,
                   report: SyncReport) -> set[str]:
    """Cancel in the warehouse the orders among `ids` the ERP cancelled or deleted; the keys taken up here."""
    if not ids:
        return set()
    found = {o.OrderId: o for o in erp.orders(ids)}
    cancel_statuses = {service_text(s) for s in options.cancel_statuses}
    why: dict[str, tuple[str, str | None]] = {}  # key -> (what the ERP did, the ERP order's version)
    taken: set[str] = set()
    for order_id in ids:
        order = found.get(order_id)
        if order is None:
            why[str(order_id)] = (DELETED, DELETED)
        elif order.APIException is not None:
            taken.add(str(order_id))
            report.fail(RecordError(key=str(order_id), message=order.APIException.Message or "error from 24SevenOffice"))
        elif _status(order) in cancel_statuses:
            why[str(order_id)] = (f"set to {_status(order)}", version_of(order.DateChanged))
    if not why:
        return taken
    admission = gate.admit({key: version for key, (_, version) in why.items()})
    report.note_admission(admission)
    held = _held(wms, admission.keys)
    writer = RecordWriter(gate, report)
    for key in admission.keys:
        reason, version = why[key]
        _cancel_one(wms, writer, key, f"{reason} in 24SevenOffice", held.get(key), version)
    return taken | set(why)


def _cancel_one(wms: Wms, writer: RecordWriter, key: str, reason: str, held: WmsOrder | None,
                version: str | None) -> None:
    if held is None or held.OrderStatusNumber >= FIRST_CANCELLED_STATUS:
        _settled(writer, key, version)  # not in the warehouse, or cancelled there already
        return
    if held.OrderStatusNumber >= FIRST_LOCKED_STATUS:
        _too_late(writer, key, reason, held, version)
        return
    delivery = held.DeliveryDate or datetime.now(timezone.utc)
    try:
        result, error = wms.remove_order(key, delivery), None
    except SyncError as exc:
        result, error = None, exc
    if result is not None and not result.success:
        now = next(iter(wms.orders(order_numbers=[key])), None)
        if now is not None and FIRST_LOCKED_STATUS <= now.OrderStatusNumber < FIRST_CANCELLED_STATUS:
            # The warehouse started on it between the read and the removal: its refusal is the too-late case.
            _too_late(writer, key, reason, now, version)
            return
    outcome = writer.record(key, key, {"OrderOperation": "Remove"}, result, error, version=version,
                            state=State.SETTLED.value)
    if outcome is Outcome.WRITTEN:
        writer.report.updated += 1
        writer.report.details.setdefault(REMOVED, {})[key] = f"{reason}: cancelled in the warehouse " \
                                                             f"(was {_shown(held)})"


def _too_late(writer: RecordWriter, key: str, reason: str, held: WmsOrder, version: str | None) -> None:
    writer.fail(key, RecordError(key=key, field="OrderStatusNumber", retryable=False,
                                 message=f"{reason}, but the warehouse has started on it ({_shown(held)}): "
                                         f"{TOO_LATE}"), version=version)


def _mark_in_erp(erp: Erp, cancelled: list[WmsOrder], orders: OrderOptions, options: CancelOptions, gate: Gate,
                 report: SyncReport) -> None:
    """Mark in the ERP the orders the warehouse cancelled that the ERP still has as live; report each once."""
    # An order number that is no ERP order id was not pushed by this integration: not ours to mark.
    by_key = {number: o for o in cancelled if (number := o.GoodsOwnerOrderNumber or "").isdigit()}
    numbers = sorted(by_key, key=int)
    if not numbers:
        return
    admission = gate.admit({number: None for number in numbers})
    report.note_admission(admission)
    found = {str(o.OrderId): o for o in erp.orders([int(n) for n in admission.keys])} if admission.keys else {}
    live = {service_text(s) for s in (orders.pull_status, orders.imported_status) if s}
    writer = RecordWriter(gate, report)
    for key in admission.keys:
        erp_order, held = found.get(key), by_key[key]
        if erp_order is not None and erp_order.APIException is not None:
            writer.fail(key, RecordError(key=key, message=erp_order.APIException.Message or "error from 24SevenOffice"))
        elif erp_order is None or _status(erp_order) not in live:
            _settled(writer, key, None)  # the ERP has it cancelled or moved on already (or deleted)
        elif options.cancelled_status is None:
            gate.succeeded(key, state=State.SETTLED.value)  # reported once, below; not again
            _alert(report, key, held, f"left {_status(erp_order)} in 24SevenOffice (SYNC_WMS_CANCELLED_ERP_STATUS=off)")
        else:
            status = options.cancelled_status
            outcome = writer.write(key, key, {"OrderStatus": service_text(status)},
                                   lambda: erp.set_order_status(int(key), status), state=State.SETTLED.value,
                                   holding=Holding.DIFFERS)  # as just read
            if outcome is Outcome.WRITTEN:
                report.updated += 1
                _alert(report, key, held, f"set from {_status(erp_order)} to {service_text(status)} in 24SevenOffice")


def _alert(report: SyncReport, key: str, held: WmsOrder, done: str) -> None:
    """A warehouse cancellation, reported as a failed record of this run (alerted), not retried: it is done."""
    report.details.setdefault(MARKED, {})[key] = done
    report.fail(RecordError(key=key, field="OrderStatusNumber",
                            message=f"cancelled in the warehouse ({_shown(held)}): {done}; tell the customer"))


def _settled(writer: RecordWriter, key: str, version: str | None) -> None:
    writer.gate.succeeded(key, version=version, state=State.SETTLED.value)
    writer.report.unchanged += 1


def _held(wms: Wms, keys: Iterable[str]) -> dict[str, WmsOrder]:
    numbers = list(keys)
    if not numbers:
        return {}
    return {o.GoodsOwnerOrderNumber: o for o in wms.orders(order_numbers=numbers) if o.GoodsOwnerOrderNumber}


def _pushed(gate: Gate) -> set[str] | None:
    """The orders the ledger has in the warehouse and not shipped; None without a ledger (the WMS read decides)."""
    return set(_keys(gate, Kind.ORDER, State.SENT)) if gate.ledger is not None else None


def _keys(gate: Gate, kind: Kind, state: State) -> list[str]:
    if gate.ledger is None:
        return []
    keys: list[str] = gate.ledger.keys_in_states(kind, [state])
    return keys


def _status(order: InvoiceOrder) -> str:
    return service_text(order.OrderStatus)


def _shown(order: WmsOrder) -> str:
    text = f" {order.OrderStatusText}" if order.OrderStatusText else ""
    return f"status {order.OrderStatusNumber}{text}"
