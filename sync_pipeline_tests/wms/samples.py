"""Business records as the mapping layer would hand them to the WMS client."""

from __future__ import annotations

from datetime import date
from typing import Any


def article(number: str, **fields: Any) -> dict[str, Any]:
    return {"ArticleNumber": number, "ArticleName": f"Article {number}", **fields}


def order(number: str, *lines: tuple[str, int], customer_number: str = "C-100", **info: Any) -> dict[str, Any]:
    return {
        "OrderInfo": {"GoodsOwnerOrderNumber": number, "DeliveryDate": date(2026, 3, 2), **info},
        "Customer": {"CustomerNumber": customer_number, "Name": "Kund AB", "Address": "Vägen 2",
                     "PostCode": "41101", "City": "Göteborg", "CountryCode": "SE", "Email": "kund@example.com",
                     "TelePhone": "+46 31 123 45", "MobilePhone": "+46 70 123 45 67",
                     "InvoiceAddress": {"Name": "Kund AB Ekonomi", "Address": "Box 5", "PostCode": "41102",
                                        "City": "Göteborg", "CountryCode": "SE"}},
        "CustomerOrderLines": [
            {"ExternalOrderLineCode": str(position), "ArticleNumber": article_number, "NumberOfItems": quantity}
            for position, (article_number, quantity) in enumerate(lines, start=1)
        ],
    }
