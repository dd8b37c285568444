"""Shipped orders reported back: orders the WMS shipped -> the shipped status in 24SevenOffice.

A shipped order is reported once: an ERP order that already has the shipped status is skipped.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Sequence

from sync_pipeline.erp.models import service_text
from sync_pipeline.ledger import Kind, Stage, State
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.gate import Gate, no_gate
from sync_pipeline.sync.orders import OrderOptions
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.sync.writer import Outcome, RecordWriter
from sync_pipeline.wms.held import Holding

if TYPE_CHECKING:
    from sync_pipeline.processes.protocols import Erp, Wms

LAST_SHIPPED_STATUS = 999  # 1000 and above are cancellations
CLOCK_SKEW = timedelta(minutes=1)


def report_shipped(erp: Erp, wms: Wms, cursor: Cursor | None, options: OrderOptions, *, gate: Gate | None = None) -> SyncReport:
    """Set the ERP status of every order the WMS shipped since the cursor, exactly once per order.

    The cursor is the local time the read began, less a minute for clock skew between the two
    machines: orders read again are harmless. The ledger marks each order shipped, then reported
    once the ERP confirmed its status; an order reported before, or already in the shipped status
    in the ERP, is not written again.
    """
    gate = gate or no_gate(Kind.ORDER)
    started = datetime.now(timezone.utc)
    report = SyncReport("shipped", cursor=Cursor(moment=started - CLOCK_SKEW))
    shipped = list(wms.orders(status_from=options.wms_sent_status, status_to=LAST_SHIPPED_STATUS,
                              changed_since=cursor.moment if cursor else None))
    numbers = {n for n in (o.GoodsOwnerOrderNumber for o in shipped) if n is not None and n.isdigit()}
    shipped_at = {o.GoodsOwnerOrderNumber: o.ShippedTime for o in shipped if o.GoodsOwnerOrderNumber is not None}
    for order in shipped:
        if order.GoodsOwnerOrderNumber not in numbers:
            report.fail(RecordError(key=order.GoodsOwnerOrderNumber or f"WMS order {order.OrderId}",
                                    field="GoodsOwnerOrderNumber", message="not an ERP order number"))
    numbers |= set(gate.due_retries([State.SHIPPED.value]))
    _report_numbers(erp, numbers, options, gate, report, shipped_at)
    return report


def report_shipped_by_id(erp: Erp, wms: Wms, ids: Sequence[int], options: OrderOptions, *,
                         gate: Gate | None = None) -> SyncReport:
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
    _report_numbers(erp, numbers, options, gate, report, {n: o.ShippedTime for n, o in found.items()})
    return report


def _report_numbers(erp: Erp, numbers: set[str], options: OrderOptions, gate: Gate, report: SyncReport,
                    shipped_at: dict[str, datetime | None]) -> None:
    """Set the shipped status of these ERP orders (ledger keys) that were not reported before.

    shipped_at: the WMS's ShippedTime of the orders read from it (kept as their stage time).
    """
    admission = gate.admit({number: None for number in sorted(numbers, key=int)})
    report.note_admission(admission)
    writer = RecordWriter(gate, report)
    to_report = []
    for number in admission.keys:
        if gate.state(number) == State.REPORTED.value and not gate.verify:
            report.unchanged += 1  # reported before, read again in the overlap: no write at all
            continue
        gate.advance(number, State.SHIPPED.value)
        gate.reached(number, {Stage.SHIPPED: shipped_at.get(number)})
        to_report.append(int(number))
    current = {o.OrderId: o for o in erp.orders(to_report)} if to_report else {}
    for order_id in to_report:
        erp_order = current.get(order_id)
        if erp_order is None:
            writer.fail(str(order_id), RecordError(key=str(order_id),
                                                   message="shipped in the WMS but not found in 24SevenOffice"))
        elif service_text(erp_order.OrderStatus) == service_text(options.shipped_status):
            gate.succeeded(str(order_id), state=State.REPORTED.value)
            gate.reached(str(order_id), {Stage.REPORTED: erp_order.DateChanged})  # set before: its last change
            report.unchanged += 1
        elif writer.write(str(order_id), str(order_id), {"OrderStatus": service_text(options.shipped_status)},
                          lambda: erp.set_order_status(order_id, options.shipped_status),
                          state=State.REPORTED.value, holding=Holding.DIFFERS) is Outcome.WRITTEN:  # as just read
            gate.reached(str(order_id), {Stage.REPORTED: datetime.now(timezone.utc)})
            report.updated += 1
