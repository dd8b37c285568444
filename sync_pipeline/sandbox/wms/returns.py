"""Return orders: goods of a shipped customer order coming back (GetReturnOrdersByQuery, and the admin
route that stages one, as the warehouse's staff would register it).

- A return order names its customer order (OrderId, OrderNumber = GoodsOwnerOrderNumber) and has rows
  per order line: picked, to be returned (announced) and returned (came in) items, and a cause (the
  row's, else the return order's). Only an order that left the warehouse (450 Sent or later, before 1000
  Cancelled) can have one; no row may bring back more than its line picked.
- Items that came in go back to physical stock (the stock process then carries them to the ERP); the
  customer order's own status is the warehouse's next step (POST orders/<n>/status 800 Returned).
- ReturnInDate is set when goods first came in (None while a return is only announced). Staging the same
  ReturnOrderNumber again replaces its rows (more goods came in): stock moves by the difference.
- Return order statuses are not in the description; the sandbox uses 100 Announced and 200 Returned.
- GetReturnOrdersByQuery filters: CustomerOrderNumbersToGet, ReturnOrderNumbersToGet, GoodsReturnedFromDate
  (ReturnInDate at or after it; announced returns have none and do not match), ReturnOrderStatusFrom and
  RetunOrderStatusTo (spelled as the description spells it). No paging: every match in one reply.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

from sync_pipeline.sandbox.server import AdminError
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.values import as_utc
from sync_pipeline.sandbox.wms import statuses
from sync_pipeline.sandbox.wms.inventory import Inventory, physical_of
from sync_pipeline.sandbox.wms.order_reply import WAREHOUSE_INFO
from sync_pipeline.sandbox.wms.orders import OrderBook
from sync_pipeline.sandbox.wms.values import strings, to_datetime, to_decimal

KIND = "return-order"
ANNOUNCED, RETURNED = 100, 200
STATUS_TEXT = {ANNOUNCED: "Announced", RETURNED: "Returned"}
RETURN_FIELDS = {"ReturnOrderNumber", "ReturnCauseCode", "ReturnCauseName", "ReturnOrderComment", "Lines"}
LINE_FIELDS = {"ArticleNumber", "ExternalOrderLineCode", "ToBeReturnedNumberOfItems", "ReturnedNumberOfItems",
               "ReturnCauseCode", "ReturnCauseName"}


class ReturnBook:
    def __init__(self, store: Store, orders: OrderBook, inventory: Inventory, now: Callable[[], datetime]):
        self._store = store
        self._orders = orders
        self._inventory = inventory
        self._now = now

    def all(self) -> list[dict[str, Any]]:
        return list(self._store.all(KIND))

    # -- the warehouse registers a return (admin route) -------------------------------------------

    def stage(self, number: str, body: Any) -> dict[str, Any]:
        """Register (or update) a return of customer order `number`; AdminError naming what is wrong."""
        if not isinstance(body, dict) or set(body) - RETURN_FIELDS or not isinstance(body.get("Lines"), list) \
                or not body["Lines"]:
            raise AdminError(f"expected an object with Lines (a non-empty list) and optionally "
                             f"{sorted(RETURN_FIELDS - {'Lines'})}")
        for name in RETURN_FIELDS - {"Lines"}:
            if body.get(name) is not None and not isinstance(body[name], str):
                raise AdminError(f"{name} must be a string, got {body[name]!r}")
        with self._store.lock:
            order = self._orders.get(number)
            if order is None:
                raise AdminError(f"order {number} does not exist", 404)
            status = order["OrderStatusNumber"]
            if not statuses.has_left_warehouse(status):
                raise AdminError(f"order {number} has not left the warehouse (status {status} "
                                 f"{statuses.name_of(status)}): nothing can come back")
            rows = [_row(order, line, position) for position, line in enumerate(body["Lines"], start=1)]
            return_number = body.get("ReturnOrderNumber") or f"R-{number}"
            before = self._store.get(KIND, return_number)
            if before is not None and before["OrderNumber"] != number:
                raise AdminError(f"ReturnOrderNumber {return_number} belongs to order {before['OrderNumber']}")
            self._restock(before, rows)
            came_in = any(row["ReturnedNumberOfItems"] > 0 for row in rows)
            now = self._now()
            document = {
                "ReturnOrderId": before["ReturnOrderId"] if before else self._store.next_id("return-order-id"),
                "ReturnOrderNumber": return_number, "OrderId": order["OrderId"], "OrderNumber": number,
                "ReturnCauseCode": body.get("ReturnCauseCode"), "ReturnCauseName": body.get("ReturnCauseName"),
                "ReturnOrderComment": body.get("ReturnOrderComment"),
                "ReturnInDate": (before or {}).get("ReturnInDate") or (now if came_in else None),
                "ReturnOrderStatusId": RETURNED if came_in else ANNOUNCED, "LastUpdated": now,
                "Lines": [{**row, "ReturnOrderLineId": self._store.next_id("return-order-line-id")} for row in rows],
            }
            self._store.put(KIND, return_number, document)
            return self._store.get(KIND, return_number) or document

    def _restock(self, before: Mapping[str, Any] | None, rows: list[dict[str, Any]]) -> None:
        """Items that came in go back to physical stock; a replaced return moves it by the difference."""
        delta: dict[str, Decimal] = {}
        for row in rows:
            delta[row["ArticleNumber"]] = delta.get(row["ArticleNumber"], Decimal(0)) + row["ReturnedNumberOfItems"]
        for row in (before or {}).get("Lines", []):
            delta[row["ArticleNumber"]] = delta.get(row["ArticleNumber"], Decimal(0)) - Decimal(
                str(row["ReturnedNumberOfItems"]))
        for article, quantity in sorted(delta.items()):
            if quantity:
                current = physical_of(self._inventory.get(article))
                self._inventory.set_physical(article, max(current + quantity, Decimal(0)))

    # -- GetReturnOrdersByQuery ------------------------------------------------------------------

    def query(self, query: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The ReturnOrderInfo records the query selects, by ascending ReturnOrderId."""
        orders = strings(query.get("CustomerOrderNumbersToGet"))
        numbers = strings(query.get("ReturnOrderNumbersToGet"))
        since = as_utc(query["GoodsReturnedFromDate"]) if isinstance(query.get("GoodsReturnedFromDate"),
                                                                      datetime) else None
        status_from, status_to = query.get("ReturnOrderStatusFrom"), query.get("RetunOrderStatusTo")

        def wanted(found: Mapping[str, Any]) -> bool:
            came_in = to_datetime(found.get("ReturnInDate"))
            status = found["ReturnOrderStatusId"]
            return ((orders is None or found["OrderNumber"] in orders)
                    and (numbers is None or found["ReturnOrderNumber"] in numbers)
                    and (since is None or (came_in is not None and came_in >= since))
                    and (status_from is None or status >= status_from)
                    and (status_to is None or status <= status_to))

        with self._store.lock:
            selected = [found for found in self.all() if wanted(found)]
        return [return_order_info(found) for found in sorted(selected, key=lambda r: r["ReturnOrderId"])]


