"""The stock writes a comparison calls for, as plain data (no I/O here).

Each write carries the ERP quantity the comparison saw. The writer should read the product again
just before SetStockQuantity and skip the write when the ERP no longer shows
`expected_erp_quantity`: someone changed the stock in between, and writing would overwrite that
change (the "lost update" that users of such integrations report). That check is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sync_pipeline.stock.diff import StockComparison
from sync_pipeline.stock.quantity import from_units


@dataclass(frozen=True)
class StockWrite:
    """Set the ERP stock of `product_id` to `quantity` (SetStockQuantity)."""

    product_id: int
    article_number: str
    quantity: Decimal
    expected_erp_quantity: Decimal | None  # None: the ERP had no stock figure


def planned_writes(comparison: StockComparison) -> list[StockWrite]:
    """One write per changed article, in article_number order."""
    changes = comparison.changes
    erp_quantities = changes["erp_quantity"].to_numpy(dtype=object, na_value=None)
    return [
        StockWrite(
            product_id=int(product_id),
            article_number=str(article_number),
            quantity=from_units(wms_quantity),
            expected_erp_quantity=None if erp_quantity is None else from_units(erp_quantity),
        )
        for article_number, product_id, wms_quantity, erp_quantity in zip(
            changes["article_number"].tolist(),
            changes["product_id"].tolist(),
            changes["wms_quantity"].to_numpy(dtype=object).tolist(),
            erp_quantities.tolist(),
        )
    ]
