"""Complete Ongoing write and query payloads from business fields.

The mapping layer gives plain dicts with the WSDL's element names and only business data
(article number, name, weight, addresses, lines...). These functions add what the schema
requires to identify the record and say what to do with it (CreateOrUpdate by article number,
by goods owner order number, by customer number, by supplier number; CreateOrUpdate of a way of
delivery by its code, so a name changed in the ERP follows), the required flags with neutral values, and nil for required-but-nillable
ids ("not set"). They also make values safe to
send: floats become Decimals (a float can render in scientific notation, which xs:decimal
refuses), dates become midnight datetimes, aware datetimes become UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from sync_pipeline.soap.values import require_utc, string_array

# Required booleans of Ongoing's address-like types, with the values that change nothing.
_ADDRESS_FLAGS = {"IsVisible": True, "NotifyBySMS": False, "NotifyByEmail": False, "NotifyByTelephone": False}


def plain(value: Any) -> Any:
    """A copy of `value` with floats, dates and datetimes made safe for the schema."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value.tzinfo else value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


def _required_text(fields: Mapping[str, Any], name: str, where: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}.{name} is required")
    return value


def address_class(address: Mapping[str, Any]) -> dict[str, Any]:
    """An AddressClass (a supplier's address): EU membership left "not set" unless given."""
    return {"IsEuCountry": None, **_ADDRESS_FLAGS, **plain(address)}


