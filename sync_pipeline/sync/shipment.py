"""What a shipment changes in its 24SevenOffice order: the shipped status, a tracking line, delivered rows.

Pure functions over the ERP order and the warehouse's order as both were just read: the target is
the truth. A waybill already in the tracking field is not written again, a row already holding what
was picked is left alone, and an order holding all of it needs no write at all, so a shipment reaches
the ERP once however often it is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sync_pipeline.erp.models import InvoiceOrder, OrderShipment, RowDelivery, service_text
from sync_pipeline.wms.models import PickedLine, WmsOrder

# The InvoiceOrder text fields a merchant may have the tracking appended to (SYNC_TRACKING_FIELD).
TRACKING_FIELDS = ("InvoiceText", "DeliveryAlternative")
TRACKING_PREFIX = "Tracking: "


@dataclass(frozen=True)
class ShipmentOptions:
    """What the shipped process writes besides the status (settings SYNC_TRACKING_FIELD, SYNC_REPORT_DELIVERED)."""

    tracking_field: str | None = "InvoiceText"  # None: tracking is not written
    report_delivered: bool = True

    def __post_init__(self) -> None:
        if self.tracking_field is not None and self.tracking_field not in TRACKING_FIELDS:
            raise ValueError(f"tracking field {self.tracking_field!r} is not one of {', '.join(TRACKING_FIELDS)}")


@dataclass
class ShipmentPlan:
    """One order's write (None: the ERP holds the shipment already) and what the operator is shown of it."""

    write: OrderShipment | None
    tracking: dict[str, Any] = field(default_factory=dict)
    short: list[dict[str, str]] = field(default_factory=list)
    unmatched_lines: list[str] = field(default_factory=list)


def tracking_line(waybills: list[str], carrier: str | None) -> str:
    """`Tracking: WB-1, WB-2 (PostNord)`: the line appended to the merchant's text."""
    return TRACKING_PREFIX + ", ".join(waybills) + (f" ({carrier})" if carrier else "")


def untracked(text: str | None, waybills: list[str]) -> list[str]:
    """The waybills the text does not carry yet (each as a whole word: WB-1 is not in WB-10)."""
    return [w for w in waybills if not re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text or "")]


def with_line(text: str | None, line: str) -> str:
    """The merchant's text, untouched, with `line` on a line of its own after it."""
    return f"{text.rstrip()}\n{line}" if text and text.strip() else line


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def plan_shipment(erp_order: InvoiceOrder, wms_order: WmsOrder | None, status: str,
                  options: ShipmentOptions) -> ShipmentPlan:
    """The write that brings `erp_order` to what the warehouse shipped (`wms_order`; None: not read)."""
    plan = ShipmentPlan(write=None)
    texts: dict[str, str] = {}
    if wms_order is not None and options.tracking_field is not None and wms_order.waybills:
        current = getattr(erp_order, options.tracking_field, None)
        new = untracked(current, wms_order.waybills)
        plan.tracking = {"waybills": wms_order.waybills, "carrier": wms_order.Carrier,
                         "field": options.tracking_field}
        if new:
            line = tracking_line(new, wms_order.Carrier)
            texts[options.tracking_field] = with_line(current, line)
            plan.tracking["appended"] = line
        else:
            plan.tracking["appended"] = None  # every waybill is in the field already
    rows: list[RowDelivery] = []
    if wms_order is not None and options.report_delivered:
        rows = _deliveries(erp_order, wms_order.Lines, plan)
    status_set = service_text(erp_order.OrderStatus) == service_text(status)
    if texts or rows or not status_set:
        plan.write = OrderShipment(status=status, texts=texts, rows=tuple(rows))
    return plan


def _deliveries(erp_order: InvoiceOrder, lines: list[PickedLine], plan: ShipmentPlan) -> list[RowDelivery]:
    """Each row's delivered quantity (what was picked of its line, matched by ExternalOrderLineCode = RowId)
    and rest (what is left of the row's quantity), for the rows not holding them already; shortfalls noted."""
    rows = {str(row.RowId): row for row in erp_order.InvoiceRows if row.RowId is not None}
    writes = []
    for line in lines:
        row = rows.get(line.ExternalOrderLineCode or "")
        if row is None or row.RowId is None:
            plan.unmatched_lines.append(line.ExternalOrderLineCode or f"line {line.OrderLineSystemId}")
            continue
        picked = line.PickedNumberOfItems
        quantity = row.Quantity if row.Quantity is not None else line.OrderedNumberOfItems
        rest = max(quantity - picked, Decimal(0))
        if line.PickedNumberOfItems < line.OrderedNumberOfItems:
            plan.short.append({"row": str(row.RowId), "article": line.ArticleNumber or row.ProductNo or "",
                               "ordered": _plain(line.OrderedNumberOfItems), "picked": _plain(picked),
                               "short": _plain(line.OrderedNumberOfItems - picked)})
        if row.QuantityDelivered != picked or row.QuantityRest != rest:
            writes.append(RowDelivery(RowId=row.RowId, QuantityDelivered=picked, QuantityRest=rest))
    return writes
