"""Order, an order as GetOrdersByQuery shows it, from the stored CustomerOrder (see orders.py).

Every element the schema requires is given: nillable ones as None when unknown, required date-times
that are not nillable as NOT_SET_DATE (0001-01-01T00:00:00, as the real service renders them). The
optional elements are given when the sandbox has a value: what the client wrote to ProcessOrder, under
the reply's name for it (Customer -> Consignee, OrderInfoClass -> OrderInfoType, CustomerOrderLine ->
PickedOrderLine), and what the warehouse knows itself (allocated and picked items, tracking, itself).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from sync_pipeline.sandbox.values import NOT_SET_DATE
from sync_pipeline.sandbox.wms import statuses
from sync_pipeline.sandbox.wms.article_class import article_class
from sync_pipeline.sandbox.wms.values import to_datetime, to_decimal

WAREHOUSE_INFO = {"Id": 1, "Code": "SANDBOX", "Name": "Sandbox warehouse"}  # invented: its one warehouse
# Invented, carrier-neutral: the real service gives the transporter's tracking page for the waybill.
TRACKING_URL = "https://tracking.example.com/?waybill={}"
EU_COUNTRIES = frozenset(["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"])

Document = Mapping[str, Any]


def order(order: Document, articles_by_id: Mapping[int, Document],
          suppliers: Mapping[str, Document]) -> dict[str, Any]:
    lines = [_picked_line(line, order, articles_by_id, suppliers) for line in order["Lines"]]
    reply = {
        "Consignee": _consignee(order),
        "OrderInfo": _order_info(order),
        "CommunicationInfo": order.get("CommunicationInfo"),
        "Success": True,
        "PickedOrderLines": {"PickedOrderLine": lines},
        "ExternalSystemId": 0,
        "Warehouse": WAREHOUSE_INFO,
        "Tracking": {"OrderTrackingInfo": [
            {"TrackingUrl": t.get("TrackingUrl") or TRACKING_URL.format(t["Waybill"]), "Waybill": t["Waybill"],
             "Created": to_datetime(t["Created"]), "IsReturn": False}
            for t in order.get("Tracking", [])]},
    }
    contract, booked = order.get("TransporterContract"), order.get("Transporter")
    if booked:  # the transporter the warehouse booked when it shipped
        reply["Transporter"] = {"Id": 0, "Code": booked.get("Code"), "ServiceCode": booked.get("ServiceCode"),
                                "Name": booked.get("Name"), "TransporterName": booked.get("Name")}
    elif contract:
        reply["Transporter"] = {"Id": 0, "Code": contract.get("TransporterCode"),
                                "ServiceCode": contract.get("TransporterServiceCode")}
    return reply


# OrderInfoType element <- OrderInfoClass element, where the names are the same.
INFO_SAME_NAME = (
    "ReferenceNumber", "ProfitCenter", "Communication", "GoodsOwnerOrderId", "TransporterOrderNumber",
    "ConsigneeOrderNumber", "SalesCode", "OrderRemark", "DeliveryInstruction", "WayOfDelivery", "TermsOfDelivery",
    "TermsOfPayment", "Language", "InvoiceNumber", "InvoiceTypeCode", "InvoiceUrl", "ProductionCode",
    "OrderServicePointCode", "PickingPriority", "FreeText1", "FreeText2", "FreeText3", "MarketPlace",
    "MarketPlaceOrderNumber", "PreparedTransportDocumentId", "WarehouseInstruction",
)
# OrderInfoType element <- (OrderInfoClass element, its child)
INFO_FLATTENED = {
    "WayOfDeliveryTypeCode": ("WayOfDeliveryType", "Code"), "WayOfDeliveryTypeName": ("WayOfDeliveryType", "Name"),
    "OrderTypeCode": ("OrderType", "OrderTypeCode"), "OrderTypeName": ("OrderType", "OrderTypeName"),
}
# OrderInfoType's notifications <- (OrderNotification's flag, its value)
NOTIFICATIONS = {"EmailNotification": ("NotifyByEmail", "Email"), "SMSNotification": ("NotifyBySms", "MobilePhone"),
                 "TelephoneNotification": ("NotifyByTelephone", "Telephone")}


def _date_or_not_set(stored: str | None) -> Any:
    return to_datetime(stored) or NOT_SET_DATE


def _order_info(order: Document) -> dict[str, Any]:
    info = order["OrderInfo"]
    status = order["OrderStatusNumber"]
    shown: dict[str, Any] = {name: info[name] for name in INFO_SAME_NAME if name in info}
    for name, (parent, child) in INFO_FLATTENED.items():
        value = (info.get(parent) or {}).get(child)
        if value is not None:
            shown[name] = value
    notification = info.get("OrderNotification") or {}
    for name, (flag, value) in NOTIFICATIONS.items():
        if flag in notification or value in notification:
            shown[name] = {"ToBeNotified": notification.get(flag), "Value": notification.get(value)}
    terms = info.get("TermsOfDeliveryType") or {}
    if terms:
        shown["TermsOfDeliveryType"] = {"Code": terms.get("Code"), "Name": terms.get("Name")}
    if (info.get("Customs") or {}).get("CustomsValueCurrencyCode"):
        shown["OrderCustomsInfo"] = {"CustomsValueCurrencyCode": info["Customs"]["CustomsValueCurrencyCode"]}
    classes = ((info.get("OrderClasses") or {}).get("Classes") or {}).get("Class") or []
    if classes:
        shown["OrderClasses"] = {"OrderClassInfo": [{"Code": c.get("Code"), "Name": c.get("Name")} for c in classes]}
    shown.update({
        "OrderId": order["OrderId"], "GoodsOwnerOrderNumber": order["GoodsOwnerOrderNumber"],
        "PickUpDate": NOT_SET_DATE, "DeliveryDate": _date_or_not_set(info.get("DeliveryDate")),
        "CreatedDate": _date_or_not_set(order.get("CreatedDate")),
        "ShippedTime": _date_or_not_set(order.get("ShippedTime")),
        "ArrivalDate": _date_or_not_set(info.get("ArrivalDate")),
        "ArrivalDateFrom": _date_or_not_set(info.get("ArrivalDateFrom")), "PrintedTime": NOT_SET_DATE,
        "WayBill": order.get("WayBill"), "CustomerPrice": to_decimal(info.get("CustomerPrice")),
        "FreightPrice": to_decimal(info.get("FreightPrice")), "OrderStatusNumber": status,
        "OrderStatusText": statuses.name_of(status), "TransporterServicePointId": None,
        "PickedNumberOfItems": sum((Decimal(str(line["PickedNumberOfItems"])) for line in order["Lines"]), Decimal(0)),
        "OrderedNumberOfItems": sum((Decimal(str(line["NumberOfItems"])) for line in order["Lines"]), Decimal(0)),
        "PickingPriority": info.get("PickingPriority"), "BackOrderForOrderId": None, "CurrentShipmentId": None,
        "OrderFreeDateTime1": to_datetime(info.get("OrderFreeDateTime1")),
        "OrderFreeDateTime2": to_datetime(info.get("OrderFreeDateTime2")),
    })
    return shown


# Consignee element <- Customer element, where the names are the same.
CONSIGNEE_SAME_NAME = ("Name", "Address", "Address2", "Address3", "PostCode", "City", "CountryCode", "CountryStateCode",
                       "TelePhone", "MobilePhone", "Remark", "Email", "DeliveryInstruction", "CustomerNumber",
                       "DoorCode", "OrganisationNumber")
INVOICE_SAME_NAME = ("Name", "Address", "Address2", "Address3", "PostCode", "City", "CountryCode", "TelePhone",
                     "MobilePhone", "Email", "CountryStateCode")


def _consignee(order: Document) -> dict[str, Any]:
    customer = order["Customer"]
    invoice = customer.get("InvoiceAddress")
    group = customer.get("CustomerGroup") or {}
    shown: dict[str, Any] = {name: customer[name] for name in CONSIGNEE_SAME_NAME if name in customer}
    shown.update({
        "Id": order["ConsigneeId"], "IsEuCountry": customer.get("CountryCode") in EU_COUNTRIES,
        "NotifyByEmail": bool(customer.get("NotifyByEmail")), "NotifyBySms": bool(customer.get("NotifyBySMS")),
        "NotifyByTelephone": customer.get("NotifyByTelephone"),
        "CustomerGroupCode": group.get("CustomerGroupCode"), "CustomerGroupName": group.get("CustomerGroupName"),
        "CustomerVATNumber": customer.get("VATNumber"), "AddressId": None,
        "InvoiceAddress": None if invoice is None else {
            "AddressId": order["InvoiceAddressId"], **{name: invoice[name] for name in INVOICE_SAME_NAME if name in invoice}},
    })
    return shown


# PickedOrderLine element <- CustomerOrderLine element, where the names are the same.
LINE_SAME_NAME = ("OrderLineComment", "ExternalOrderLineCode", "LinePrice", "Discount", "Length", "Width", "Height",
                  "CurrencyCode", "Batch", "OrderLineCaseNo", "CustomerArticleNumber", "OrderLineTotalCustomsValue",
                  "OrderLineFreeText1", "MinDaysToExpiryDate", "MaxDaysToExpiryDate")


def _picked_line(line: Document, order: Document, articles_by_id: Mapping[int, Document],
                 suppliers: Mapping[str, Document]) -> dict[str, Any]:
    article = articles_by_id.get(line["ArticleSystemId"])
    picked_time = to_datetime(order.get("ShippedTime"))
    status = order["OrderStatusNumber"]
    ordered, picked = Decimal(str(line["NumberOfItems"])), Decimal(str(line["PickedNumberOfItems"]))
    line_type = line.get("OrderLineType") or {}
    shown: dict[str, Any] = dict.fromkeys(("RowPrice", "LinePrice", "Discount", "Length", "Width", "Height",
                                           "ReportedNumberOfItems", "AcknowledgedNumberOfItems",
                                           "OrderLineTotalCustomsValue", "ReportedReturnedNumberOfItems",
                                           "MinDaysToExpiryDate", "MaxDaysToExpiryDate"))
    shown.update((name, line[name]) for name in LINE_SAME_NAME if name in line)
    shown.update({
        "Article": article_class(article, suppliers.get(article.get("MainSupplierNumber", ""))) if article else None,
        "OrderLineSystemId": line["OrderLineSystemId"],
        "DeliveryDate": to_datetime(line.get("DeliveryDate") or order["OrderInfo"].get("DeliveryDate")),
        "LastPickingTime": picked_time, "StartPickingTime": picked_time,
        "OrderedNumberOfItems": ordered, "PickedNumberOfItems": picked,
        "ParentOrderLineId": None, "IsParentLine": False, "DoPick": line.get("DoPick") is not False,
        "AllocatedNumberOfItems": ordered if statuses.ALLOCATED <= status < statuses.CANCELLED else Decimal(0),
        "IsPickedWithErrors": False, "ReturnedNumberOfItems": Decimal(0), "PackedNumberOfItems": picked,
        "OrderLineWarehouseInstruction": line.get("WarehouseInstruction"),
    })
    if line_type:
        shown["OrderLineType"] = {"Name": line_type.get("Name"), "Code": line_type.get("Code")}
    return shown
