"""The WMS sandbox's own admin routes (under /_sandbox/), the warehouse staff's side of the system.

POST stock                       {"ArticleNumber": "SKU-1001", "NumberOfItems": 12} or a list of them:
                                 sets physical stock (allowed before the article exists).
POST orders/<number>/status      {"OrderStatusNumber": 450, "WayBill": "...", "Parcels": [...],
                                 "Transporter": {...}, "Picked": {...}}: moves an order on (450 Sent ships
                                 it: ShippedTime, picked quantities, stock withdrawn); see _set_status.
POST demo                        loads the demo stock (as --seed-demo does).
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from decimal import Decimal, InvalidOperation
from typing import Any, Callable
from urllib.parse import unquote

from sync_pipeline.sandbox.server import AdminError
from sync_pipeline.sandbox.wms import statuses
from sync_pipeline.sandbox.wms.inventory import Inventory, booked_of, sellable_of
from sync_pipeline.sandbox.wms.orders import OrderBook, UnknownOrder
from sync_pipeline.sandbox.wms.writes import WriteInProgress

ORDER_STATUS_ROUTE = re.compile(r"orders/(?P<number>[^/]+)/status")
STOCK_FIELDS = {"ArticleNumber", "NumberOfItems"}
STATUS_FIELDS = {"OrderStatusNumber", "WayBill", "Parcels", "Transporter", "Picked"}
PARCEL_FIELDS = {"Waybill", "TrackingUrl"}
TRANSPORTER_FIELDS = {"Code", "Name", "ServiceCode"}


class WmsAdmin:
    def __init__(self, orders: OrderBook, inventory: Inventory, write: Callable[[], AbstractContextManager[None]],
                 seed_demo: Callable[[], None]):
        self._orders = orders
        self._inventory = inventory
        self._write = write  # the goods owner's write slot, as a context manager
        self._seed_demo = seed_demo

    def handle(self, method: str, route: str, body: Any) -> Any:
        try:
            if (method, route) == ("POST", "stock"):
                return self._set_stock(body)
            match = ORDER_STATUS_ROUTE.fullmatch(route)
            if method == "POST" and match:
                return self._set_status(unquote(match["number"]), body)
            if (method, route) == ("POST", "demo"):
                with self._write():
                    self._seed_demo()
                return {"seeded": True}
        except WriteInProgress as exc:
            raise AdminError(str(exc), 409) from exc
        raise AdminError(f"unknown admin route: {method} /_sandbox/{route}", 404)

    def _set_stock(self, body: Any) -> dict[str, Any]:
        entries = body if isinstance(body, list) else [body]
        if not entries:
            raise AdminError("expected {\"ArticleNumber\": ..., \"NumberOfItems\": ...} or a non-empty list of them")
        wanted = [_stock_entry(entry, position) for position, entry in enumerate(entries, start=1)]
        with self._write():
            saved = [self._inventory.set_physical(number, quantity) for number, quantity in wanted]
        return {"stock": [stock_summary(stock) for stock in saved]}

    def _set_status(self, number: str, body: Any) -> dict[str, Any]:
        """{"OrderStatusNumber": 450, "WayBill": "WB-1", "Parcels": ["WB-2", {"Waybill": "WB-3", "TrackingUrl":
        "…"}], "Transporter": {"Code": "PN", "Name": "PostNord"}, "Picked": {"2": 1}}: all but the status
        optional. Parcels are the order's further waybills (one tracking entry each); Picked, by
        ExternalOrderLineCode, what was picked of the lines not picked in full (a short pick)."""
        if not isinstance(body, dict) or set(body) - STATUS_FIELDS or "OrderStatusNumber" not in body:
            raise AdminError('expected {"OrderStatusNumber": <int>, "WayBill": <optional string>, "Parcels": '
                             '<optional list>, "Transporter": <optional object>, "Picked": <optional object>}')
        status, waybill = body["OrderStatusNumber"], body.get("WayBill")
        if not isinstance(status, int) or isinstance(status, bool):
            raise AdminError(f"OrderStatusNumber must be an integer, got {status!r}")
        if not statuses.is_known(status):
            raise AdminError(f"unknown order status {status}; known: {sorted(statuses.STANDARD_STATUSES)}")
        if waybill is not None and not isinstance(waybill, str):
            raise AdminError(f"WayBill must be a string, got {waybill!r}")
        parcels = [_parcel(parcel, position) for position, parcel in enumerate(body.get("Parcels") or [], start=1)]
        transporter = _transporter(body.get("Transporter"))
        picked = _picked(body.get("Picked"))
        with self._write():
            try:
                order = self._orders.set_status(number, status, waybill, parcels=parcels, transporter=transporter,
                                                picked=picked)
            except UnknownOrder as exc:
                raise AdminError(str(exc), 404) from exc
            except ValueError as exc:
                raise AdminError(str(exc)) from exc
        return order_summary(order)


def _parcel(parcel: Any, position: int) -> dict[str, str]:
    if isinstance(parcel, str):
        parcel = {"Waybill": parcel}
    if not isinstance(parcel, dict) or set(parcel) - PARCEL_FIELDS or not isinstance(parcel.get("Waybill"), str) \
            or not parcel["Waybill"].strip() or not all(isinstance(v, str) for v in parcel.values()):
        raise AdminError(f"parcel {position}: expected a waybill or {{\"Waybill\": <string>, \"TrackingUrl\": "
                         f"<optional string>}}, got {parcel!r}")
    return {**parcel, "Waybill": parcel["Waybill"].strip()}


def _transporter(transporter: Any) -> dict[str, str] | None:
    if transporter is None:
        return None
    if not isinstance(transporter, dict) or not transporter or set(transporter) - TRANSPORTER_FIELDS \
            or not all(isinstance(v, str) for v in transporter.values()):
        raise AdminError(f"Transporter: expected {{\"Code\", \"Name\", \"ServiceCode\"}} strings, got {transporter!r}")
    return dict(transporter)


def _picked(picked: Any) -> dict[str, Decimal]:
    if picked is None:
        return {}
    if not isinstance(picked, dict):
        raise AdminError(f"Picked: expected {{\"<ExternalOrderLineCode>\": <items picked>}}, got {picked!r}")
    quantities = {}
    for code, quantity in picked.items():
        if isinstance(quantity, bool) or not isinstance(quantity, (int, float, str)):
            raise AdminError(f"Picked[{code}]: must be a number, got {quantity!r}")
        try:
            quantities[str(code)] = Decimal(str(quantity))
        except InvalidOperation as exc:
            raise AdminError(f"Picked[{code}]: must be a number, got {quantity!r}") from exc
    return quantities


def _stock_entry(entry: Any, position: int) -> tuple[str, Decimal]:
    where = f"stock entry {position}"
    if not isinstance(entry, dict):
        raise AdminError(f"{where}: expected an object with ArticleNumber and NumberOfItems")
    unknown = set(entry) - STOCK_FIELDS
    if unknown:
        raise AdminError(f"{where}: unknown fields {sorted(unknown)}; expected ArticleNumber and NumberOfItems")
    number = entry.get("ArticleNumber")
    if not isinstance(number, str) or not number.strip():
        raise AdminError(f"{where}: ArticleNumber must be a non-empty string")
    quantity = entry.get("NumberOfItems")
    if isinstance(quantity, bool) or not isinstance(quantity, (int, float, str)):
        raise AdminError(f"{where}: NumberOfItems must be a number, got {quantity!r}")
    try:
        value = Decimal(str(quantity))
    except InvalidOperation as exc:
        raise AdminError(f"{where}: NumberOfItems must be a number, got {quantity!r}") from exc
    if not value.is_finite() or value < 0:
        raise AdminError(f"{where}: NumberOfItems must be a number >= 0, got {quantity!r}")
    return number.strip(), value


def stock_summary(stock: dict[str, Any]) -> dict[str, Any]:
    return {"ArticleNumber": stock["ArticleNumber"], "NumberOfItems": str(stock["NumberOfItems"]),
            "NumberOfBookedItems": str(booked_of(stock)), "SellableNumberOfItems": str(sellable_of(stock)),
            "StockInfoChanged": stock.get("StockInfoChanged")}


def order_summary(order: dict[str, Any]) -> dict[str, Any]:
    return {"GoodsOwnerOrderNumber": order["GoodsOwnerOrderNumber"], "OrderId": order["OrderId"],
            "OrderStatusNumber": order["OrderStatusNumber"],
            "OrderStatusText": statuses.name_of(order["OrderStatusNumber"]),
            "ShippedTime": order.get("ShippedTime"), "WayBill": order.get("WayBill"),
            "Tracking": [t["Waybill"] for t in order.get("Tracking", [])],
            "Picked": {str(line.get("ExternalOrderLineCode")): str(line["PickedNumberOfItems"])
                       for line in order["Lines"]}}
