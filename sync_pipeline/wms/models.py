"""What the pipeline reads from and gets back from Ongoing WMS, with the WSDL's names.

Replies arrive as plain dicts (zeep.helpers.serialize_object); the `from_reply` constructors
pick the fields the pipeline uses and normalise them: times become aware UTC datetimes, the
service's "not set" date (0001-01-01) becomes None, and missing arrays become empty lists. A record
of a page without its id (a nil item, which zeep gives as a record of Nones) is skipped with a
warning, so the rest of the page is still read; a nil line or tracking entry of an order is none.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from decimal import Decimal
from typing import Any, Mapping, Self

from pydantic import BaseModel, ConfigDict

from sync_pipeline.soap.errors import RecordError
from sync_pipeline.soap.values import unwrap_array, utc_or_none

log = logging.getLogger(__name__)


class WmsModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _decimal(value: Any) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


_MISSING_ARTICLE = re.compile(r"\barticle\b.*\b(does not exist|not found|could not be found)", re.IGNORECASE)


class WriteResult(WmsModel):
    """The outcome of one write; `success=False` means the service refused this record."""

    success: bool
    key: str
    message: str | None = None
    order_id: int | None = None
    article_def_id: int | None = None

    @classmethod
    def from_file_result(cls, key: str, result: Mapping[str, Any] | None) -> "WriteResult":
        """From a FileResultClass (ProcessArticle, ProcessOrder)."""
        if result is None:
            return cls(success=False, key=key, message="the service returned no result")
        message = result.get("ErrorMessage") or result.get("Message") or None
        return cls(
            success=bool(result.get("Success")),
            key=key,
            message=message,
            order_id=result.get("OrderId") or None,  # 0 for writes that are not orders
            article_def_id=result.get("ArticleDefId") or None,
        )

    @classmethod
    def from_update_order_result(cls, key: str, result: Mapping[str, Any] | None) -> "WriteResult":
        if result is None:
            return cls(success=False, key=key, message="the service returned no result")
        return cls(
            success=bool(result.get("Success")),
            key=key,
            message=result.get("Message") or None,
            order_id=result.get("OrderId") or None,
        )

    def record_error(self) -> RecordError | None:
        """The refusal as a per-record error for the pipeline; None when the write succeeded.

        A refusal for an article the warehouse does not have (yet) is retryable: the article sync
        creates it (it may have failed or been cut short this time), and the order then goes through.
        Any other refusal would come back the same, so it is not.
        """
        if self.success:
            return None
        message = self.message or "refused without a message"
        return RecordError(key=self.key, message=message, retryable=bool(_MISSING_ARTICLE.search(message)))


class InventoryLine(WmsModel):
    """Stock of one article. NumberOfItems is physical stock (the service's NumberOfItemsDecimal);
    SellableNumberOfItems already excludes booked items and may be negative."""

    ArticleSystemId: int
    ArticleNumber: str | None = None
    ProductCode: str | None = None
    ArticleName: str | None = None
    # What the warehouse shows of the article's definition, to compare with what the ERP says (wms/held.py).
    Description: str | None = None
    BarCode: str | None = None
    Weight: Decimal | None = None
    MainSupplierNumber: str | None = None
    MainSupplierName: str | None = None
    # Customs data (sync/customs.py): HS code, country of origin, and Price, the article's customs value.
    StatisticsNumber: str | None = None
    CountryOfOriginCode: str | None = None
    Price: Decimal | None = None
    NumberOfItems: Decimal
    NumberOfBookedItems: Decimal
    SellableNumberOfItems: Decimal

    @classmethod
    def from_reply(cls, line: Mapping[str, Any]) -> "InventoryLine":
        """From an InventoryLine as zeep's plain values; it reads only INVENTORY_LINE_ELEMENTS of them."""
        article = line.get("Article") or {}
        return cls(
            ArticleSystemId=article["SystemId"],
            ArticleNumber=article.get("ArticleNumber"),
            ProductCode=article.get("ProductCode"),
            ArticleName=article.get("Name"),
            Description=article.get("Description"),
            BarCode=article.get("BarCode"),
            Weight=article.get("Weight"),
            MainSupplierNumber=article.get("MainSupplierNumber"),
            MainSupplierName=article.get("MainSupplierName"),
            StatisticsNumber=article.get("StatisticsNumber"),
            CountryOfOriginCode=article.get("CountryOfOriginCode"),
            Price=article.get("Price"),
            NumberOfItems=_decimal(line.get("NumberOfItemsDecimal")),
            NumberOfBookedItems=_decimal(line.get("NumberOfBookedItemsDecimal")),
            SellableNumberOfItems=_decimal(line.get("SellableNumberOfItems")),
        )


# What InventoryLine.from_reply reads of a line, in the shape of zeep's values (a dict: a complex
# element and what it reads of it). The fast path (wms/fast_inventory.py) reads these and no others.
INVENTORY_LINE_ELEMENTS: dict[str, Any] = {
    "Article": {"SystemId": None, "ArticleNumber": None, "ProductCode": None, "Name": None, "Description": None,
                "BarCode": None, "Weight": None, "MainSupplierNumber": None, "MainSupplierName": None,
                "StatisticsNumber": None, "CountryOfOriginCode": None, "Price": None},
    "NumberOfItemsDecimal": None, "NumberOfBookedItemsDecimal": None, "SellableNumberOfItems": None,
}


class OrderAddress(WmsModel):
    Name: str | None = None
    Address: str | None = None
    PostCode: str | None = None
    City: str | None = None
    CountryCode: str | None = None
    CountryStateCode: str | None = None
    TelePhone: str | None = None
    MobilePhone: str | None = None
    Email: str | None = None

    @classmethod
    def from_reply(cls, data: Mapping[str, Any] | None) -> Self | None:
        if not data:
            return None
        return cls(**{name: data.get(name) for name in cls.model_fields})


class OrderConsignee(OrderAddress):
    """Where the order goes (the order's customer)."""

    CustomerNumber: str | None = None


class OrderInvoiceAddress(OrderAddress):
    pass


class PickedLine(WmsModel):
    OrderLineSystemId: int | None = None
    ExternalOrderLineCode: str | None = None
    ArticleSystemId: int | None = None
    ArticleNumber: str | None = None
    ProductCode: str | None = None
    OrderedNumberOfItems: Decimal
    PickedNumberOfItems: Decimal

    @classmethod
    def from_reply(cls, line: Mapping[str, Any]) -> "PickedLine":
        article = line.get("Article") or {}
        return cls(
            OrderLineSystemId=line.get("OrderLineSystemId"),
            ExternalOrderLineCode=line.get("ExternalOrderLineCode"),
            ArticleSystemId=article.get("SystemId"),
            ArticleNumber=article.get("ArticleNumber"),
            ProductCode=article.get("ProductCode"),
            OrderedNumberOfItems=_decimal(line.get("OrderedNumberOfItems")),
            PickedNumberOfItems=_decimal(line.get("PickedNumberOfItems")),
        )


class TrackingInfo(WmsModel):
    Waybill: str | None = None
    TrackingUrl: str | None = None
    Created: datetime | None = None
    IsReturn: bool = False

    @classmethod
    def from_reply(cls, data: Mapping[str, Any]) -> "TrackingInfo":
        return cls(
            Waybill=data.get("Waybill"),
            TrackingUrl=data.get("TrackingUrl"),
            Created=utc_or_none(data.get("Created")),
            IsReturn=bool(data.get("IsReturn")),
        )


class WmsOrder(WmsModel):
    OrderId: int
    GoodsOwnerOrderNumber: str | None = None
    ReferenceNumber: str | None = None
    OrderStatusNumber: int
    OrderStatusText: str | None = None
    ShippedTime: datetime | None = None
    WayBill: str | None = None
    DeliveryDate: datetime | None = None
    Consignee: OrderConsignee | None = None
    InvoiceAddress: OrderInvoiceAddress | None = None
    Lines: list[PickedLine] = []
    Tracking: list[TrackingInfo] = []
    Carrier: str | None = None  # who carries it: the booked Transporter, else the order's way of delivery

    @property
    def waybills(self) -> list[str]:
        """Every outbound waybill of the order, the order's own first, without repeats."""
        found = [self.WayBill] + [t.Waybill for t in self.Tracking if not t.IsReturn]
        return list(dict.fromkeys(w for w in found if w))

    @classmethod
    def from_reply(cls, order: Mapping[str, Any]) -> "WmsOrder":
        info = order.get("OrderInfo") or {}
        consignee = order.get("Consignee") or {}
        return cls(
            OrderId=info["OrderId"],
            GoodsOwnerOrderNumber=info.get("GoodsOwnerOrderNumber"),
            ReferenceNumber=info.get("ReferenceNumber"),
            OrderStatusNumber=info["OrderStatusNumber"],
            OrderStatusText=info.get("OrderStatusText"),
            ShippedTime=utc_or_none(info.get("ShippedTime")),
            WayBill=info.get("WayBill") or None,
            DeliveryDate=utc_or_none(info.get("DeliveryDate")),
            Consignee=OrderConsignee.from_reply(consignee),
            InvoiceAddress=OrderInvoiceAddress.from_reply(consignee.get("InvoiceAddress")),
            Lines=[PickedLine.from_reply(line) for line in _items(order.get("PickedOrderLines"), "PickedOrderLine")],
            Tracking=[TrackingInfo.from_reply(t) for t in _items(order.get("Tracking"), "OrderTrackingInfo")],
            Carrier=_carrier(order.get("Transporter") or {}, info),
        )


def _carrier(transporter: Mapping[str, Any], info: Mapping[str, Any]) -> str | None:
    """The transporter the warehouse booked (its name, else its code), else the way of delivery ordered."""
    for value in (transporter.get("TransporterName"), transporter.get("Name"), transporter.get("Code"),
                  info.get("WayOfDeliveryTypeName"), info.get("WayOfDelivery"), info.get("WayOfDeliveryTypeCode")):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


class OrderStatus(WmsModel):
    """One of the warehouse's own order statuses; match on the number, never on the text."""

    OrderStatusId: int
    OrderStatusName: str | None = None

    @classmethod
    def from_reply(cls, data: Mapping[str, Any]) -> "OrderStatus":
        return cls(OrderStatusId=data["OrderStatusId"], OrderStatusName=data.get("OrderStatusName"))


def _items(array: Any, item: str) -> list[Mapping[str, Any]]:
    """The items of an array inside a record, without nil ones. zeep gives an xsi:nil item as a record
    whose every value is None (the nil attribute keeps it from being None); such an item is no item.
    A present item always has a value: the items read here have required elements."""
    return [entry for entry in unwrap_array(array, item)
            if not (isinstance(entry, Mapping) and all(value is None for value in entry.values()))]


def _array_in(result: Mapping[str, Any] | None, wrapper: str, item: str) -> list[Mapping[str, Any]]:
    """The items of the array `wrapper` inside a result. zeep hands back a result whose only child
    is the array as that array itself (e.g. GetOrdersResult -> ArrayOfOrder), so accept both."""
    if not result:
        return []
    if wrapper in result:
        return unwrap_array(result[wrapper], item)
    return unwrap_array(result, item)


def _keyed(records: list[Mapping[str, Any]], item: str, *key: str) -> list[Mapping[str, Any]]:
    """The records that carry their id (at the path `key`); the others are skipped with a warning."""
    kept = []
    for record in records:
        value: Any = record
        for name in key:
            value = value.get(name) if isinstance(value, Mapping) else None
        if value is None:
            log.warning("Ongoing WMS sent a record (%s) without %s; skipped it", item, ".".join(key))
        else:
            kept.append(record)
    return kept


def inventory_lines(result: Mapping[str, Any] | None) -> list[InventoryLine]:
    """The lines of a GetInventoryByQueryResult (an InventoryResult)."""
    lines = _keyed(_array_in(result, "InventoryLines", "InventoryLine"), "InventoryLine", "Article", "SystemId")
    return [InventoryLine.from_reply(line) for line in lines]


def orders_of(result: Mapping[str, Any] | None) -> list[WmsOrder]:
    """The orders of a GetOrdersByQueryResult."""
    return [WmsOrder.from_reply(order)
            for order in _keyed(_array_in(result, "Orders", "Order"), "Order", "OrderInfo", "OrderId")]


def order_statuses_of(result: Mapping[str, Any] | None) -> list[OrderStatus]:
    statuses = _keyed(_array_in(result, "OrderStatuses", "OrderStatus"), "OrderStatus", "OrderStatusId")
    return [OrderStatus.from_reply(s) for s in statuses]


class ReturnLine(WmsModel):
    """One row of a return order: what was picked, announced to come back, and came back, and why.

    The cause is the row's own, else the return order's (Ongoing gives either or both)."""

    ReturnOrderLineId: int
    ArticleNumber: str | None = None
    ArticleName: str | None = None
    ExternalOrderLineCode: str | None = None
    PickedNumberOfItems: Decimal
    ToBeReturnedNumberOfItems: Decimal
    ReturnedNumberOfItems: Decimal
    ReturnCauseCode: str | None = None
    ReturnCauseName: str | None = None

    @classmethod
    def from_reply(cls, line: Mapping[str, Any]) -> "ReturnLine":
        return cls(
            ReturnOrderLineId=line["ReturnOrderLineId"],
            ArticleNumber=line.get("ArticleNumber"),
            ArticleName=line.get("ArticleName"),
            ExternalOrderLineCode=line.get("ExternalOrderLineCode"),
            PickedNumberOfItems=_decimal(line.get("PickedNumberOfItems")),
            ToBeReturnedNumberOfItems=_decimal(line.get("ToBeReturnedNumberOfItems")),
            ReturnedNumberOfItems=_decimal(line.get("ReturnedNumberOfItems")),
            ReturnCauseCode=line.get("ReturnCauseCode") or None,
            ReturnCauseName=line.get("ReturnCauseName") or None,
        )


class ReturnOrder(WmsModel):
    """A return order (GetReturnOrdersByQuery's ReturnOrderInfo): goods of a customer order coming back.

    OrderNumber is the customer order's GoodsOwnerOrderNumber (our ERP order id); ReturnInDate is when
    the goods came in (None while they are only announced)."""

    ReturnOrderId: int
    OrderId: int | None = None
    OrderNumber: str | None = None
    ReturnOrderNumber: str | None = None
    ReturnInDate: datetime | None = None
    ReturnOrderStatusId: int | None = None
    ReturnOrderStatusText: str | None = None
    ReturnCauseCode: str | None = None
    ReturnCauseName: str | None = None
    ReturnOrderComment: str | None = None
    Lines: list[ReturnLine] = []

    @classmethod
    def from_reply(cls, data: Mapping[str, Any]) -> "ReturnOrder":
        return cls(
            ReturnOrderId=data["ReturnOrderId"],
            OrderId=data.get("OrderId"),
            OrderNumber=data.get("OrderNumber") or None,
            ReturnOrderNumber=data.get("ReturnOrderNumber") or None,
            ReturnInDate=utc_or_none(data.get("ReturnInDate")),
            ReturnOrderStatusId=data.get("ReturnOrderStatusId"),
            ReturnOrderStatusText=data.get("ReturnOrderStatusText") or None,
            ReturnCauseCode=data.get("ReturnCauseCode") or None,
            ReturnCauseName=data.get("ReturnCauseName") or None,
            ReturnOrderComment=data.get("ReturnOrderComment") or None,
            Lines=[ReturnLine.from_reply(line) for line in _keyed(
                _items(data.get("ReturnOrderLines"), "ReturnOrderLineInfo"), "ReturnOrderLineInfo", "ReturnOrderLineId")],
        )

    def cause_of(self, line: ReturnLine) -> str | None:
        """The row's cause as people read it: its name (or code), else the return order's."""
        return (line.ReturnCauseName or line.ReturnCauseCode or self.ReturnCauseName or self.ReturnCauseCode)


class ReturnOrdersRefused(Exception):
    """GetReturnOrdersByQuery answered Success=false: the errors it gave, as one message."""


def return_orders_of(result: Mapping[str, Any] | None) -> list[ReturnOrder]:
    """The return orders of a GetReturnOrdersByQueryResult; a result with Success=false raises
    ReturnOrdersRefused with its GetReturnOrdersErrors (a LogonError among them: wrong credentials)."""
    if result and result.get("Success") is False:
        errors = unwrap_array(result.get("GetReturnOrdersErrors"), "GetReturnOrdersError")
        raise ReturnOrdersRefused("; ".join(f"{e.get('ErrorType')}: {e.get('Message') or 'no message'}"
                                            for e in errors) or "Success=false without errors")
    records = _keyed(_array_in(result, "ReturnOrders", "ReturnOrderInfo"), "ReturnOrderInfo", "ReturnOrderId")
    return [ReturnOrder.from_reply(record) for record in records]

