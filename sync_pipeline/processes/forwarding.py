"""24SevenOffice passed through: the base of the wrappers that change a few of its calls (the run's
shared catalogue read, the dry run's planned writes). A new call of the Erp protocol is added here once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from sync_pipeline.erp.models import Company, InvoiceOrder, OrderShipment, OrderStatus, Product, ProductPages
from sync_pipeline.processes.protocols import Erp
from sync_pipeline.soap.errors import RecordError


class ForwardingErp:
    """Every call of the Erp protocol sent on to `erp` as it is; subclasses override what they change."""

    def __init__(self, erp: Erp) -> None:
        self._erp = erp

    def products_changed_since(self, since: datetime | None) -> list[Product]:
        return self._erp.products_changed_since(since)

    def products(self, ids: Sequence[int]) -> list[Product]:
        return self._erp.products(ids)

    def product_pages(self, since: datetime | None) -> ProductPages:
        return self._erp.product_pages(since)

    def order_ids_changed_since(self, since: datetime | None) -> list[int]:
        return self._erp.order_ids_changed_since(since)

    def orders(self, order_ids: Sequence[int],
               statuses: Iterable[OrderStatus | str] | None = None) -> list[InvoiceOrder]:
        return self._erp.orders(order_ids, statuses)

    def order_batches(self, order_ids: Sequence[int], statuses: Iterable[OrderStatus | str] | None = None,
                      ) -> Iterator[list[InvoiceOrder]]:
        return self._erp.order_batches(order_ids, statuses)

    def orders_in_one_read(self, since: datetime | None,
                           statuses: Iterable[OrderStatus | str] | None = None) -> list[InvoiceOrder] | None:
        return self._erp.orders_in_one_read(since, statuses)

    def companies_changed_since(self, since: datetime | None) -> list[Company]:
        return self._erp.companies_changed_since(since)

    def companies(self, ids: Sequence[int]) -> list[Company]:
        return self._erp.companies(ids)

    def set_stock_quantity(self, product_id: int, quantity: Decimal | int) -> RecordError | None:
        return self._erp.set_stock_quantity(product_id, quantity)

    def set_order_status(self, order_id: int, status: OrderStatus | str) -> RecordError | None:
        return self._erp.set_order_status(order_id, status)

    def report_shipment(self, order_id: int, shipment: OrderShipment) -> RecordError | None:
        return self._erp.report_shipment(order_id, shipment)

    def report_shipments(self, shipments: Mapping[int, OrderShipment]) -> dict[int, RecordError | None]:
        return self._erp.report_shipments(shipments)