def _row(order: Mapping[str, Any], line: Any, position: int) -> dict[str, Any]:
    where = f"Lines[{position}]"
    if not isinstance(line, dict) or set(line) - LINE_FIELDS:
        raise AdminError(f"{where}: expected an object with ArticleNumber or ExternalOrderLineCode, "
                         f"ToBeReturnedNumberOfItems and/or ReturnedNumberOfItems, optionally ReturnCauseCode/Name")
    code, article = line.get("ExternalOrderLineCode"), line.get("ArticleNumber")
    matches = [ordered for ordered in order["Lines"]
               if (code is not None and ordered.get("ExternalOrderLineCode") == code)
               or (code is None and article is not None and ordered.get("ArticleNumber") == article)]
    if not matches:
        field = "ExternalOrderLineCode" if code is not None else "ArticleNumber"
        raise AdminError(f"{where}.{field}: order {order['GoodsOwnerOrderNumber']} has no line "
                         f"{code if code is not None else article!r}")
    ordered = matches[0]
    picked = Decimal(str(ordered.get("PickedNumberOfItems") or 0))
    returned = _quantity(line, "ReturnedNumberOfItems", where)
    announced = _quantity(line, "ToBeReturnedNumberOfItems", where)
    if returned is None and announced is None:
        raise AdminError(f"{where}: give ToBeReturnedNumberOfItems and/or ReturnedNumberOfItems")
    announced = announced if announced is not None else returned
    returned = returned if returned is not None else Decimal(0)
    for name, value in (("ReturnedNumberOfItems", returned), ("ToBeReturnedNumberOfItems", announced)):
        if value is not None and value > picked:
            raise AdminError(f"{where}.{name}: {value} is more than the line picked ({picked})")
    for name in ("ReturnCauseCode", "ReturnCauseName"):
        if line.get(name) is not None and not isinstance(line[name], str):
            raise AdminError(f"{where}.{name} must be a string, got {line[name]!r}")
    return {"ArticleNumber": ordered["ArticleNumber"], "ArticleName": None,
            "ExternalOrderLineCode": ordered.get("ExternalOrderLineCode"), "PickedNumberOfItems": picked,
            "ToBeReturnedNumberOfItems": announced, "ReturnedNumberOfItems": returned,
            "ReturnCauseCode": line.get("ReturnCauseCode"), "ReturnCauseName": line.get("ReturnCauseName")}


