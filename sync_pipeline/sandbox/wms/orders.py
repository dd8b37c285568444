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
  full, or as much as the warehouse says it picked of a line (a short pick, set_status's `picked`, by
  ExternalOrderLineCode), and withdraws the picked items from physical stock (never below zero).
  Every change sets LastUpdated; a status change sets OrderStatusChangedTime.
- Parcels: each waybill the warehouse gives (UpdateOrder's, or set_status's WayBill and `parcels`) is
  one OrderTrackingInfo of the order, once; the order's own WayBill is the first one given. The
  transporter the warehouse booked (set_status's `transporter`) is the Order's Transporter.
- UpdateOrder (status and/or waybill) is the warehouse's own action and is allowed at any status.
- Ways of delivery are a register of the goods owner's (WayOfDeliveryType, by Code or by Name) that
  orders link to. CreateOrFind links an existing one unchanged (creates a missing one), CreateOrUpdate
  also gives an existing one the Name sent (every order linked to it shows the new name), Find links
  an existing one and refuses the order if there is none.
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
WAYS_OF_DELIVERY = "way-of-delivery"  # the register, by Code ("name:<Name>" for one made without a code)
WAY_OF_DELIVERY_OPERATIONS = ("CreateOrUpdate", "CreateOrFind", "Find")

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
        way_of_delivery = self._way_of_delivery(co["OrderInfo"].get("WayOfDeliveryType"))
        if existing is None:
            order, verb = self._create(number, co, lines, way_of_delivery), "created"
        else:
            order, verb = self._update(existing, co, lines, way_of_delivery), "updated"
        return order, verb

    def _create(self, number: str, co: Mapping[str, Any], lines: list[dict[str, Any]] | None,
                way_of_delivery: dict[str, Any] | None) -> dict[str, Any]:
        now = self._now()
        order = {"OrderId": self._store.next_id("order-id"), "GoodsOwnerOrderNumber": number,
                 "ConsigneeId": self._store.next_id("consignee-id"), "OrderStatusNumber": statuses.OPEN,
                 "CreatedDate": now, "LastUpdated": now, "OrderStatusChangedTime": now, "ShippedTime": None,
                 "WayBill": None, "Tracking": [], "OrderInfo": {}, "Customer": {}, "Lines": lines or []}
        self._apply_content(order, co, way_of_delivery)
        self._store.put(BY_ID, order["OrderId"], {"GoodsOwnerOrderNumber": number})
        return self._save(order, before={})

    def _update(self, existing: dict[str, Any], co: Mapping[str, Any], lines: list[dict[str, Any]] | None,
                way_of_delivery: dict[str, Any] | None) -> dict[str, Any]:
        before = self._bookings(existing)
        order = dict(existing)
        if lines is not None:
            order["Lines"] = lines
        self._apply_content(order, co, way_of_delivery)
        order["LastUpdated"] = self._now()
        return self._save(order, before)

    def _apply_content(self, order: dict[str, Any], co: Mapping[str, Any],
                       way_of_delivery: dict[str, Any] | None) -> None:
        info = co["OrderInfo"]
        order["OrderInfo"] = {**order["OrderInfo"], **sent(info, INFO_INSTRUCTIONS)}
        if way_of_delivery is not None:
            order["OrderInfo"]["WayOfDeliveryType"] = way_of_delivery
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

    def _way_of_delivery(self, requested: Mapping[str, Any] | None) -> dict[str, Any] | None:
        """The way of delivery the order links to (None: none sent), the register updated as the operation
        says; refuses the order (before anything is kept) for an unknown operation or a Find of a missing one."""
        if not requested:
            return None
        operation = requested.get("WayOfDeliveryTypeOperation")
        identification = requested.get("WayOfDeliveryTypeIdentification")
        if operation not in WAY_OF_DELIVERY_OPERATIONS:
            raise Refused(f"WayOfDeliveryTypeOperation {operation} is not supported; use one of "
                          f"{', '.join(WAY_OF_DELIVERY_OPERATIONS)}")
        if identification not in ("Code", "Name"):
            raise Refused(f"WayOfDeliveryTypeIdentification {identification} is not supported; use Code or Name")
        code, name = text(requested.get("Code")), text(requested.get("Name"))
        wanted = code if identification == "Code" else name
        if not wanted:
            raise Refused(f"WayOfDeliveryType: {identification} is missing")
        found = self._store.get(WAYS_OF_DELIVERY, code) if identification == "Code" else next(
            (way for way in self._store.all(WAYS_OF_DELIVERY) if way.get("Name") == name), None)
        if found is None:
            if operation == "Find":
                raise Refused(f"WayOfDeliveryType with {identification} {wanted} does not exist")
            found = {key: value for key, value in (("Code", code), ("Name", name)) if value}
            self._store.put(WAYS_OF_DELIVERY, code or f"name:{name}", found)
        elif operation == "CreateOrUpdate" and identification == "Code" and name and name != found.get("Name"):
            found = {**found, "Name": name}
            self._store.put(WAYS_OF_DELIVERY, code, found)
            self._rename_linked(found)
        return dict(found)

    def _rename_linked(self, way: Mapping[str, Any]) -> None:
        """Orders link to a way of delivery: each one linked to this code shows its new name."""
        for order in self.all():
            linked = order["OrderInfo"].get("WayOfDeliveryType") or {}
            if linked.get("Code") == way["Code"] and linked.get("Name") != way.get("Name"):
                order["OrderInfo"] = {**order["OrderInfo"], "WayOfDeliveryType": dict(way)}
                self._store.put(KIND, order["GoodsOwnerOrderNumber"], order)

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

    def set_status(self, number: str, status: int, waybill: str | None = None, *,
                   parcels: list[dict[str, str]] | None = None, transporter: dict[str, str] | None = None,
                   picked: Mapping[str, Decimal] | None = None) -> dict[str, Any]:
        """The warehouse moves an order on (admin route); raises UnknownOrder or ValueError.

        parcels: [{"Waybill", "TrackingUrl" (optional)}] besides `waybill`; transporter: {"Code", "Name",
        "ServiceCode"}; picked: ExternalOrderLineCode -> items picked, for the lines not picked in full,
        given when the order ships.
        """
        if not statuses.is_known(status):
            raise ValueError(f"unknown order status {status}; known: {sorted(statuses.STANDARD_STATUSES)}")
        with self._store.lock:
            order = self.get(number)
            if order is None:
                raise UnknownOrder(f"order {number} does not exist")
            if picked:
                _check_picked(order, status, picked)
            if transporter:
                order = {**order, "Transporter": dict(transporter)}
            return self._change(order, status, waybill, parcels=parcels or [], picked=picked or {})

    def _change(self, order: dict[str, Any], status: int, waybill: str | None = None, *,
                parcels: list[dict[str, str]] | None = None,
                picked: Mapping[str, Decimal] | None = None) -> dict[str, Any]:
        now = self._now()
        before = self._bookings(order)
        order = dict(order)
        if status != order["OrderStatusNumber"]:
            order["OrderStatusNumber"] = status
            order["OrderStatusChangedTime"] = now
        if statuses.has_left_warehouse(status) and not order.get("ShippedTime"):
            order["ShippedTime"] = now
            order["Lines"] = [dict(line) for line in order["Lines"]]
            for line in order["Lines"]:
                quantity = (picked or {}).get(line.get("ExternalOrderLineCode") or "", line["NumberOfItems"])
                line["PickedNumberOfItems"] = quantity
                self._inventory.withdraw(self._number_of(line), Decimal(str(quantity)))
        given = ([{"Waybill": waybill}] if waybill else []) + list(parcels or [])
        if waybill is not None and waybill != order.get("WayBill"):
            order["WayBill"] = waybill
        elif not order.get("WayBill") and given:
            order["WayBill"] = given[0]["Waybill"]
        tracked = {t["Waybill"] for t in order.get("Tracking", [])}
        for parcel in given:
            if parcel["Waybill"] not in tracked:
                tracked.add(parcel["Waybill"])
                order["Tracking"] = [*order.get("Tracking", []), {**parcel, "Created": now}]
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


def _check_picked(order: Mapping[str, Any], status: int, picked: Mapping[str, Decimal]) -> None:
    """Picked quantities are the warehouse's when it ships: for lines of the order, none above what was ordered."""
    if not statuses.has_left_warehouse(status) or order.get("ShippedTime"):
        raise ValueError(f"order {order['GoodsOwnerOrderNumber']}: picked quantities are given when the order "
                         f"ships (status {statuses.SENT} or later, the first time)")
    ordered = {line.get("ExternalOrderLineCode"): Decimal(str(line["NumberOfItems"])) for line in order["Lines"]}
    for code, quantity in picked.items():
        if code not in ordered:
            raise ValueError(f"order {order['GoodsOwnerOrderNumber']}: no line with ExternalOrderLineCode {code}; "
                             f"lines: {', '.join(sorted(str(c) for c in ordered))}")
        if not 0 <= quantity <= ordered[code]:
            raise ValueError(f"order {order['GoodsOwnerOrderNumber']}, line {code}: picked {quantity} must be from 0 "
                             f"to the {ordered[code]} ordered")


def _update_result(success: bool, message: str, order_id: int | None = None) -> dict[str, Any]:
    return {"Success": success, "Message": message, "OrderId": order_id}
