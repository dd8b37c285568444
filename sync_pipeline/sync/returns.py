"""Returns read back: the warehouse's return orders for our orders, per order and row (read only).

Ongoing keeps a return as a record of its own (GetReturnOrdersByQuery's ReturnOrderInfo), naming the
customer order by its GoodsOwnerOrderNumber, which is our ERP order id. A return order is "ours" when
24SevenOffice has that order; the others (another sales channel of the goods owner) are counted apart.
Nothing is written to either system: the returned goods come back to the ERP's stock through the stock
process, which compares the warehouse's stock (the returned items included) as it always does. The
ledger keeps when each order's goods came back (stage "returned"), for the latency page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sync_pipeline.erp.models import service_text
from sync_pipeline.ledger import Kind, Stage
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.gate import Gate, no_gate
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.wms.models import ReturnOrder

if TYPE_CHECKING:
    from sync_pipeline.processes.protocols import Erp, Wms

RETURNED_STATUS = 800  # Ongoing's standard order status "Returned": the order came back, it is no shipment
CLOCK_SKEW = timedelta(minutes=1)
# Report details (the asset's metadata).
RETURNS = "returns"  # one row per return order row of our orders
RETURN_ORDERS = "return_orders"  # how many return orders of our orders were read
RETURNED_ITEMS = "returned_items"  # items that came back, over those rows
NOT_OURS = "not_erp_orders"  # return orders whose order number is no 24SevenOffice order


def read_returns(erp: Erp, wms: Wms, cursor: Cursor | None, *, gate: Gate | None = None) -> SyncReport:
    """The return orders whose goods came back since the cursor (all of them without one).

    The next cursor is the local time the read began, less a minute for clock skew between the two
    machines: a return read again is shown again, which is harmless.
    """
    started = datetime.now(timezone.utc)
    report = SyncReport("returns", cursor=Cursor(moment=started - CLOCK_SKEW))
    found = wms.return_orders(returned_since=cursor.moment if cursor and cursor.moment else None)
    _show(erp, found, report, gate or no_gate(Kind.ORDER))
    return report


def read_returns_of(erp: Erp, wms: Wms, order_ids: Sequence[int], *, gate: Gate | None = None) -> SyncReport:
    """The return orders of these ERP orders, whenever their goods came back (an operator's named read)."""
    report = SyncReport("returns")
    _show(erp, wms.return_orders(order_numbers=[str(i) for i in order_ids]), report, gate or no_gate(Kind.ORDER))
    return report


def _show(erp: Erp, found: Iterable[ReturnOrder], report: SyncReport, gate: Gate) -> None:
    returns = sorted(found, key=lambda r: (_order_key(r.OrderNumber), r.ReturnOrderId))
    numbers = sorted({int(r.OrderNumber) for r in returns if r.OrderNumber and r.OrderNumber.isdigit()})
    erp_orders = {o.OrderId: o for o in erp.orders(numbers) if o.APIException is None} if numbers else {}
    known = {str(order_id) for order_id in erp_orders}
    ours = [r for r in returns if r.OrderNumber in known]
    not_ours = [r for r in returns if r.OrderNumber not in known]
    rows = return_rows(ours, {str(i): service_text(o.OrderStatus) for i, o in erp_orders.items()})
    report.details[RETURN_ORDERS] = len(ours)
    report.details[RETURNED_ITEMS] = str(sum((Decimal(row["returned"]) for row in rows), Decimal(0)))
    report.details[RETURNS] = rows
    if not_ours:
        report.details[NOT_OURS] = [f"{r.ReturnOrderNumber or r.ReturnOrderId} (order {r.OrderNumber or 'none'})"
                                    for r in not_ours]
    for number, came_back in first_returned(ours).items():
        gate.reached(number, {Stage.RETURNED: came_back})


def first_returned(returns: Iterable[ReturnOrder]) -> dict[str, datetime]:
    """Order number -> when its goods first came back (return orders only announced have no time yet)."""
    first: dict[str, datetime] = {}
    for found in returns:
        if found.OrderNumber and found.ReturnInDate is not None:
            known = first.get(found.OrderNumber)
            first[found.OrderNumber] = found.ReturnInDate if known is None else min(known, found.ReturnInDate)
    return first


def return_rows(returns: Iterable[ReturnOrder], erp_status: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per return order row, as operators read them (JSON values: text and whole numbers).

    A return order without rows (announced without them) is one row with the order's own figures empty.
    """
    rows = []
    for found in returns:
        head: dict[str, Any] = {
            "order": found.OrderNumber, "return_order": found.ReturnOrderNumber or str(found.ReturnOrderId),
            "return_status": _status(found), "returned_at": _iso(found.ReturnInDate)}
        if erp_status is not None:
            head["erp_status"] = erp_status.get(found.OrderNumber or "")
        if not found.Lines:
            rows.append({**head, "article": None, "row": None, "picked": None, "to_be_returned": None,
                         "returned": "0", "cause": found.ReturnCauseName or found.ReturnCauseCode})
        for line in found.Lines:
            rows.append({**head, "article": line.ArticleNumber, "row": line.ExternalOrderLineCode,
                         "picked": _number(line.PickedNumberOfItems),
                         "to_be_returned": _number(line.ToBeReturnedNumberOfItems),
                         "returned": _number(line.ReturnedNumberOfItems), "cause": found.cause_of(line)})
    return rows


def _status(found: ReturnOrder) -> str | None:
    if found.ReturnOrderStatusId is None:
        return found.ReturnOrderStatusText
    return f"{found.ReturnOrderStatusText or 'status'} ({found.ReturnOrderStatusId})"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _order_key(number: str | None) -> tuple[int, str]:
    return (len(number or ""), number or "")
