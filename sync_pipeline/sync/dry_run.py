"""Dry run: a cycle that computes every write it would make, with before and after, and sends none.

The processes run as usual, but over client wrappers whose write methods record the intended
write (reading the target's current value as "before") and answer success without sending; reads
pass through to the real services. The gate decides as the real one would, from the ledger as it
is now, and records nothing: no claims, no outcomes, no cursors.

Only the reads the processes use are passed through (an allowlist): a write method added to a
client later cannot slip past the dry run; it fails loudly instead.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Callable, Iterator, Mapping

from sync_pipeline.ledger import Kind, Ledger
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.gate import Gate
from sync_pipeline.wms.back_to_back import Finished
from sync_pipeline.wms.models import WriteResult
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


class _ReadsOnly:
    """Passes the named read methods through to the real client; anything else is refused."""

    READS: frozenset[str] = frozenset()

    def __init__(self, client: Any, plan: Plan):
        self._client, self.plan = client, plan

    def __getattr__(self, name: str) -> Any:
        if name in self.READS:
            return getattr(self._client, name)
        raise AttributeError(f"dry run: {type(self._client).__name__}.{name} is not a known read, so it is not called")


class DryRunWms(_ReadsOnly):
    READS = frozenset({"inventory", "orders", "order_statuses", "connection"})

    def back_to_back(self, **_options: Any) -> "PlannedInTurn":
        return PlannedInTurn({"ProcessArticle": self.process_article, "ProcessOrder": self.process_order})

    def process_article(self, article: Mapping[str, Any]) -> WriteResult:
        number = str(article["ArticleNumber"])
        line = next(iter(self._client.inventory(article_numbers=[number])), None)
        before = None if line is None else {"ArticleName": line.ArticleName, "ProductCode": line.ProductCode}
        self.plan.add(PlannedWrite(WMS, "ProcessArticle", number, before, plain(article)))
        return WriteResult(success=True, key=number)

    def process_order(self, order: Mapping[str, Any]) -> WriteResult:
        number = str(order["OrderInfo"]["GoodsOwnerOrderNumber"])
        self.plan.add(PlannedWrite(WMS, "ProcessOrder", number, self._order_now(number), plain(order)))
        return WriteResult(success=True, key=number)

    def update_order_status(self, order_number: str, status: int, waybill: str | None = None) -> WriteResult:
        after = {"OrderStatusNumber": status, **({"WayBill": waybill} if waybill else {})}
        self.plan.add(PlannedWrite(WMS, "UpdateOrder", str(order_number), self._order_now(order_number), after))
        return WriteResult(success=True, key=str(order_number))

    def _order_now(self, number: str) -> dict[str, Any] | None:
        current = next(iter(self._client.orders(order_numbers=[number])), None)
        if current is None:
            return None
        return {"OrderStatusNumber": current.OrderStatusNumber, "OrderStatusText": current.OrderStatusText,
                "Lines": [{"ProductCode": line.ProductCode, "ArticleNumber": line.ArticleNumber,
                           "OrderedNumberOfItems": plain(line.OrderedNumberOfItems)} for line in current.Lines]}


class PlannedInTurn:
    """A dry run's back_to_back(): each write is planned (not sent) when it is submitted."""

    def __init__(self, writes: Mapping[str, Callable[[Mapping[str, Any]], WriteResult]]):
        self._writes, self._ended = writes, deque()

    def submit(self, token: Any, call: WriteCall) -> None:
        self._ended.append(Finished(token, call, self._writes[call.operation](call.record)))

    def finished(self) -> Iterator[Finished]:
        while self._ended:
            yield self._ended.popleft()

    drain = finished

    def __enter__(self) -> "PlannedInTurn":
        return self

    def __exit__(self, *_exc: object) -> None:
        pass


class DryRunErp(_ReadsOnly):
    READS = frozenset({"products_changed_since", "products", "order_ids_changed_since", "orders", "order_batches",
                       "orders_changed_since", "companies_changed_since", "companies", "has_session",
                       "connection"})

    def set_stock_quantity(self, product_id: int, quantity: Decimal | int) -> RecordError | None:
        current = next(iter(self._client.products([product_id])), None)
        before = None if current is None else {"Stock": plain(current.Stock), "No": current.No}
        self.plan.add(PlannedWrite(ERP, "SetStockQuantity", str(product_id), before, {"Stock": plain(quantity)}))
        return None

    def set_order_status(self, order_id: int, status: Any) -> RecordError | None:
        return self._save_invoice(order_id, "OrderStatus", plain(status))

    def set_external_status(self, order_id: int, value: int) -> RecordError | None:
        return self._save_invoice(order_id, "ExternalStatus", value)

    def _save_invoice(self, order_id: int, field: str, value: Any) -> None:
        current = next(iter(self._client.orders([order_id])), None)
        before = None if current is None else {field: plain(getattr(current, field, None))}
        self.plan.add(PlannedWrite(ERP, "SaveInvoices", str(order_id), before, {field: value}))
        return None


class DryRunGate(Gate):
    """Decides as the real gate would, from the ledger as it is now, and records nothing.

    Records another run holds are left out as they would be; nothing is claimed, so a real run
    going on meanwhile is not disturbed.
    """

    def __init__(self, ledger: Ledger | None, kind: Kind):
        super().__init__(ledger, None, kind)

    claims_nothing = True

    def _claim(self, keys: list[str], now: datetime) -> set[str]:
        """The keys no other live run holds, as a real claim would get them."""
        self._entries.update(self.ledger.entries(self.kind, keys))
        entries = self._entries
        return {key for key in keys if key not in entries or not entries[key].held_by_another(None, now)}

    def succeeded(self, *args: Any, **kwargs: Any) -> None:
        pass

    def failed(self, *args: Any, **kwargs: Any) -> None:
        pass

    def advance(self, key: str, state: str) -> None:
        pass


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
