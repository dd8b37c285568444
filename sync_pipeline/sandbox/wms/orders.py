"""Customer orders: ProcessOrder (Create / CreateOrUpdate / Update / Remove), UpdateOrder and status changes.

- Orders are identified by GoodsOwnerOrderNumber. A new order gets an OrderId and status 200 Open.
- Create of an existing number, Update/Remove of an unknown one: refused. Any change (CreateOrUpdate,
  Update, Remove) of an order that reached 300 Released or more, or was cancelled: refused.
- Every element of the CustomerOrder is kept as sent (OrderInfo, Customer and each line whole, the other
  parts under their own names); GetOrdersByQuery shows them where Order has them (replies.py).
- On an update, OrderInfo and Customer fields sent overwrite the stored ones, fields not sent are kept
  (so are the other parts not sent); CustomerOrderLines, when sent, replace all lines (lines keep their
  OrderLineSystemId by ExternalOrderLineCode).
- Each line names its article as its ArticleIdentification says (ArticleNumber or ProductCode). An
  unknown article, a duplicate ExternalOrderLineCode or NumberOfItems <= 0 refuses the whole order.
- Remove cancels (status 1000). Orders hold their items in stock by status (inventory.HOLDS).
- Reaching 450 Sent (or any later shipped status) the first time sets ShippedTime, picks every line in
  full and withdraws the picked items from physical stock (never below zero: the sandbox does not
  model shortages). Every change sets LastUpdated; a status change sets OrderStatusChangedTime.
- UpdateOrder (status and/or waybill) is the warehouse's own action and is allowed at any status.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Callable, Mapping

from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.values import items
from sync_pipeline.sandbox.views import View
from sync_pipeline.sandbox.wms import statuses
from sync_pipeline.sandbox.wms.articles import ArticleRegistry
from sync_pipeline.sandbox.wms.inventory import Inventory, held_in
from sync_pipeline.sandbox.wms.results import Refused, file_result, refused_result
from sync_pipeline.sandbox.wms.values import sent, text

KIND = "order"
BY_ID = "order-by-id"

# How a request finds the record and what it asks for (not data), and what the warehouse sets itself.
INFO_INSTRUCTIONS = ("OrderIdentification", "OrderOperation", "OrderId", "GoodsOwnerOrderNumber", "WayOfDeliveryType")
CUSTOMER_INSTRUCTIONS = ("CustomerOperation", "CustomerIdentification", "CustomerId", "DeliveryAddressId",
                         "InvoiceAddressId", "InvoiceAddress")
LINE_INSTRUCTIONS = ("OrderLineIdentification", "ArticleIdentification", "SubOrderLineSpecification",
                     "OrderLineSystemId", "ArticleSystemId", "ArticleNumber", "ProductCode", "NumberOfItems")
# The CustomerOrder's parts kept apart from the order's own fields.
OWN_PARTS = ("OrderInfo", "Customer", "CustomerOrderLines")


class UnknownOrder(LookupError):
    pass


class OrderBook:
    def __init__(self, store: Store, articles: ArticleRegistry, inventory: Inventory,
                 now: Callable[[], datetime]):
        self._store = store
        self._articles = articles
        self._inventory = inventory
        self._now = now

    # -- lookups ---------------------------------------------------------------------------------

    def get(self, number: str) -> dict[str, Any] | None:
        return self._store.get(KIND, number)

    def by_id(self, order_id: int | None) -> dict[str, Any] | None:
        index = self._store.get(BY_ID, order_id) if order_id is not None else None
        return self.get(index["GoodsOwnerOrderNumber"]) if index else None

    def all(self) -> list[dict[str, Any]]:
        return list(self._store.all(KIND))

    def view(self) -> View:
        """The orders as they are now, read-only (see sandbox.views)."""
        return self._store.view(KIND)

    # -- ProcessOrder ----------------------------------------------------------------------------

    def process(self, co: Mapping[str, Any] | None) -> dict[str, Any]:
        info = (co or {}).get("OrderInfo")
        if not info:
            raise Refused("OrderInfo is missing")
        identification = info.get("OrderIdentification")
        if identification != "GoodsOwnerOrderNumber":
            raise Refused(f"OrderIdentification {identification} is not supported by the sandbox; "
                          "use GoodsOwnerOrderNumber")
        number = text(info.get("GoodsOwnerOrderNumber"))
        if not number:
            raise Refused("GoodsOwnerOrderNumber is missing")
        with self._store.lock:
            existing = self.get(number)
            try:
                order, verb = self._process(info["OrderOperation"], number, existing, co or {})
            except Refused as refusal:
                return refused_result(refusal.message, order_id=existing["OrderId"] if existing else 0,
                                      goods_owner_order_number=number)
        return file_result(f"Order {number} {verb}", order_id=order["OrderId"], goods_owner_order_number=number)

    def _process(self, operation: str, number: str, existing: dict[str, Any] | None,
                 co: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
        if operation == "Create" and existing is not None:
            raise Refused(f"Order {number} already exists (OrderId {existing['OrderId']})")
        if operation in ("Update", "Remove") and existing is None:
            raise Refused(f"Order {number} does not exist")
        if operation not in ("Create", "CreateOrUpdate", "Update", "Remove"):
            raise Refused(f"OrderOperation {operation} is not supported by the sandbox")
        if existing is not None:
            _check_changeable(existing)
        if operation == "Remove":
            return self._change(existing, statuses.CANCELLED), "cancelled"
        lines = self._resolve_lines(co.get("CustomerOrderLines"), existing)
        if existing is None:
            return self._create(number, co, lines), "created"
        return self._update(existing, co, lines), "updated"

    def _create(self, number: str, co: Mapping[str, Any], lines: list[dict[str, Any]] | None) -> dict[str, Any]:
        now = self._now()
        order = {"OrderId": self._store.next_id("order-id"), "GoodsOwnerOrderNumber": number,
                 "ConsigneeId": self._store.next_id("consignee-id"), "OrderStatusNumber": statuses.OPEN,
                 "CreatedDate": now, "LastUpdated": now, "OrderStatusChangedTime": now, "ShippedTime": None,
                 "WayBill": None, "Tracking": [], "OrderInfo": {}, "Customer": {}, "Lines": lines or []}
        self._apply_content(order, co)
        self._store.put(BY_ID, order["OrderId"], {"GoodsOwnerOrderNumber": number})
        return self._save(order, before={})

    def _update(self, existing: dict[str, Any], co: Mapping[str, Any],
                lines: list[dict[str, Any]] | None) -> dict[str, Any]:
        before = self._bookings(existing)
        order = dict(existing)
        if lines is not None:
            order["Lines"] = lines
        self._apply_content(order, co)
        order["LastUpdated"] = self._now()
        return self._save(order, before)

    def _apply_content(self, order: dict[str, Any], co: Mapping[str, Any]) -> None:
        info = co["OrderInfo"]
        order["OrderInfo"] = {**order["OrderInfo"], **sent(info, INFO_INSTRUCTIONS)}
        delivery_type = sent(info.get("WayOfDeliveryType") or {})
        if delivery_type.keys() & {"Code", "Name"}:
            order["OrderInfo"]["WayOfDeliveryType"] = {key: delivery_type[key] for key in ("Code", "Name")
                                                       if key in delivery_type}
        customer = co.get("Customer")
        if customer:
            merged = {**order["Customer"], **sent(customer, CUSTOMER_INSTRUCTIONS)}
            invoice = sent(customer.get("InvoiceAddress") or {})
            if invoice:
                merged["InvoiceAddress"] = {**merged.get("InvoiceAddress", {}), **invoice}
                order.setdefault("InvoiceAddressId", self._store.next_id("address-id"))
            order["Customer"] = merged
        order.update(sent(co, OWN_PARTS))  # CommunicationInfo, TransporterContract, CustomerOrderTextLines...

    def _resolve_lines(self, wrapper: Mapping[str, Any] | None,
                       existing: dict[str, Any] | None) -> list[dict[str, Any]] | None:
        """The order's new lines (None: lines not sent, keep them); refuses the order for a bad line."""
        if wrapper is None:
            return None
        kept_ids = {line["ExternalOrderLineCode"]: line["OrderLineSystemId"]
                    for line in (existing or {}).get("Lines", []) if line.get("ExternalOrderLineCode")}
        seen: set[str] = set()
        resolved = []
        for position, line in enumerate(items(wrapper, "CustomerOrderLine"), start=1):
            code = text(line.get("ExternalOrderLineCode"))
            label = code or f"#{position}"
            if line.get("OrderLineIdentification") == "ExternalOrderLineCode" and not code:
                raise Refused(f"Order line {label}: ExternalOrderLineCode is missing")
            if code and code in seen:
                raise Refused(f"ExternalOrderLineCode {code} is used by more than one order line")
            seen.add(code)
            article = self._article_of(line, label)
            quantity = line.get("NumberOfItems")
            if quantity is None or quantity <= 0:
                raise Refused(f"Order line {label}: NumberOfItems must be greater than 0 (got {quantity})")
            resolved.append({**sent(line, LINE_INSTRUCTIONS),
                             "OrderLineSystemId": kept_ids.get(code), "ExternalOrderLineCode": code or None,
                             "ArticleSystemId": article["SystemId"], "ArticleNumber": article["ArticleNumber"],
                             "NumberOfItems": quantity, "PickedNumberOfItems": Decimal(0)})
        for line in resolved:  # ids only once the whole order is accepted
            line["OrderLineSystemId"] = line["OrderLineSystemId"] or self._store.next_id("order-line-id")
        return resolved

    def _article_of(self, line: Mapping[str, Any], label: str) -> dict[str, Any]:
        identification = line.get("ArticleIdentification")
        if identification == "ArticleNumber":
            number = text(line.get("ArticleNumber"))
            found = self._articles.get(number) if number else None
        elif identification == "ProductCode":
            number = text(line.get("ProductCode"))
            found = self._articles.by_product_code(number) if number else None
        else:
            raise Refused(f"Order line {label}: ArticleIdentification {identification} is not supported by "
                          "the sandbox; use ArticleNumber or ProductCode")
        if not number:
            raise Refused(f"Order line {label}: {identification} is missing")
        if found is None:
            raise Refused(f"Order line {label}: article with {identification} {number} does not exist")
        return found

    # -- status changes --------------------------------------------------------------------------

    def update(self, request: Mapping[str, Any] | None) -> dict[str, Any]:
        """UpdateOrder: the answer is UpdateOrderResult{Success, Message, OrderId}."""
        request = request or {}
        identification = request.get("OrderUpdateIdentification") or {}
        kind = identification.get("OrderIdentificationType")
        with self._store.lock:
            if kind == "GoodsOwnerOrderNumber":
                wanted = text(identification.get("GoodsOwnerOrderNumber"))
                order = self.get(wanted) if wanted else None
            elif kind == "SystemId":
                wanted = str(identification.get("OrderId"))
                order = self.by_id(identification.get("OrderId"))
            else:
                return _update_result(False, f"OrderIdentificationType {kind} is not supported by the sandbox")
            if order is None:
                return _update_result(False, f"Order {wanted} does not exist")
            status = (request.get("UpdateOrderStatus") or {}).get("OrderStatus")
            if status is not None and not statuses.is_known(status):
                return _update_result(False, f"Unknown order status {status}", order["OrderId"])
            waybill = (request.get("UpdateOrderWaybill") or {}).get("Waybill")
            self._change(order, order["OrderStatusNumber"] if status is None else status, waybill)
        return _update_result(True, f"Order {order['GoodsOwnerOrderNumber']} updated", order["OrderId"])

    def set_status(self, number: str, status: int, waybill: str | None = None) -> dict[str, Any]:
        """The warehouse moves an order on (admin route); raises UnknownOrder or ValueError."""
        if not statuses.is_known(status):
            raise ValueError(f"unknown order status {status}; known: {sorted(statuses.STANDARD_STATUSES)}")
        with self._store.lock:
            order = self.get(number)
            if order is None:
                raise UnknownOrder(f"order {number} does not exist")
            return self._change(order, status, waybill)

    def _change(self, order: dict[str, Any], status: int, waybill: str | None = None) -> dict[str, Any]:
        now = self._now()
        before = self._bookings(order)
        order = dict(order)
        if status != order["OrderStatusNumber"]:
            order["OrderStatusNumber"] = status
            order["OrderStatusChangedTime"] = now
        if statuses.has_left_warehouse(status) and not order.get("ShippedTime"):
            order["ShippedTime"] = now
            for line in order["Lines"]:
                line["PickedNumberOfItems"] = line["NumberOfItems"]
                self._inventory.withdraw(self._number_of(line), Decimal(str(line["NumberOfItems"])))
        if waybill is not None and waybill != order.get("WayBill"):
            order["WayBill"] = waybill
            if waybill:
                order["Tracking"] = [*order.get("Tracking", []), {"Waybill": waybill, "Created": now}]
        order["LastUpdated"] = now
        return self._save(order, before)

    # -- stock bookings --------------------------------------------------------------------------

    def _number_of(self, line: Mapping[str, Any]) -> str:
        """The line's article number now (the article may have been renamed since)."""
        article = self._articles.by_system_id(line["ArticleSystemId"])
        return article["ArticleNumber"] if article else line["ArticleNumber"]

    def _bookings(self, order: Mapping[str, Any]) -> dict[tuple[str, str], Decimal]:
        """The items the order holds: (article number, stock field) -> quantity."""
        held: dict[tuple[str, str], Decimal] = {}
        for field in held_in(order["OrderStatusNumber"]):
            for line in order["Lines"]:
                key = (self._number_of(line), field)
                held[key] = held.get(key, Decimal(0)) + Decimal(str(line["NumberOfItems"]))
        return held

    def _save(self, order: dict[str, Any], before: Mapping[tuple[str, str], Decimal]) -> dict[str, Any]:
        self._store.put(KIND, order["GoodsOwnerOrderNumber"], order)
        after = self._bookings(order)
        changes: dict[str, dict[str, Decimal]] = {}
        for number, field in before.keys() | after.keys():
            delta = after.get((number, field), Decimal(0)) - before.get((number, field), Decimal(0))
            if delta:
                changes.setdefault(number, {})[field] = delta
        for number, deltas in sorted(changes.items()):
            self._inventory.hold(number, deltas)
        return self._store.get(KIND, order["GoodsOwnerOrderNumber"])


def _check_changeable(order: Mapping[str, Any]) -> None:
    status = order["OrderStatusNumber"]
    if status == statuses.CANCELLED:
        raise Refused(f"Order cannot be updated, it is cancelled (status {status})")
    if statuses.warehouse_started(status):
        raise Refused(f"Order cannot be updated, the warehouse has started working on it (status {status})")


def _update_result(success: bool, message: str, order_id: int | None = None) -> dict[str, Any]:
    return {"Success": success, "Message": message, "OrderId": order_id}
