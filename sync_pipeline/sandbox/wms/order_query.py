"""GetOrdersByQuery: which orders a query selects.

Supported filters (each one given narrows the result; bounds are inclusive): OrderNumbersToGet,
OrderStatusFrom/To, DeliveryDateFrom/To, ShippedTimeFrom/To, LastUpdatedFrom/To,
OrderStatusChangedTimeFrom. An order without the time a filter asks about (e.g. not shipped yet) does
not match it. Filters the sandbox does not model are refused with a fault rather than ignored.
Paging by OrderId, see paging.py (OrderIdFrom is inclusive; MaxOrdersToGet at most 1000).
"""

from __future__ import annotations

import operator
from datetime import datetime
from typing import Any, Callable, Mapping, Sequence

from sync_pipeline.sandbox.soap import SoapFault
from sync_pipeline.sandbox.wms.paging import page
from sync_pipeline.sandbox.values import as_utc
from sync_pipeline.sandbox.wms.values import strings, to_datetime

UNSUPPORTED = ("LastPickingTimeFrom", "LastPickingTimeTo", "LastReturnedFrom", "LastPrintedTimeFrom",
               "PickOrderIdFrom", "PickOrderIdTo")

Order = Mapping[str, Any]
TIME_FILTERS: dict[str, tuple[Callable[[Order], str | None], Callable[[Any, Any], bool]]] = {
    "DeliveryDateFrom": (lambda o: o["OrderInfo"].get("DeliveryDate"), operator.ge),
    "DeliveryDateTo": (lambda o: o["OrderInfo"].get("DeliveryDate"), operator.le),
    "ShippedTimeFrom": (lambda o: o.get("ShippedTime"), operator.ge),
    "ShippedTimeTo": (lambda o: o.get("ShippedTime"), operator.le),
    "LastUpdatedFrom": (lambda o: o.get("LastUpdated"), operator.ge),
    "LastUpdatedTo": (lambda o: o.get("LastUpdated"), operator.le),
    "OrderStatusChangedTimeFrom": (lambda o: o.get("OrderStatusChangedTime"), operator.ge),
}


def select_orders(orders: Sequence[Order], query: Mapping[str, Any]) -> list[Order]:
    """One page of the orders the query asks for, by ascending OrderId; `orders` by ascending OrderId."""
    unsupported = [name for name in UNSUPPORTED if query.get(name) is not None]
    if unsupported:
        raise SoapFault(f"Server was unable to process request. ---> The sandbox does not support the "
                        f"filter(s) {', '.join(unsupported)}")
    numbers = strings(query.get("OrderNumbersToGet"))
    status_from, status_to = query.get("OrderStatusFrom"), query.get("OrderStatusTo")
    bounds = {name: as_utc(query[name]) for name in TIME_FILTERS if isinstance(query.get(name), datetime)}

    def wanted(order: Order) -> bool:
        if numbers is not None and order["GoodsOwnerOrderNumber"] not in numbers:
            return False
        status = order["OrderStatusNumber"]
        if (status_from is not None and status < status_from) or (status_to is not None and status > status_to):
            return False
        for name, bound in bounds.items():
            field, compare = TIME_FILTERS[name]
            value = to_datetime(field(order))
            if value is None or not compare(value, bound):
                return False
        return True

    return page(orders, lambda o: o["OrderId"], wanted, query.get("OrderIdFrom"), query.get("MaxOrdersToGet"))
