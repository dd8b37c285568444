"""The dry run's systems: reads pass through to the real clients, writes are planned, not sent.

A planning ERP or WMS (they satisfy the processes' protocols, processes/protocols.py) records each
write it is asked for, with what the target holds now ("before") and what would be sent ("after"),
and answers success. It has exactly the protocols' methods: a write a process starts to make later
cannot slip past the dry run, it fails loudly instead. The runner gives the processes a planning
gate beside it (sync/gate.py): decided from the ledger as it is now, nothing claimed or recorded.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Iterator, Mapping

from sync_pipeline.erp.models import OrderShipment, OrderStatus
from sync_pipeline.processes.forwarding import ForwardingErp
from sync_pipeline.processes.protocols import Erp, Wms
from sync_pipeline.soap.errors import RecordError, SyncError
from sync_pipeline.wms.back_to_back import Finished
from sync_pipeline.wms.models import InventoryLine, ReturnOrder, WmsOrder, WriteResult
from sync_pipeline.wms.write_calls import WriteCall

WMS = "Ongoing WMS"
ERP = "24SevenOffice"


@dataclass(frozen=True)
class PlannedWrite:
    system: str  # WMS or ERP
    operation: str  # the SOAP operation the write would call
    record: str  # as the target's call log names it: article number, order number, product id
    before: dict[str, Any] | None  # what the target holds now (None: the record does not exist there)
    after: dict[str, Any]  # what would be sent

    def change(self) -> str:
        return "create" if self.before is None else "update"


class Plan:
    """The writes a dry run would have made, in the order it would have made them."""

    def __init__(self) -> None:
        self._writes: list[PlannedWrite] = []
        self._lock = threading.Lock()

    def add(self, write: PlannedWrite) -> None:
        with self._lock:
            self._writes.append(write)

    @property
    def writes(self) -> list[PlannedWrite]:
        with self._lock:
            return list(self._writes)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for write in self.writes:
            counts[write.operation] = counts.get(write.operation, 0) + 1
        return counts



class PlanningWms:
    """Ongoing WMS for a dry run: reads from `wms`, writes added to `plan`."""

    def __init__(self, wms: Wms, plan: Plan):
        self._wms, self.plan = wms, plan

    def inventory(self, article_numbers: Iterable[str] | None = None,
                  changed_since: datetime | None = None) -> Iterable[InventoryLine]:
        return self._wms.inventory(article_numbers=article_numbers, changed_since=changed_since)

    def orders(self, status_from: int | None = None, status_to: int | None = None,
               changed_since: datetime | None = None,
               order_numbers: Iterable[str] | None = None) -> Iterable[WmsOrder]:
        return self._wms.orders(status_from=status_from, status_to=status_to, changed_since=changed_since,
                                order_numbers=order_numbers)

    def return_orders(self, order_numbers: Iterable[str] | None = None,
                      returned_since: datetime | None = None) -> list[ReturnOrder]:
        return self._wms.return_orders(order_numbers=order_numbers, returned_since=returned_since)

    def back_to_back(self, *, window: int = 4) -> PlannedInTurn:
        return PlannedInTurn(self)

    def repeat_write(self, call: WriteCall, failed: SyncError) -> WriteResult:
        return self.planned(call)

    def planned(self, call: WriteCall) -> WriteResult:
        if call.record is None:
            raise ValueError(f"dry run: the WMS call {call.operation} names no record to plan from")
        if call.operation == "ProcessArticle":
            return self.process_article(call.record)
        if call.operation == "ProcessOrder":
            return self.process_order(call.record)
        raise ValueError(f"dry run: no plan for the WMS operation {call.operation}")

    def process_article(self, article: Mapping[str, Any]) -> WriteResult:
        number = str(article["ArticleNumber"])
        line = next(iter(self._wms.inventory(article_numbers=[number])), None)
        before = None if line is None else {"ArticleName": line.ArticleName, "ProductCode": line.ProductCode}
        self.plan.add(PlannedWrite(WMS, "ProcessArticle", number, before, plain(article)))
        return WriteResult(success=True, key=number)

    def process_order(self, order: Mapping[str, Any]) -> WriteResult:
        number = str(order["OrderInfo"]["GoodsOwnerOrderNumber"])
        self.plan.add(PlannedWrite(WMS, "ProcessOrder", number, self._order_now(number), plain(order)))
        return WriteResult(success=True, key=number)

    def remove_order(self, number: str, delivery_date: datetime) -> WriteResult:
        after = {"OrderOperation": "Remove", "DeliveryDate": plain(delivery_date)}
        self.plan.add(PlannedWrite(WMS, "ProcessOrder", number, self._order_now(number), after))
        return WriteResult(success=True, key=number)

    def _order_now(self, number: str) -> dict[str, Any] | None:
        current = next(iter(self._wms.orders(order_numbers=[number])), None)
        if current is None:
            return None
        return {"OrderStatusNumber": current.OrderStatusNumber, "OrderStatusText": current.OrderStatusText,
                "Lines": [{"ProductCode": line.ProductCode, "ArticleNumber": line.ArticleNumber,
                           "OrderedNumberOfItems": plain(line.OrderedNumberOfItems)} for line in current.Lines]}


class PlannedInTurn:
    """A dry run's back_to_back(): each write is planned (not sent) when it is submitted."""

    def __init__(self, wms: PlanningWms):
        self._wms = wms
        self._ended: deque[Finished[Any]] = deque()

    def submit(self, token: Any, call: WriteCall) -> None:
        self._ended.append(Finished(token, call, self._wms.planned(call)))

    def finished(self) -> Iterator[Finished[Any]]:
        while self._ended:
            yield self._ended.popleft()

    drain = finished

    def __enter__(self) -> PlannedInTurn:
        return self

    def __exit__(self, *_exc: object) -> None:
        pass


