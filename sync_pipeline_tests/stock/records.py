"""Small builders for WMS inventory lines and ERP products, shaped as the clients yield them."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

CHANGED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def line(
    article_number: str | None,
    physical: Decimal | int | str | None = 0,
    sellable: Decimal | int | str | None = None,
    product_code: str | None = None,
) -> dict[str, Any]:
    return {
        "ArticleNumber": article_number,
        "ProductCode": product_code,
        "NumberOfItems": Decimal(physical) if isinstance(physical, (int, str)) else physical,
        "NumberOfBookedItems": Decimal(0),
        "SellableNumberOfItems": (
            Decimal(sellable) if isinstance(sellable, (int, str)) else sellable
        ),
    }


def product(
    product_id: int | None,
    no: str | None,
    stock: Decimal | int | str | None,
    changed: datetime | None = CHANGED_AT,
) -> dict[str, Any]:
    return {
        "Id": product_id,
        "No": no,
        "Stock": Decimal(stock) if isinstance(stock, (int, str)) else stock,
        "StockControlled": True,
        "DateChanged": changed,
    }
