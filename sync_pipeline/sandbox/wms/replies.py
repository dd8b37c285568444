"""Stored documents as reply values: InventoryLine, OrderStatus (Order in order_reply.py, ArticleClass in
article_class.py).

Every element the schema requires is given: nillable ones as None when unknown, required date-times
that are not nillable as NOT_SET_DATE (0001-01-01T00:00:00, as the real service renders them). The
optional elements the real service fills are given when the sandbox has a value: what the client
wrote (kept whole, see articles.py), and what the warehouse knows itself (held and allocated items, the
last time stock came in, items to receive).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from sync_pipeline.sandbox.wms.article_class import article_class
from sync_pipeline.sandbox.wms.inventory import ALLOCATED, PICKED, TO_RECEIVE, booked_of, physical_of, quantity_of
from sync_pipeline.sandbox.wms.values import to_datetime, to_decimal

GOODS_OWNER_ID = 1  # invented: the sandbox's one goods owner

Document = Mapping[str, Any]


def inventory_line(article: Document, stock: Document | None, supplier: Document | None) -> dict[str, Any]:
    physical, booked = physical_of(stock), booked_of(stock)
    zero = Decimal(0)
    purchase_price = to_decimal(article.get("PurchasePrice")) or zero
    return {
        "Article": article_class(article, supplier),
        "NumberOfBookedItems": int(booked), "NumberOfItems": int(physical), "NumberOfLockedItems": zero,
        "LastInDate": to_datetime((stock or {}).get("LastInDate")),
        "ToReceiveNumberOfItems": quantity_of(stock, TO_RECEIVE),
        "AllocatedNumberOfItems": quantity_of(stock, ALLOCATED), "LockedForSaleNumberOfItems": zero,
        "NumberOfItemsDecimal": physical, "NumberOfBookedItemsDecimal": booked,
        "PickedToBeCollectedNumberOfItems": quantity_of(stock, PICKED), "ReceivedToBeFinishedNumberOfItems": zero,
        "TotalStockValuationPrice": physical * purchase_price, "SellableNumberOfItems": physical - booked,
        "PickedToBeReportedNumberOfItems": zero, "ReturnedToBeReportedNumberOfItems": zero,
        "ReceivedToBeReportedNumberOfItems": zero,
    }


def order_status(number: int, name: str) -> dict[str, Any]:
    return {"OrderStatusId": number, "OrderStatusName": name}