class PlanningErp(ForwardingErp):
    """24SevenOffice for a dry run: reads from `erp`, writes added to `plan`."""

    def __init__(self, erp: Erp, plan: Plan):
        super().__init__(erp)
        self.plan = plan

    def set_stock_quantity(self, product_id: int, quantity: Decimal | int) -> RecordError | None:
        current = next(iter(self._erp.products([product_id])), None)
        before = None if current is None else {"Stock": plain(current.Stock), "No": current.No}
        self.plan.add(PlannedWrite(ERP, "SetStockQuantity", str(product_id), before, {"Stock": plain(quantity)}))
        return None

    def set_order_status(self, order_id: int, status: OrderStatus | str) -> RecordError | None:
        current = next(iter(self._erp.orders([order_id])), None)
        before = None if current is None else {"OrderStatus": plain(current.OrderStatus)}
        self.plan.add(PlannedWrite(ERP, "SaveInvoices", str(order_id), before, {"OrderStatus": plain(status)}))
        return None

    def report_shipment(self, order_id: int, shipment: OrderShipment) -> RecordError | None:
        current = next(iter(self._erp.orders([order_id])), None)
        rows = {row.RowId: row for row in current.InvoiceRows} if current is not None else {}
        before = None if current is None else {
            "OrderStatus": plain(current.OrderStatus), **{name: getattr(current, name, None) for name in shipment.texts},
            "InvoiceRows": [{"RowId": row.RowId, "QuantityDelivered": plain(rows[row.RowId].QuantityDelivered),
                             "QuantityRest": plain(rows[row.RowId].QuantityRest)}
                            for row in shipment.rows if row.RowId in rows]}
        after = {"OrderStatus": plain(shipment.status), **shipment.texts,
                 "InvoiceRows": [plain(row.model_dump()) for row in shipment.rows]}
        self.plan.add(PlannedWrite(ERP, "SaveInvoices", str(order_id), plain(before), plain(after)))
        return None

    def report_shipments(self, shipments: Mapping[int, OrderShipment]) -> dict[int, RecordError | None]:
        return {order_id: self.report_shipment(order_id, shipment) for order_id, shipment in shipments.items()}


def plain(value: Any) -> Any:
    """A JSON-ready copy of a payload: decimals and dates as text, enums by value."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
