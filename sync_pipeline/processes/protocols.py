"""What a process may call on each system: typed reads and writes (ErpClient and WmsClient satisfy them).

The dry run gives the processes a planning writer instead (planning.py): the same reads, and
writes that are recorded, not sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Mapping, Protocol, runtime_checkable

from sync_pipeline.erp.models import Company, InvoiceOrder, OrderShipment, OrderStatus, Product, ProductPages
from sync_pipeline.soap.errors import RecordError, SyncError
from sync_pipeline.wms.back_to_back import Finished
from sync_pipeline.wms.models import InventoryLine, ReturnOrder, WmsOrder, WriteResult
from sync_pipeline.wms.write_calls import WriteCall


class ErpReader(Protocol):
    def products_changed_since(self, since: datetime | None) -> list[Product]: ...

    def products(self, ids: Sequence[int]) -> list[Product]: ...

    def product_pages(self, since: datetime | None) -> ProductPages: ...

    def order_ids_changed_since(self, since: datetime | None) -> list[int]: ...

    def orders(self, order_ids: Sequence[int],
               statuses: Iterable[OrderStatus | str] | None = None) -> list[InvoiceOrder]: ...

    def order_batches(self, order_ids: Sequence[int], statuses: Iterable[OrderStatus | str] | None = None,
                      ) -> Iterator[list[InvoiceOrder]]: ...

    def orders_in_one_read(self, since: datetime | None,
                           statuses: Iterable[OrderStatus | str] | None = None) -> list[InvoiceOrder] | None: ...

    def companies_changed_since(self, since: datetime | None) -> list[Company]: ...

    def companies(self, ids: Sequence[int]) -> list[Company]: ...


class ErpWriter(Protocol):
    def set_stock_quantity(self, product_id: int, quantity: Decimal | int) -> RecordError | None: ...

    def set_order_status(self, order_id: int, status: OrderStatus | str) -> RecordError | None: ...

    def report_shipment(self, order_id: int, shipment: OrderShipment) -> RecordError | None: ...

    def report_shipments(self, shipments: Mapping[int, OrderShipment]) -> dict[int, RecordError | None]: ...


@runtime_checkable
class Erp(ErpReader, ErpWriter, Protocol):
    """24SevenOffice as the processes use it: read everywhere, written by the stock and shipped processes."""


class WmsReader(Protocol):
    def inventory(self, article_numbers: Iterable[str] | None = None,
                  changed_since: datetime | None = None) -> Iterable[InventoryLine]: ...

    def orders(self, status_from: int | None = None, status_to: int | None = None,
               changed_since: datetime | None = None,
               order_numbers: Iterable[str] | None = None) -> Iterable[WmsOrder]: ...

    def return_orders(self, order_numbers: Iterable[str] | None = None,
                      returned_since: datetime | None = None) -> list[ReturnOrder]: ...


class WriteQueue(Protocol):
    """Writes sent one after another while the caller goes on (WmsClient.back_to_back)."""

    def submit(self, token: Any, call: WriteCall) -> None: ...

    def finished(self) -> Iterator[Finished[Any]]: ...

    def drain(self) -> Iterator[Finished[Any]]: ...

    def __enter__(self) -> WriteQueue: ...

    def __exit__(self, *exc_info: object) -> None: ...


class WmsWriter(Protocol):
    def process_article(self, article: Mapping[str, Any]) -> WriteResult: ...

    def process_order(self, order: Mapping[str, Any]) -> WriteResult: ...

    def remove_order(self, number: str, delivery_date: datetime) -> WriteResult: ...

    def back_to_back(self, *, window: int = ...) -> WriteQueue: ...

    def repeat_write(self, call: WriteCall, failed: SyncError) -> WriteResult: ...


@runtime_checkable
class Wms(WmsReader, WmsWriter, Protocol):
    """Ongoing WMS as the processes use it: articles, orders and suppliers written, stock and orders read."""
