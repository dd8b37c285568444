"""ERP records for mapping tests, built as the ERP client builds them (the real pydantic models)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from sync_pipeline.erp.models import Company, InvoiceOrder, Product

SHOP = "Ærlig Øl & Smørbrød AB"


def product(**fields: Any) -> Product:
    values: dict[str, Any] = {
        "Id": 17,
        "No": "SKU-1017",
        "Name": "Brød med smør",
        "Description": "Grovt brød, 750 g",
        "EAN1": "7031234567897",
        "Weight": Decimal("0.750"),
        "Price": Decimal("49.90"),
        "InPrice": Decimal("21.50"),
    }
    values.update(fields)
    return Product.model_validate(values)


def order(**fields: Any) -> InvoiceOrder:
    values: dict[str, Any] = {
        "OrderId": 1001,
        "OrderStatus": "Confirmed",
        "DeliveryDate": datetime(2024, 5, 17, tzinfo=timezone.utc),
        "ReferenceNumber": "REF-77",
        "YourReference": "Ola Nordmann",
        "DeliveryMethod": {"Id": 3, "Description": "Posten Servicepakke"},
        "InvoiceTitle": "Levering til bakeriet",
        "CustomerId": 501,
        "CustomerName": SHOP,
        "CustomerDeliveryName": "Smørbrød-kjøkkenet",
        "CustomerDeliveryPhone": "+47 22 00 00 01",
        "InvoiceEmailAddress": "faktura@smorbrod.no",
        "Addresses": {
            "Delivery": {
                "Street": "Bryggen 5",
                "PostalCode": "5003",
                "PostalArea": "Bergen",
                "City": "Bergen kommune",
                "Country": "no",
                "State": "Vestland",
            },
            "Invoice": {
                "Street": "Postboks 12",
                "PostalCode": "0101",
                "PostalArea": "Oslo",
                "City": "Oslo kommune",
                "Country": "NO",
                "State": "Oslo",
            },
        },
        "InvoiceRows": [
            {"ProductId": 17, "RowId": 1, "Quantity": Decimal("2"), "Price": Decimal("49.90")},
            {"ProductId": 18, "RowId": 2, "Quantity": Decimal("1.5"), "Price": Decimal("10.00")},
        ],
    }
    values.update(fields)
    return InvoiceOrder.model_validate(values)


def company(**fields: Any) -> Company:
    values: dict[str, Any] = {"Id": 501, "Name": SHOP, "Type": "Business"}
    values.update(fields)
    return Company.model_validate(values)


def phones(**numbers: str) -> dict[str, Any]:
    return {kind: {"Description": kind, "Value": value} for kind, value in numbers.items()}


def emails(**addresses: str) -> dict[str, Any]:
    return {kind: {"Description": kind, "Value": value} for kind, value in addresses.items()}
