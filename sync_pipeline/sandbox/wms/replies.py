"""Stored documents as reply values (ArticleClass, InventoryLine, Order, OrderStatus).

Every element the schema requires is given: nillable ones as None when unknown, required date-times
that are not nillable as NOT_SET_DATE (0001-01-01T00:00:00, as the real service renders them).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from sync_pipeline.sandbox.values import NOT_SET_DATE
from sync_pipeline.sandbox.wms import statuses
from sync_pipeline.sandbox.wms.inventory import booked_of, physical_of
from sync_pipeline.sandbox.wms.values import to_datetime, to_decimal

GOODS_OWNER_ID = 1  # invented: the sandbox's one goods owner

EU_COUNTRIES = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())

Document = Mapping[str, Any]


def article_class(article: Document, supplier: Document | None) -> dict[str, Any]:
    decimal = lambda key: to_decimal(article.get(key))  # noqa: E731 - a local shorthand
    return {
        "SystemId": article["SystemId"], "Name": article.get("ArticleName"),
        "ArticleNumber": article["ArticleNumber"], "ProductCode": article.get("ProductCode"),
        "BarCode": article.get("BarCode"), "Description": article.get("ArticleDescription"),
        "MainSupplierName": (supplier or {}).get("SupplierName"),
        "MainSupplierNumber": article.get("MainSupplierNumber"),
        "IsStockArticle": article.get("IsStockArticle") is not False, "VatPercent": None,
        "Length": decimal("Length"), "Width": decimal("Width"), "Height": decimal("Height"),
        "Price": decimal("Price"), "CustomerPrice": decimal("CustomerPrice"),
        "PurchasePrice": decimal("PurchasePrice"), "Weight": decimal("Weight"), "NetWeight": decimal("NetWeight"),
        "Volume": decimal("Volume"), "QuantityPerPallet": None, "QuantityPerPackage": None,
        "ExternalNumberOfItems": None, "ProcessArticleTime": to_datetime(article.get("ProcessArticleTime")),
        "FreeDecimal1": None, "FreeDecimal2": None, "ArticleKind": "Stock", "StockLimit": None,
        "DefaultPickingLocationMaxNumberOfItems": None, "MaxStackNumberOfLevels": None, "FreeDecimal3": None,
        "IsSerialNumberArticle": None, "MinReOrderQuantity": None, "DefaultLocationStockLimit": None,
        "FreeBoolean1": False, "FreeBoolean2": False, "FreeBoolean3": False, "SubQuantityPerItem": None,
    }


def inventory_line(article: Document, stock: Document | None, supplier: Document | None) -> dict[str, Any]:
    physical, booked = physical_of(stock), booked_of(stock)
    zero = Decimal(0)
    purchase_price = to_decimal(article.get("PurchasePrice")) or zero
    return {
        "Article": article_class(article, supplier),
        "NumberOfBookedItems": int(booked), "NumberOfItems": int(physical), "NumberOfLockedItems": zero,
        "LastInDate": None, "ToReceiveNumberOfItems": zero, "LockedForSaleNumberOfItems": zero,
        "NumberOfItemsDecimal": physical, "NumberOfBookedItemsDecimal": booked,
        "PickedToBeCollectedNumberOfItems": zero, "ReceivedToBeFinishedNumberOfItems": zero,
        "TotalStockValuationPrice": physical * purchase_price, "SellableNumberOfItems": physical - booked,
        "PickedToBeReportedNumberOfItems": zero, "ReturnedToBeReportedNumberOfItems": zero,
        "ReceivedToBeReportedNumberOfItems": zero,
    }


def order(order: Document, articles_by_id: Mapping[int, Document],
          suppliers: Mapping[str, Document]) -> dict[str, Any]:
    lines = [_picked_line(line, order, articles_by_id, suppliers) for line in order["Lines"]]
    return {
        "Consignee": _consignee(order),
        "OrderInfo": _order_info(order),
        "Success": True,
        "PickedOrderLines": {"PickedOrderLine": lines},
        "ExternalSystemId": 0,
        "Tracking": {"OrderTrackingInfo": [
            {"TrackingUrl": None, "Waybill": t["Waybill"], "Created": to_datetime(t["Created"]), "IsReturn": False}
            for t in order.get("Tracking", [])]},
    }


def order_status(number: int, name: str) -> dict[str, Any]:
    return {"OrderStatusId": number, "OrderStatusName": name}


def _date_or_not_set(stored: str | None) -> Any:
    return to_datetime(stored) or NOT_SET_DATE


def _order_info(order: Document) -> dict[str, Any]:
    info = order["OrderInfo"]
    delivery_type = info.get("WayOfDeliveryType") or {}
    status = order["OrderStatusNumber"]
    return {
        "OrderId": order["OrderId"], "ReferenceNumber": info.get("ReferenceNumber"),
        "GoodsOwnerOrderNumber": order["GoodsOwnerOrderNumber"], "SalesCode": info.get("SalesCode"),
        "OrderRemark": info.get("OrderRemark"), "WayOfDelivery": info.get("WayOfDelivery"),
        "WayOfDeliveryTypeCode": delivery_type.get("Code"), "WayOfDeliveryTypeName": delivery_type.get("Name"),
        "PickUpDate": NOT_SET_DATE, "DeliveryDate": _date_or_not_set(info.get("DeliveryDate")),
        "CreatedDate": _date_or_not_set(order.get("CreatedDate")),
        "ShippedTime": _date_or_not_set(order.get("ShippedTime")),
        "ArrivalDate": NOT_SET_DATE, "ArrivalDateFrom": NOT_SET_DATE, "PrintedTime": NOT_SET_DATE,
        "WayBill": order.get("WayBill"), "CustomerPrice": to_decimal(info.get("CustomerPrice")),
        "FreightPrice": to_decimal(info.get("FreightPrice")), "OrderStatusNumber": status,
        "OrderStatusText": statuses.name_of(status), "TransporterServicePointId": None,
        "PickedNumberOfItems": sum((Decimal(str(l["PickedNumberOfItems"])) for l in order["Lines"]), Decimal(0)),
        "OrderedNumberOfItems": sum((Decimal(str(l["NumberOfItems"])) for l in order["Lines"]), Decimal(0)),
        "PickingPriority": None, "BackOrderForOrderId": None, "CurrentShipmentId": None,
        "OrderFreeDateTime1": None, "OrderFreeDateTime2": None,
    }


def _consignee(order: Document) -> dict[str, Any]:
    customer = order["Customer"]
    invoice = customer.get("InvoiceAddress")
    return {
        "Id": order["ConsigneeId"], "Name": customer.get("Name"), "Address": customer.get("Address"),
        "PostCode": customer.get("PostCode"), "City": customer.get("City"),
        "CountryCode": customer.get("CountryCode"), "CountryStateCode": customer.get("CountryStateCode"),
        "IsEuCountry": customer.get("CountryCode") in EU_COUNTRIES,
        "TelePhone": customer.get("TelePhone"), "MobilePhone": customer.get("MobilePhone"),
        "Email": customer.get("Email"), "NotifyByEmail": bool(customer.get("NotifyByEmail")),
        "NotifyBySms": bool(customer.get("NotifyBySMS")), "NotifyByTelephone": customer.get("NotifyByTelephone"),
        "CustomerNumber": customer.get("CustomerNumber"),
        "InvoiceAddress": None if invoice is None else {
            "AddressId": order["InvoiceAddressId"], "Name": invoice.get("Name"), "Address": invoice.get("Address"),
            "PostCode": invoice.get("PostCode"), "City": invoice.get("City"),
            "CountryCode": invoice.get("CountryCode"), "TelePhone": invoice.get("TelePhone"),
            "MobilePhone": invoice.get("MobilePhone"), "Email": invoice.get("Email"),
            "CountryStateCode": invoice.get("CountryStateCode")},
        "AddressId": None,
    }


def _picked_line(line: Document, order: Document, articles_by_id: Mapping[int, Document],
                 suppliers: Mapping[str, Document]) -> dict[str, Any]:
    article = articles_by_id.get(line["ArticleSystemId"])
    picked_time = to_datetime(order.get("ShippedTime"))
    return {
        "Article": article_class(article, suppliers.get(article.get("MainSupplierNumber", ""))) if article else None,
        "OrderLineSystemId": line["OrderLineSystemId"],
        "DeliveryDate": to_datetime(order["OrderInfo"].get("DeliveryDate")),
        "LastPickingTime": picked_time, "StartPickingTime": picked_time,
        "OrderedNumberOfItems": Decimal(str(line["NumberOfItems"])),
        "PickedNumberOfItems": Decimal(str(line["PickedNumberOfItems"])),
        "ExternalOrderLineCode": line.get("ExternalOrderLineCode"),
        "ParentOrderLineId": None, "IsParentLine": False, "DoPick": True,
        "RowPrice": None, "LinePrice": to_decimal(line.get("LinePrice")), "Discount": None,
        "Length": None, "Width": None, "Height": None, "ReportedNumberOfItems": None,
        "AllocatedNumberOfItems": Decimal(str(line["PickedNumberOfItems"])), "AcknowledgedNumberOfItems": None,
        "OrderLineTotalCustomsValue": None, "ReportedReturnedNumberOfItems": None, "IsPickedWithErrors": False,
        "ReturnedNumberOfItems": Decimal(0), "PackedNumberOfItems": Decimal(str(line["PickedNumberOfItems"])),
        "MinDaysToExpiryDate": None, "MaxDaysToExpiryDate": None,
    }
