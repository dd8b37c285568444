"""A client built from the vendor's real Ongoing description, pointed at the sandbox, and request builders.

Every request is checked against the real schema on its way out and every reply on its way in
(RealSchemaValidator), so a sandbox reply the real service would not send fails the test.
"""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import zeep
from zeep.transports import Transport

from sync_pipeline_tests.contracts.real import ONGOING_2024, RealSchemaValidator, contracts_dir

WSI = "http://ongoingsystems.se/WSI"
CREDENTIALS = {"GoodsOwnerCode": "DEMO", "UserName": "demo", "Password": "demo-password"}
DELIVERY = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
NOT_SET = datetime(1, 1, 1)  # how a required, non-nillable date-time reads when the service has none


def real_wsdl() -> str:
    return str(contracts_dir() / ONGOING_2024)


@functools.lru_cache(maxsize=None)
def _client(timeout: float) -> zeep.Client:
    # Parsing the real description takes a while: one client per timeout, a fresh validator per Ongoing.
    return zeep.Client(real_wsdl(), transport=Transport(timeout=timeout, operation_timeout=timeout))


class Ongoing:
    def __init__(self, base_url: str, *, timeout: float = 5.0, credentials: dict[str, str] | None = None,
                 warehouse: str = "sandbox"):
        self.client = _client(timeout)
        self.validator = RealSchemaValidator(real_wsdl(), validate_replies=True)
        self.service = self.client.create_service(f"{{{WSI}}}ServiceSoap", f"{base_url}/{warehouse}/service.asmx")
        self.credentials = credentials or CREDENTIALS

    def call(self, operation: str, **payload: Any) -> Any:
        self.client.plugins = [self.validator]
        replies_before = len(self.validator.validated_replies)
        result = getattr(self.service, operation)(**self.credentials, **payload)
        assert operation in self.validator.validated_replies[replies_before:], "reply not checked against the schema"
        return result

    # -- the operations, as the pipeline uses them ---------------------------------------------

    def process_article(self, number: str | None, **fields: Any) -> Any:
        return self.call("ProcessArticle", art=article(number, **fields))

    def process_order(self, co: dict[str, Any]) -> Any:
        return self.call("ProcessOrder", co=co)

    def orders(self, **filters: Any) -> list[Any]:
        # zeep unwraps GetOrdersResult, whose only element is Orders: the result is the ArrayOfOrder.
        result = self.call("GetOrdersByQuery", query=order_filters(**filters))
        return list(result.Order) if result is not None else []

    def order(self, number: str) -> Any:
        (found,) = self.orders(OrderNumbersToGet={"string": [number]})
        return found

    def inventory(self, **query: Any) -> list[Any]:
        result = self.call("GetInventoryByQuery", GetInventoryQuery=query)
        return list(result.InventoryLines.InventoryLine) if result.InventoryLines else []

    def inventory_of(self, number: str) -> Any:
        (line,) = self.inventory(ArticleNumbersToGet={"string": [number]})
        return line

    def update_order(self, number: str, *, status: int | None = None, waybill: str | None = None) -> Any:
        request: dict[str, Any] = {"OrderUpdateIdentification": {
            "OrderIdentificationType": "GoodsOwnerOrderNumber", "GoodsOwnerOrderNumber": number, "OrderId": None}}
        if status is not None:
            request["UpdateOrderStatus"] = {"OrderStatus": status}
        if waybill is not None:
            request["UpdateOrderWaybill"] = {"Waybill": waybill}
        return self.call("UpdateOrder", updateOrder=request)


# -- request builders: the real description's required elements filled, the rest as given ---------

def article(number: str | None, **fields: Any) -> dict[str, Any]:
    return {"ArticleOperation": "CreateOrUpdate", "ArticleIdentification": "ArticleNumber",
            "ArticleSystemId": None, "ArticleNumber": number, "IsStockArticle": None, **fields}


def supplier(number: str, name: str | None = None, operation: str = "CreateOrUpdate", **address: Any) -> dict[str, Any]:
    built: dict[str, Any] = {"SupplierIdentificationType": "SupplierNumber", "SupplierOperation": operation,
                             "SupplierNumber": number, "SupplierName": name}
    if address:
        built["Address"] = {"IsEuCountry": None, "IsVisible": True, "NotifyBySMS": False, "NotifyByEmail": False,
                            "NotifyByTelephone": False, **address}
    return built


def customer(**fields: Any) -> dict[str, Any]:
    return {"CustomerOperation": "CreateOrUpdate", "CustomerIdentification": "CustomerNumber", "CustomerId": None,
            "DeliveryAddressId": None, "InvoiceAddressId": None, "IsVisible": True, "NotifyBySMS": False,
            "NotifyByEmail": False, "NotifyByTelephone": False, **fields}


def invoice_address(**fields: Any) -> dict[str, Any]:
    return {"IsVisible": True, "NotifyBySMS": False, "NotifyByEmail": False, "NotifyByTelephone": False, **fields}


def line(code: str | None, quantity: Any = 1, *, article_number: str | None = None,
         product_code: str | None = None) -> dict[str, Any]:
    return {"OrderLineIdentification": "ExternalOrderLineCode",
            "ArticleIdentification": "ProductCode" if product_code else "ArticleNumber",
            "SubOrderLineSpecification": None, "ExternalOrderLineCode": code, "ArticleNumber": article_number,
            "NumberOfItems": Decimal(str(quantity)), "ProductCode": product_code}


def order(number: str, lines: list[dict[str, Any]] | None = None, *, operation: str = "CreateOrUpdate",
          customer: dict[str, Any] | None = None, **info: Any) -> dict[str, Any]:
    built: dict[str, Any] = {"OrderInfo": {"OrderIdentification": "GoodsOwnerOrderNumber", "OrderOperation": operation,
                                           "GoodsOwnerOrderNumber": number, "DeliveryDate": DELIVERY, **info}}
    if customer is not None:
        built["Customer"] = customer
    if lines is not None:
        built["CustomerOrderLines"] = {"CustomerOrderLine": lines}
    return built


ORDER_FILTERS_REQUIRED = ("DeliveryDateFrom", "DeliveryDateTo", "ShippedTimeFrom", "ShippedTimeTo",
                          "LastPickingTimeFrom", "LastPickingTimeTo", "LastReturnedFrom", "LastPrintedTimeFrom",
                          "OrderStatusFrom", "OrderStatusTo", "LastUpdatedFrom", "LastUpdatedTo",
                          "PickOrderIdFrom", "PickOrderIdTo")


def order_filters(**given: Any) -> dict[str, Any]:
    return {**{name: None for name in ORDER_FILTERS_REQUIRED}, **given}