def supplier(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A Supplier created or updated by its SupplierNumber (it travels inside an article)."""
    _required_text(fields, "SupplierNumber", "MainSupplier")
    payload = {**plain(fields), "SupplierIdentificationType": "SupplierNumber", "SupplierOperation": "CreateOrUpdate"}
    if fields.get("Address") is not None:
        payload["Address"] = address_class(fields["Address"])
    return payload


def article_definition(article: Mapping[str, Any]) -> dict[str, Any]:
    """An ArticleDefinition created or updated by ArticleNumber; a stock article unless told."""
    _required_text(article, "ArticleNumber", "ArticleDefinition")
    payload = {
        "IsStockArticle": True,
        **plain(article),
        "ArticleOperation": "CreateOrUpdate",
        "ArticleIdentification": "ArticleNumber",
        "ArticleSystemId": None,  # required but nillable: rendered as xsi:nil, i.e. "not set"
    }
    if article.get("MainSupplier") is not None:
        payload["MainSupplier"] = supplier(article["MainSupplier"])
    return payload


def customer(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The order's Customer, created or updated by CustomerNumber; the ids left "not set"."""
    _required_text(fields, "CustomerNumber", "Customer")
    payload = {
        "CustomerId": None,
        "DeliveryAddressId": None,
        "InvoiceAddressId": None,
        **_ADDRESS_FLAGS,
        **plain(fields),
        "CustomerOperation": "CreateOrUpdate",
        "CustomerIdentification": "CustomerNumber",
    }
    if fields.get("InvoiceAddress") is not None:
        payload["InvoiceAddress"] = {**_ADDRESS_FLAGS, **plain(fields["InvoiceAddress"])}
    return payload


def order_line(line: Mapping[str, Any]) -> dict[str, Any]:
    """A CustomerOrderLine identified by ExternalOrderLineCode; the article by ArticleNumber,
    or by ProductCode when the line says so (or only has a product code)."""
    _required_text(line, "ExternalOrderLineCode", "CustomerOrderLine")
    if line.get("NumberOfItems") is None:
        raise ValueError(f"CustomerOrderLine {line['ExternalOrderLineCode']}: NumberOfItems is required")
    by_product_code = line.get("ArticleIdentification") == "ProductCode" or (
        not line.get("ArticleNumber") and bool(line.get("ProductCode"))
    )
    if not by_product_code:
        _required_text(line, "ArticleNumber", f"CustomerOrderLine {line['ExternalOrderLineCode']}")
    return {
        **plain(line),
        "OrderLineIdentification": "ExternalOrderLineCode",
        "ArticleIdentification": "ProductCode" if by_product_code else "ArticleNumber",
        "SubOrderLineSpecification": "ArticleRegisterSpecification",
    }


WAY_OF_DELIVERY_OPERATIONS = ("CreateOrUpdate", "CreateOrFind", "Find")  # the description's enumeration


def way_of_delivery_type(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A WayOfDeliveryType identified by Code (or Name, without a code), created when the warehouse
    lacks it. CreateOrUpdate (unless the fields name another operation): an existing one takes the
    name sent, so a way of delivery renamed in the ERP is renamed in the warehouse; CreateOrFind
    links an existing one unchanged."""
    if not fields.get("Code") and not fields.get("Name"):
        raise ValueError("WayOfDeliveryType needs a Code or a Name")
    operation = fields.get("WayOfDeliveryTypeOperation") or "CreateOrUpdate"
    if operation not in WAY_OF_DELIVERY_OPERATIONS:
        raise ValueError(f"WayOfDeliveryTypeOperation must be one of {WAY_OF_DELIVERY_OPERATIONS}, got {operation!r}")
    return {
        **plain(fields),
        "WayOfDeliveryTypeOperation": operation,
        "WayOfDeliveryTypeIdentification": "Code" if fields.get("Code") else "Name",
    }


def _lines_of(lines: Any) -> list[Mapping[str, Any]]:
    if lines is None:
        return []
    if isinstance(lines, Mapping):  # already wrapped as {"CustomerOrderLine": [...]}
        lines = lines.get("CustomerOrderLine") or []
    return list(lines)


def customer_order(order: Mapping[str, Any]) -> dict[str, Any]:
    """A CustomerOrder created or updated by GoodsOwnerOrderNumber.

    `order` holds "OrderInfo" (GoodsOwnerOrderNumber and DeliveryDate required), "Customer"
    (CustomerNumber required) and "CustomerOrderLines" as a list of lines or the WSDL wrapper.
    """
    unknown = set(order) - {"OrderInfo", "Customer", "CustomerOrderLines"}
    if unknown:
        raise ValueError(f"CustomerOrder has no elements {sorted(unknown)}")
    info = order.get("OrderInfo") or {}
    number = _required_text(info, "GoodsOwnerOrderNumber", "OrderInfo")
    if info.get("DeliveryDate") is None:
        raise ValueError(f"order {number}: OrderInfo.DeliveryDate is required")
    if order.get("Customer") is None:
        raise ValueError(f"order {number}: Customer is required")
    lines = [order_line(line) for line in _lines_of(order.get("CustomerOrderLines"))]
    codes = [line["ExternalOrderLineCode"] for line in lines]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ValueError(f"order {number}: ExternalOrderLineCode must be unique, repeated: {duplicates}")
    order_info = {**plain(info), "OrderIdentification": "GoodsOwnerOrderNumber", "OrderOperation": "CreateOrUpdate"}
    if info.get("WayOfDeliveryType") is not None:
        order_info["WayOfDeliveryType"] = way_of_delivery_type(info["WayOfDeliveryType"])
    return {
        "OrderInfo": order_info,
        "Customer": customer(order["Customer"]),
        "CustomerOrderLines": {"CustomerOrderLine": lines},
    }


def inventory_query(
    *,
    max_articles: int,
    article_system_id_from: int,
    article_numbers: Iterable[str] | None = None,
    changed_since: datetime | None = None,
) -> dict[str, Any]:
    """A GetInventoryQuery for one page."""
    query: dict[str, Any] = {"MaxArticlesToGet": max_articles, "ArticleSystemIdFrom": article_system_id_from}
    if article_numbers is not None:
        query["ArticleNumbersToGet"] = string_array(article_numbers)
    if changed_since is not None:
        query["StockInfoChangedFrom"] = require_utc(changed_since, "changed_since")
    return query


def order_filters(
    *,
    max_orders: int,
    order_id_from: int,
    status_from: int | None = None,
    status_to: int | None = None,
    changed_since: datetime | None = None,
    order_numbers: Iterable[str] | None = None,
) -> dict[str, Any]:
    """OrderFilters for one page; the required-but-nillable filters left out are sent as nil."""
    filters: dict[str, Any] = {
        "OrderStatusFrom": status_from,
        "OrderStatusTo": status_to,
        "LastUpdatedFrom": require_utc(changed_since, "changed_since"),
        "MaxOrdersToGet": max_orders,
        "OrderIdFrom": order_id_from,
    }
    if order_numbers is not None:
        filters["OrderNumbersToGet"] = string_array(order_numbers)
    return filters
