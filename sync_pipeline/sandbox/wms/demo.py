"""Demo stock for `--seed-demo`: SKU-1001..SKU-1024, the ERP demo's article numbers.

The ERP demo has Stock = 5 × Id for product Id 1..24 (No SKU-{1000+Id}). The warehouse holds the same
for two thirds of them and 3 more items for every Id divisible by 3 (8 articles), so the stock sync has
work to do. The stock waits for the articles: it shows in GetInventoryByQuery once the article sync
has created them.
"""

from __future__ import annotations

from decimal import Decimal

DEMO_PRODUCT_IDS = range(1, 25)


def demo_stock() -> dict[str, Decimal]:
    """Article number -> physical items."""
    return {f"SKU-{1000 + i}": Decimal(5 * i + (3 if i % 3 == 0 else 0)) for i in DEMO_PRODUCT_IDS}