def _quantity(line: Mapping[str, Any], name: str, where: str) -> Decimal | None:
    value = line.get(name)
    if value is None:
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise InvalidOperation
        quantity = Decimal(str(value))
    except InvalidOperation:
        raise AdminError(f"{where}.{name} must be a number, got {value!r}") from None
    if not quantity.is_finite() or quantity < 0:
        raise AdminError(f"{where}.{name} must be a number >= 0, got {value!r}")
    return quantity


def return_order_info(found: Mapping[str, Any]) -> dict[str, Any]:
    """A ReturnOrderInfo as the description has it: every required element, nillable ones None when unknown."""
    return {
        "OrderId": found["OrderId"], "OrderNumber": found["OrderNumber"], "ReturnOrderId": found["ReturnOrderId"],
        "ReturnOrderNumber": found["ReturnOrderNumber"], "ReturnOrderComment": found.get("ReturnOrderComment"),
        "ReturnInDate": to_datetime(found.get("ReturnInDate")), "ReturnCauseCode": found.get("ReturnCauseCode"),
        "ReturnCauseName": found.get("ReturnCauseName"), "ReturnCauseId": None,
        "ReturnOrderLines": {"ReturnOrderLineInfo": [_line_info(line) for line in found["Lines"]]},
        "ReturnOrderStatusId": found["ReturnOrderStatusId"],
        "ReturnOrderStatusText": STATUS_TEXT.get(found["ReturnOrderStatusId"]),
        "Warehouse": WAREHOUSE_INFO,
    }


def _line_info(line: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "ArticleName": line.get("ArticleName"), "ArticleNumber": line["ArticleNumber"],
        "ReturnOrderLineId": line["ReturnOrderLineId"], "ExternalOrderLineCode": line.get("ExternalOrderLineCode"),
        "PickedNumberOfItems": to_decimal(line["PickedNumberOfItems"]),
        "ToBeReturnedNumberOfItems": to_decimal(line["ToBeReturnedNumberOfItems"]),
        "ReturnedNumberOfItems": to_decimal(line["ReturnedNumberOfItems"]),
        "ReturnCauseCode": line.get("ReturnCauseCode"), "ReturnCauseName": line.get("ReturnCauseName"),
        "ReturnCauseId": None, "ParentReturnOrderLineId": None,
        "ReturnedRemovedByInventoryNumberOfItems": Decimal(0),
    }
