"""Shipped orders reported back: orders the WMS shipped -> 24SevenOffice, each order's shipped status, the
waybills and carrier appended to a text field and each row's delivered quantity; up to SHIPMENTS_PER_CALL
orders in one SaveInvoices, each order answered (and recorded in the ledger) on its own.

A shipped order is reported once: an ERP order already holding all of it is not written (sync/shipment.py
compares), and the ledger skips an order it has reported. Returned orders (800) are not shipments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Sequence

from sync_pipeline.ledger import Kind, Stage, State
from sync_pipeline.erp.models import OrderShipment
from sync_pipeline.soap.errors import RecordError, SyncError
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.gate import Gate, no_gate
from sync_pipeline.sync.orders import OrderOptions
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.shipment import ShipmentOptions, ShipmentPlan, plan_shipment
from sync_pipeline.sync.writer import Outcome, Progress, RecordWriter
from sync_pipeline.wms.held import Holding
from sync_pipeline.wms.models import WmsOrder

if TYPE_CHECKING:
    from sync_pipeline.processes.protocols import Erp, Wms

# Shipped: the sent status up to 799. 800 is Returned (goods came back: not a shipment, see the returns
# process), 1000 and above are cancellations.
LAST_SHIPPED_STATUS = 799
# Report details (the run's metadata): per order what was written, and the rows shipped short.
SHIPMENTS = "shipments"
SHORT_SHIPMENTS = "short_shipments"
LINES_WITHOUT_ROW = "lines_without_row"
CLOCK_SKEW = timedelta(minutes=1)
# Shipments written per SaveInvoices (its `invoices` is an array; each order is answered on its own).
SHIPMENTS_PER_CALL = 50


def report_shipped(erp: Erp, wms: Wms, cursor: Cursor | None, options: OrderOptions, *, gate: Gate | None = None,
                   shipment: ShipmentOptions = ShipmentOptions()) -> SyncReport:
    """Write the shipment of every order the WMS shipped since the cursor to its ERP order, exactly once.

    The cursor is the local time the read began, less a minute for clock skew between the two
    machines: orders read again are harmless. The ledger records each order reported once the ERP
    confirmed the write (shipped, with the WMS's time, if the write failed: a retry reads it again); an order reported before, or whose ERP order holds the shipment
    already (status, waybills, delivered rows), is not written again.
    """
    gate = gate or no_gate(Kind.ORDER)
    started = datetime.now(timezone.utc)
    report = SyncReport("shipped", cursor=Cursor(moment=started - CLOCK_SKEW))
    shipped = list(wms.orders(status_from=options.wms_sent_status, status_to=LAST_SHIPPED_STATUS,
                              changed_since=cursor.moment if cursor else None))
    numbers = {n for n in (o.GoodsOwnerOrderNumber for o in shipped) if n is not None and n.isdigit()}
    found = {o.GoodsOwnerOrderNumber: o for o in shipped if o.GoodsOwnerOrderNumber is not None}
    for order in shipped:
        if order.GoodsOwnerOrderNumber not in numbers:
            report.fail(RecordError(key=order.GoodsOwnerOrderNumber or f"WMS order {order.OrderId}",
                                    field="GoodsOwnerOrderNumber", message="not an ERP order number"))
    retries = set(gate.due_retries([State.SHIPPED.value])) - numbers
    if retries:  # shipped in an earlier read: their parcels and picked lines are read again
        found.update({o.GoodsOwnerOrderNumber: o for o in wms.orders(order_numbers=sorted(retries, key=int))
                      if o.GoodsOwnerOrderNumber is not None})
    _report_numbers(erp, numbers | retries, options, gate, report, found, shipment)
    return report


def report_shipped_by_id(erp: Erp, wms: Wms, ids: Sequence[int], options: OrderOptions, *,
                         gate: Gate | None = None, shipment: ShipmentOptions = ShipmentOptions()) -> SyncReport:
    """Report these orders shipped now, if the WMS shipped them: an operator's re-drive of one order."""
    gate = gate or no_gate(Kind.ORDER)
    report = SyncReport("shipped")
    found = {o.GoodsOwnerOrderNumber: o for o in wms.orders(order_numbers=[str(i) for i in ids])
             if o.GoodsOwnerOrderNumber is not None}
    numbers: set[str] = set()
    for number in (str(i) for i in ids):
        order = found.get(number)
        if order is None or not options.wms_sent_status <= order.OrderStatusNumber <= LAST_SHIPPED_STATUS:
            status = f"status {order.OrderStatusNumber}" if order is not None else "not there"
            report.fail(RecordError(key=number, field="OrderStatusNumber",
                                    message=f"not shipped in the WMS ({status}): nothing to report"))
        else:
            numbers.add(number)
    _report_numbers(erp, numbers, options, gate, report, found, shipment)
    return report


def _report_numbers(erp: Erp, numbers: set[str], options: OrderOptions, gate: Gate, report: SyncReport,
                    shipped: dict[str, WmsOrder], shipment: ShipmentOptions) -> None:
    """Write the shipment of these ERP orders (ledger keys) that were not reported before.

    shipped: the orders as read from the WMS (their ShippedTime kept as the stage time; parcels, carrier
    and picked lines written).
    """
    admission = gate.admit({number: None for number in sorted(numbers, key=int)})
    report.note_admission(admission)
    writer = RecordWriter(gate, report)
    to_report = []
    for number in admission.keys:
        if gate.state(number) == State.REPORTED.value and not gate.verify:
            report.unchanged += 1  # reported before, read again in the overlap: no write at all
            continue
        to_report.append(int(number))
    current = {o.OrderId: o for o in erp.orders(to_report)} if to_report else {}
    pending: list[_Pending] = []
    for order_id in to_report:
        key = str(order_id)
        wms_order = shipped.get(key)
        # Shipped, with the WMS's time, is recorded with the order's outcome: one ledger transaction per order.
        progress = Progress(reached=State.SHIPPED.value,
                            stages={Stage.SHIPPED: wms_order.ShippedTime if wms_order is not None else None})
        erp_order = current.get(order_id)
        if erp_order is None:
            writer.fail(key, RecordError(key=key, message="shipped in the WMS but not found in 24SevenOffice"),
                        progress=progress)
            continue
        plan = plan_shipment(erp_order, wms_order, options.shipped_status, shipment)
        if plan.write is None:  # the ERP holds the shipment already (written before, or by hand)
            gate.succeeded(key, state=State.REPORTED.value,  # reported before: at the ERP order's last change
                           stages={**progress.stages, Stage.REPORTED: erp_order.DateChanged})
            report.unchanged += 1
            continue
        payload = plan.write.model_dump(mode="json")
        if writer.needs_write(key, payload, Holding.DIFFERS):  # as just read
            pending.append(_Pending(order_id, plan, plan.write, payload, replace(progress, written=Stage.REPORTED)))
    for start in range(0, len(pending), SHIPMENTS_PER_CALL):
        _write_shipments(erp, writer, report, pending[start:start + SHIPMENTS_PER_CALL])


@dataclass(frozen=True)
class _Pending:
    """A shipment to write: its order, what it changes and the ledger progress recorded with its outcome."""

    order_id: int
    plan: ShipmentPlan
    write: OrderShipment
    payload: dict[str, Any]
    progress: Progress


def _write_shipments(erp: Erp, writer: RecordWriter, report: SyncReport, batch: list[_Pending]) -> None:
    """One SaveInvoices for the batch; each order's outcome recorded on its own (a refusal fails that order only)."""
    try:
        answers, error = erp.report_shipments({p.order_id: p.write for p in batch}), None
    except SyncError as exc:  # the call itself failed: every order of it did, and is retried
        answers, error = {}, exc
    for pending in batch:
        key = str(pending.order_id)
        if writer.record(key, key, pending.payload, answers.get(pending.order_id), error,
                         state=State.REPORTED.value, progress=pending.progress,
                         counted=pending is batch[-1]) is Outcome.WRITTEN:  # one call failed, not len(batch)
            report.updated += 1
            _show(report, key, pending.plan, len(pending.write.rows))


def _show(report: SyncReport, key: str, plan: ShipmentPlan, rows_written: int) -> None:
    """What was written to the order, in the run's metadata; a short shipment once, in the run that wrote it."""
    report.details.setdefault(SHIPMENTS, {})[key] = {**plan.tracking, "rows_delivered": rows_written}
    if plan.short:
        report.details.setdefault(SHORT_SHIPMENTS, {})[key] = plan.short
    if plan.unmatched_lines:
        report.details.setdefault(LINES_WITHOUT_ROW, {})[key] = plan.unmatched_lines
