"""Process 2, sales orders: ERP orders in the pull status -> WMS orders; WMS shipped -> ERP status.

Orders are pushed with CreateOrUpdate under their ERP order number, so pushing one again (a retry
after a timeout, an overlapping run) updates the same WMS order and never creates a second one.
A shipped order is reported once: an ERP order that already has the shipped status is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Sequence

from sync_pipeline.mapping import ExtraField, map_order, needs_company, order_key
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.cursor import Cursor, CursorBuilder, unseen
from sync_pipeline.sync.report import SyncReport

LAST_SHIPPED_STATUS = 999  # 1000 and above are cancellations
CLOCK_SKEW = timedelta(minutes=1)
FIRST_LOCKED_STATUS = 300  # from Released on, the warehouse refuses changes to an order


@dataclass(frozen=True)
class OrderOptions:
    pull_status: str = "Confirmed"
    imported_status: str | None = None  # ERP status to set once the WMS has the order; None = off
    wms_sent_status: int = 450
    shipped_status: str = "OrderState_Sent"


def push_orders(erp, wms, cursor: Cursor | None, options: OrderOptions,
                *, extra: Sequence[ExtraField] = ()) -> SyncReport:
    cursor = cursor or Cursor()
    report = SyncReport("orders")
    progress = CursorBuilder(cursor)
    orders, report.unchanged = unseen(erp.orders_changed_since(cursor.moment, statuses=(options.pull_status,)),
                                      cursor, order_key)
    companies = _contact_fallbacks(erp, orders)
    existing = _existing_orders(wms, orders)
    for order in orders:
        key = str(order.OrderId)
        status = existing.get(key)
        if order.APIException is not None:
            report.fail(RecordError(key=key, message=order.APIException.Message or "error from 24SevenOffice"))
            progress.passed(order.DateChanged)
        elif status is not None and status >= FIRST_LOCKED_STATUS:
            report.unchanged += 1  # the warehouse is already working on it: nothing may change now
            progress.handled(key, order.DateChanged)
        elif _push_one(erp, wms, order, companies.get(order.CustomerId), status is not None, options, extra, report):
            progress.handled(key, order.DateChanged)
        else:
            progress.passed(order.DateChanged)
    report.cursor = progress.build()
    return report


def _push_one(erp, wms, order, company, exists: bool, options: OrderOptions, extra, report: SyncReport) -> bool:
    payload = map_order(order, company=company, extra=extra)
    if isinstance(payload, RecordError):
        report.fail(payload)
        return False
    result = wms.process_order(payload)
    if not result.success:
        report.fail(RecordError(key=order_key(order), message=result.message or "refused by the WMS"))
        return False
    if exists:
        report.updated += 1
    else:
        report.created += 1
    if options.imported_status:
        error = erp.set_order_status(order.OrderId, options.imported_status)
        if error is not None:
            report.fail(error)
    return True


def _existing_orders(wms, orders) -> dict[str, int]:
    """The WMS status number of each order the warehouse already has, by order number."""
    numbers = sorted({str(o.OrderId) for o in orders})
    if not numbers:
        return {}
    return {o.GoodsOwnerOrderNumber: o.OrderStatusNumber for o in wms.orders(order_numbers=numbers)}


def _contact_fallbacks(erp, orders) -> dict[int, object]:
    """The customers' companies, fetched once per batch, for orders without phone or e-mail."""
    ids = sorted({o.CustomerId for o in orders if o.CustomerId and needs_company(o)})
    return {c.Id: c for c in erp.companies(ids)} if ids else {}


def report_shipped(erp, wms, cursor: Cursor | None, options: OrderOptions) -> SyncReport:
    """Set the ERP status of every order the WMS shipped since the cursor, once per order.

    The cursor is the local time the read began, less a minute for clock skew between the two
    machines: orders read twice are harmless, an ERP order already Sent is skipped.
    """
    started = datetime.now(timezone.utc)
    report = SyncReport("shipped", cursor=Cursor(moment=started - CLOCK_SKEW))
    shipped = list(wms.orders(status_from=options.wms_sent_status, status_to=LAST_SHIPPED_STATUS,
                              changed_since=cursor.moment if cursor else None))
    by_number = {}
    for order in shipped:
        if (order.GoodsOwnerOrderNumber or "").isdigit():
            by_number[int(order.GoodsOwnerOrderNumber)] = order
        else:
            report.fail(RecordError(key=order.GoodsOwnerOrderNumber or f"WMS order {order.OrderId}",
                                    field="GoodsOwnerOrderNumber", message="not an ERP order number"))
    current = {o.OrderId: o for o in erp.orders(sorted(by_number))} if by_number else {}
    for order_id in sorted(by_number):
        erp_order = current.get(order_id)
        if erp_order is None:
            report.fail(RecordError(key=str(order_id), message="shipped in the WMS but not found in 24SevenOffice"))
        elif _status_name(erp_order.OrderStatus) == _status_name(options.shipped_status):
            report.unchanged += 1
        else:
            error = erp.set_order_status(order_id, options.shipped_status)
            if error is None:
                report.updated += 1
            else:
                report.fail(error)
    return report


def _status_name(value) -> str:
    return getattr(value, "value", value) or ""
